package io.edgepush.agent.push;

import io.edgepush.testkit.Nginx;
import io.edgepush.testkit.Peers;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * One nginx-rtmp for all tests of a class: register as a static {@code @RegisterExtension} field. Before all tests
 * it requires nginx-rtmp and the named executables ({@link Peers}), then starts nginx; after all tests it stops it.
 */
final class SharedNginx implements BeforeAllCallback, AfterAllCallback {
    private final String[] executables;
    private Nginx nginx;

    /** @param executables peers the tests need besides nginx-rtmp, e.g. "ffprobe" */
    SharedNginx(String... executables) {
        this.executables = executables.clone();
    }

    @Override
    public void beforeAll(ExtensionContext context) {
        Peers.requireNginxRtmp();
        for (String executable : executables) {
            Peers.require(executable);
        }
        nginx = Nginx.start();
    }

    @Override
    public void afterAll(ExtensionContext context) {
        if (nginx != null) {
            nginx.close();
        }
    }

    /** As {@link Nginx#rtmpUrl}. */
    String rtmpUrl(String name) {
        return nginx.rtmpUrl(name);
    }

    /** As {@link Nginx#awaitRecordingClosed}. */
    Path awaitRecordingClosed(String name, Duration timeout) {
        return nginx.awaitRecordingClosed(name, timeout);
    }
}
