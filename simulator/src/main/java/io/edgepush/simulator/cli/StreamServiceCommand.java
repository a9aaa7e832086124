package io.edgepush.simulator.cli;

import io.edgepush.simulator.cloud.StreamService;
import io.edgepush.simulator.cloud.StreamServiceOptions;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.concurrent.Callable;
import org.eclipse.paho.mqttv5.common.MqttException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** {@code simulator stream-service}: the cloud stand-in answering stream requests (DESIGN.md sections 3, 6). */
@Command(name = "stream-service", mixinStandardHelpOptions = true,
        description = "Answers devices/+/stream/request with an RTMP endpoint until SIGTERM.")
final class StreamServiceCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = "--broker", required = true, paramLabel = "tcp://HOST:PORT", description = "MQTT broker")
    String broker;

    @Option(names = "--rtmp-url", required = true, paramLabel = "rtmp://HOST:PORT/APP/",
            description = "rtmp_url answered, e.g. rtmp://127.0.0.1:1935/live/; repeat the option to hand out "
                    + "several in rotation (a device's failed_endpoint is skipped while another remains)")
    List<String> rtmpUrls;

    @Option(names = "--lifetime-sec", paramLabel = "SEC", defaultValue = "3600",
            description = "expires_at = now + SEC (default ${DEFAULT-VALUE})")
    long lifetimeSec;

    @Option(names = "--stream-key", paramLabel = "KEY",
            description = "stream_key answered (default: device id lower-cased + _ + 8 random hex digits)")
    String streamKey;

    @Option(names = "--deny", split = ",", paramLabel = "DEVICE_ID",
            description = "device ids answered with success false, UNAUTHORIZED")
    List<String> deny = List.of();

    @Override
    public Integer call() throws Exception {
        Address address = Options.tcpUrl(spec, broker, "--broker");
        if (lifetimeSec < 1) {
            throw new ParameterException(spec.commandLine(), "--lifetime-sec: must be at least 1, got "
                    + lifetimeSec);
        }
        StreamServiceOptions options;
        try {
            options = StreamServiceOptions.of(address.tcpUrl(), rtmpUrls).withStreamKey(streamKey)
                    .withDeniedDeviceIds(new LinkedHashSet<>(deny)).withEndpointLifetimeSec(lifetimeSec);
        } catch (IllegalArgumentException e) {
            throw new ParameterException(spec.commandLine(), "--rtmp-url: " + e.getMessage());
        }
        if (streamKey != null && streamKey.isBlank()) {
            throw new ParameterException(spec.commandLine(), "--stream-key: must not be blank");
        }
        Lifecycle life = new Lifecycle();
        try {
            life.add(StreamService.start(options));
        } catch (MqttException e) {
            life.stop();
            spec.commandLine().getErr().println("simulator stream-service: cannot use broker " + address.tcpUrl()
                    + ": " + e.getMessage() + " (is it running?)");
            return 1;
        }
        spec.commandLine().getOut().println("stream service answering on " + address.tcpUrl() + " with " + rtmpUrls);
        spec.commandLine().getOut().flush();
        life.await();
        return 0;
    }
}
