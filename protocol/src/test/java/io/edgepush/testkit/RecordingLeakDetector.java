package io.edgepush.testkit;

import io.netty.util.ResourceLeakDetector;
import io.netty.util.ResourceLeakDetectorFactory;
import java.util.function.Consumer;

/**
 * A Netty {@link ResourceLeakDetector} that, besides logging, hands every leak report to a sink, so a test run
 * can fail on leaks instead of only logging them. Netty reports a leak (a tracked object garbage-collected
 * without release) the next time the same detector tracks an object.
 */
public final class RecordingLeakDetector<T> extends ResourceLeakDetector<T> {
    private final Consumer<String> sink;
    private final boolean alsoLog;

    /**
     * @param resourceType the tracked type (ByteBuf.class for buffers)
     * @param samplingInterval Netty's sampling interval (ignored at level PARANOID, which tracks everything)
     * @param sink receives one human-readable report per leak
     * @param alsoLog whether Netty also logs the report at ERROR level (its default behaviour)
     */
    public RecordingLeakDetector(Class<?> resourceType, int samplingInterval, Consumer<String> sink, boolean alsoLog) {
        super(resourceType, samplingInterval);
        this.sink = sink;
        this.alsoLog = alsoLog;
    }

    /** Always report, whatever the logging backend's level (Netty's default asks the logger). */
    @Override
    protected boolean needReport() {
        return true;
    }

    @Override
    protected void reportTracedLeak(String resourceType, String records) {
        sink.accept("LEAK: " + resourceType + ".release() was not called before it was garbage-collected.\n"
                + records);
        if (alsoLog) {
            super.reportTracedLeak(resourceType, records);
        }
    }

    @Override
    protected void reportUntracedLeak(String resourceType) {
        sink.accept("LEAK: " + resourceType + ".release() was not called before it was garbage-collected"
                + " (no access records: run with -Dio.netty.leakDetection.level=paranoid)");
        if (alsoLog) {
            super.reportUntracedLeak(resourceType);
        }
    }

    /** Factory creating {@link RecordingLeakDetector}s that all report into {@code sink} and log. */
    public static ResourceLeakDetectorFactory factory(Consumer<String> sink) {
        return new ResourceLeakDetectorFactory() {
            @Override
            @SuppressWarnings("deprecation")
            public <R> ResourceLeakDetector<R> newResourceLeakDetector(Class<R> resource, int samplingInterval,
                    long maxActive) {
                return new RecordingLeakDetector<>(resource, samplingInterval, sink, true);
            }

            @Override
            public <R> ResourceLeakDetector<R> newResourceLeakDetector(Class<R> resource, int samplingInterval) {
                return new RecordingLeakDetector<>(resource, samplingInterval, sink, true);
            }
        };
    }
}
