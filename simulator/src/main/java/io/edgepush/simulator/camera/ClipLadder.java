package io.edgepush.simulator.camera;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.stream.Stream;

/**
 * A ladder of clips of one scene, one {@link Clip} per {@link LadderRung}, loaded from a directory whose clips are
 * named {@code <width>x<height>_<fps>_<kbps>.h264} (or {@code .h265}; see {@link LadderRung#parseFileName}).
 * {@code scripts/make-ladder.sh} makes such a directory. Every rung covers the same scene timeline: the same
 * duration in seconds, and keyframes (IDR; H.265: IRAP) at the same times, so a camera can move from one rung to
 * another at a keyframe without a jump in the content. Immutable once loaded; thread-safe.
 */
public final class ClipLadder {
    private static final String HOW_TO_ALIGN = "encode every rung with keyframes at the same times, e.g. ffmpeg"
            + " -force_key_frames 'expr:gte(t,n_forced*1)' -sc_threshold 0 (scripts/make-ladder.sh)";

    private final Path dir;
    private final Ladder ladder;
    private final Map<LadderRung, Clip> clips;

    private ClipLadder(Path dir, Map<LadderRung, Clip> clips) {
        this.dir = dir;
        this.ladder = new Ladder(List.copyOf(clips.keySet()));
        this.clips = Map.copyOf(clips);
    }

    /**
     * Loads every clip of {@code dir} whose name ends in {@code .h264} or {@code .h265}; other files are ignored.
     *
     * @throws IOException naming the directory or the file, if {@code dir} is not a directory or holds no clip, a
     *     clip's name does not follow the pattern, two files name the same rung, a clip is unreadable or not
     *     playable, the clips do not share one codec, a clip's SPS picture size is not the one its name says, or
     *     the rungs do not cover the same scene (durations differ by more than a frame, keyframes not aligned)
     */
    public static ClipLadder load(Path dir) throws IOException {
        Objects.requireNonNull(dir, "dir");
        if (!Files.isDirectory(dir)) {
            throw new IOException("ladder directory " + dir + ": no such directory");
        }
        List<Path> files;
        try (Stream<Path> s = Files.list(dir)) {
            files = s.filter(f -> LadderRung.isClipFileName(f.getFileName().toString()))
                    .sorted().toList();
        }
        if (files.isEmpty()) {
            throw new IOException("ladder directory " + dir + " holds no clip named <width>x<height>_<fps>_<kbps>.h264"
                    + " (make one with scripts/make-ladder.sh " + dir + ")");
        }
        Map<LadderRung, Path> names = new LinkedHashMap<>();
        for (Path f : files) {
            LadderRung rung;
            try {
                rung = LadderRung.parseFileName(f.getFileName().toString());
            } catch (IllegalArgumentException e) {
                throw new IOException("ladder directory " + dir + ": " + e.getMessage(), e);
            }
            Path other = names.putIfAbsent(rung, f);
            if (other != null) {
                throw new IOException("ladder directory " + dir + ": " + other.getFileName() + " and "
                        + f.getFileName() + " are the same rung " + rung.name());
            }
        }
        Map<LadderRung, Clip> clips = new LinkedHashMap<>();
        for (Map.Entry<LadderRung, Path> e : names.entrySet()) {
            clips.put(e.getKey(), loadRung(e.getKey(), e.getValue()));
        }
        checkOneCodec(clips);
        ClipLadder loaded = new ClipLadder(dir, clips);
        loaded.checkSameScene();
        return loaded;
    }

    private static Clip loadRung(LadderRung rung, Path file) throws IOException {
        Clip clip = Clip.load(file);
        if (clip.width() != rung.width() || clip.height() != rung.height()) {
            throw new IOException(file + ": its SPS says " + clip.width() + "x" + clip.height()
                    + " pixels, its name " + rung.width() + "x" + rung.height());
        }
        return clip;
    }

    private static void checkOneCodec(Map<LadderRung, Clip> clips) throws IOException {
        Clip first = null;
        for (Clip c : clips.values()) {
            if (first == null) {
                first = c;
            } else if (c.codec() != first.codec()) {
                throw new IOException("ladder clips must share one codec: " + first.name() + " is "
                        + first.codec().displayName() + ", " + c.name() + " is " + c.codec().displayName());
            }
        }
    }

    /** Same duration (within one frame of either rung) and keyframes at the same times (within half a frame). */
    private void checkSameScene() throws IOException {
        LadderRung top = ladder.highest();
        Clip topClip = clips.get(top);
        long topDurationUs = durationUs(top);
        for (LadderRung r : ladder.rungs()) {
            Clip c = clips.get(r);
            long toleranceUs = Math.max(frameUs(r), frameUs(top));
            if (Math.abs(durationUs(r) - topDurationUs) > toleranceUs) {
                throw new IOException("the rungs of a ladder must cover the same scene: " + c.name() + " lasts "
                        + seconds(durationUs(r)) + " s (" + c.size() + " frames at " + r.fps() + " fps), "
                        + topClip.name() + " " + seconds(topDurationUs) + " s (" + topClip.size() + " frames at "
                        + top.fps() + " fps)");
            }
            checkKeyframesMatch(r, top);
            checkKeyframesMatch(top, r);
        }
    }

    /** Every keyframe of {@code a} has one of {@code b} within half a frame (of the slower rung). */
    private void checkKeyframesMatch(LadderRung a, LadderRung b) throws IOException {
        long halfFrameUs = Math.max(frameUs(a), frameUs(b)) / 2;
        Clip bClip = clips.get(b);
        for (int i : clips.get(a).idrIndexes()) {
            long atUs = i * 1_000_000L / a.fps();
            int j = nearestKeyframe(bClip, b.fps(), atUs, false);
            if (j < 0 || Math.abs(j * 1_000_000L / b.fps() - atUs) > halfFrameUs) {
                throw new IOException("ladder keyframes are not aligned in time: " + clips.get(a).name()
                        + " has one at " + seconds(atUs) + " s, " + bClip.name() + " none within half a frame; "
                        + HOW_TO_ALIGN);
            }
        }
    }

    /**
     * The keyframe of {@code clip} (played at {@code fps}) nearest to scene time {@code sceneUs}, earlier or later;
     * the earlier one on a tie. With {@code wrap}, the clip's end counts as a keyframe at its duration (the first
     * keyframe of the next loop); it is returned as {@link Clip#size()}.
     *
     * @return an access unit index, {@link Clip#size()} for the wrap, or -1 if the clip has no keyframe
     */
    static int nearestKeyframe(Clip clip, int fps, long sceneUs, boolean wrap) {
        int best = -1;
        long bestDistance = Long.MAX_VALUE;
        for (int i : clip.idrIndexes()) {
            long distance = Math.abs(i * 1_000_000L / fps - sceneUs);
            if (distance < bestDistance) {
                best = i;
                bestDistance = distance;
            }
        }
        if (wrap && clip.isKeyframe(0) && Math.abs(clip.size() * 1_000_000L / fps - sceneUs) < bestDistance) {
            best = clip.size();
        }
        return best;
    }

    /** The directory the clips were loaded from. */
    public Path dir() {
        return dir;
    }

    /** The rungs and the choice between them. */
    public Ladder ladder() {
        return ladder;
    }

    /** The rung a camera starts on ({@link Ladder#highest()}). */
    public LadderRung highest() {
        return ladder.highest();
    }

    /**
     * The clip of {@code rung}.
     *
     * @throws IllegalArgumentException if {@code rung} is not one of {@link Ladder#rungs()}
     */
    public Clip clip(LadderRung rung) {
        Clip c = clips.get(rung);
        if (c == null) {
            throw new IllegalArgumentException("no rung " + rung + " in ladder " + dir);
        }
        return c;
    }

    /** The codec every clip has, {@link ClipCodec#H264} or {@link ClipCodec#H265}. */
    public ClipCodec codec() {
        return clips.get(ladder.highest()).codec();
    }

    /** How long the scene lasts, microseconds (the highest rung's frames / fps). */
    public long durationUs() {
        return durationUs(ladder.highest());
    }

    private long durationUs(LadderRung r) {
        return clips.get(r).size() * 1_000_000L / r.fps();
    }

    private static long frameUs(LadderRung r) {
        return 1_000_000L / r.fps();
    }

    private static String seconds(long us) {
        return String.format(Locale.ROOT, "%.3f", us / 1e6);
    }

    @Override
    public String toString() {
        return "ClipLadder " + dir + " " + ladder.rungs().stream().map(LadderRung::name).toList();
    }
}
