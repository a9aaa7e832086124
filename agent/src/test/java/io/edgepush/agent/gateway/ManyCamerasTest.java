package io.edgepush.agent.gateway;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.edgepush.agent.config.AgentConfig;
import io.edgepush.agent.config.ConfigLoader;
import io.edgepush.agent.mqtt.StatusEvents;
import io.edgepush.agent.session.SessionState;
import io.edgepush.agent.session.StreamSession;
import io.edgepush.bridge.transport.CameraClient;
import io.edgepush.bridge.wire.Hello;
import io.edgepush.bridge.wire.WireCodec;
import io.edgepush.simulator.camera.Clip;
import io.edgepush.testkit.Await;
import io.edgepush.simulator.camera.SerialFaults;
import io.edgepush.simulator.camera.CameraOptions;
import io.edgepush.simulator.camera.SimulatedCamera;
import io.edgepush.testkit.SocatPty;
import io.edgepush.testkit.Ffprobe;
import io.edgepush.testkit.Fixtures;
import io.edgepush.testkit.FreePorts;
import io.edgepush.testkit.Nginx;
import io.edgepush.testkit.Peers;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.buffer.Unpooled;
import java.io.IOException;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 4 item 6: eight cameras on one gateway run independently: two framed TCP cameras, two USB-serial cameras
 * (socat pty pairs, the simulated camera on the far end at 25 fps), one framed TCP camera that sends garbage and
 * a corrupt frame and then disconnects mid-frame, and three raw Annex B cameras (one named by peer address on the
 * shared port, two on ports of their own) paced at 25 fps. Every stream is always_on with
 * a URL template into nginx-rtmp (no MQTT needed). The seven good recordings each hold exactly the 50 frames of
 * the clip and decode cleanly. Takes about 6 s (the raw cameras stream 2 s in real time).
 */
class ManyCamerasTest {
    private static final Duration DEADLINE = Duration.ofSeconds(30);
    private static final List<String> FRAMED = List.of("TCP_0", "TCP_1");
    private static final List<String> SERIAL = List.of("SER_0", "SER_1");
    private static final String BAD = "TCP_BAD";
    private static final List<String> RAW = List.of("RAW_0", "RAW_1", "RAW_2");

    @Test
    void eightCamerasOneMisbehavingTheOtherSevenRecordExactly(@TempDir Path dir) throws Exception {
        Peers.requireNginxRtmp();
        Peers.require("ffprobe");
        Clip clip = Clip.load(Fixtures.repoFixture("small.h264"));
        int frames = clip.size();
        Peers.require("socat");
        try (Nginx nginx = Nginx.start(); SocatPty pty0 = SocatPty.start(Files.createDirectory(dir.resolve("pty0")));
             SocatPty pty1 = SocatPty.start(Files.createDirectory(dir.resolve("pty1")));
             GatewayAgent agent = GatewayAgent.start(config(nginx.port(), List.of(pty0, pty1)))) {
            List<SimulatedCamera> serial = new ArrayList<>();
            List<CameraClient> framed = new ArrayList<>();
            List<Socket> raw = new ArrayList<>();
            try {
                for (String id : FRAMED) {
                    framed.add(hello(agent, id));
                }
                CameraClient bad = hello(agent, BAD);
                List<Integer> rawPorts = agent.rawCameraPorts();
                for (int i = 0; i < RAW.size(); i++) {
                    raw.add(new Socket("127.0.0.1", rawPorts.get(i)));
                }
                List<StreamSession> all = agent.sessions();
                // Serial cameras play their clip once from their first byte: start their always_on sessions
                // before the cameras exist so frame 0 is published too.
                SERIAL.forEach(id -> session(agent, id).start());
                Await.until(() -> all.stream().allMatch(s -> s.state() == SessionState.STREAMING), DEADLINE,
                        () -> "all eight always_on sessions streaming: " + states(all));

                CompletableFuture<Void> rawDone = streamRawInRealTime(clip, raw);
                List<SocatPty> ptys = List.of(pty0, pty1);
                for (int i = 0; i < SERIAL.size(); i++) {
                    serial.add(SimulatedCamera.start(CameraOptions.serial(SERIAL.get(i), clip, 25,
                            ptys.get(i).b().toString(), false, List.of(), SerialFaults.NONE), null));
                }
                misbehave(bad, clip, session(agent, BAD));
                for (CameraClient camera : framed) {
                    for (int i = 0; i < frames; i++) {
                        camera.sendVideo(0, i * 40_000L, clip.isKeyframe(i), Unpooled.wrappedBuffer(clip.accessUnit(i)));
                    }
                }
                for (String id : FRAMED) {
                    Await.until(() -> session(agent, id).metrics().framesSent() == frames, DEADLINE, id + " all sent");
                }
                framed.forEach(CameraClient::close);
                framed.clear();
                rawDone.get(DEADLINE.toSeconds(), TimeUnit.SECONDS);
                for (String id : concat(RAW, SERIAL)) {
                    Await.until(() -> session(agent, id).metrics().framesSent() == frames, DEADLINE, id + " all sent");
                }
                // A camera that goes away pauses its always_on session (it resumes when the camera returns);
                // the gateway's operator stops them here so the recordings close.
                CompletableFuture.allOf(all.stream().map(StreamSession::stop).toArray(CompletableFuture[]::new))
                        .get(DEADLINE.toSeconds(), TimeUnit.SECONDS);
                Await.until(() -> all.stream().allMatch(s -> s.state() == SessionState.IDLE), DEADLINE,
                        () -> "every session stopped: " + states(all));
            } finally {
                serial.forEach(SimulatedCamera::close);
                framed.forEach(CameraClient::close);
                for (Socket s : raw) {
                    s.close();
                }
            }
            for (String id : concat(concat(FRAMED, SERIAL), RAW)) {
                Path copy = Files.copy(nginx.awaitRecordingClosed(id, DEADLINE), dir.resolve(id + ".flv"));
                assertEquals(frames, session(agent, id).metrics().framesSent(), id + " frames sent");
                assertEquals(frames, Ffprobe.countFrames(copy), id + " recording holds exactly the sent frames");
                assertEquals("", RAW.contains(id) ? Ffprobe.decodeErrorsVariableFrameRate(copy) : Ffprobe.decodeErrors(copy),
                        id + " decodes cleanly");
            }
            List<Long> dts = Ffprobe.packetDtsMs(dir.resolve("RAW_1.flv"));
            assertTrue(IntStream.range(1, dts.size()).allMatch(i -> dts.get(i) >= dts.get(i - 1)), "DTS " + dts);
            assertTrue(dts.get(dts.size() - 1) > dts.get(0), "arrival stamps spread the frames out: " + dts);
        }
    }

    private static AgentConfig config(int nginxPort, List<SocatPty> ptys) throws Exception {
        List<String> ids = concat(concat(concat(FRAMED, SERIAL), List.of(BAD)), RAW);
        String serialPorts = ptys.stream().map(p -> "{\"port\": \"" + p.a() + "\", \"baud\": 2000000}")
                .collect(Collectors.joining(", "));
        String cameras = IntStream.range(0, ids.size()).mapToObj(i -> """
                {"device_id": "%s", "camera_id": %d, "streams": [{"stream_id": 0, "stream_name": "main",
                 "quality": "low", "trigger": "always_on",
                 "rtmp": {"url_template": "rtmp://127.0.0.1:%d/live/{device_id}"}}]}""".formatted(ids.get(i), i,
                nginxPort)).collect(Collectors.joining(",\n"));
        return ConfigLoader.parse("""
                {"gateway_id": "many-gw", "mqtt": {"broker_url": "tcp://127.0.0.1:%d"},
                 "ingest": {"tcp_listen": "127.0.0.1:0", "serial_ports": [%s], "raw_annexb_listen": "127.0.0.1:0",
                   "raw_annexb_devices": [{"peer": "127.0.0.1", "device_id": "RAW_0"},
                     {"listen": "127.0.0.1:0", "device_id": "RAW_1"}, {"listen": "127.0.0.1:0", "device_id": "RAW_2"}]},
                 "cameras": [%s], "accept_unknown_cameras": false}
                """.formatted(FreePorts.tcp(), serialPorts, cameras));
    }

    private static CameraClient hello(GatewayAgent agent, String id) throws IOException {
        CameraClient c = CameraClient.tcp("127.0.0.1", agent.cameraPort());
        c.sendHello(new Hello(id, "test", "h264", 0x3F, 320, 240, 25, 300_000));
        return c;
    }

    /**
     * Ten good frames, 64 KiB of garbage, a frame with a flipped payload bit (CRC error), counters checked in the
     * stream_metrics bridge object while connected, then half a frame and a disconnect.
     */
    private static void misbehave(CameraClient bad, Clip clip, StreamSession session) {
        for (int i = 0; i < 10; i++) {
            bad.sendVideo(0, i * 40_000L, clip.isKeyframe(i), Unpooled.wrappedBuffer(clip.accessUnit(i)));
        }
        byte[] garbage = new byte[64 * 1024];
        new Random(7).nextBytes(garbage);
        bad.sendRaw(Unpooled.wrappedBuffer(garbage));
        ByteBuf corrupt = frame(10, clip);
        corrupt.setByte(40, corrupt.getByte(40) ^ 0x10);
        bad.sendRaw(corrupt);
        Await.until(() -> {
            StatusEvents.BridgeCounters c = StatusReporter.bridgeCounters(session);
            return c != null && c.bytesSkipped() >= garbage.length && c.crcErrors() >= 1;
        }, DEADLINE, () -> "bridge counters of " + BAD + ": " + StatusReporter.bridgeCounters(session));
        ByteBuf cut = frame(11, clip);
        bad.sendRaw(cut.retainedSlice(0, cut.readableBytes() / 2));
        cut.release();
        bad.close();
        Await.until(() -> StatusReporter.bridgeCounters(session) == null, DEADLINE, BAD + " offline");
        assertNull(StatusReporter.bridgeCounters(session));
    }

    /** VIDEO frame i, encoded on its own (sequence number 0: the frames written this way are broken anyway). */
    private static ByteBuf frame(int i, Clip clip) {
        ByteBuf au = Unpooled.wrappedBuffer(clip.accessUnit(i));
        try (WireCodec codec = new WireCodec(PooledByteBufAllocator.DEFAULT, WireCodec.MAX_PAYLOAD_BYTES)) {
            return codec.video(0, i * 40_000L, false, au);
        } finally {
            au.release();
        }
    }

    /** Writes access unit i to every raw socket each 40 ms, then closes them; completes when done. */
    private static CompletableFuture<Void> streamRawInRealTime(Clip clip, List<Socket> sockets) {
        CompletableFuture<Void> done = new CompletableFuture<>();
        ScheduledExecutorService pacer = Executors.newSingleThreadScheduledExecutor();
        AtomicInteger next = new AtomicInteger();
        pacer.scheduleAtFixedRate(() -> {
            int i = next.getAndIncrement();
            try {
                for (Socket s : sockets) {
                    if (i < clip.size()) {
                        s.getOutputStream().write(clip.accessUnit(i));
                    } else {
                        s.close();
                    }
                }
                if (i >= clip.size()) {
                    done.complete(null);
                }
            } catch (IOException | RuntimeException e) {
                done.completeExceptionally(e);
            }
        }, 0, 40, TimeUnit.MILLISECONDS);
        return done.whenComplete((v, e) -> pacer.shutdownNow());
    }

    private static StreamSession session(GatewayAgent agent, String id) {
        return agent.sessions().stream().filter(s -> s.deviceId().equals(id)).findFirst().orElseThrow();
    }

    private static String states(List<StreamSession> sessions) {
        return sessions.stream().map(s -> s.deviceId() + "=" + s.state()).collect(Collectors.joining(", "));
    }

    private static List<String> concat(List<String> a, List<String> b) {
        List<String> all = new ArrayList<>(a);
        all.addAll(b);
        return all;
    }
}
