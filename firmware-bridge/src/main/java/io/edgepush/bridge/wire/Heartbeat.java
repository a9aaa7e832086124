package io.edgepush.bridge.wire;

import io.netty.buffer.ByteBuf;

/**
 * HEARTBEAT (type 0x04, both directions), PROTOCOL.md section 3.4.
 *
 * @param uptimeSec     seconds since the sender booted, u32
 * @param droppedFrames access units the camera dropped before sending since connecting, u32 (gateway: 0)
 */
record Heartbeat(long uptimeSec, long droppedFrames) implements WireMessage {
    public Heartbeat {
        Messages.checkU32(uptimeSec, "uptime_s");
        Messages.checkU32(droppedFrames, "dropped_frames");
    }

    @Override
    public MessageType type() {
        return MessageType.HEARTBEAT;
    }

    @Override
    public int payloadLength() {
        return 8;
    }

    @Override
    public void writePayload(ByteBuf out) {
        out.writeInt((int) uptimeSec).writeInt((int) droppedFrames);
    }

    /** Parses a HEARTBEAT payload (borrowed). @throws WireException if shorter than 8 bytes. */
    static Heartbeat read(ByteBuf in) {
        Messages.need(in, 8, "HEARTBEAT payload");
        return new Heartbeat(in.readUnsignedInt(), in.readUnsignedInt());
    }
}
