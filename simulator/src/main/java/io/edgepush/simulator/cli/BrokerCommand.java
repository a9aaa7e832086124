package io.edgepush.simulator.cli;

import io.edgepush.simulator.broker.EmbeddedBroker;
import java.io.IOException;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code simulator broker}: an MQTT 5 broker until SIGTERM (DESIGN.md section 6). */
@Command(name = "broker", mixinStandardHelpOptions = true, description = "Runs an MQTT 5 broker until SIGTERM.")
final class BrokerCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = "--listen", paramLabel = "HOST:PORT", defaultValue = "127.0.0.1:1883",
            description = "address to listen on (default ${DEFAULT-VALUE})")
    String listen;

    @Override
    public Integer call() throws Exception {
        Address address = Options.address(spec, listen, "--listen");
        Lifecycle life = new Lifecycle();
        try {
            life.add(EmbeddedBroker.start(address.host(), address.port()));
        } catch (IOException e) {
            life.stop();
            spec.commandLine().getErr().println("simulator broker: " + e.getMessage());
            return 1;
        }
        spec.commandLine().getOut().println("MQTT 5 broker listening on " + address.tcpUrl());
        spec.commandLine().getOut().flush();
        life.await();
        return 0;
    }
}
