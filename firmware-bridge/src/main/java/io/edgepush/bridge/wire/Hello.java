package io.edgepush.bridge.wire;

import io.netty.buffer.ByteBuf;
import java.util.regex.Pattern;

/**
 * HELLO (type 0x01, camera -> gateway), PROTOCOL.md section 3.1: the first frame of a link.
 *
 * @param deviceId        1..64 bytes of [A-Za-z0-9_.-], e.g. "ESP32P4_CAM_001"
 * @param firmwareVersion free text, 0..64 UTF-8 bytes
 * @param codec           {@link #CODEC_H264} or {@link #CODEC_H265}, 1..16 UTF-8 bytes
 * @param capabilities    u32 bitmask of {@code CAP_*}
 * @param width           main stream width in pixels, u16
 * @param height          main stream height in pixels, u16
 * @param fps             main stream frames per second, u16
 * @param bitrateBps      main stream target bitrate in bits per second, u32
 * @throws IllegalArgumentException when a field is out of range
 */
public record Hello(String deviceId, String firmwareVersion, String codec, long capabilities,
                    int width, int height, int fps, long bitrateBps) implements WireMessage {
    public static final long CAP_SET_BITRATE = 1L;
    public static final long CAP_SET_FPS = 1L << 1;
    public static final long CAP_SET_RESOLUTION = 1L << 2;
    public static final long CAP_SET_PRESET = 1L << 3;
    public static final long CAP_FORCE_IDR = 1L << 4;
    public static final long CAP_START_STOP_ENCODER = 1L << 5;
    public static final long CAP_SUB_STREAM = 1L << 6;
    public static final long CAP_MOTION_EVENTS = 1L << 7;
    /** Codec name of H.264 (VIDEO payloads are H.264 Annex B access units). */
    public static final String CODEC_H264 = "h264";
    /** Codec name of H.265/HEVC (VIDEO payloads are H.265 Annex B access units). */
    public static final String CODEC_H265 = "h265";

    private static final Pattern DEVICE_ID = Pattern.compile("[A-Za-z0-9_.-]{1,64}");

    public Hello {
        if (deviceId == null || !DEVICE_ID.matcher(deviceId).matches()) {
            throw new IllegalArgumentException("device_id must be 1..64 chars of [A-Za-z0-9_.-], got '" + deviceId + "'");
        }
        Strings.utf8(firmwareVersion, 64, "firmware_version");
        if (codec.isEmpty()) {
            throw new IllegalArgumentException("codec must not be empty");
        }
        Strings.utf8(codec, 16, "codec");
        Messages.checkU32(capabilities, "capabilities");
        Messages.checkU16(width, "width");
        Messages.checkU16(height, "height");
        Messages.checkU16(fps, "fps");
        Messages.checkU32(bitrateBps, "bitrate_bps");
    }

    @Override
    public MessageType type() {
        return MessageType.HELLO;
    }

    @Override
    public int payloadLength() {
        return 3 + Strings.utf8(deviceId, 64, "device_id").length + Strings.utf8(firmwareVersion, 64, "")
                .length + Strings.utf8(codec, 16, "").length + 4 + 2 + 2 + 2 + 4;
    }

    @Override
    public void writePayload(ByteBuf out) {
        for (String s : new String[] {deviceId, firmwareVersion, codec}) {
            byte[] b = Strings.utf8(s, 64, "str8");
            out.writeByte(b.length).writeBytes(b);
        }
        out.writeInt((int) capabilities).writeShort(width).writeShort(height).writeShort(fps).writeInt((int) bitrateBps);
    }

    /** Parses a HELLO payload (borrowed); trailing bytes are ignored. @throws WireException if malformed. */
    static Hello read(ByteBuf in) {
        String id = Strings.read(in, 1, "device_id");
        String fw = Strings.read(in, 1, "firmware_version");
        String codec = Strings.read(in, 1, "codec");
        Messages.need(in, 14, "capabilities/width/height/fps/bitrate_bps");
        long caps = in.readUnsignedInt();
        int w = in.readUnsignedShort();
        int h = in.readUnsignedShort();
        int fps = in.readUnsignedShort();
        long bitrate = in.readUnsignedInt();
        try {
            return new Hello(id, fw, codec, caps, w, h, fps, bitrate);
        } catch (IllegalArgumentException e) {
            throw new WireException("HELLO: " + e.getMessage());
        }
    }
}
