package io.edgepush.agent.push;

import io.edgepush.protocol.media.VideoCodec;
import io.edgepush.protocol.h264.H264Exception;
import io.edgepush.protocol.rtmp.RtmpException;
import io.edgepush.protocol.rtmp.RtmpPublisher;
import io.edgepush.protocol.rtmp.RtmpPublisherOptions;
import io.edgepush.protocol.rtmp.RtmpUrl;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;

/**
 * {@code agent push}: one Annex B file to one RTMP URL (DESIGN.md section 6), optionally also recorded to a local
 * .flv file with {@code --record}, optionally with a silent AAC track ({@code --silent-audio}). {@code --codec
 * h265} (or auto-detection, {@link VideoCodec#detect}) sends H.265 over Enhanced RTMP with "hvc1" in connect's
 * fourCcList.
 */
@Command(name = "push", mixinStandardHelpOptions = true,
        description = "Send an H.264 or H.265 Annex B file as one live RTMP/RTMPS stream, then unpublish.")
public final class PushCommand implements Callable<Integer> {

    @Option(names = "--input", required = true, paramLabel = "FILE", description = "H.264 or H.265 Annex B file")
    Path input;

    @Option(names = "--codec", defaultValue = "auto", paramLabel = "auto|h264|h265",
            description = "codec of --input; auto (default): .265/.h265/.hevc = h265, .264/.h264/.avc = h264,"
                    + " else from the first NAL unit header. h265 is sent over Enhanced RTMP (FourCC hvc1),"
                    + " which nginx-rtmp 1.2 and ffmpeg 5.1 do not accept")
    String codecName;

    @Option(names = "--url", required = true, paramLabel = "URL", description = "rtmp[s]://HOST[:PORT]/APP/KEY")
    String url;

    @Option(names = "--fps", defaultValue = "25", paramLabel = "N", description = "frame rate for timestamps (default 25)")
    double fps;

    @Option(names = "--fast", description = "send as fast as the connection takes instead of in real time")
    boolean fast;

    @Option(names = "--record", paramLabel = "FILE.flv",
            description = "also write the stream, tag for tag, to this local FLV file (created or overwritten)")
    Path record;

    @Option(names = "--silent-audio",
            description = "add a silent mono AAC-LC 44.1 kHz audio track (for ingests that refuse video-only streams)")
    boolean silentAudio;

    @Option(names = "--connect-timeout-ms", defaultValue = "10000", paramLabel = "MS")
    int connectTimeoutMs;

    @Option(names = "--tls-ca", paramLabel = "FILE.pem",
            description = "rtmps://: trust the CA certificate(s) in this PEM file instead of the JDK trust store")
    Path tlsCa;

    @Option(names = "--tls-no-verify",
            description = "rtmps://: do NOT verify the server certificate or host name (insecure; testing only)")
    boolean tlsNoVerify;

    @Override
    public Integer call() {
        PrintStream err = System.err;
        if (!Files.isReadable(input)) {
            err.println("error: --input " + input + ": no such readable file");
            return CommandLine.ExitCode.USAGE;
        }
        if (!(fps > 0 && fps <= 1000)) {
            err.println("error: --fps must be between 0 and 1000, got " + fps);
            return CommandLine.ExitCode.USAGE;
        }
        if (record != null && (Files.isDirectory(record)
                || (record.toAbsolutePath().getParent() != null
                    && !Files.isDirectory(record.toAbsolutePath().getParent())))) {
            err.println("error: --record " + record + ": not a file in an existing directory");
            return CommandLine.ExitCode.USAGE;
        }
        VideoCodec codec;
        try {
            codec = switch (codecName.toLowerCase(java.util.Locale.ROOT)) {
                case "auto" -> VideoCodec.detect(input);
                case "h264" -> VideoCodec.H264;
                case "h265", "hevc" -> VideoCodec.H265;
                default -> null;
            };
        } catch (IOException e) {
            err.println("error: --input " + input + ": " + e.getMessage());
            return CommandLine.ExitCode.SOFTWARE;
        }
        if (codec == null) {
            err.println("error: --codec must be auto, h264 or h265, got " + codecName);
            return CommandLine.ExitCode.USAGE;
        }
        RtmpUrl rtmpUrl;
        try {
            rtmpUrl = RtmpUrl.parse(url);
        } catch (IllegalArgumentException e) {
            err.println("error: --url: " + e.getMessage());
            return CommandLine.ExitCode.USAGE;
        }
        RtmpPublisherOptions options = RtmpPublisherOptions.defaults().withConnectTimeoutMs(connectTimeoutMs)
                .withTlsVerify(!tlsNoVerify).withFourCcList(codec.fourCcList());
        if (tlsNoVerify) {
            err.println("WARNING: --tls-no-verify: the server certificate and host name are not verified;"
                    + " anyone in the path can impersonate " + rtmpUrl.host());
        }
        if (tlsCa != null) {
            try {
                options = options.withTrustedCaFile(tlsCa);
            } catch (RtmpException e) {
                err.println("error: --tls-ca: " + e.getMessage());
                return CommandLine.ExitCode.USAGE;
            }
        }
        RtmpPublisher publisher;
        try {
            publisher = RtmpPublisher.publish(rtmpUrl, options).get();
        } catch (ExecutionException e) {
            err.println("error: publish to " + rtmpUrl.masked() + " failed: " + describe(e.getCause()));
            return CommandLine.ExitCode.SOFTWARE;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return CommandLine.ExitCode.SOFTWARE;
        }
        try (publisher) {
            FileSource.Result result = new FileSource(FilePushOptions.of(fps, fast)
                    .withRecordFile(record).withCodec(codec).withSilentAudio(silentAudio)).push(input, publisher);
            System.out.printf("pushed %d %s frames (%d bytes, last timestamp %d ms) to %s%n", result.framesSent(),
                    codec == VideoCodec.H265 ? "H.265" : "H.264", result.bytesSent(), result.lastTimestampMs(),
                    rtmpUrl.masked());
            if (record != null) {
                System.out.printf("recorded to %s%n", record);
            }
            if (result.badAccessUnits() > 0 || result.framesSkipped() > 0) {
                System.out.printf("skipped %d access units before the first keyframe, %d unparseable%n",
                        result.framesSkipped(), result.badAccessUnits());
            }
            if (result.framesDropped() > 0) {
                System.out.printf("dropped %d frames up to the next keyframe while the uplink fell behind%n",
                        result.framesDropped());
            }
            return 0;
        } catch (IOException | H264Exception e) {
            err.println("error: " + input + ": " + e.getMessage());
            return CommandLine.ExitCode.SOFTWARE;
        } catch (RtmpException | CompletionException | IllegalStateException e) {
            err.println("error: stream to " + rtmpUrl.masked() + " failed: " + describe(e));
            return CommandLine.ExitCode.SOFTWARE;
        }
    }

    private static String describe(Throwable t) {
        while (t instanceof CompletionException && t.getCause() != null) {
            t = t.getCause();
        }
        if (t instanceof RtmpException e) {
            return e.code() + ": " + e.getMessage();
        }
        return t.getClass().getSimpleName() + ": " + t.getMessage();
    }
}
