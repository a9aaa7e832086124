package io.edgepush.agent.config;

import java.util.List;

/**
 * Where cameras connect ({@code $.ingest}).
 *
 * @param tcpListen   TCP listen address for framed camera connections; null disables TCP ingest
 *                    (default {@code 0.0.0.0:7000} when the key is absent)
 * @param serialPorts USB CDC-ACM serial ports to open (default none)
 */
public record IngestConfig(HostPort tcpListen, List<SerialPortConfig> serialPorts) {

    /** Default {@code tcp_listen}. */
    public static final String DEFAULT_TCP_LISTEN = "0.0.0.0:7000";

    public IngestConfig {
        serialPorts = List.copyOf(serialPorts);
    }

    /**
     * One serial port ({@code $.ingest.serial_ports[i]}).
     *
     * @param port device path, e.g. {@code /dev/ttyACM0}
     * @param baud baud rate (default 2000000; ignored by true CDC-ACM devices)
     */
    public record SerialPortConfig(String port, int baud) {
        /** Default baud rate. */
        public static final int DEFAULT_BAUD = 2_000_000;
    }
}
