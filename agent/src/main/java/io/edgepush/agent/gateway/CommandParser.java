package io.edgepush.agent.gateway;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.edgepush.agent.config.QualityPreset;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.stream.Collectors;

/**
 * Parses command payloads of {@code devices/{device_id}/stream/command} (DESIGN.md section 3), e.g.
 * {@code {"command":"set_quality","quality":"low","command_id":"c-44"}}. Unknown fields are ignored. The payload
 * comes from the cloud and is not trusted: a command_id or stream_name over {@link #MAX_FIELD_CHARS} characters
 * or with control characters is rejected (such a command_id is not echoed back), and no error message repeats
 * more than {@link #MAX_SHOWN_CHARS} characters of what the payload holds. Stateless.
 */
final class CommandParser {
    /** Longest accepted {@code command_id} and {@code stream_name}, characters. */
    static final int MAX_FIELD_CHARS = 128;
    /** Longest piece of the payload repeated in an error message, characters. */
    static final int MAX_SHOWN_CHARS = 64;
    private static final ObjectMapper JSON = new ObjectMapper();

    private CommandParser() {
    }

    /** Parses a UTF-8 payload; see {@link #parse(String)}. */
    public static Command parse(byte[] payload) throws CommandParseException {
        return parse(new String(payload, StandardCharsets.UTF_8));
    }

    /**
     * @throws CommandParseException malformed JSON, not an object, missing/unknown {@code command},
     *         wrong field types, unknown quality, set_quality without quality
     */
    public static Command parse(String json) throws CommandParseException {
        JsonNode root;
        try {
            root = JSON.readTree(json);
        } catch (JsonProcessingException e) {
            String why = String.valueOf(e.getOriginalMessage());
            throw new CommandParseException("malformed command JSON: " + shown(why, 4 * MAX_SHOWN_CHARS), null);
        }
        if (root == null || !root.isObject()) {
            throw new CommandParseException("command payload must be a JSON object", null);
        }
        JsonNode idNode = root.get("command_id");
        String commandId = idNode != null && idNode.isTextual() ? idNode.asText()
                : idNode != null && idNode.isIntegralNumber() ? idNode.asText() : null;
        if (idNode != null && !idNode.isNull() && commandId == null) {
            throw new CommandParseException("command_id must be a string", null);
        }
        if (commandId != null && !fits(commandId)) {
            throw new CommandParseException("command_id of " + commandId.length() + " characters is over "
                    + MAX_FIELD_CHARS + " or has control characters", null);
        }
        String name = text(root, "command", commandId);
        if (name == null) {
            throw new CommandParseException("missing field \"command\"", commandId);
        }
        Command.Type type = Arrays.stream(Command.Type.values()).filter(t -> t.wireName().equals(name))
                .findFirst().orElseThrow(() -> new CommandParseException("unknown command \""
                        + shown(name, MAX_SHOWN_CHARS) + "\" (valid: "
                        + Arrays.stream(Command.Type.values()).map(Command.Type::wireName)
                        .collect(Collectors.joining(", ")) + ")", commandId));
        String streamName = text(root, "stream_name", commandId);
        if (streamName != null && !fits(streamName)) {
            throw new CommandParseException("stream_name of " + streamName.length() + " characters is over "
                    + MAX_FIELD_CHARS + " or has control characters", commandId);
        }
        String qualityName = text(root, "quality", commandId);
        QualityPreset quality = null;
        if (qualityName != null) {
            try {
                quality = QualityPreset.fromWireName(qualityName);
            } catch (IllegalArgumentException e) {
                throw new CommandParseException("unknown quality \"" + shown(qualityName, MAX_SHOWN_CHARS)
                        + "\" (valid: " + QualityPreset.validNames() + ")", commandId);
            }
        }
        if (type == Command.Type.SET_QUALITY && quality == null) {
            throw new CommandParseException("set_quality needs a \"quality\"", commandId);
        }
        return new Command(type, streamName == null || streamName.isEmpty() ? Command.DEFAULT_STREAM_NAME : streamName,
                quality, commandId);
    }

    /** At most {@link #MAX_FIELD_CHARS} characters, none of them a control character. */
    private static boolean fits(String field) {
        return field.length() <= MAX_FIELD_CHARS && field.chars().noneMatch(Character::isISOControl);
    }

    /** At most {@code max} characters of {@code s}, control characters replaced by '?'. */
    private static String shown(String s, int max) {
        String cut = s.length() > max ? s.substring(0, max) + "..." : s;
        return cut.replaceAll("\\p{Cntrl}", "?");
    }

    private static String text(JsonNode root, String field, String commandId) throws CommandParseException {
        JsonNode v = root.get(field);
        if (v == null || v.isNull()) {
            return null;
        }
        if (!v.isTextual()) {
            throw new CommandParseException("field \"" + field + "\" must be a string, got " + v.getNodeType()
                    .name().toLowerCase(java.util.Locale.ROOT), commandId);
        }
        return v.asText();
    }
}
