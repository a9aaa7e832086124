package io.edgepush.agent.gateway;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.edgepush.agent.config.QualityPreset;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class CommandParserTest {

    @Test
    void parsesEveryCommandOfTheContract() throws Exception {
        assertEquals(new Command(Command.Type.START, "main", QualityPreset.HIGH, "c-42"),
                CommandParser.parse("{\"command\": \"start\", \"quality\": \"high\", \"command_id\": \"c-42\"}"));
        assertEquals(new Command(Command.Type.STOP, "main", null, "c-43"),
                CommandParser.parse("{\"command\": \"stop\", \"command_id\": \"c-43\"}"));
        assertEquals(new Command(Command.Type.SET_QUALITY, "main", QualityPreset.LOW, "c-44"),
                CommandParser.parse("{\"command\": \"set_quality\", \"quality\": \"low\", \"command_id\": \"c-44\"}"));
        assertEquals(new Command(Command.Type.REQUEST_KEYFRAME, "main", null, null),
                CommandParser.parse("{\"command\": \"request_keyframe\"}"));
        assertEquals(new Command(Command.Type.GET_STATUS, "main", null, null),
                CommandParser.parse("{\"command\": \"get_status\"}".getBytes(StandardCharsets.UTF_8)));
    }

    @Test
    void streamNameAndUnknownFields() throws Exception {
        Command c = CommandParser.parse("{\"command\":\"start\",\"stream_name\":\"sub\",\"extra\":{\"a\":1}}");
        assertEquals("sub", c.streamName());
        assertNull(c.quality());
    }

    @Test
    void malformedJsonHasNoCommandId() {
        CommandParseException e = assertThrows(CommandParseException.class, () -> CommandParser.parse("{\"command\":"));
        assertTrue(e.getMessage().startsWith("malformed command JSON"), e.getMessage());
        assertNull(e.commandId());
        assertThrows(CommandParseException.class, () -> CommandParser.parse("[1,2]"));
        assertThrows(CommandParseException.class, () -> CommandParser.parse(""));
    }

    @Test
    void missingCommandKeepsCommandId() {
        CommandParseException e = assertThrows(CommandParseException.class,
                () -> CommandParser.parse("{\"command_id\":\"c-9\"}"));
        assertEquals("missing field \"command\"", e.getMessage());
        assertEquals("c-9", e.commandId());
    }

    @Test
    void unknownCommandListsValidOnes() {
        CommandParseException e = assertThrows(CommandParseException.class,
                () -> CommandParser.parse("{\"command\":\"reboot\",\"command_id\":\"c-1\"}"));
        assertEquals("unknown command \"reboot\" (valid: start, stop, set_quality, request_keyframe, get_status)",
                e.getMessage());
        assertEquals("c-1", e.commandId());
    }

    @Test
    void badQualityWrongTypesAndSetQualityWithoutQuality() {
        CommandParseException e = assertThrows(CommandParseException.class,
                () -> CommandParser.parse("{\"command\":\"set_quality\",\"quality\":\"4k\",\"command_id\":\"x\"}"));
        assertTrue(e.getMessage().startsWith("unknown quality \"4k\""), e.getMessage());
        assertEquals("x", e.commandId());
        e = assertThrows(CommandParseException.class,
                () -> CommandParser.parse("{\"command\":\"set_quality\",\"command_id\":\"y\"}"));
        assertEquals("set_quality needs a \"quality\"", e.getMessage());
        e = assertThrows(CommandParseException.class, () -> CommandParser.parse("{\"command\":5}"));
        assertEquals("field \"command\" must be a string, got number", e.getMessage());
        assertThrows(CommandParseException.class, () -> CommandParser.parse("{\"command\":\"stop\",\"command_id\":{}}"));
    }
}
