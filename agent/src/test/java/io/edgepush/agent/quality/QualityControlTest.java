package io.edgepush.agent.quality;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.edgepush.agent.config.QualityPreset;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Where the ask comes from and why it changes: commands, endpoint caps, the bitrate controller. */
class QualityControlTest {
    private record Change(EncoderSettings previous, EncoderSettings next, QualityControl.Reason reason) {
    }

    private final List<Change> changes = new ArrayList<>();

    private QualityControl control(QualityPreset preset, boolean adaptive) {
        return new QualityControl("CAM", "main", preset, EncoderSettings.NONE, adaptive,
                new EdgeBitrateController(), (p, n, r) -> changes.add(new Change(p, n, r)));
    }

    @Test
    void setQualityChangesTheAskWithReasonCommand() {
        QualityControl q = control(QualityPreset.HIGH, true);
        assertEquals(EncoderSettings.of(QualityPreset.HIGH), q.asked());
        q.setPreset(QualityPreset.LOW);
        assertEquals(1, changes.size());
        assertEquals(EncoderSettings.of(QualityPreset.HIGH), changes.get(0).previous());
        assertEquals(EncoderSettings.of(QualityPreset.LOW), changes.get(0).next());
        assertEquals(QualityControl.Reason.COMMAND, changes.get(0).reason());
        q.setPreset(QualityPreset.LOW);
        assertEquals(1, changes.size(), "the same ask again is no change");
    }

    @Test
    void theAskMovesInWholeKbpsSoEveryAbrEventShowsAChange() {
        long[] proposedBps = {0};
        QualityControl q = new QualityControl("CAM", "main", QualityPreset.MEDIUM, EncoderSettings.NONE, true,
                new BitrateController() {
                    @Override
                    public void reset(long startBps) {
                    }

                    @Override
                    public long onSample(LinkSample sample) {
                        return proposedBps[0];
                    }
                }, (p, n, r) -> changes.add(new Change(p, n, r)));
        q.started();
        changes.clear();
        long ceilingBps = q.reading().ceilingBps();
        long now = 0;
        proposedBps[0] = ceilingBps - 300_000;
        q.onUplink(now += QualityControl.TICK_MS, 100, 0, true);
        assertEquals(1, changes.size());
        assertEquals(ceilingBps - 300_000, q.asked().bitrateBps());
        proposedBps[0] = ceilingBps - 300_000 + 400; // 0.4 kbit/s up: the same whole kbit/s
        q.onUplink(now += QualityControl.TICK_MS, 100, 0, true);
        assertEquals(1, changes.size(), "no ask for less than 1 kbit/s");
        proposedBps[0] = ceilingBps - 300_000 + 1_600; // 1.6 kbit/s up: 2 kbit/s
        q.onUplink(now += QualityControl.TICK_MS, 100, 0, true);
        assertEquals(2, changes.size());
        Change up = changes.get(1);
        assertEquals(QualityControl.Reason.ABR_UP, up.reason());
        assertEquals(ceilingBps - 298_000, up.next().bitrateBps(), "rounded to whole kbit/s");
        for (Change c : changes) {
            assertTrue(c.next().bitrateKbps() != c.previous().bitrateKbps(), "every event shows a change: " + c);
        }
    }

    @Test
    void anEndpointCapBelowThePresetIsReportedAsEndpointCap() {
        QualityControl q = control(QualityPreset.HIGH, true);
        q.started();
        q.setEndpointCaps(1_500_000, 20);
        assertEquals(QualityControl.Reason.ENDPOINT_CAP, changes.get(changes.size() - 1).reason());
        assertEquals(new EncoderSettings(1920, 1080, 20, 1_500_000), q.asked());
        assertEquals(1_500_000, q.reading().ceilingBps());
    }

    @Test
    void theControllerStepsDownAndUpWithAbrReasons() {
        QualityControl q = control(QualityPreset.HIGH, true);
        q.started();
        long delivered = 0;
        long now = 0;
        for (int i = 0; i < 6; i++) { // congestion on a 1.2 Mbit/s link: the queue grows from a 100 ms round trip
            now += QualityControl.TICK_MS;
            delivered += 1_200_000 / 8 / 4;
            q.onUplink(now, 100 + 150L * i, delivered, true);
        }
        Change down = changes.get(changes.size() - 1);
        assertEquals(QualityControl.Reason.ABR_DOWN, down.reason());
        assertTrue(q.asked().bitrateBps() < 1_200_000, "below the link: " + q.asked());
        assertEquals(QualityPlan.ask(QualityPreset.HIGH, EncoderSettings.NONE, 0, 0, q.asked().bitrateBps()),
                q.asked(), "resolution and fps follow the bitrate as QualityPlan says");
        assertTrue(q.asked().width() < 1920, "below 2/3 of HIGH: a smaller shape");
        for (int i = 0; i < 400; i++) { // a wide open link
            now += QualityControl.TICK_MS;
            delivered += q.asked().bitrateBps() / 8 / 4;
            q.onUplink(now, 20, delivered, true);
        }
        assertEquals(QualityControl.Reason.ABR_UP, changes.get(changes.size() - 1).reason());
        assertEquals(EncoderSettings.of(QualityPreset.HIGH), q.asked(), "back to the preset");
    }

    @Test
    void aLongRoundTripIsNotTakenForAQueue() {
        QualityControl q = control(QualityPreset.HIGH, true);
        q.started();
        long delivered = 0;
        for (int i = 1; i <= 200; i++) { // 50 s at the full bitrate, 240 ms always on its way
            delivered += 2_000_000 / 8 / 4;
            q.onUplink(i * QualityControl.TICK_MS, 240 + (i % 4) * 20, delivered, true);
        }
        assertEquals(EncoderSettings.of(QualityPreset.HIGH), q.asked(), "no step down: " + changes);
    }

    @Test
    void withoutAdaptiveBitrateOrWhileCatchingUpReadingsChangeNothing() {
        QualityControl off = control(QualityPreset.HIGH, false);
        off.started();
        QualityControl catchingUp = control(QualityPreset.HIGH, true);
        catchingUp.started();
        changes.clear();
        for (int i = 1; i <= 20; i++) {
            off.onUplink(i * 250L, 2000, i * 10_000L, true);
            catchingUp.onUplink(i * 250L, 2000, i * 10_000L, false);
        }
        assertEquals(List.of(), changes);
        assertNull(off.reading().confirmed());
    }

    @Test
    void aConfirmationKeepsTheFieldsItDoesNotCarry() {
        QualityControl q = control(QualityPreset.MEDIUM, true);
        q.confirmed(EncoderSettings.NONE);
        assertNull(q.reading().confirmed(), "a camera that confirmed nothing");
        q.confirmed(new EncoderSettings(1280, 720, 20, 1_000_000));
        q.confirmed(new EncoderSettings(0, 0, 15, 800_000)); // only fps and bitrate were asked
        assertEquals(new EncoderSettings(1280, 720, 15, 800_000), q.reading().confirmed(),
                "the resolution confirmed before stands");
        q.confirmed(new EncoderSettings(640, 480, 0, 0)); // fps and bitrate refused or unanswered
        assertEquals(new EncoderSettings(640, 480, 15, 800_000), q.reading().confirmed());
        q.cameraChanged();
        assertNull(q.reading().confirmed(), "another camera confirmed nothing yet");
    }

    @Test
    void networkQualityIsTheCarriedShareTimesTheQueueHeadroomTimesTheSentShare() {
        QualityControl q = control(QualityPreset.HIGH, true);
        q.started();
        assertEquals(1.0, q.networkQuality(0, 3000, 1.0));
        assertEquals(0.5, q.networkQuality(1500, 3000, 1.0));
        assertEquals(0.0, q.networkQuality(4000, 3000, 1.0));
        assertEquals(0.9, q.networkQuality(0, 3000, 0.9));
    }
}
