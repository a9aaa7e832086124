package io.edgepush.bridge.transport;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.edgepush.bridge.CameraLinkStats;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class LinkTroubleLogTest {
    private static final long SECOND = 1_000_000_000L;
    private final List<String> lines = new ArrayList<>();
    private final LinkTroubleLog log = new LinkTroubleLog("tcp:10.0.0.9:4000", SECOND, lines::add);

    private static CameraLinkStats skipped(long bytes) {
        return new CameraLinkStats(0, bytes, 0, 0, 0, 0, 0, 0, 0);
    }

    @Test
    void firstTroubleIsLoggedAtOnceThenOneSummaryPerInterval() {
        log.update("CAM_1", skipped(10), 0);
        assertEquals(List.of("event=bridge_input_errors device_id=CAM_1 peer=tcp:10.0.0.9:4000 bytes_skipped=+10"),
                lines);
        for (int i = 1; i <= 1000; i++) { // a megabyte of garbage in 1000 chunks within one second
            log.update("CAM_1", skipped(10 + i * 1024L), i * 900_000L);
        }
        assertEquals(1, lines.size(), "nothing more within the interval");
        log.update("CAM_1", skipped(10 + 1000 * 1024L), SECOND + 1);
        assertEquals(2, lines.size());
        assertEquals("event=bridge_input_errors device_id=CAM_1 peer=tcp:10.0.0.9:4000 bytes_skipped=+1024000",
                lines.get(1));
    }

    @Test
    void nothingIsLoggedWhenNoCounterMoved() {
        log.update("CAM_1", skipped(0), 0);
        log.flush("CAM_1", skipped(0), 5 * SECOND);
        assertTrue(lines.isEmpty());
    }

    @Test
    void flushLogsTheRestAtCloseWhateverTheTimeWithEveryMovedCounterAndTheLastError() {
        log.update("CAM_1", skipped(1), 0);
        log.malformed("truncated ACK payload: need 5 bytes, have 2 at payload offset 0");
        log.update("CAM_1", new CameraLinkStats(9, 1, 2, 3, 4, 5, 6, 70, 0), 10);
        assertEquals(1, lines.size());
        log.flush("CAM_1", new CameraLinkStats(9, 1, 2, 3, 4, 5, 6, 70, 0), 20);
        assertEquals("event=bridge_input_errors device_id=CAM_1 peer=tcp:10.0.0.9:4000 crc_errors=+2"
                + " oversize_frames=+3 malformed_messages=+4 video_before_hello=+5 sequence_gaps=+6 frames_lost=+70"
                + " last_error=\"truncated ACK payload: need 5 bytes, have 2 at payload offset 0\"", lines.get(1));
    }
}
