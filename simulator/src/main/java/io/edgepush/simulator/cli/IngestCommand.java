package io.edgepush.simulator.cli;

import io.edgepush.simulator.ingest.RtmpIngestServer;
import java.io.IOException;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code simulator ingest}: an RTMP ingest recording every publish to DIR/NAME.flv (DESIGN.md section 6). */
@Command(name = "ingest", mixinStandardHelpOptions = true,
        description = "Accepts RTMP publishes and records each to DIR/NAME.flv until SIGTERM.")
final class IngestCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = "--listen", paramLabel = "HOST:PORT", defaultValue = "127.0.0.1:1935",
            description = "address to listen on (default ${DEFAULT-VALUE})")
    String listen;

    @Option(names = "--out", paramLabel = "DIR", defaultValue = "out",
            description = "folder for the .flv recordings (default ${DEFAULT-VALUE})")
    Path out;

    @Override
    public Integer call() throws Exception {
        Address address = Options.address(spec, listen, "--listen");
        Lifecycle life = new Lifecycle();
        RtmpIngestServer server;
        try {
            server = life.add(RtmpIngestServer.start(address.host(), address.port(), out));
        } catch (IOException e) {
            life.stop();
            spec.commandLine().getErr().println("simulator ingest: " + e.getMessage());
            return 1;
        }
        spec.commandLine().getOut().println("RTMP ingest listening on rtmp://" + address + "/ recording into " + out);
        spec.commandLine().getOut().flush();
        life.await();
        spec.commandLine().getOut().println("recordings: " + server.recordings());
        spec.commandLine().getOut().flush();
        return 0;
    }
}
