package io.edgepush.testkit;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.util.ResourceLeakDetectorFactory;
import java.lang.ref.ReferenceQueue;
import java.lang.ref.WeakReference;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Fails a test class when Netty reports a ByteBuf leak. Registered for every test class through
 * META-INF/services/org.junit.jupiter.api.extension.Extension (surefire enables
 * junit.jupiter.extensions.autodetection.enabled), which loads it before any test runs: its static
 * initializer installs a {@link RecordingLeakDetector} factory before Netty creates its ByteBuf leak
 * detector (on the first buffer allocation).
 *
 * <p>After each class it runs the garbage collector until a sentinel weak reference is cleared, then allocates
 * and releases pooled buffers so Netty's detector processes the collected leaks. A leak is reported against
 * the class during or after which it was detected; the report's access records show where the buffer was
 * used. Tests run at -Dio.netty.leakDetection.level=paranoid so every buffer is tracked.
 */
public final class LeakCheckExtension implements AfterAllCallback {
    private static final List<String> LEAKS = new ArrayList<>();
    private static final int GC_ROUNDS = 3;
    private static final long GC_WAIT_MS = 2000;

    static {
        ResourceLeakDetectorFactory.setResourceLeakDetectorFactory(RecordingLeakDetector.factory(LeakCheckExtension::record));
    }

    /** Public no-arg constructor for JUnit's ServiceLoader. */
    public LeakCheckExtension() {
    }

    @Override
    public void afterAll(ExtensionContext context) {
        collectLeaks();
        List<String> leaks = drain();
        if (!leaks.isEmpty()) {
            throw new AssertionError(leaks.size() + " Netty buffer leak(s) detected after " + context.getDisplayName()
                    + " (a buffer was garbage-collected without release(); it may come from an earlier class):\n"
                    + String.join("\n\n", leaks));
        }
    }

    /** Runs GC and buffer allocations so pending leak reports reach the recording detector. */
    static void collectLeaks() {
        for (int round = 0; round < GC_ROUNDS; round++) {
            awaitGarbageCollection();
            for (int i = 0; i < 16; i++) {
                ByteBuf probe = PooledByteBufAllocator.DEFAULT.buffer(64);
                probe.release();
            }
        }
    }

    /** Removes and returns the leak reports recorded so far. */
    static synchronized List<String> drain() {
        List<String> copy = List.copyOf(LEAKS);
        LEAKS.clear();
        return copy;
    }

    private static synchronized void record(String report) {
        LEAKS.add(report);
    }

    /** Calls System.gc() until a fresh sentinel object has been collected and its reference enqueued. */
    private static void awaitGarbageCollection() {
        ReferenceQueue<Object> queue = new ReferenceQueue<>();
        WeakReference<Object> sentinel = new WeakReference<>(new Object(), queue);
        long deadline = System.nanoTime() + GC_WAIT_MS * 1_000_000;
        try {
            while (queue.remove(20) == null && System.nanoTime() < deadline) {
                System.gc();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        sentinel.clear();
    }
}
