package io.edgepush.agent.gateway;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.edgepush.agent.gateway.CommandAdmission.Verdict;
import java.util.EnumMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/**
 * {@link CommandAdmission} on an injected clock: the burst is admitted, then the rate; of the rejected commands only a
 * few get a rate_limited ack; each known device has its own buckets, devices without sessions share one.
 */
class CommandAdmissionTest {
    private final AtomicLong nanos = new AtomicLong(5_000_000_000L);
    private final CommandAdmission admission = new CommandAdmission(Set.of("A", "B")::contains, nanos::get);

    private Map<Verdict, Integer> flood(String deviceId, int commands, long stepNanos) {
        Map<Verdict, Integer> counts = new EnumMap<>(Verdict.class);
        for (int i = 0; i < commands; i++) {
            nanos.addAndGet(stepNanos);
            counts.merge(admission.admit(deviceId), 1, Integer::sum);
        }
        return counts;
    }

    @Test
    void aBurstThenTheRateAndFewRateLimitedAcks() {
        Map<Verdict, Integer> first = flood("A", 1000, 0);
        assertEquals(CommandAdmission.COMMAND_BURST, first.get(Verdict.ADMIT));
        assertEquals(CommandAdmission.REJECT_ACK_BURST, first.get(Verdict.REJECT_WITH_ACK));
        assertEquals(1000 - CommandAdmission.COMMAND_BURST - CommandAdmission.REJECT_ACK_BURST,
                first.get(Verdict.REJECT));
        // 10,000 more over 10 s: 20 a second admitted, 1 a second answered rate_limited.
        Map<Verdict, Integer> steady = flood("A", 10_000, 1_000_000);
        assertEquals(200, steady.get(Verdict.ADMIT), 1);
        assertEquals(10, steady.get(Verdict.REJECT_WITH_ACK), 1);
        assertEquals(11_000, admission.admitted() + admission.rejected());
    }

    @Test
    void knownDevicesHaveTheirOwnBucketsUnknownOnesShareOne() {
        flood("A", 1000, 0);
        assertEquals(CommandAdmission.COMMAND_BURST, flood("B", 1000, 0).get(Verdict.ADMIT), "B is not held by A");
        assertEquals(CommandAdmission.COMMAND_BURST, flood("X1", 30, 0).get(Verdict.ADMIT) + flood("X2", 30, 0)
                .get(Verdict.ADMIT), "X1 and X2 (unknown) share one bucket of " + CommandAdmission.COMMAND_BURST);
    }
}
