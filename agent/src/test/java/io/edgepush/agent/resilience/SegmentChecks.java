package io.edgepush.agent.resilience;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.edgepush.testkit.Ffprobe;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;

/**
 * What every recorded segment of a resumed stream must be (issue 5, "Resuming cleanly"): its first video tag is
 * the AVC sequence header and the first coded picture after it a keyframe, ffmpeg decodes it without a single
 * error, and its DTS rise strictly. The FLV structure is walked by hand from the FLV spec v10.1 (E.2 header, E.3
 * body, E.4.1 tag header, E.4.3.1 VIDEODATA), independent of the project's own FLV code; ffprobe/ffmpeg judge the
 * rest.
 */
public final class SegmentChecks {
    private static final int FLV_TAG_VIDEO = 9;
    /** VIDEODATA byte 0: FrameType 1 (keyframe) in the high nibble, CodecID 7 (AVC) in the low nibble. */
    private static final int AVC_KEYFRAME = 0x17;
    private static final int AVC_SEQUENCE_HEADER = 0;
    private static final int AVC_NALU = 1;

    private SegmentChecks() {
    }

    /**
     * Asserts the segment starts clean and decodes clean (see the class comment).
     *
     * @param what names the segment in failure messages
     */
    static void assertCleanSegment(Path flv, String what) {
        List<byte[]> heads = videoTagHeads(flv, 2);
        assertEquals(2, heads.size(), what + ": at least a sequence header and one picture in " + flv);
        assertEquals(AVC_KEYFRAME, heads.get(0)[0] & 0xFF, what + ": first video tag is AVC 'keyframe' type ("
                + hex(heads.get(0)) + ")");
        assertEquals(AVC_SEQUENCE_HEADER, heads.get(0)[1], what + ": first video tag is the AVC sequence header ("
                + hex(heads.get(0)) + ")");
        assertEquals(AVC_KEYFRAME, heads.get(1)[0] & 0xFF, what + ": first picture is a keyframe ("
                + hex(heads.get(1)) + ")");
        assertEquals(AVC_NALU, heads.get(1)[1], what + ": first picture is an AVC NALU tag ("
                + hex(heads.get(1)) + ")");
        assertEquals("", Ffprobe.decodeErrors(flv), what + ": ffmpeg decode errors in " + flv);
        List<Ffprobe.Packet> packets = Ffprobe.packets(flv);
        assertTrue(packets.get(0).keyframe(), what + ": ffprobe sees a keyframe first");
        for (int i = 1; i < packets.size(); i++) {
            assertTrue(packets.get(i).dtsMs() > packets.get(i - 1).dtsMs(), what + ": DTS rises strictly at packet "
                    + i + ": " + packets.get(i - 1) + " then " + packets.get(i));
        }
    }

    /**
     * The first two bytes (FrameType/CodecID, AVCPacketType) of the first {@code limit} video tags, in file order.
     */
    public static List<byte[]> videoTagHeads(Path flv, int limit) {
        byte[] b;
        try {
            b = Files.readAllBytes(flv);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + flv, e);
        }
        if (b.length < 9 || b[0] != 'F' || b[1] != 'L' || b[2] != 'V') {
            fail(flv + " is not an FLV file (" + b.length + " bytes)");
        }
        int pos = (int) u32(b, 5) + 4; // DataOffset, then PreviousTagSize0
        List<byte[]> heads = new ArrayList<>();
        while (heads.size() < limit && pos + 11 <= b.length) {
            int type = b[pos] & 0x1F;
            int dataSize = (int) (u32(b, pos) & 0xFFFFFF); // TagType UI8, DataSize UI24
            int data = pos + 11;
            if (data + dataSize > b.length) {
                break; // a tag cut by the end of the file (the server stopped mid-write)
            }
            if (type == FLV_TAG_VIDEO && dataSize >= 2) {
                heads.add(new byte[] {b[data], b[data + 1]});
            }
            pos = data + dataSize + 4;
        }
        return heads;
    }

    private static long u32(byte[] b, int at) {
        return ((b[at] & 0xFFL) << 24) | ((b[at + 1] & 0xFFL) << 16) | ((b[at + 2] & 0xFFL) << 8) | (b[at + 3] & 0xFFL);
    }

    private static String hex(byte[] bytes) {
        return HexFormat.of().formatHex(bytes);
    }
}
