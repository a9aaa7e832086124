package io.edgepush.agent.mqtt;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.edgepush.testkit.Await;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * {@link DispatchQueue} while its thread is held: messages beyond {@value DispatchQueue#MAX_QUEUED_MESSAGES} or
 * {@value DispatchQueue#MAX_QUEUED_BYTES} bytes are dropped and counted, link tasks are not, and the backlog frees
 * up as the thread works through it.
 */
class DispatchQueueTest {
    private static final Duration WAIT = Duration.ofSeconds(10);

    @Test
    void aFullBacklogDropsMessagesButNotLinkTasks() throws Exception {
        DispatchQueue q = new DispatchQueue();
        CountDownLatch hold = new CountDownLatch(1);
        AtomicInteger handled = new AtomicInteger();
        try {
            assertTrue(q.offerMessage("t", 1, () -> await(hold)));
            for (int i = 1; i < DispatchQueue.MAX_QUEUED_MESSAGES; i++) {
                assertTrue(q.offerMessage("t", 1, handled::incrementAndGet), "message " + i);
            }
            assertFalse(q.offerMessage("t", 1, handled::incrementAndGet), "one over the count");
            AtomicInteger tasks = new AtomicInteger();
            q.execute(tasks::incrementAndGet);
            assertEquals(1, q.dropped());
            assertEquals(DispatchQueue.MAX_QUEUED_MESSAGES, q.highWater());
            hold.countDown();
            Await.until(() -> tasks.get() == 1, WAIT, "the link task ran");
            assertEquals(DispatchQueue.MAX_QUEUED_MESSAGES - 1, handled.get());
            assertTrue(q.offerMessage("t", 1, handled::incrementAndGet), "room again once worked through");
        } finally {
            hold.countDown();
            q.shutdown();
        }
    }

    @Test
    void messagesOverTheByteBudgetAreDropped() {
        DispatchQueue q = new DispatchQueue();
        CountDownLatch hold = new CountDownLatch(1);
        try {
            assertFalse(q.offerMessage("t", (int) DispatchQueue.MAX_QUEUED_BYTES + 1, () -> { }), "alone too big");
            assertTrue(q.offerMessage("t", (int) DispatchQueue.MAX_QUEUED_BYTES / 2, () -> await(hold)));
            assertTrue(q.offerMessage("t", (int) DispatchQueue.MAX_QUEUED_BYTES / 2, () -> { }));
            assertFalse(q.offerMessage("t", 1, () -> { }), "one byte over the budget");
            assertEquals(2, q.dropped());
        } finally {
            hold.countDown();
            q.shutdown();
        }
    }

    @Test
    void afterShutdownMessagesAreRefused() {
        DispatchQueue q = new DispatchQueue();
        q.shutdown();
        assertFalse(q.offerMessage("t", 1, () -> { }));
        q.execute(() -> { }); // ignored, no exception
        assertEquals(0, q.dropped(), "refused while closing is not a drop");
    }

    private static void await(CountDownLatch latch) {
        try {
            latch.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
