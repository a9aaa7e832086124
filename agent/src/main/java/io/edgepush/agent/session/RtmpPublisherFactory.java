package io.edgepush.agent.session;

import io.edgepush.agent.config.AgentConfig.RtmpTargetConfig;
import io.edgepush.protocol.media.VideoCodec;
import io.edgepush.protocol.rtmp.RtmpException;
import io.edgepush.protocol.rtmp.RtmpPublisher;
import io.edgepush.protocol.rtmp.RtmpPublisherOptions;
import io.edgepush.protocol.rtmp.RtmpUrl;
import io.netty.channel.EventLoop;
import io.netty.channel.EventLoopGroup;
import io.netty.util.concurrent.EventExecutor;
import java.util.concurrent.CompletableFuture;
import java.util.function.Function;

/**
 * Publisher factories per stream target: the gateway's shared RTMP options plus the stream's TLS settings
 * ({@code rtmp.tls_verify}, {@code rtmp.tls_ca_file}). A CA file that cannot be loaded makes every publish of that
 * stream fail with RTMP_TLS_ERROR (policy DO_NOT_RETRY), so the session reports the problem instead of the agent
 * failing to start for every other camera. A stream whose camera sends H.265 announces "hvc1" in connect.
 */
final class RtmpPublisherFactory {
    private RtmpPublisherFactory() {
    }

    /** @param base the shared options (event loop, timeouts) */
    static Function<RtmpTargetConfig, PublisherFactory> perTarget(RtmpPublisherOptions base) {
        return target -> forTarget(base, target);
    }

    static PublisherFactory forTarget(RtmpPublisherOptions base, RtmpTargetConfig target) {
        RtmpPublisherOptions options = base.withTlsVerify(target.tlsVerify());
        if (target.tlsCaFile() != null) {
            try {
                options = options.withTrustedCaFile(target.tlsCaFile());
            } catch (RtmpException e) {
                return url -> CompletableFuture.failedFuture(e);
            }
        }
        RtmpPublisherOptions resolved = options;
        return new PublisherFactory() {
            @Override
            public CompletableFuture<RtmpPublisher> publish(String url) {
                return RtmpPublisher.publish(RtmpUrl.parse(url), resolved);
            }

            @Override
            public CompletableFuture<RtmpPublisher> publish(String url, VideoCodec codec) {
                return RtmpPublisher.publish(RtmpUrl.parse(url), resolved.withFourCcList(codec.fourCcList()));
            }

            @Override
            public CompletableFuture<RtmpPublisher> publish(String url, VideoCodec codec, EventLoop eventLoop) {
                RtmpPublisherOptions options = resolved.withFourCcList(codec.fourCcList());
                if (eventLoop != null && holds(options.eventLoopGroup(), eventLoop)) {
                    options = options.withEventLoopGroup(eventLoop);
                }
                return RtmpPublisher.publish(RtmpUrl.parse(url), options);
            }
        };
    }

    /** True when {@code loop} is one of {@code group}'s (a loop of another group may shut down under the publish). */
    static boolean holds(EventLoopGroup group, EventLoop loop) {
        if (group == null) {
            return false;
        }
        for (EventExecutor executor : group) {
            if (executor == loop) {
                return true;
            }
        }
        return false;
    }
}
