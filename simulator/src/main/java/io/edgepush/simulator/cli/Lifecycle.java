package io.edgepush.simulator.cli;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs a simulator process until SIGTERM/SIGINT (or a programmatic {@link #stop()}): a JVM shutdown hook closes the
 * registered resources in reverse order, once. Thread-safe.
 */
final class Lifecycle {
    private static final Logger LOG = LoggerFactory.getLogger(Lifecycle.class);
    private static final AtomicBoolean JVM_SHUTTING_DOWN = new AtomicBoolean();

    private final List<AutoCloseable> resources = new ArrayList<>();
    private final CountDownLatch stopped = new CountDownLatch(1);
    private final AtomicBoolean closed = new AtomicBoolean();
    private final Thread hook = new Thread(this::onSignal, "simulator-shutdown");

    /** Registers the shutdown hook. */
    public Lifecycle() {
        Runtime.getRuntime().addShutdownHook(hook);
    }

    /** True once a shutdown hook ran: then the JVM is exiting and {@code System.exit} must not be called. */
    public static boolean jvmShuttingDown() {
        return JVM_SHUTTING_DOWN.get();
    }

    /** Adds a resource closed on stop (last added, first closed). Returns it. */
    public synchronized <T extends AutoCloseable> T add(T resource) {
        resources.add(resource);
        return resource;
    }

    /** Blocks until stopped (signal or {@link #stop()}). */
    public void await() throws InterruptedException {
        stopped.await();
    }

    /** Closes every resource now (from a normal exit path) and removes the hook. Idempotent. */
    public void stop() {
        closeAll();
        try {
            Runtime.getRuntime().removeShutdownHook(hook);
        } catch (IllegalStateException e) {
            LOG.debug("shutdown already in progress");
        }
    }

    private void onSignal() {
        JVM_SHUTTING_DOWN.set(true);
        LOG.info("stopping (signal)");
        closeAll();
    }

    private void closeAll() {
        if (!closed.compareAndSet(false, true)) {
            stopped.countDown();
            return;
        }
        List<AutoCloseable> toClose;
        synchronized (this) {
            toClose = new ArrayList<>(resources);
        }
        for (int i = toClose.size() - 1; i >= 0; i--) {
            try {
                toClose.get(i).close();
            } catch (Exception e) {
                LOG.warn("error while stopping {}: {}", toClose.get(i), e.toString());
            }
        }
        stopped.countDown();
    }
}
