package io.edgepush.agent.session;

import io.edgepush.testkit.Fixtures;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.util.List;

/** Plays the repo fixture {@code small.h264} into a session one access unit at a time, 40 ms of capture clock each. */
final class FixtureFeed {
    private final List<List<byte[]>> units = FixtureAccessUnits.read(Fixtures.repoFixture("small.h264"));
    private final StreamSession session;
    private int index;

    FixtureFeed(StreamSession session) {
        this.session = session;
    }

    /** Feeds the next access unit (looping the clip); returns true so it can sit inside an Await condition. */
    boolean next() {
        ByteBuf buf = Unpooled.wrappedBuffer(FixtureAccessUnits.annexB(units.get(index % units.size())));
        try {
            session.onAccessUnit(buf, index * 40_000L);
        } finally {
            buf.release();
        }
        index++;
        return true;
    }

    /** Access units fed so far. */
    int fed() {
        return index;
    }
}
