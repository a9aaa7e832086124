package io.edgepush.protocol.rtmp;

import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.PooledByteBufAllocator;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;

/** Shared set-up of the publisher tests: scripted servers and publishers closed after each test, test bytes. */
abstract class PublisherTestSupport {
    static final String KEY = "streamkey-secret-123";
    final List<AutoCloseable> cleanup = new ArrayList<>();

    @AfterEach
    void cleanUp() throws Exception {
        for (int i = cleanup.size() - 1; i >= 0; i--) {
            cleanup.get(i).close();
        }
    }

    ScriptedRtmpServer server(ScriptedRtmpServer.Script script) throws InterruptedException {
        ScriptedRtmpServer server = ScriptedRtmpServer.start(script);
        cleanup.add(server);
        return server;
    }

    RtmpPublisher publish(ScriptedRtmpServer server) throws Exception {
        RtmpPublisher publisher = RtmpPublisher.publish(server.url(KEY), RtmpPublisherOptions.defaults())
                .get(10, TimeUnit.SECONDS);
        cleanup.add(publisher);
        return publisher;
    }

    static RtmpException publishFailure(RtmpUrl url, RtmpPublisherOptions options) {
        CompletableFuture<RtmpPublisher> future = RtmpPublisher.publish(url, options);
        ExecutionException e = assertThrows(ExecutionException.class, () -> future.get(10, TimeUnit.SECONDS));
        return assertInstanceOf(RtmpException.class, e.getCause());
    }

    /** Publishes with default options to a scripted server that closes the connection once publish arrives. */
    RtmpException publishFailureWhenClosedOnPublish() throws InterruptedException {
        ScriptedRtmpServer server = server(new ScriptedRtmpServer.Script() {
            @Override
            public void onPublish(ScriptedRtmpServer.Connection c, CommandMessage publish) {
                c.close();
            }
        });
        return publishFailure(server.url(KEY), RtmpPublisherOptions.defaults());
    }

    /** n deterministic bytes in a pooled buffer (caller owns); one bulk write keeps paranoid leak tracking cheap. */
    static ByteBuf bytes(int n, int seed) {
        byte[] a = array(n, seed);
        return PooledByteBufAllocator.DEFAULT.buffer(n).writeBytes(a);
    }

    static byte[] array(int n, int seed) {
        byte[] a = new byte[n];
        for (int i = 0; i < n; i++) {
            a[i] = (byte) (seed + i * 7);
        }
        return a;
    }
}
