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
 * {@code {"command":"set_quality","quality":"low","command_id":"c-44"}}. Unknown fields are ignored.
 */
final class CommandParser {
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
            throw new CommandParseException("malformed command JSON: " + e.getOriginalMessage(), null);
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
        String name = text(root, "command", commandId);
        if (name == null) {
            throw new CommandParseException("missing field \"command\"", commandId);
        }
        Command.Type type = Arrays.stream(Command.Type.values()).filter(t -> t.wireName().equals(name))
                .findFirst().orElseThrow(() -> new CommandParseException("unknown command \"" + name + "\" (valid: "
                        + Arrays.stream(Command.Type.values()).map(Command.Type::wireName)
                        .collect(Collectors.joining(", ")) + ")", commandId));
        String streamName = text(root, "stream_name", commandId);
        String qualityName = text(root, "quality", commandId);
        QualityPreset quality = null;
        if (qualityName != null) {
            try {
                quality = QualityPreset.fromWireName(qualityName);
            } catch (IllegalArgumentException e) {
                throw new CommandParseException(e.getMessage(), commandId);
            }
        }
        if (type == Command.Type.SET_QUALITY && quality == null) {
            throw new CommandParseException("set_quality needs a \"quality\"", commandId);
        }
        return new Command(type, streamName == null || streamName.isEmpty() ? Command.DEFAULT_STREAM_NAME : streamName,
                quality, commandId);
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
