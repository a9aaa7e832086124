package io.edgepush.agent.gateway;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.code_intelligence.jazzer.junit.FuzzTest;

/**
 * Fuzz target for {@link CommandParser} as fed by {@code devices/{device_id}/stream/command} payloads (the whole
 * input is the payload). Invariants per input: only {@link CommandParseException} escapes, and its message (logged
 * and sent back in the command_ack) and command_id stay short whatever the payload holds; a parsed command has a
 * type, a non-empty stream name of at most {@link CommandParser#MAX_FIELD_CHARS} characters, a quality when it is
 * set_quality, and a command_id of at most {@link CommandParser#MAX_FIELD_CHARS} characters.
 */
class CommandParserFuzzTest {
    private static final int MAX_MESSAGE_CHARS = 512;

    @FuzzTest
    void parse(byte[] payload) {
        Command c;
        try {
            c = CommandParser.parse(payload);
        } catch (CommandParseException e) {
            assertNotNull(e.getMessage());
            assertTrue(e.getMessage().length() <= MAX_MESSAGE_CHARS, "message of " + e.getMessage().length()
                    + " chars");
            assertTrue(e.commandId() == null || e.commandId().length() <= CommandParser.MAX_FIELD_CHARS);
            return;
        }
        assertNotNull(c.type());
        assertFalse(c.streamName().isEmpty());
        assertTrue(c.streamName().length() <= CommandParser.MAX_FIELD_CHARS);
        assertTrue(c.type() != Command.Type.SET_QUALITY || c.quality() != null, "set_quality without quality");
        assertTrue(c.commandId() == null || c.commandId().length() <= CommandParser.MAX_FIELD_CHARS);
    }
}
