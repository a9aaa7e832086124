package io.edgepush.protocol.rtmp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import org.junit.jupiter.api.Test;

/**
 * Masking of stream keys and tokens, DESIGN.md section 3: "never published or logged in full (mask all but the
 * first 4 characters)". Expected strings written by hand.
 */
class SecretsTest {

    @Test
    void maskKeepsTheFirstFourCharacters() {
        assertEquals("your***", Secrets.mask("your_stream_key"));
        assertEquals("abcd***", Secrets.mask("abcde"));
    }

    @Test
    void maskHidesShortSecretsEntirely() {
        assertEquals("***", Secrets.mask("abcd"));
        assertEquals("***", Secrets.mask("abc"));
        assertEquals("***", Secrets.mask("a"));
        assertEquals("***", Secrets.mask(""));
    }

    @Test
    void maskOfNullIsNull() {
        assertNull(Secrets.mask(null));
    }

    @Test
    void maskUrlMasksTheStreamKey() {
        assertEquals("rtmp://live.example.com/live/your***",
                Secrets.maskUrl("rtmp://live.example.com/live/your_stream_key"));
        assertEquals("rtmp://h:1936/live/secr***", Secrets.maskUrl("rtmp://h:1936/live/secretkey42"));
        assertEquals("rtmps://h/app/inst/shor***", Secrets.maskUrl("rtmps://h/app/inst/shortkey"));
        assertEquals("rtmp://h/live/***", Secrets.maskUrl("rtmp://h/live/abcd"));
    }

    @Test
    void maskUrlHidesTheQueryStringWithTheKey() {
        assertEquals("rtmps://h/app/inst/shor***", Secrets.maskUrl("rtmps://h/app/inst/shortkey?token=x"));
        assertEquals("rtmp://h/live/ab?t***", Secrets.maskUrl("rtmp://h/live/ab?token=secret"));
    }

    @Test
    void maskUrlOfAStringThatDoesNotParseMasksEverythingAfterTheLastSlash() {
        assertEquals("http://h/live/secr***", Secrets.maskUrl("http://h/live/secretkey42"));
        assertEquals("rtmp://h:0/live/secr***", Secrets.maskUrl("rtmp://h:0/live/secretkey42"));
        assertEquals("rtmp://h/***", Secrets.maskUrl("rtmp://h/live"));
        assertEquals("secr***", Secrets.maskUrl("secretkey42"));
        assertEquals("***", Secrets.maskUrl(""));
        assertEquals("***", Secrets.maskUrl("/"));
    }

    @Test
    void maskUrlOfAStringThatDoesNotParseHidesQueryTrailingSlashAndUserInfo() {
        assertEquals("rtmp://h:0/live/key?***", Secrets.maskUrl("rtmp://h:0/live/key?t=a/b"));
        assertEquals("rtmp://h/live/secr***", Secrets.maskUrl("rtmp://h/live/secretkey42/"));
        assertEquals("rtmp://h/live/secr***", Secrets.maskUrl("rtmp://h/live/secretkey42//"));
        assertEquals("rtmp***", Secrets.maskUrl("rtmp://user:pw@h/live/key"));
    }

    @Test
    void maskUrlOfNullIsNull() {
        assertNull(Secrets.maskUrl(null));
    }

    @Test
    void maskInReplacesEveryOccurrence() {
        assertEquals("publish rtmp://h/live/secr*** refused",
                Secrets.maskIn("publish rtmp://h/live/secret_key refused", "secret_key"));
        assertEquals("Stream secr*** already publishing, secr*** busy",
                Secrets.maskIn("Stream secret_key already publishing, secret_key busy", "secret_key"));
        assertEquals("nothing to hide", Secrets.maskIn("nothing to hide", "secret_key"));
        assertEquals("", Secrets.maskIn("", "secret_key"));
    }

    @Test
    void maskInHidesAShortSecretEvenInsideWords() {
        assertEquals("no ***, mon***", Secrets.maskIn("no key, monkey", "key"));
        assertEquals("token ***", Secrets.maskIn("token abcd", "abcd"));
    }

    @Test
    void maskInLeavesTheTextAloneWithoutASecret() {
        assertNull(Secrets.maskIn(null, "secret_key"));
        assertEquals("key secret_key", Secrets.maskIn("key secret_key", null));
        assertEquals("key secret_key", Secrets.maskIn("key secret_key", ""));
    }
}
