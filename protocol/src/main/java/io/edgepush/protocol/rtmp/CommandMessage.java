package io.edgepush.protocol.rtmp;

import io.edgepush.protocol.amf0.Amf0;
import io.edgepush.protocol.amf0.Amf0Exception;
import io.netty.buffer.ByteBuf;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;

/**
 * An AMF0 command message (Adobe RTMP specification 7.1.1, 7.2): command name, transaction id, command object
 * (often null) and further arguments, all AMF0 values as produced by {@link Amf0#readValue}.
 *
 * @param name          command name, e.g. "connect", "_result", "onStatus"
 * @param transactionId transaction id (0 for commands that expect no reply)
 * @param commandObject the command object (a Map) or null
 * @param arguments     the values after the command object, possibly empty
 */
public record CommandMessage(String name, double transactionId, Object commandObject, List<Object> arguments) {

    /** Copies the arguments into an unmodifiable list (AMF0 null arguments allowed). */
    public CommandMessage {
        arguments = Collections.unmodifiableList(new ArrayList<>(arguments));
    }

    /**
     * Decodes an AMF0 command payload (borrowed, not consumed). Tolerant of what real servers send: a missing
     * or non-number transaction id reads as 0 (FFmpeg's listen mode sends a bare "onFCPublish" string), and
     * values after one that cannot be decoded (an AMF0 type the reader does not support, or truncation) are
     * dropped, so an unusual info object cannot break the command flow.
     *
     * @throws IllegalArgumentException if the payload does not start with a string command name
     */
    public static CommandMessage decode(ByteBuf payload) {
        ByteBuf in = payload.duplicate();
        List<Object> values = new ArrayList<>();
        try {
            while (in.isReadable()) {
                values.add(Amf0.readValue(in));
            }
        } catch (Amf0Exception e) {
            if (values.isEmpty()) {
                throw new IllegalArgumentException("command message is not valid AMF0: " + e.getMessage(), e);
            }
        }
        if (values.isEmpty() || !(values.get(0) instanceof String name)) {
            throw new IllegalArgumentException("command message does not start with a command name string");
        }
        double transactionId = values.size() > 1 && values.get(1) instanceof Double d ? d : 0;
        Object commandObject = values.size() > 2 ? values.get(2) : null;
        List<Object> args = values.size() > 3 ? values.subList(3, values.size()) : List.of();
        return new CommandMessage(name, transactionId, commandObject, args);
    }

    /** Writes name, transaction id, command object and arguments as AMF0 into {@code out} (borrowed). */
    public void encode(ByteBuf out) {
        Amf0.writeString(out, name);
        Amf0.writeNumber(out, transactionId);
        Amf0.writeValue(out, commandObject);
        for (Object argument : arguments) {
            Amf0.writeValue(out, argument);
        }
    }

    /** Argument {@code index} (0 = first value after the command object), or null when absent. */
    public Object argument(int index) {
        return index < arguments.size() ? arguments.get(index) : null;
    }

    /**
     * A string property of the first Map among the arguments (the "info object" of _result/_error/onStatus,
     * 7.2.1.1, 7.2.2.x), or of the command object if no argument is a Map; null if absent.
     */
    public String infoString(String key) {
        for (Object argument : arguments) {
            if (argument instanceof Map<?, ?> info) {
                return info.get(key) instanceof String s ? s : null;
            }
        }
        if (commandObject instanceof Map<?, ?> info && info.get(key) instanceof String s) {
            return s;
        }
        return null;
    }

    @Override
    public String toString() {
        return name + "(tid=" + (long) transactionId + ")";
    }
}
