package io.edgepush.agent.stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.edgepush.protocol.media.AccessUnit;
import io.edgepush.protocol.media.VideoCodec;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * {@link GopBuffer}: access units since the latest keyframe (plus whole pre-roll GOPs), bounded in bytes and
 * milliseconds, always empty or starting at a keyframe; what falls out is released at once. Access units are
 * synthetic: one IDR (0x65) or non-IDR slice (0x41) NAL unit of a chosen size, so byte counts are exact.
 */
@Timeout(10) // an eviction loop that cannot make progress fails instead of hanging
class GopBufferTest {
    private static final long BIG = 1L << 30;

    /** The buffer of every access unit made, by decode time, to read its reference count. */
    private final Map<Long, ByteBuf> made = new LinkedHashMap<>();
    private GopBuffer buffer;

    private AccessUnit unit(boolean keyframe, long dtsMs, int sizeBytes) {
        ByteBuf nal = Unpooled.buffer(sizeBytes).writeByte(keyframe ? 0x65 : 0x41).writeZero(sizeBytes - 1);
        made.put(dtsMs, nal);
        AccessUnit au = AccessUnit.of(VideoCodec.H264, List.of(nal), dtsMs, dtsMs);
        assertEquals(keyframe, au.keyframe());
        return au;
    }

    private void key(long dtsMs, int size) {
        buffer.add(unit(true, dtsMs, size));
        assertStartsAtKeyframe();
    }

    private void inter(long dtsMs, int size) {
        buffer.add(unit(false, dtsMs, size));
        assertStartsAtKeyframe();
    }

    private List<Long> lent(boolean latestGopOnly) {
        List<Long> dts = new ArrayList<>();
        buffer.forEach(latestGopOnly, au -> dts.add(au.dtsMs()));
        return dts;
    }

    /** Invariant: empty, or every unit is lent from the oldest keyframe (so the front is a keyframe). */
    private void assertStartsAtKeyframe() {
        List<Boolean> keys = new ArrayList<>();
        buffer.forEach(false, au -> keys.add(au.keyframe()));
        assertEquals(buffer.size(), keys.size(), "a non-keyframe at the front of the buffer");
        assertEquals(buffer.size() > 0, buffer.hasKeyframe());
    }

    private void assertReleased(long... dts) {
        for (long d : dts) {
            assertEquals(0, made.get(d).refCnt(), "unit at " + d + " released");
        }
    }

    private void assertHeld(long... dts) {
        for (long d : dts) {
            assertEquals(1, made.get(d).refCnt(), "unit at " + d + " still held, released by nobody");
        }
    }

    @AfterEach
    void clearReleasesEverything() {
        if (buffer != null) {
            buffer.clear();
            assertEquals(0, buffer.size());
            assertEquals(0, buffer.bytes());
            assertFalse(buffer.hasKeyframe());
        }
        made.forEach((dts, buf) -> assertEquals(0, buf.refCnt(), "unit at " + dts + " released exactly once"));
    }

    @Test
    void aNonKeyframeIntoAnEmptyBufferIsReleasedNotKept() {
        buffer = new GopBuffer(BIG, 10_000, 0);
        inter(0, 100);
        assertReleased(0);
        assertEquals(0, buffer.size());
        assertEquals(0, buffer.bytes());
        assertFalse(buffer.hasKeyframe());
        key(40, 100);
        inter(80, 50);
        assertEquals(2, buffer.size());
        assertEquals(150, buffer.bytes());
        assertEquals(40, buffer.spanMs());
        assertHeld(40, 80);
    }

    @Test
    void protectedFramesKeepTheirGopPastTheNextKeyframeAndForEachFromStartsAtItsKeyframe() {
        buffer = new GopBuffer(BIG, 10_000, 0);
        key(0, 100);
        inter(40, 100);
        buffer.protectFrom(40); // 40 not yet sent
        inter(80, 100);
        key(120, 100);
        inter(160, 100);
        assertHeld(0, 40, 80, 120, 160);
        List<Long> from = new ArrayList<>();
        buffer.forEachFrom(40, au -> from.add(au.dtsMs()));
        assertEquals(List.of(0L, 40L, 80L, 120L, 160L), from, "from the keyframe of the GOP holding 40");
        buffer.protectFrom(Long.MAX_VALUE);
        key(200, 100);
        assertReleased(0, 40, 80, 120, 160);
        assertHeld(200);
    }

    @Test
    void aDecodeTimeGoingBackOrAnotherCodecEmptiesTheBufferFirst() {
        buffer = new GopBuffer(BIG, 10_000, 10_000);
        key(1000, 100);
        inter(1040, 100);
        key(40, 100); // another camera clock
        assertReleased(1000, 1040);
        assertHeld(40);
        ByteBuf hevcIdr = Unpooled.buffer(3).writeByte(19 << 1).writeByte(1).writeByte(0);
        buffer.add(AccessUnit.of(VideoCodec.H265, List.of(hevcIdr), 80, 80));
        assertReleased(40);
        assertEquals(1, buffer.size(), "only the H.265 keyframe");
        buffer.clear();
        assertEquals(0, hevcIdr.refCnt());
    }

    @Test
    void withoutPreRollANewKeyframeDropsThePreviousGop() {
        buffer = new GopBuffer(BIG, 10_000, 0);
        key(0, 300);
        inter(40, 100);
        inter(80, 100);
        assertEquals(List.of(0L, 40L, 80L), lent(false));
        key(120, 200);
        assertReleased(0, 40, 80);
        assertHeld(120);
        assertEquals(1, buffer.size());
        assertEquals(200, buffer.bytes());
        assertEquals(0, buffer.spanMs(), "one frame: no span");
    }

    @Test
    void aPreRollKeepsWholeGopsStartingWithinItOfTheNewestFrame() {
        buffer = new GopBuffer(BIG, 10_000, 2000);
        key(0, 10);
        inter(500, 10);
        key(1000, 10);
        inter(1500, 10);
        key(2000, 10);
        assertEquals(5, buffer.size(), "the GOP at 0 starts exactly 2 s before 2000: kept");
        inter(2500, 10); // a non-keyframe is the newest frame too: 2500 - 2000 = 500 > 0, the GOP at 0 goes
        assertReleased(0, 500);
        assertEquals(List.of(1000L, 1500L, 2000L, 2500L), lent(false));
        key(3000, 10); // 3000 - 2000 = 1000: the GOP at 1000 starts no earlier than that, it stays
        assertEquals(List.of(1000L, 1500L, 2000L, 2500L, 3000L), lent(false));
        inter(3500, 10); // 1500: the GOP at 1000 goes, whole
        assertReleased(1000, 1500);
        assertEquals(List.of(2000L, 2500L, 3000L, 3500L), lent(false));
        assertHeld(2000, 2500, 3000, 3500);
        assertEquals(40, buffer.bytes());
        assertEquals(1500, buffer.spanMs());
    }

    @Test
    void forEachLendsFromTheLatestKeyframeOrFromTheOldest() {
        buffer = new GopBuffer(BIG, 10_000, 10_000);
        key(1000, 10);
        inter(1500, 10);
        key(2000, 10);
        inter(2500, 10);
        key(3000, 10);
        inter(3500, 10);
        assertEquals(List.of(3000L, 3500L), lent(true));
        assertEquals(List.of(1000L, 1500L, 2000L, 2500L, 3000L, 3500L), lent(false));
        assertHeld(1000, 1500, 2000, 2500, 3000, 3500);
        assertEquals(6, buffer.size(), "lending takes nothing out");
    }

    @Test
    void theByteBoundEvictsWholeGops() {
        buffer = new GopBuffer(1000, 10_000, 10_000);
        key(0, 300);
        inter(40, 100);
        key(80, 300);
        inter(120, 100);
        assertEquals(800, buffer.bytes());
        inter(160, 300); // 1100 > 1000: the oldest GOP (400 bytes) goes, not just its keyframe
        assertReleased(0, 40);
        assertEquals(List.of(80L, 120L, 160L), lent(false));
        assertEquals(700, buffer.bytes());
        inter(200, 400); // 1100 > 1000 with one GOP left: it all goes, the newest frame with it
        assertReleased(80, 120, 160, 200);
        assertEquals(0, buffer.size());
        assertEquals(0, buffer.bytes());
        inter(240, 10); // still nothing to start from: released at once
        assertReleased(240);
        assertEquals(0, buffer.size());
        key(280, 100);
        assertEquals(List.of(280L), lent(false));
        assertEquals(100, buffer.bytes());
    }

    @Test
    void aKeyframeLargerThanTheByteBoundIsNotKept() {
        buffer = new GopBuffer(1000, 10_000, 0);
        key(0, 1001);
        assertReleased(0);
        assertEquals(0, buffer.size());
        assertEquals(0, buffer.bytes());
        key(40, 1000); // exactly at the bound: kept
        assertHeld(40);
        assertEquals(1000, buffer.bytes());
    }

    @Test
    void theMillisecondBoundEvictsWholeGops() {
        buffer = new GopBuffer(BIG, 1000, 10_000);
        key(0, 10);
        inter(400, 10);
        key(800, 10);
        inter(1000, 10);
        assertEquals(1000, buffer.spanMs(), "exactly the bound: kept");
        assertEquals(4, buffer.size());
        inter(1200, 10); // 1200 - 0 > 1000: the GOP at 0 goes
        assertReleased(0, 400);
        assertEquals(List.of(800L, 1000L, 1200L), lent(false));
        assertEquals(400, buffer.spanMs());
        assertEquals(30, buffer.bytes());
        inter(1900, 10); // 1900 - 800 > 1000 with one GOP: everything goes
        assertReleased(800, 1000, 1200, 1900);
        assertEquals(0, buffer.size());
        assertEquals(0, buffer.spanMs());
    }

    @Test
    void clearReleasesEveryHeldUnitAndTheBufferStartsOver() {
        buffer = new GopBuffer(BIG, 10_000, 10_000);
        key(0, 10);
        inter(40, 10);
        key(80, 10);
        inter(120, 10);
        assertHeld(0, 40, 80, 120);
        buffer.clear();
        assertReleased(0, 40, 80, 120);
        assertEquals(0, buffer.size());
        assertEquals(0, buffer.bytes());
        assertFalse(buffer.hasKeyframe());
        inter(160, 10);
        assertReleased(160);
        key(200, 10);
        assertTrue(buffer.hasKeyframe());
        assertEquals(List.of(200L), lent(true));
    }

    @Test
    void aPreRollBufferStaysUnderItsByteCapWithACameraSending8MbpsOfIdrs() {
        long capBytes = 3L * 1024 * 1024; // the default gop_buffer_bytes
        buffer = new GopBuffer(capBytes, 10_000, 2000 + OutputSettings.PRE_ROLL_MARGIN_MS);
        int idrBytes = 8_000_000 / 8 / 25; // 8 Mbit/s of IDRs at 25 fps: 40 kB each
        long most = 0;
        for (int i = 0; i < 30 * 25; i++) { // 30 s
            key(i * 40L, idrBytes);
            most = Math.max(most, buffer.bytes());
            assertTrue(buffer.bytes() <= capBytes, "over the cap at picture " + i + ": " + buffer.bytes());
        }
        assertTrue(most > capBytes - idrBytes, "the cap, not the pre-roll span, was the bound: " + most);
        assertEquals(capBytes / idrBytes, buffer.size(), "as many whole IDRs as fit");
        long newest = 30 * 25 * 40L - 40;
        long oldestHeld = newest - (buffer.size() - 1) * 40L;
        assertEquals(Math.max(oldestHeld, newest - 2000), buffer.preRollStartDtsMs(newest, 2000),
                "the pre-roll starts at the oldest IDR held within 2 s of the motion");
        buffer.clear();
        for (ByteBuf b : made.values()) {
            assertEquals(0, b.refCnt(), "every access unit released");
        }
    }

    @Test
    void thePreRollStartsAtTheOldestKeyframeWithinItOrElseAtTheGopHoldingTheMotion() {
        buffer = new GopBuffer(BIG, 60_000, 60_000);
        for (long t = 0; t < 10_000; t += 40) {
            if (t % 3000 == 0) {
                key(t, 1000);
            } else {
                inter(t, 100);
            }
        }
        assertEquals(6000, buffer.preRollStartDtsMs(8000, 2000), "IDR 6000 is within 2 s before 8000");
        assertEquals(6000, buffer.preRollStartDtsMs(6000, 2000), "a keyframe at the motion itself");
        assertEquals(3000, buffer.preRollStartDtsMs(8000, 5000), "the oldest within 5 s");
        assertEquals(6000, buffer.preRollStartDtsMs(8900, 1000), "none within 1 s: the GOP holding the motion");
        assertEquals(0, buffer.preRollStartDtsMs(-500, 2000), "a motion before everything held: the oldest");
        buffer.clear();
        assertEquals(Long.MIN_VALUE, buffer.preRollStartDtsMs(8000, 2000), "nothing held");
    }
}
