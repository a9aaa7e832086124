package io.edgepush.protocol.flv;

/**
 * FLV tag types (Adobe FLV spec v10.1, E.4.1 FLVTAG, field TagType).
 *
 * <p>The values also match the RTMP message type ids for the same payloads (Adobe RTMP spec 7.1.4 audio = 8,
 * 7.1.5 video = 9, 7.1.2 data AMF0 = 18), which is why an FLV tag body can be sent as an RTMP message as is.
 */
public final class FlvTagType {

    /** Audio tag, body is AUDIODATA (E.4.2). */
    public static final int AUDIO = 8;
    /** Video tag, body is VIDEODATA (E.4.3). */
    public static final int VIDEO = 9;
    /** Script data tag, body is SCRIPTDATA: AMF0 name + value, e.g. onMetaData (E.4.4, E.5). */
    public static final int SCRIPT_DATA = 18;

    private FlvTagType() {
    }

    /** @return true for the three tag types the FLV spec defines (8, 9, 18) */
    public static boolean isValid(int tagType) {
        return tagType == AUDIO || tagType == VIDEO || tagType == SCRIPT_DATA;
    }

    /** @return "audio", "video", "script-data", or "unknown (n)" for error messages */
    public static String name(int tagType) {
        return switch (tagType) {
            case AUDIO -> "audio";
            case VIDEO -> "video";
            case SCRIPT_DATA -> "script-data";
            default -> "unknown (" + tagType + ")";
        };
    }
}
