package io.edgepush.agent.push;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.edgepush.agent.cli.StdStreams;
import io.edgepush.testkit.FfmpegListen;
import io.edgepush.testkit.Fixtures;
import io.edgepush.testkit.Nginx;
import io.edgepush.testkit.Peers;
import io.edgepush.testkit.Stunnel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 3 item 5: {@code agent push} over rtmps:// into stunnel (TLS, with a CA and server certificate the test
 * generates) in front of nginx-rtmp, and in front of ffmpeg in listen mode. Verification on with the generated CA: the recording decodes with every
 * frame; verification on without it: RTMP_TLS_ERROR and nothing reaches nginx; --tls-no-verify: works, with a
 * warning.
 */
class RtmpsInteropTest {
    private static final Path INPUT = Fixtures.repoFixture("small.h264");
    private static Nginx nginx;
    private static Stunnel stunnel;

    @BeforeAll
    static void start() {
        Peers.requireNginxRtmp();
        Peers.require("ffprobe");
        nginx = Nginx.start();
        stunnel = Stunnel.start(nginx.port());
    }

    @AfterAll
    static void stop() {
        if (stunnel != null) {
            stunnel.close();
        }
        if (nginx != null) {
            nginx.close();
        }
    }

    private static String url(String host, String name) {
        return "rtmps://" + host + ":" + stunnel.port() + "/live/" + name;
    }

    @Test
    void verifiedAgainstTheGeneratedCaEveryFrameArrives() {
        StdStreams r = StdStreams.agent("push", "--input", INPUT.toString(), "--url", url("localhost", "tls_ca"),
                "--fps", "25", "--fast", "--tls-ca", stunnel.caFile().toString());
        assertEquals(0, r.exitCode(), () -> r.describe() + "\nstunnel log:\n" + stunnel.log());
        assertFalse(r.stderr().contains("WARNING"), r::describe);
        RecordingChecks.assertArrivedIntact(INPUT, nginx.awaitRecordingClosed("tls_ca", Duration.ofSeconds(20)), 25);
    }

    @Test
    void intoFfmpegListenBehindTlsEveryFrameArrives(@TempDir Path dir) {
        Peers.require("ffmpeg");
        Path out = dir.resolve("tls_ffmpeg.flv");
        try (FfmpegListen ffmpeg = FfmpegListen.start("tls_ffmpeg", out); Stunnel tls = Stunnel.start(ffmpeg.port())) {
            StdStreams r = StdStreams.agent("push", "--input", INPUT.toString(), "--url",
                    "rtmps://localhost:" + tls.port() + "/live/tls_ffmpeg", "--fps", "25", "--fast",
                    "--tls-ca", tls.caFile().toString());
            assertEquals(0, r.exitCode(), () -> r.describe() + "\nstunnel log:\n" + tls.log());
            assertEquals(0, ffmpeg.awaitExit(Duration.ofSeconds(20)), () -> "ffmpeg exit; log:\n" + ffmpeg.log());
        }
        RecordingChecks.assertArrivedIntact(INPUT, out, 25);
    }

    @Test
    void theIpAddressInTheCertificateAlsoVerifies() {
        StdStreams r = StdStreams.agent("push", "--input", INPUT.toString(), "--url", url("127.0.0.1", "tls_ip"),
                "--fps", "25", "--fast", "--tls-ca", stunnel.caFile().toString());
        assertEquals(0, r.exitCode(), r::describe);
        RecordingChecks.assertArrivedIntact(INPUT, nginx.awaitRecordingClosed("tls_ip", Duration.ofSeconds(20)), 25);
    }

    @Test
    void withoutTheCaVerificationFailsWithTlsError() {
        StdStreams r = StdStreams.agent("push", "--input", INPUT.toString(), "--url", url("localhost", "tls_noca"),
                "--fps", "25", "--fast", "--connect-timeout-ms", "5000");
        assertEquals(1, r.exitCode(), r::describe);
        assertTrue(r.stderr().contains("RTMP_TLS_ERROR"), r::describe);
        assertFalse(Files.exists(nginx.recording("tls_noca")), "nothing may reach nginx over an unverified TLS session");
    }

    @Test
    void tlsNoVerifyWorksAndWarns() {
        StdStreams r = StdStreams.agent("push", "--input", INPUT.toString(), "--url", url("localhost", "tls_nov"),
                "--fps", "25", "--fast", "--tls-no-verify");
        assertEquals(0, r.exitCode(), r::describe);
        assertTrue(r.stderr().contains("WARNING: --tls-no-verify"), r::describe);
        RecordingChecks.assertArrivedIntact(INPUT, nginx.awaitRecordingClosed("tls_nov", Duration.ofSeconds(20)), 25);
    }

    @Test
    void aCaFileThatIsNotPemIsAUsageError() throws Exception {
        Path bad = Files.createTempFile("not-a-ca", ".pem");
        try {
            StdStreams r = StdStreams.agent("push", "--input", INPUT.toString(), "--url", url("localhost", "tls_bad"),
                    "--tls-ca", bad.toString());
            assertEquals(2, r.exitCode(), r::describe);
            assertTrue(r.stderr().contains("--tls-ca") && r.stderr().contains("RTMP_TLS_ERROR"), r::describe);
        } finally {
            Files.delete(bad);
        }
    }
}
