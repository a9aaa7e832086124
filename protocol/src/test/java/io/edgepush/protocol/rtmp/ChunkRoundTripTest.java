package io.edgepush.protocol.rtmp;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.PooledByteBufAllocator;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Writer output fed to the reader, split at random points, across chunk sizes and timestamp patterns. */
class ChunkRoundTripTest {

    private record Sent(int csid, int typeId, int msid, int timestamp, byte[] payload) {
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 2, 127, 128, 129, 4096, 65536})
    void roundTripAcrossChunkSizes(int chunkSize) throws Exception {
        Random random = new Random(chunkSize);
        ChunkWriter writer = new ChunkWriter();
        ChunkReader reader = new ChunkReader(PooledByteBufAllocator.DEFAULT, 1 << 20);
        ByteBuf wire = PooledByteBufAllocator.DEFAULT.buffer();
        List<Sent> sent = new ArrayList<>();
        List<RtmpMessage> received = new ArrayList<>();
        try {
            RtmpMessage setChunkSize = ControlMessages.setChunkSize(PooledByteBufAllocator.DEFAULT, chunkSize);
            writer.write(wire, 2, setChunkSize);
            sent.add(new Sent(2, 1, 0, 0, ByteBufUtil.getBytes(setChunkSize.payload())));
            setChunkSize.release();
            int[] timestamps = {0, 0, 40, 0};
            int maxLength = chunkSize < 100 ? 400 : 9000; // paranoid leak tracking records every buffer access
            for (int i = 0; i < 80; i++) {
                int csid = new int[] {3, 4, 6, 64, 320, 65599}[random.nextInt(6)];
                int typeId = random.nextBoolean() ? 9 : 18;
                int msid = random.nextInt(3);
                int length = random.nextInt(4) == 0 ? random.nextInt(maxLength) : 30;
                int timestamp = switch (random.nextInt(6)) {
                    case 0 -> 0xFFFFFF + random.nextInt(3);
                    case 1 -> random.nextInt();
                    default -> timestamps[i % 4] + i * 33;
                };
                byte[] bytes = new byte[length];
                random.nextBytes(bytes);
                ByteBuf body = PooledByteBufAllocator.DEFAULT.buffer(length).writeBytes(bytes);
                writer.write(wire, csid, typeId, msid, timestamp, body);
                body.release();
                sent.add(new Sent(csid, typeId, msid, timestamp, bytes));
            }
            ByteBuf cumulation = PooledByteBufAllocator.DEFAULT.buffer();
            try {
                while (wire.isReadable()) {
                    int n = Math.min(wire.readableBytes(), 1 + random.nextInt(9000));
                    cumulation.writeBytes(wire, n);
                    reader.read(cumulation, received::add);
                    cumulation.discardReadBytes();
                }
                assertEquals(0, cumulation.readableBytes(), "no bytes left over");
            } finally {
                cumulation.release();
            }
            assertEquals(sent.size(), received.size());
            for (int i = 0; i < sent.size(); i++) {
                Sent s = sent.get(i);
                RtmpMessage r = received.get(i);
                assertEquals(s.typeId(), r.typeId(), "type of message " + i);
                assertEquals(s.msid(), r.messageStreamId(), "msid of message " + i);
                assertEquals(s.timestamp(), r.timestampMs(), "timestamp of message " + i);
                assertArrayEquals(s.payload(), ByteBufUtil.getBytes(r.payload()), "payload " + i);
            }
        } finally {
            wire.release();
            received.forEach(RtmpMessage::release);
            reader.release();
        }
    }

    /** A message larger than the reader's initial payload capacity grows its buffer as chunks arrive. */
    @Test
    void largeMessageRoundTrip() throws Exception {
        ChunkWriter writer = new ChunkWriter();
        writer.setChunkSize(4096);
        ChunkReader reader = new ChunkReader(PooledByteBufAllocator.DEFAULT, 1 << 20);
        byte[] bytes = new byte[300_000];
        new Random(7).nextBytes(bytes);
        ByteBuf body = PooledByteBufAllocator.DEFAULT.buffer(bytes.length).writeBytes(bytes);
        ByteBuf wire = PooledByteBufAllocator.DEFAULT.buffer();
        List<RtmpMessage> received = new ArrayList<>();
        try {
            RtmpMessage setChunkSize = ControlMessages.setChunkSize(PooledByteBufAllocator.DEFAULT, 4096);
            writer.write(wire, 2, setChunkSize);
            setChunkSize.release();
            writer.write(wire, 6, 9, 1, 40, body);
            reader.read(wire, received::add);
            assertEquals(0, wire.readableBytes());
            assertEquals(2, received.size());
            assertEquals(40, received.get(1).timestampMs());
            assertArrayEquals(bytes, ByteBufUtil.getBytes(received.get(1).payload()));
        } finally {
            body.release();
            wire.release();
            received.forEach(RtmpMessage::release);
            reader.release();
        }
    }
}
