package io.edgepush.agent.session;

import io.edgepush.agent.session.EndpointSource.Endpoint;
import io.edgepush.protocol.media.VideoCodec;
import io.edgepush.protocol.rtmp.RtmpPublisher;
import io.edgepush.protocol.rtmp.Secrets;
import io.netty.channel.EventLoop;
import java.util.concurrent.CompletableFuture;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A {@link StreamSession} as its helpers {@link PublishMove} and {@link EndpointRefresh} see it: adapters that
 * forward to the session, its {@link StaleAnswerFilter} and its other parts. Called on the control thread only.
 */
final class SessionHosts {
    /** The session's own logger: the lines logged here are the session's. */
    private static final Logger log = LoggerFactory.getLogger(StreamSession.class);

    private SessionHosts() {
    }

    /** The session as {@link PublishMove} sees it. */
    static final class MoveHost implements PublishMove.Host {
        private final StreamSession session;
        private final StaleAnswerFilter answers;

        MoveHost(StreamSession session, StaleAnswerFilter answers) {
            this.session = session;
            this.answers = answers;
        }

        @Override
        public RtmpPublisher publisher() {
            return session.publisher();
        }

        @Override
        public VideoCodec codec() {
            return session.codec();
        }

        @Override
        public EventLoop cameraLoop() {
            return session.camera().eventLoop();
        }

        @Override
        public <T> CompletableFuture<T> onControl(CompletableFuture<T> answer, boolean closeStalePublisher) {
            return answers.onControl(answer, closeStalePublisher);
        }

        @Override
        public void adopt(RtmpPublisher next, String url) {
            session.adopt(next, url);
        }
    }

    /** The session as {@link EndpointRefresh} sees it. */
    static final class RefreshHost implements EndpointRefresh.Host {
        private final StreamSession session;
        private final SessionEncoder encoder;
        private final PublishMove move;
        private final SessionListener listener;

        RefreshHost(StreamSession session, SessionEncoder encoder, PublishMove move, SessionListener listener) {
            this.session = session;
            this.encoder = encoder;
            this.move = move;
            this.listener = listener;
        }

        @Override
        public boolean streaming() {
            return session.state() == SessionState.STREAMING && session.publisher() != null;
        }

        @Override
        public String publishUrl() {
            return session.publishUrl();
        }

        @Override
        public String quality() {
            return session.quality();
        }

        @Override
        public boolean supportsAdaptive() {
            return encoder.supportsAdaptive();
        }

        @Override
        public CompletableFuture<Void> moveTo(String url) {
            return move.moveTo(url);
        }

        @Override
        public void refreshed(String url, Endpoint next) {
            long expiresAtSec = next.expiresAtEpochSec();
            log.info("event=endpoint_refreshed device_id={} stream_name={} url={} expires_at={}", session.deviceId(),
                    session.streamName(), Secrets.maskUrl(url), expiresAtSec);
            session.useEndpoint(next);
            listener.endpointRefreshed(session, url, expiresAtSec);
        }
    }
}
