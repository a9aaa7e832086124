package io.edgepush.agent.session;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.edgepush.protocol.net.Transports;
import io.netty.channel.EventLoop;
import io.netty.channel.EventLoopGroup;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * A publish goes on the camera's event loop only when the publishers' own group holds that loop: a loop of another
 * group (a test's private camera server, shut down with it) must not carry the publish.
 */
class RtmpPublisherFactoryLoopTest {
    private final EventLoopGroup shared = Transports.newGroup(2, "shared-test");
    private final EventLoopGroup other = Transports.newGroup(1, "other-test");

    @AfterEach
    void stop() {
        shared.shutdownGracefully(0, 0, java.util.concurrent.TimeUnit.MILLISECONDS);
        other.shutdownGracefully(0, 0, java.util.concurrent.TimeUnit.MILLISECONDS);
    }

    @Test
    void everyLoopOfTheSharedGroupIsHeldAndNoOtherIs() {
        for (int i = 0; i < 4; i++) {
            EventLoop loop = shared.next();
            assertTrue(RtmpPublisherFactory.holds(shared, loop), "loop " + i + " of the shared group");
        }
        assertFalse(RtmpPublisherFactory.holds(shared, other.next()), "a loop of another group");
        assertFalse(RtmpPublisherFactory.holds(null, shared.next()), "no shared group (a private one per publish)");
    }
}
