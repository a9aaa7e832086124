package io.edgepush.agent.gateway;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/**
 * Issue 12 item 5, what {@link CommandParser} refuses from a hostile cloud: a command_id or stream_name over
 * {@link CommandParser#MAX_FIELD_CHARS} characters or with control characters, and error messages that would repeat
 * a huge or multi-line field (they are logged and sent back in the command_ack).
 */
class CommandParserLimitsTest {
    private static final String BIG = "x".repeat(1 << 20);

    @Test
    void aCommandIdOverTheLimitOrWithControlCharactersIsRefusedAndNotEchoed() throws Exception {
        String atLimit = "c".repeat(CommandParser.MAX_FIELD_CHARS);
        assertEquals(atLimit, CommandParser.parse("{\"command\":\"stop\",\"command_id\":\"" + atLimit + "\"}").commandId());
        for (String id : new String[]{atLimit + "c", BIG, "c-1\\nforged=1"}) {
            CommandParseException e = assertThrows(CommandParseException.class,
                    () -> CommandParser.parse("{\"command\":\"stop\",\"command_id\":\"" + id + "\"}"));
            assertNull(e.commandId(), "not echoed");
            assertTrue(e.getMessage().length() < 200, e.getMessage());
        }
    }

    @Test
    void aStreamNameOverTheLimitOrWithControlCharactersIsRefusedWithItsCommandId() {
        for (String name : new String[]{"s".repeat(CommandParser.MAX_FIELD_CHARS + 1), "main\\r\\n"}) {
            CommandParseException e = assertThrows(CommandParseException.class, () -> CommandParser.parse(
                    "{\"command\":\"stop\",\"stream_name\":\"" + name + "\",\"command_id\":\"c-9\"}"));
            assertEquals("c-9", e.commandId());
            assertTrue(e.getMessage().startsWith("stream_name of "), e.getMessage());
        }
    }

    @Test
    void errorMessagesRepeatAtMostAFewCharactersOfThePayload() {
        for (String payload : new String[]{"{\"command\":\"" + BIG + "\"}",
            "{\"command\":\"set_quality\",\"quality\":\"" + BIG + "\"}", "{\"command\":\"a\\nforged=1\"}",
            "{\"command\":\"start\",\"" + BIG}) {
            CommandParseException e = assertThrows(CommandParseException.class, () -> CommandParser.parse(payload));
            assertTrue(e.getMessage().length() <= 512, e.getMessage().length() + " chars");
            assertTrue(e.getMessage().chars().noneMatch(Character::isISOControl), e.getMessage());
        }
    }
}
