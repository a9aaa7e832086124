package io.edgepush.testkit;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Assertions;

/**
 * Independent checks of H.264 and FLV files with ffprobe/ffmpeg: what an external decoder sees, as opposed
 * to what our own parsers think. Output is read in ffprobe's {@code default=nw=1} (key=value lines) and
 * {@code compact} (key=value|key=value) formats, so no JSON library is needed.
 */
public final class Ffprobe {
    private Ffprobe() {
    }

    /** Width and height in pixels of the first video stream (after cropping). */
    public record VideoSize(int width, int height) {
    }

    /**
     * One video packet as demuxed by ffprobe.
     *
     * @param dtsMs decoding timestamp in milliseconds, null if the container has none
     * @param ptsMs presentation timestamp in milliseconds, null if the container has none
     * @param keyframe whether ffprobe flags the packet as a keyframe (flag K)
     * @param sizeBytes packet payload size in bytes
     */
    public record Packet(Long dtsMs, Long ptsMs, boolean keyframe, int sizeBytes) {
    }

    /**
     * Decodes the first video stream and counts the frames (ffprobe -count_frames, nb_read_frames).
     *
     * @throws org.opentest4j.AssertionFailedError if ffprobe fails or reports no count
     */
    public static int countFrames(Path file) {
        Map<String, String> stream = streamEntries(file, "nb_read_frames", "-count_frames");
        return Integer.parseInt(require(stream, "nb_read_frames", file));
    }

    /** Width and height of the first video stream. */
    public static VideoSize videoSize(Path file) {
        Map<String, String> stream = streamEntries(file, "width,height");
        return new VideoSize(Integer.parseInt(require(stream, "width", file)),
                Integer.parseInt(require(stream, "height", file)));
    }

    /** Every packet of the first video stream in file order (dts, pts, keyframe flag, size). */
    public static List<Packet> packets(Path file) {
        String out = ffprobe(file, "-show_entries", "packet=dts_time,pts_time,flags,size", "-of", "compact=p=0");
        List<Packet> packets = new ArrayList<>();
        for (String line : out.split("\n")) {
            if (line.isBlank()) {
                continue;
            }
            Map<String, String> fields = new HashMap<>();
            for (String field : line.trim().split("\\|")) {
                int eq = field.indexOf('=');
                fields.put(field.substring(0, eq), field.substring(eq + 1));
            }
            packets.add(new Packet(millis(fields.get("dts_time")), millis(fields.get("pts_time")),
                    require(fields, "flags", file).contains("K"), Integer.parseInt(require(fields, "size", file))));
        }
        return packets;
    }

    /**
     * Decoding timestamps in milliseconds of every packet of the first video stream, in file order.
     *
     * @throws org.opentest4j.AssertionFailedError if a packet has no DTS
     */
    public static List<Long> packetDtsMs(Path file) {
        List<Long> dts = new ArrayList<>();
        for (Packet packet : packets(file)) {
            if (packet.dtsMs() == null) {
                Assertions.fail("packet " + dts.size() + " of " + file + " has no DTS");
            }
            dts.add(packet.dtsMs());
        }
        return dts;
    }

    /**
     * Decodes the whole file with {@code ffmpeg -v error -i FILE -f null -} and returns its stderr: empty for a
     * file a real decoder accepts without complaint.
     */
    public static String decodeErrors(Path file) {
        Path ffmpeg = Peers.require("ffmpeg");
        Processes.Result result = Processes.run(List.of(ffmpeg.toString(), "-nostdin", "-v", "error",
                "-i", file.toString(), "-f", "null", "-"));
        String errors = result.stderr().strip();
        return result.exitCode() == 0 ? errors : ("ffmpeg exited with " + result.exitCode() + "\n" + errors).strip();
    }

    /**
     * As {@link #decodeErrors} but keeping the FLV's millisecond time base for the output ({@code -enc_time_base
     * -1}): frames stamped with arrival times (raw Annex B ingest) jitter, and ffmpeg's default 1/25 s output time
     * base would round two jittered frames onto one tick and complain about the muxer input, not about the decoding.
     */
    public static String decodeErrorsVariableFrameRate(Path file) {
        Path ffmpeg = Peers.require("ffmpeg");
        Processes.Result result = Processes.run(List.of(ffmpeg.toString(), "-nostdin", "-v", "error",
                "-i", file.toString(), "-enc_time_base", "-1", "-f", "null", "-"));
        String errors = result.stderr().strip();
        return result.exitCode() == 0 ? errors : ("ffmpeg exited with " + result.exitCode() + "\n" + errors).strip();
    }

    private static Map<String, String> streamEntries(Path file, String entries, String... extra) {
        List<String> args = new ArrayList<>(List.of(extra));
        args.addAll(List.of("-show_entries", "stream=" + entries, "-of", "default=nw=1"));
        Map<String, String> values = new HashMap<>();
        for (String line : ffprobe(file, args.toArray(String[]::new)).split("\n")) {
            int eq = line.indexOf('=');
            if (eq > 0) {
                values.put(line.substring(0, eq).trim(), line.substring(eq + 1).trim());
            }
        }
        return values;
    }

    private static String ffprobe(Path file, String... args) {
        Path ffprobe = Peers.require("ffprobe");
        List<String> command = new ArrayList<>(List.of(ffprobe.toString(), "-v", "error", "-select_streams", "v:0"));
        command.addAll(List.of(args));
        command.add(file.toString());
        return Processes.run(command).requireSuccess().stdout();
    }

    private static String require(Map<String, String> values, String key, Path file) {
        String value = values.get(key);
        if (value == null || value.isEmpty() || "N/A".equals(value)) {
            return Assertions.fail("ffprobe reported no " + key + " for " + file + " (got " + values + ")");
        }
        return value;
    }

    private static Long millis(String seconds) {
        if (seconds == null || seconds.isEmpty() || "N/A".equals(seconds)) {
            return null;
        }
        return new BigDecimal(seconds).movePointRight(3).setScale(0, RoundingMode.HALF_EVEN).longValueExact();
    }

    /**
     * MD5 of each decoded frame of the first video stream, in decoder output (display) order ({@code ffmpeg -f
     * framemd5 -fps_mode passthrough}: no frame dropped or duplicated).
     */
    public static List<String> frameMd5(Path file) {
        String out = Processes.run(List.of(Peers.require("ffmpeg").toString(), "-nostdin", "-v", "error",
                "-i", file.toString(), "-map", "0:v:0", "-fps_mode", "passthrough", "-f", "framemd5", "-"))
                .requireSuccess().stdout();
        List<String> md5 = new java.util.ArrayList<>();
        for (String line : out.split("\n")) {
            if (!line.isBlank() && !line.startsWith("#")) {
                md5.add(line.substring(line.lastIndexOf(',') + 1).trim());
            }
        }
        return md5;
    }
}
