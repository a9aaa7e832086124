package io.edgepush.protocol.flv;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.edgepush.testkit.HexBytes;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FlvRecordingTeeTest {
    @TempDir
    Path dir;

    private final List<String> passedOn = new ArrayList<>();
    private final AvcFlvMuxer.TagSink next = (tagType, timestampMs, body) -> {
        passedOn.add(tagType + " " + timestampMs + " " + ByteBufUtil.hexDump(body));
        body.release();
    };

    @Test
    void fileGetsPlainOnMetaDataWhileTheNextSinkKeepsSetDataFrame() throws IOException {
        Path flv = dir.resolve("t.flv");
        // AMF0 string "@setDataFrame", AMF0 string "onMetaData", AMF0 null (a stand-in for the ECMA array)
        String script = "02 00 0d 40 73 65 74 44 61 74 61 46 72 61 6d 65  02 00 0a 6f 6e 4d 65 74 61 44 61 74 61  05";
        try (FlvFileWriter writer = new FlvFileWriter(flv, true, false)) {
            FlvRecordingTee tee = new FlvRecordingTee(writer, next);
            tee.onTag(FlvTagType.SCRIPT_DATA, 0, HexBytes.buf(script));
            tee.onTag(FlvTagType.VIDEO, 40, HexBytes.buf("27 01 00 00 28"));
        }
        List<FlvTag> tags = FlvFileReader.readAll(flv);
        assertEquals(HexBytes.hex("02 00 0a 6f 6e 4d 65 74 61 44 61 74 61 05"), ByteBufUtil.hexDump(tags.get(0).body()));
        assertEquals(HexBytes.hex("27 01 00 00 28"), ByteBufUtil.hexDump(tags.get(1).body()));
        assertEquals(40, tags.get(1).timestampMs());
        assertEquals(List.of("18 0 " + HexBytes.hex(script), "9 40 " + HexBytes.hex("27 01 00 00 28")), passedOn);
    }

    @Test
    void writeFailureReleasesTheBodyAndPassesNothingOn() throws IOException {
        FlvFileWriter writer = new FlvFileWriter(dir.resolve("closed.flv"), true, false);
        writer.close();
        FlvRecordingTee tee = new FlvRecordingTee(writer, next);
        ByteBuf body = HexBytes.buf("27 01 00 00 28");
        UncheckedIOException e = assertThrows(UncheckedIOException.class, () -> tee.onTag(FlvTagType.VIDEO, 0, body));
        assertEquals("cannot write the FLV recording: FLV writer is closed", e.getMessage());
        assertEquals(0, body.refCnt(), "body released");
        assertEquals(List.of(), passedOn);
    }

    @Test
    void invalidTagTypeReleasesTheBody() throws IOException {
        try (FlvFileWriter writer = new FlvFileWriter(dir.resolve("bad.flv"), true, false)) {
            FlvRecordingTee tee = new FlvRecordingTee(writer, next);
            ByteBuf body = HexBytes.buf("00");
            assertThrows(IllegalArgumentException.class, () -> tee.onTag(7, 0, body));
            assertEquals(0, body.refCnt());
        }
    }
}
