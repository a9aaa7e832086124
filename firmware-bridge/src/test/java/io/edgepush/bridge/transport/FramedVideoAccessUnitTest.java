package io.edgepush.bridge.transport;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.edgepush.bridge.CameraLink;
import io.edgepush.bridge.CameraLinkStats;
import io.edgepush.bridge.wire.Hello;
import io.edgepush.bridge.wire.TestFrames;
import io.edgepush.testkit.HexBytes;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import java.io.IOException;
import java.net.Socket;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Framed VIDEO messages become {@link io.edgepush.protocol.media.AccessUnit}s in the bridge (CameraConnection):
 * the NAL unit types decide keyframe-ness (a disagreeing wire flag is counted), a payload that is not Annex B is
 * counted malformed and loses nothing else, decode time is the capture time in ms (strictly increasing per stream),
 * and parameter sets sent on their own join the next picture. The camera is a plain socket writing encoded frames,
 * so the gateway decodes exactly the frames written and {@link CameraLinkStats#framesDecoded()} tells when it has
 * handled them all.
 *
 * <p>NAL units are hand-made (ISO/IEC 14496-10 7.3.1, 7.3.3): each slice's first payload bit is 1, i.e.
 * first_mb_in_slice 0, so each VIDEO message with a slice is one access unit.
 */
class FramedVideoAccessUnitTest {
    private static final Duration WAIT = Duration.ofSeconds(10);
    private static final String DEVICE = "CAM_AU";
    /** IDR slice, nal_ref_idc 3 (as in RawAnnexBServerTest). */
    private static final String IDR = "65 88 84";
    /** Non-IDR slice, nal_ref_idc 2. */
    private static final String P = "41 9a 02";
    /** Non-IDR slice, nal_ref_idc 0: not a reference picture. */
    private static final String P_NONREF = "01 9a 02";
    /** Baseline 1280x720 SPS, PPS 0, an IDR slice and a P slice using them (protocol's h264 Vectors). */
    private static final String SPS = "67 42 c0 1f da 01 40 16 e4";
    private static final String PPS = "68 ce 3c 80";
    private static final String IDR_MB0 = "65 88 86 e0";
    private static final String P_MB0_FN1 = "41 9a 2d";

    private final RecordingListener listener = new RecordingListener();
    private final long[] sequence = new long[256];
    private TcpCameraServer server;
    private Socket camera;
    private CameraLink link;
    private long framesSent;

    @BeforeEach
    void start() throws IOException {
        server = new TcpCameraServer("127.0.0.1", 0);
        server.start(listener);
        camera = new Socket("127.0.0.1", server.boundPort());
        send(TestFrames.hello(new Hello(DEVICE, "1", "h264", 0, 1280, 720, 25, 1_000_000), sequence[0]++, 0));
        Await.until(() -> listener.connected.containsKey(DEVICE), WAIT, "HELLO");
        link = listener.connected.get(DEVICE);
    }

    @AfterEach
    void stop() throws IOException {
        camera.close();
        server.close();
    }

    /** NAL units (hex, no start codes) joined into an Annex B payload with 4-byte start codes. */
    private static String annexB(String... nalUnits) {
        return Arrays.stream(nalUnits).map(n -> "00 00 00 01 " + n).collect(Collectors.joining(" "));
    }

    /** What {@link RecordingListener} records for an access unit holding {@code nalUnits}. */
    private static String hex(String... nalUnits) {
        return HexBytes.hex(annexB(nalUnits));
    }

    private static RecordingListener.Video au(int streamId, long dtsMs, boolean keyframe, boolean reference,
                                              String... nalUnits) {
        return new RecordingListener.Video(DEVICE, streamId, dtsMs, dtsMs, keyframe, reference, hex(nalUnits));
    }

    /** Writes an encoded frame and releases it. */
    private void send(ByteBuf frame) throws IOException {
        try {
            camera.getOutputStream().write(ByteBufUtil.getBytes(frame));
        } finally {
            frame.release();
        }
        framesSent++;
    }

    /** Sends one VIDEO message (next sequence number of the stream) whose payload is {@code payloadHex}. */
    private void video(int streamId, long captureTimeUs, boolean keyframeFlag, String payloadHex) throws IOException {
        ByteBuf payload = HexBytes.buf(payloadHex);
        try {
            send(TestFrames.video(streamId, sequence[streamId]++, captureTimeUs, keyframeFlag, payload));
        } finally {
            payload.release();
        }
    }

    /** Waits until the gateway has handled every frame written so far; its stats then cover all of them. */
    private CameraLinkStats settled() {
        Await.until(() -> link.stats().framesDecoded() == framesSent, WAIT, framesSent + " frames handled");
        return link.stats();
    }

    private List<Long> dtsOf(int streamId) {
        return listener.videos.stream().filter(v -> v.streamId() == streamId).map(RecordingListener.Video::dtsMs)
                .toList();
    }

    @Test
    void keyframeFlagThatDisagreesWithTheNalUnitTypesIsCountedAndTheTypesWin() throws IOException {
        video(0, 1_000_000, true, annexB(P));
        CameraLinkStats s = settled();
        assertEquals(List.of(au(0, 1000, false, true, P)), listener.videos, "flag says key, the slice is not IDR");
        assertEquals(1, s.keyframeFlagMismatches(), s.toString());

        video(0, 1_040_000, false, annexB(IDR));
        s = settled();
        assertEquals(au(0, 1040, true, true, IDR), listener.videos.get(1), "flag says not key, the slice is IDR");
        assertEquals(2, s.keyframeFlagMismatches(), s.toString());

        video(0, 1_080_000, false, annexB(P_NONREF));
        video(0, 1_120_000, true, annexB(IDR));
        s = settled();
        assertEquals(List.of(au(0, 1080, false, false, P_NONREF), au(0, 1120, true, true, IDR)),
                listener.videos.subList(2, 4));
        assertEquals(2, s.keyframeFlagMismatches(), "agreeing flags are not counted: " + s);
        assertEquals(0, s.malformedMessages(), s.toString());
        assertEquals(4, listener.videos.size());
    }

    @Test
    void payloadWithoutStartCodeIsMalformedDeliversNothingAndLosesNothingElse() throws IOException {
        video(0, 1_000_000, true, annexB(IDR));
        video(0, 1_040_000, false, P);                             // a bare NAL unit: no start code at all
        video(0, 1_080_000, false, "12 34 " + annexB(P));          // bytes before the first start code
        video(0, 1_120_000, false, annexB(P));
        CameraLinkStats s = settled();
        assertEquals(List.of(au(0, 1000, true, true, IDR), au(0, 1120, false, true, P)), listener.videos,
                "the frames around the bad ones arrive whole; the bad ones deliver nothing");
        assertEquals(2, s.malformedMessages(), s.toString());
        assertEquals(0, s.keyframeFlagMismatches(), "a message without a picture has no flag to check: " + s);

        video(0, 1_160_000, false, annexB(P));
        settled();
        assertEquals(au(0, 1160, false, true, P), listener.videos.get(2), "nothing of the bad ones is held either");
        assertEquals(3, listener.videos.size());
        assertTrue(listener.disconnected.isEmpty(), "malformed VIDEO never closes the link");
    }

    @Test
    void aBadNalUnitPartWayThroughDropsTheWholeAccessUnit() throws IOException {
        video(0, 1_000_000, true, annexB(IDR));
        video(0, 1_040_000, false, annexB(P, "65"));   // a P slice, then an IDR slice with nothing after its header
        video(0, 1_080_000, false, annexB(P));
        CameraLinkStats s = settled();
        assertEquals(List.of(au(0, 1000, true, true, IDR), au(0, 1080, false, true, P)), listener.videos,
                "no truncated picture is handed on: the message with the bad slice delivers nothing");
        assertEquals(1, s.malformedMessages(), s.toString());
        assertTrue(listener.disconnected.isEmpty());
    }

    @Test
    void dtsIsTheCaptureTimeInMillisecondsRaisedToOneMoreThanThePreviousWhenItDoesNotIncrease() throws IOException {
        video(0, 1_000_000, true, annexB(IDR));
        video(0, 1_040_999, false, annexB(P));   // 1040.999 ms: 1040
        video(0, 1_040_999, false, annexB(P));   // same capture time as the previous: 1041
        video(0, 1_040_500, false, annexB(P));   // earlier still (1040): 1042
        video(0, 1_080_000, false, annexB(P));   // 1080
        video(1, 500_000, true, annexB(IDR));    // stream 1 keeps its own order: 500, not raised past stream 0
        video(1, 540_000, false, annexB(P));
        settled();
        assertEquals(List.of(1000L, 1040L, 1041L, 1042L, 1080L), dtsOf(0));
        assertEquals(List.of(500L, 540L), dtsOf(1));
        for (RecordingListener.Video v : listener.videos) {
            assertEquals(v.dtsMs(), v.ptsMs(), "no picture order to reorder by (no SPS): pts = dts, " + v);
        }
        assertEquals(7, listener.videos.size());
    }

    @Test
    void videoWithOnlyParameterSetsIsJoinedToTheNextPictureAsOneAccessUnit() throws IOException {
        video(0, 1_000_000, true, annexB(SPS, PPS));
        CameraLinkStats s = settled();
        assertTrue(listener.videos.isEmpty(), "parameter sets alone are no access unit: " + listener.videos);
        assertEquals(0, s.malformedMessages(), s.toString());

        video(0, 1_000_000, true, annexB(IDR_MB0));
        video(0, 1_040_000, false, annexB(P_MB0_FN1));
        s = settled();
        assertEquals(List.of(au(0, 1000, true, true, SPS, PPS, IDR_MB0), au(0, 1040, false, true, P_MB0_FN1)),
                listener.videos, "one access unit with SPS, PPS and the IDR slice; the next holds only its slice");
        assertEquals(0, s.keyframeFlagMismatches(), s.toString());
        assertEquals(0, s.malformedMessages(), s.toString());
    }
}
