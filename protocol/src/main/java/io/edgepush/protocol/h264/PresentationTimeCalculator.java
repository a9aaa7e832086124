package io.edgepush.protocol.h264;

import java.util.ArrayDeque;
import java.util.Comparator;
import java.util.PriorityQueue;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Decode and presentation timestamps for pictures that come without any (a raw Annex B file), at a constant frame
 * rate, in milliseconds.
 *
 * <ul>
 *   <li>DTS: the n-th picture in decoding order (n from 0) has DTS {@code round(n * 1000 / fps)}.</li>
 *   <li>Output order: the order a decoder outputs pictures (C.4.5.3 "bumping"): a picture waits until more than
 *       max_num_reorder_frames pictures wait, then the one with the smallest PicOrderCnt ({@link PicOrderCounter})
 *       goes out; an IDR picture or one with memory_management_control_operation 5 first outputs every waiting
 *       picture and then goes out itself at once (no later picture of its period precedes it), so a stream's first
 *       keyframe is handed on without waiting for the reorder depth. Within an IDR period this is the rank of the
 *       picture's POC.</li>
 *   <li>PTS: the k-th picture in output order has PTS {@code round((k + S) * 1000 / fps)}, S being the largest
 *       reorder depth used so far. Since at most S pictures decoded before picture n are still waiting when it is
 *       decoded, k + S &gt;= n, so PTS &gt;= DTS always and the composition time offset PTS - DTS is &gt;= 0.
 *       S only grows, so PTS stay strictly increasing in output order.</li>
 * </ul>
 *
 * <p>Reorder depth, per coded video sequence (chosen at its IDR picture): VUI bitstream_restriction
 * max_num_reorder_frames when the SPS carries it; 0 for pic_order_cnt_type 2 (output order is decoding order,
 * 8.2.1.3) and for Baseline (profile_idc 66, no B slices); else the value E.2.1 infers: 0 for the intra profiles (profile_idc 44, 86, 100, 110, 122, 244 with
 * constraint_set3_flag), otherwise MaxDpbFrames from the level's MaxDpbMbs (Table A-1), at most 16. A stream
 * that reorders deeper than announced (a picture with a smaller POC than one already output in the same period)
 * raises the depth by one from then on and is logged. A picture whose slice header did not parse is placed after
 * every picture of its period so far.
 *
 * <p>Pictures are handed to the sink in decoding order as soon as their output position is known, so the
 * calculator holds at most depth + 1 of them. Not thread-safe.
 *
 * @param <T> the picture (e.g. an {@link AccessUnit}); held, not inspected, until handed to the sink
 */
public final class PresentationTimeCalculator<T> {
    private static final Logger LOG = LoggerFactory.getLogger(PresentationTimeCalculator.class);
    private static final int BASELINE_PROFILE_IDC = 66;

    /** Receives each picture in decoding order with its timestamps. */
    public interface Sink<T> {
        /**
         * @param picture the picture as given to {@link #push}; ownership passes to the sink
         * @param dtsMs decode timestamp in milliseconds, &gt;= 0, strictly increasing
         * @param compositionTimeMs PTS - DTS in milliseconds, &gt;= 0
         */
        void accept(T picture, int dtsMs, int compositionTimeMs);
    }

    private static final class Entry<T> {
        final T picture;
        final long decodeIndex;
        final int picOrderCnt;
        long outputIndex = -1;

        Entry(T picture, long decodeIndex, int picOrderCnt) {
            this.picture = picture;
            this.decodeIndex = decodeIndex;
            this.picOrderCnt = picOrderCnt;
        }
    }

    private final double fps;
    private final Sink<T> sink;
    private final PicOrderCounter counter = new PicOrderCounter();
    private final ArrayDeque<Entry<T>> decodeOrder = new ArrayDeque<>();
    private final PriorityQueue<Entry<T>> waiting = new PriorityQueue<>(
            Comparator.<Entry<T>>comparingInt(e -> e.picOrderCnt).thenComparingLong(e -> e.decodeIndex));
    private long decoded;
    private long output;
    private int reorderDepth;
    private int ptsShiftFrames;
    private int maxPicOrderCntInPeriod = Integer.MIN_VALUE;
    private int lastOutputPicOrderCnt = Integer.MIN_VALUE;

    /**
     * @param fps frames per second, in (0, 1000]
     * @param sink receives the pictures in decoding order
     */
    public PresentationTimeCalculator(double fps, Sink<T> sink) {
        if (!(fps > 0 && fps <= 1000)) {
            throw new IllegalArgumentException("fps must be in (0, 1000], got " + fps);
        }
        this.fps = fps;
        this.sink = sink;
    }

    /**
     * Adds the next picture in decoding order, timed by the first slice header and SPS of its access unit (as the
     * {@link AccessUnitAssembler} parsed them); hands every picture whose timestamps are now known to the sink.
     *
     * @param picture ownership passes to the calculator until the sink receives it (often {@code au} itself, or
     *                what was made of it)
     * @param au BORROWED, only its parsed slice header and SPS are read (memory_management_control_operation 5 is
     *           not parsed: taken as absent)
     */
    public void push(T picture, AccessUnit au) {
        push(picture, au.sps(), au.firstSliceHeader(), false);
    }

    /**
     * As {@link #push(Object, AccessUnit)} with the parsed fields given.
     *
     * @param sps the active SPS, or null when the slice header did not parse
     * @param firstSlice the picture's first slice header, or null when it did not parse
     * @param mmco5 whether the picture holds memory_management_control_operation 5 (false when unknown)
     */
    void push(T picture, Sps sps, SliceHeader firstSlice, boolean mmco5) {
        int poc;
        if (sps == null || firstSlice == null) {
            poc = maxPicOrderCntInPeriod == Integer.MIN_VALUE ? 0 : maxPicOrderCntInPeriod + 1;
        } else {
            if (firstSlice.isIdr() || mmco5) {
                outputAll();
                reorderDepth = reorderDepth(sps);
                ptsShiftFrames = Math.max(ptsShiftFrames, reorderDepth);
                maxPicOrderCntInPeriod = Integer.MIN_VALUE;
                lastOutputPicOrderCnt = Integer.MIN_VALUE;
            }
            try {
                poc = counter.nextPicOrderCnt(sps, firstSlice, mmco5);
            } catch (H264Exception e) {
                LOG.warn("event=poc_error decode_index={} error=\"{}\"", decoded, e.getMessage());
                poc = maxPicOrderCntInPeriod == Integer.MIN_VALUE ? 0 : maxPicOrderCntInPeriod + 1;
            }
        }
        if (poc < lastOutputPicOrderCnt) {
            reorderDepth++;
            ptsShiftFrames = Math.max(ptsShiftFrames, reorderDepth);
            LOG.warn("event=reorder_depth_exceeded decode_index={} poc={} last_output_poc={} reorder_depth={}",
                    decoded, poc, lastOutputPicOrderCnt, reorderDepth);
        }
        maxPicOrderCntInPeriod = Math.max(maxPicOrderCntInPeriod, poc);
        Entry<T> entry = new Entry<>(picture, decoded++, poc);
        decodeOrder.add(entry);
        waiting.add(entry);
        boolean startsPeriod = firstSlice != null && sps != null && (firstSlice.isIdr() || mmco5);
        while (waiting.size() > reorderDepth || startsPeriod) {
            outputOne(); // an IDR (or MMCO 5) picture waits for nothing: every earlier one is out, none later precedes it
            startsPeriod = false;
        }
        drain();
    }

    /** End of stream: outputs every waiting picture and hands the rest to the sink. */
    public void flush() {
        outputAll();
        drain();
    }

    /**
     * Gives up: hands every picture not yet sent to {@code discard} (to release it), in decoding order.
     */
    public void discard(Consumer<T> discard) {
        waiting.clear();
        Entry<T> entry;
        while ((entry = decodeOrder.poll()) != null) {
            discard.accept(entry.picture);
        }
    }

    /** @return the reorder depth in use for the current coded video sequence, in frames */
    public int reorderDepth() {
        return reorderDepth;
    }

    /**
     * The reorder depth of a coded video sequence with this SPS, in frames (see the class comment).
     */
    static int reorderDepth(Sps sps) {
        if (sps.maxNumReorderFrames() >= 0) {
            return sps.maxNumReorderFrames();
        }
        if (sps.pocType() == 2 || sps.profileIdc() == BASELINE_PROFILE_IDC) {
            // Baseline has no B slices (A.2.1): pictures come out in decoding order in practice, and the rare
            // stream that reorders P pictures anyway is caught by the depth raise below instead of delaying
            // every Baseline stream by MaxDpbFrames.
            return 0;
        }
        boolean constraintSet3 = (sps.constraintFlags() & 0x10) != 0;
        switch (sps.profileIdc()) {
            case 44, 86, 100, 110, 122, 244:
                if (constraintSet3) {
                    return 0;
                }
                break;
            default:
                break;
        }
        long frameMbs = (long) ((sps.width() + 15) / 16) * ((sps.height() + 15) / 16);
        return (int) Math.min(16, maxDpbMbs(sps.levelIdc(), constraintSet3) / Math.max(1, frameMbs));
    }

    /** MaxDpbMbs of Table A-1 for level_idc (level 1b: 9, or 11 with constraint_set3_flag); unknown levels: 16 frames. */
    static long maxDpbMbs(int levelIdc, boolean constraintSet3) {
        return switch (levelIdc) {
            case 9, 10 -> 396;
            case 11 -> constraintSet3 ? 396 : 900;
            case 12, 13, 20 -> 2376;
            case 21 -> 4752;
            case 22, 30 -> 8100;
            case 31 -> 18000;
            case 32 -> 20480;
            case 40, 41 -> 32768;
            case 42 -> 34816;
            case 50 -> 110400;
            case 51, 52 -> 184320;
            case 60, 61, 62 -> 696320;
            default -> Long.MAX_VALUE;
        };
    }

    private void outputAll() {
        while (!waiting.isEmpty()) {
            outputOne();
        }
    }

    private void outputOne() {
        Entry<T> next = waiting.poll();
        next.outputIndex = output++;
        lastOutputPicOrderCnt = next.picOrderCnt;
    }

    private void drain() {
        while (!decodeOrder.isEmpty() && decodeOrder.peek().outputIndex >= 0) {
            Entry<T> entry = decodeOrder.poll();
            int dtsMs = millis(entry.decodeIndex);
            int ptsMs = millis(entry.outputIndex + ptsShiftFrames);
            sink.accept(entry.picture, dtsMs, ptsMs - dtsMs);
        }
    }

    private int millis(long frames) {
        return (int) Math.round(frames * 1000.0 / fps);
    }
}
