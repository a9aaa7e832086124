package io.edgepush.bridge.transport;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.edgepush.bridge.CameraListener;
import io.edgepush.testkit.SocatPty;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * DTR and RTS stay low: a pseudo-terminal has no modem lines (TIOCMGET fails on it, so the other end cannot
 * observe them), hence the check records every line call the transport makes on its jssc port. Also measures
 * the reader thread's CPU while the port is idle.
 */
class SerialLineControlTest {
    private static final Logger LOG = LoggerFactory.getLogger(SerialLineControlTest.class);

    @Test
    void transportOpensWithDtrAndRtsOffAndNeverRaisesThemAndIdlesCheaply(@TempDir Path dir) {
        RecordingSerialPort.CALLS.clear();
        try (SocatPty pty = SocatPty.start(dir);
             SerialCameraTransport transport = new SerialCameraTransport(
                     List.of(new SerialCameraTransport.Port(pty.a().toString(), 2_000_000)), BridgeOptions.defaults(),
                     path -> JsscSerialPortIo.open(path, RecordingSerialPort::new), 100)) {
            transport.start(new CameraListener() { });
            Await.until(() -> !RecordingSerialPort.CALLS.isEmpty(), Duration.ofSeconds(10), "port configured");
            Thread reader = Thread.getAllStackTraces().keySet().stream()
                    .filter(t -> t.getName().equals("serial-read-" + pty.a())).findFirst().orElseThrow();
            long warm = System.nanoTime();
            Await.until(() -> System.nanoTime() - warm >= 500_000_000L, Duration.ofSeconds(5), "JIT warm-up");
            ThreadMXBean mx = ManagementFactory.getThreadMXBean();
            long cpu0 = mx.getThreadCpuTime(reader.getId());
            long wall0 = System.nanoTime();
            Await.until(() -> System.nanoTime() - wall0 >= 1_000_000_000L, Duration.ofSeconds(5), "1 s idle window");
            double share = (mx.getThreadCpuTime(reader.getId()) - cpu0) / (double) (System.nanoTime() - wall0);
            LOG.info("idle serial reader CPU: {}% of one core", String.format("%.2f", share * 100));
            assertTrue(share < 0.25, "an idle port must not spin a core: " + share);
        }
        assertEquals(List.of("setParams rts=false dtr=false"), RecordingSerialPort.CALLS,
                "only the 6-argument setParams with RTS and DTR off; no setDTR/setRTS");
    }
}
