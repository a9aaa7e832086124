package io.edgepush.agent.session;

import io.edgepush.testkit.Fixtures;
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
        session.onAccessUnit(FixtureAccessUnits.accessUnit(units.get(index % units.size()), index * 40L));
        index++;
        return true;
    }

    /** Access units fed so far. */
    int fed() {
        return index;
    }
}
