package io.edgepush.protocol.amf0;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.edgepush.protocol.amf0.Amf0Exception;
import io.edgepush.protocol.amf0.Amf0Reader;
import io.edgepush.protocol.amf0.Amf0Writer;
import io.edgepush.testkit.TrackingAllocator;
import io.netty.buffer.ByteBuf;
import java.util.List;

/**
 * Fuzz target for the AMF0 decoder (Adobe AMF0 spec, section 2) as fed by an RTMP peer's command messages.
 * Invariants per input: only {@link Amf0Exception} escapes and then the reader index is back where the call
 * started; on success {@link Amf0Reader#readAll} consumed every byte, {@link Amf0Reader#readValue} agrees with
 * its first value, and writing the values with {@link Amf0Writer} and reading them again gives equal values
 * (the writer must accept everything the reader produces); every buffer is released.
 */
class Amf0FuzzTest {

    @FuzzTest
    void readAll(byte[] data) {
        TrackingAllocator alloc = new TrackingAllocator();
        ByteBuf in = alloc.buffer(data.length).writeBytes(data);
        try {
            List<Object> values;
            try {
                values = Amf0Reader.readAll(in);
            } catch (Amf0Exception e) {
                assertEquals(0, in.readerIndex(), "reader index restored after " + e.getMessage());
                return;
            }
            assertEquals(in.writerIndex(), in.readerIndex(), "readAll consumed everything");
            if (!values.isEmpty()) {
                in.readerIndex(0);
                Object first = Amf0Reader.readValue(in);
                assertEquals(values.get(0), first, "readValue agrees with readAll");
            }
            ByteBuf written = alloc.buffer();
            try {
                for (Object value : values) {
                    Amf0Writer.writeValue(written, value);
                }
                assertEquals(values, Amf0Reader.readAll(written), "writer -> reader round trip");
                assertEquals(written.writerIndex(), written.readerIndex(), "round trip consumed everything");
            } finally {
                written.release();
            }
        } finally {
            in.release();
            alloc.assertAllReleased("AMF0 input of " + data.length + " bytes");
        }
    }
}
