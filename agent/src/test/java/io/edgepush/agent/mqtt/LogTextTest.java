package io.edgepush.agent.mqtt;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class LogTextTest {

    @Test
    void longTextIsCutAndControlCharactersCannotForgeALogLine() {
        String longId = "x".repeat(70_000);
        String shown = LogText.cut(longId);
        assertTrue(shown.length() < 300, shown.length() + " chars");
        assertTrue(shown.endsWith("...(70000 chars)"), shown);
        assertEquals("CAM?event=forged", LogText.cut("CAM\nevent=forged"));
        assertNull(LogText.cut(null));
    }

    @Test
    void serverUrlHidesItsQueryAndUserInfo() {
        assertEquals("rtmp://h:1935/live", LogText.serverUrl("rtmp://h:1935/live"));
        assertEquals("rtmp://h/live?***", LogText.serverUrl("rtmp://h/live?token=secret123"));
        assertEquals("rtmps://***", LogText.serverUrl("rtmps://user:pw@h/live"));
        assertEquals("rtmp://***", LogText.serverUrl("rtmp://user:pw@h"));
        assertEquals("rtmp://h/a@b", LogText.serverUrl("rtmp://h/a@b"), "an '@' in the path is no user info");
        assertNull(LogText.serverUrl(null));
    }
}
