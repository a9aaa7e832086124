package io.edgepush.agent.quality;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.edgepush.agent.config.QualityPreset;
import org.junit.jupiter.api.Test;

/** Presets, endpoint caps and the bitrate target turn into what the encoder is asked. */
class QualityPlanTest {
    @Test
    void aPresetIsAskedAsTheTableSays() {
        assertEquals(new EncoderSettings(1920, 1080, 25, 2_000_000),
                QualityPlan.ask(QualityPreset.HIGH, EncoderSettings.NONE, 0, 0, 0));
        assertEquals(new EncoderSettings(640, 480, 15, 500_000),
                QualityPlan.ask(QualityPreset.LOW, EncoderSettings.NONE, 0, 0, 0));
        assertEquals(new EncoderSettings(1920, 1080, 30, 4_000_000),
                QualityPlan.ask(QualityPreset.ULTRA, EncoderSettings.NONE, 0, 0, 0));
    }

    @Test
    void resolutionAndFpsFollowTheBitrateDownOnlyBelowTwoThirdsOfAPreset() {
        assertEquals(new EncoderSettings(1920, 1080, 25, 1_400_000),
                QualityPlan.ask(QualityPreset.HIGH, EncoderSettings.NONE, 0, 0, 1_400_000));
        assertEquals(new EncoderSettings(1280, 720, 20, 1_300_000),
                QualityPlan.ask(QualityPreset.HIGH, EncoderSettings.NONE, 0, 0, 1_300_000));
        assertEquals(new EncoderSettings(1280, 720, 20, 700_000),
                QualityPlan.ask(QualityPreset.HIGH, EncoderSettings.NONE, 0, 0, 700_000));
        assertEquals(new EncoderSettings(640, 480, 15, 600_000),
                QualityPlan.ask(QualityPreset.HIGH, EncoderSettings.NONE, 0, 0, 600_000));
        assertEquals(new EncoderSettings(1920, 1080, 25, 2_000_000),
                QualityPlan.ask(QualityPreset.ULTRA, EncoderSettings.NONE, 0, 0, 2_000_000),
                "an ULTRA stream at 2 Mbit/s takes HIGH's shape");
        assertEquals(new EncoderSettings(640, 480, 15, 200_000),
                QualityPlan.ask(QualityPreset.LOW, EncoderSettings.NONE, 0, 0, 200_000), "LOW is the least shape");
    }

    @Test
    void theEndpointCapsBitrateAndFps() {
        assertEquals(new EncoderSettings(1920, 1080, 20, 1_500_000),
                QualityPlan.ask(QualityPreset.HIGH, EncoderSettings.NONE, 1_500_000, 20, 0));
        assertEquals(new EncoderSettings(1920, 1080, 25, 2_000_000),
                QualityPlan.ask(QualityPreset.HIGH, EncoderSettings.NONE, 8_000_000, 30, 0),
                "caps above the preset change nothing");
        assertEquals(1_500_000, QualityPlan.ceilingBps(QualityPreset.HIGH, EncoderSettings.NONE, 1_500_000));
        assertEquals(2_000_000, QualityPlan.ask(QualityPreset.HIGH, EncoderSettings.NONE, 0, 0, 9_000_000).bitrateBps(),
                "a target above the ceiling is cut to it");
    }

    @Test
    void customKeepsItsShapeAtEveryBitrate() {
        EncoderSettings custom = new EncoderSettings(1280, 960, 12, 1_200_000);
        assertEquals(custom, QualityPlan.ask(QualityPreset.CUSTOM, custom, 0, 0, 0));
        assertEquals(new EncoderSettings(1280, 960, 12, 300_000),
                QualityPlan.ask(QualityPreset.CUSTOM, custom, 0, 0, 300_000));
        assertEquals(EncoderSettings.NONE, QualityPlan.ask(QualityPreset.CUSTOM, EncoderSettings.NONE, 0, 0, 0),
                "custom without settings asks nothing: the camera keeps its own");
    }

    @Test
    void theFloorIsAShareOfTheCeilingButNeverTiny() {
        assertEquals(300_000, QualityPlan.floorBps(2_000_000));
        assertEquals(100_000, QualityPlan.floorBps(500_000));
        assertEquals(50_000, QualityPlan.floorBps(50_000), "never above the ceiling");
    }
}
