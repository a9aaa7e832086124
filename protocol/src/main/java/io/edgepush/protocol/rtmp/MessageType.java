package io.edgepush.protocol.rtmp;

/**
 * RTMP message type ids (Adobe RTMP specification 5.4 protocol control messages, 6.1 user control,
 * 7.1 RTMP message types). Ids are the 1-byte "message type id" of the chunk message header.
 */
final class MessageType {
    /** Set Chunk Size (5.4.1): 4-byte chunk size, high bit zero. */
    public static final int SET_CHUNK_SIZE = 1;
    /** Abort Message (5.4.2): 4-byte chunk stream id whose partial message is discarded. */
    public static final int ABORT = 2;
    /** Acknowledgement (5.4.3): 4-byte sequence number = bytes received so far. */
    public static final int ACKNOWLEDGEMENT = 3;
    /** User Control Message (6.2): 2-byte event type + event data. */
    public static final int USER_CONTROL = 4;
    /** Window Acknowledgement Size (5.4.4): 4-byte window size in bytes. */
    public static final int WINDOW_ACK_SIZE = 5;
    /** Set Peer Bandwidth (5.4.5): 4-byte window size + 1-byte limit type. */
    public static final int SET_PEER_BANDWIDTH = 6;
    /** Audio message (7.1.4): body is an FLV AUDIODATA tag body. */
    public static final int AUDIO = 8;
    /** Video message (7.1.5): body is an FLV VIDEODATA tag body. */
    public static final int VIDEO = 9;
    /** Data message, AMF3 encoded (7.1.2). */
    public static final int DATA_AMF3 = 15;
    /** Command message, AMF3 encoded (7.1.1). */
    public static final int COMMAND_AMF3 = 17;
    /** Data message, AMF0 encoded (7.1.2), e.g. "@setDataFrame" "onMetaData". */
    public static final int DATA_AMF0 = 18;
    /** Command message, AMF0 encoded (7.1.1), e.g. connect, _result, onStatus. */
    public static final int COMMAND_AMF0 = 20;

    private MessageType() {
    }

    /** Short readable name of a type id for logs, e.g. "SetChunkSize(1)"; unknown ids give "type(N)". */
    public static String name(int typeId) {
        String name = switch (typeId) {
            case SET_CHUNK_SIZE -> "SetChunkSize";
            case ABORT -> "Abort";
            case ACKNOWLEDGEMENT -> "Acknowledgement";
            case USER_CONTROL -> "UserControl";
            case WINDOW_ACK_SIZE -> "WindowAckSize";
            case SET_PEER_BANDWIDTH -> "SetPeerBandwidth";
            case AUDIO -> "Audio";
            case VIDEO -> "Video";
            case DATA_AMF3 -> "DataAmf3";
            case COMMAND_AMF3 -> "CommandAmf3";
            case DATA_AMF0 -> "DataAmf0";
            case COMMAND_AMF0 -> "CommandAmf0";
            default -> "type";
        };
        return name + "(" + typeId + ")";
    }
}
