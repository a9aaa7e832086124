package io.edgepush.agent.session;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.edgepush.agent.cli.StdStreams;
import io.edgepush.agent.config.AgentConfig.RtmpTargetConfig;
import io.edgepush.agent.config.AgentConfig;
import io.edgepush.agent.config.ConfigLoader;
import io.edgepush.protocol.rtmp.RetryPolicy;
import io.edgepush.protocol.rtmp.RtmpErrorCode;
import io.edgepush.protocol.rtmp.RtmpException;
import io.edgepush.protocol.rtmp.RtmpPublisher;
import io.edgepush.protocol.rtmp.RtmpPublisherOptions;
import io.edgepush.testkit.Nginx;
import io.edgepush.testkit.Stunnel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The stream config's rtmp.tls_verify / rtmp.tls_ca_file reach the publisher, and turning verification off warns. */
class RtmpTlsConfigTest {

    private static AgentConfig config(String rtmpExtra) throws Exception {
        return ConfigLoader.parse("{\"gateway_id\": \"gw-tls\", \"mqtt\": {\"broker_url\": \"tcp://127.0.0.1:1\"},"
                + " \"cameras\": [{\"device_id\": \"CAM_T\", \"streams\": [{\"stream_name\": \"main\", \"rtmp\":"
                + " {\"urls\": [\"rtmps://localhost:1/live/key1\"]" + rtmpExtra + "}}]}]}");
    }

    private static String registryLog(AgentConfig config) {
        ScheduledExecutorService control = Executors.newSingleThreadScheduledExecutor();
        try {
            return StdStreams.capture(() -> {
                SessionRegistry registry = new SessionRegistry(config, target -> url -> new CompletableFuture<>(),
                        control, new RecordingSessionListener(), deviceId -> {
                            throw new AssertionError("static URLs");
                        });
                registry.closeAll();
                return 0;
            }).stderr();
        } finally {
            control.shutdownNow();
        }
    }

    @Test
    void tlsVerifyFalseIsWarnedAtStartUpAndTheDefaultIsNot() throws Exception {
        String off = registryLog(config(", \"tls_verify\": false"));
        assertTrue(off.contains("event=tls_verify_off device_id=CAM_T stream_name=main"), off);
        assertTrue(off.contains("WARN"), off);
        assertFalse(registryLog(config("")).contains("tls_verify_off"));
    }

    @Test
    void aCaFileThatIsNotPemFailsEveryPublishWithTlsErrorAndNoRetry(@TempDir Path dir) throws Exception {
        Path garbage = Files.writeString(dir.resolve("ca.pem"), "garbage");
        PublisherFactory f = RtmpPublisherFactory.forTarget(RtmpPublisherOptions.defaults(),
                new RtmpTargetConfig(null, List.of("rtmps://localhost/live/k"), List.of(), false, true, garbage));
        ExecutionException e = assertThrows(ExecutionException.class,
                () -> f.publish("rtmps://localhost/live/k").get(5, TimeUnit.SECONDS));
        RtmpException cause = assertInstanceOf(RtmpException.class, e.getCause());
        assertEquals(RtmpErrorCode.RTMP_TLS_ERROR, cause.code());
        assertEquals(RetryPolicy.DO_NOT_RETRY, cause.policy());
    }

    @Test
    void caFileAndTlsVerifyReachThePublisher() throws Exception {
        try (Nginx nginx = Nginx.start(); Stunnel stunnel = Stunnel.start(nginx.port())) {
            String url = "rtmps://localhost:" + stunnel.port() + "/live/cfg";
            RtmpPublisherOptions base = RtmpPublisherOptions.defaults().withConnectTimeoutMs(5000);
            RtmpPublisher withCa = RtmpPublisherFactory.forTarget(base, new RtmpTargetConfig(null, List.of(url),
                    List.of(), false, true, stunnel.caFile())).publish(url).get(10, TimeUnit.SECONDS);
            withCa.unpublish().get(10, TimeUnit.SECONDS);
            RtmpPublisher unverified = RtmpPublisherFactory.forTarget(base, new RtmpTargetConfig(null, List.of(url),
                    List.of(), false, false, null)).publish(url).get(10, TimeUnit.SECONDS);
            unverified.unpublish().get(10, TimeUnit.SECONDS);
            ExecutionException e = assertThrows(ExecutionException.class, () -> RtmpPublisherFactory.forTarget(base,
                    new RtmpTargetConfig(null, List.of(url), List.of())).publish(url).get(10, TimeUnit.SECONDS));
            assertEquals(RtmpErrorCode.RTMP_TLS_ERROR, ((RtmpException) e.getCause()).code());
        }
    }
}
