package io.edgepush.agent.session;

import io.edgepush.agent.config.AgentConfig;
import io.edgepush.agent.quality.EncoderSettings;
import io.edgepush.agent.stream.OutputSettings;

import io.edgepush.agent.session.EndpointSource.Endpoint;
import io.edgepush.agent.session.EndpointSource.FailedEndpoint;
import io.edgepush.protocol.rtmp.RtmpPublisher;
import io.edgepush.protocol.rtmp.RtmpPublisherOptions;
import io.edgepush.protocol.rtmp.RtmpUrl;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.nio.NioEventLoopGroup;

import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * One {@link StreamSession} wired as the gateway wires it: a single-thread control executor, a shared Netty
 * event loop for RTMP, fixed publish URLs, and a recording listener. {@link #close()} closes the session
 * and stops both threads.
 */
final class SessionFixture implements AutoCloseable {
    final ScheduledExecutorService control = Executors.newSingleThreadScheduledExecutor();
    final EventLoopGroup rtmpGroup = new NioEventLoopGroup(1);
    final RecordingSessionListener listener = new RecordingSessionListener();
    final StreamSession session;

    /** @param publishUrls the URLs the endpoint source returns, in failover order */
    SessionFixture(Backoff backoff, String... publishUrls) {
        this(false, backoff, 10_000, publishUrls);
    }

    /** @param serverIdleTimeoutMs the session's wait before re-publishing a name the server still holds */
    SessionFixture(Backoff backoff, long serverIdleTimeoutMs, String... publishUrls) {
        this(false, backoff, serverIdleTimeoutMs, publishUrls);
    }

    /**
     * @param silentAudio the session adds the silent AAC track ({@code rtmp.silent_audio})
     * @param publishUrls the URLs the endpoint source returns, in failover order
     */
    SessionFixture(boolean silentAudio, Backoff backoff, String... publishUrls) {
        this(silentAudio, backoff, 10_000, publishUrls);
    }

    private SessionFixture(boolean silentAudio, Backoff backoff, long serverIdleTimeoutMs, String... publishUrls) {
        this(silentAudio, backoff, serverIdleTimeoutMs, 30_000, new FixedEndpoints(List.of(publishUrls)));
    }

    /**
     * @param stablePeriodMs how long a publish must stay up before the retry count resets
     * @param endpoints      where the session gets its endpoint
     */
    SessionFixture(Backoff backoff, long stablePeriodMs, EndpointSource endpoints) {
        this(false, backoff, 10_000, stablePeriodMs, endpoints);
    }

    private SessionFixture(boolean silentAudio, Backoff backoff, long serverIdleTimeoutMs, long stablePeriodMs,
                           EndpointSource endpoints) {
        this(new SessionSettings("CAM_T", 0, 0, "main", true, false, 25, backoff,
                serverIdleTimeoutMs, silentAudio, stablePeriodMs, 3L * 1024 * 1024, 10_000), endpoints);
    }

    /**
     * A session that keeps probing every {@code backoff}'s longest delay once its retries are exhausted (the
     * unattended triggers' default), with a 30 s stable period.
     */
    static SessionFixture probing(Backoff backoff, String... publishUrls) {
        return new SessionFixture(new SessionSettings("CAM_T", 0, 0, "main", true, false, 25, backoff, 10_000, false,
                30_000, 3L * 1024 * 1024, 10_000, false, AgentConfig.AbrController.EDGE,
                OutputSettings.DEFAULT_TARGET_LATENCY_MS, EncoderSettings.NONE, 0, true),
                new FixedEndpoints(List.of(publishUrls)));
    }

    private SessionFixture(SessionSettings settings, EndpointSource endpoints) {
        RtmpPublisherOptions options = RtmpPublisherOptions.defaults().withEventLoopGroup(rtmpGroup)
                .withConnectTimeoutMs(5000);
        PublisherFactory publishers = url -> RtmpPublisher.publish(RtmpUrl.parse(url), options);
        session = new StreamSession(settings, "high", endpoints, publishers, control,
                listener);
    }

    @Override
    public void close() throws InterruptedException {
        try {
            session.stop().get(10, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new AssertionError("stop at the end of the test failed", e);
        } finally {
            session.close();
            control.shutdownNow();
            control.awaitTermination(5, TimeUnit.SECONDS);
            rtmpGroup.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
        }
    }

    /** An endpoint source with fixed URLs that never asks the cloud (like the config's {@code rtmp.urls}). */
    static final class FixedEndpoints implements EndpointSource {
        private final Endpoint endpoint;

        FixedEndpoints(List<String> urls) {
            this.endpoint = new Endpoint(urls, null, 0);
        }

        @Override
        public CompletableFuture<Endpoint> resolve(String quality, boolean supportsAdaptive, FailedEndpoint previousFailure) {
            return CompletableFuture.completedFuture(endpoint);
        }

        @Override
        public boolean asksCloud() {
            return false;
        }
    }
}
