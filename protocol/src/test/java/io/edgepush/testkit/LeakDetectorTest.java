package io.edgepush.testkit;

import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.util.ResourceLeakTracker;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

class LeakDetectorTest {
    /** A resource type of our own, so the deliberate leak never reaches the global ByteBuf detector. */
    static final class Resource {
    }

    @Test
    void recordingDetectorReportsAnObjectCollectedWithoutClose() {
        List<String> reports = new CopyOnWriteArrayList<>();
        RecordingLeakDetector<Resource> detector = new RecordingLeakDetector<>(Resource.class, 1, reports::add, false);
        leakOne(detector);
        Await.until(() -> {
            System.gc();
            Resource probe = new Resource();
            ResourceLeakTracker<Resource> tracker = detector.trackForcibly(probe);
            tracker.close(probe);
            return !reports.isEmpty();
        }, Duration.ofSeconds(20), "the detector to report the leaked Resource");
        assertTrue(reports.get(0).contains("Resource.release() was not called"), reports.get(0));
        assertTrue(reports.get(0).contains("deliberately never closed"), reports.get(0));
    }

    @Test
    void extensionInstalledTheRecordingFactoryBeforeTheFirstBuffer() {
        ByteBuf buf = PooledByteBufAllocator.DEFAULT.buffer(16);
        buf.writeInt(42);
        buf.release();
        assertNotNull(io.netty.util.ResourceLeakDetectorFactory.instance());
        assertTrue(io.netty.util.ResourceLeakDetectorFactory.instance().newResourceLeakDetector(Resource.class)
                instanceof RecordingLeakDetector);
    }

    private static void leakOne(RecordingLeakDetector<Resource> detector) {
        ResourceLeakTracker<Resource> tracker = detector.trackForcibly(new Resource());
        tracker.record("deliberately never closed");
    }
}
