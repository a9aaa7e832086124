package io.edgepush.agent.session;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** {@link ConnectionErrors}: failures by code and the reconnects they led to ({@code /metrics}). */
class ConnectionErrorsTest {

    @Test
    void countsFailuresByCodeSortedAndRetriesAsReconnects() {
        ConnectionErrors errors = new ConnectionErrors();
        assertSame(ConnectionErrors.Reading.NONE, errors.read(), "nothing yet");
        errors.record("RTMP_CONNECT_REFUSED", true);
        errors.record("ENDPOINT_ERROR", true);
        errors.record("RTMP_CONNECT_REFUSED", false);
        errors.record(null, true);
        ConnectionErrors.Reading r = errors.read();
        assertEquals(Map.of("ENDPOINT_ERROR", 1L, "RTMP_CONNECT_REFUSED", 2L, "UNKNOWN", 1L), r.byCode());
        assertEquals(List.of("ENDPOINT_ERROR", "RTMP_CONNECT_REFUSED", "UNKNOWN"), List.copyOf(r.byCode().keySet()),
                "sorted by code");
        assertEquals(3, r.reconnects(), "the failure that gave up is no reconnect");
    }

    @Test
    void aReadingIsACopyThatLaterFailuresDoNotChange() {
        ConnectionErrors errors = new ConnectionErrors();
        errors.record("RTMP_TIMEOUT", true);
        ConnectionErrors.Reading before = errors.read();
        errors.record("RTMP_TIMEOUT", true);
        assertEquals(1L, before.byCode().get("RTMP_TIMEOUT"));
        assertEquals(2L, errors.read().byCode().get("RTMP_TIMEOUT"));
        assertThrows(UnsupportedOperationException.class, () -> before.byCode().put("X", 1L));
    }

    @Test
    void codesBeyondTheLimitAreCountedAsOther() {
        ConnectionErrors errors = new ConnectionErrors();
        for (int i = 0; i < 100; i++) {
            errors.record("CLOUD_CODE_" + i, true);
        }
        errors.record("CLOUD_CODE_0", true);
        ConnectionErrors.Reading r = errors.read();
        assertEquals(ConnectionErrors.MAX_CODES, r.byCode().size(), "a bounded number of series");
        assertEquals(100L - (ConnectionErrors.MAX_CODES - 1), r.byCode().get(ConnectionErrors.OTHER));
        assertEquals(2L, r.byCode().get("CLOUD_CODE_0"), "a code counted before the limit keeps counting");
        assertEquals(101, r.byCode().values().stream().mapToLong(Long::longValue).sum(), "no failure lost");
    }
}
