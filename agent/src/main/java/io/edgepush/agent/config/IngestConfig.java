package io.edgepush.agent.config;

import java.util.List;

/**
 * Where cameras connect ({@code $.ingest}).
 *
 * @param tcpListen        TCP listen address for framed camera connections (firmware-bridge/PROTOCOL.md); null
 *                         disables TCP ingest (default {@code 0.0.0.0:7000} when the key is absent)
 * @param serialPorts      USB CDC-ACM serial ports to open (default none)
 * @param rawAnnexbListen  {@code $.ingest.raw_annexb_listen}: shared TCP listen address for cameras that send a
 *                         raw H.264 Annex B elementary stream with no framing (DESIGN.md section 7); such a
 *                         camera is named by its peer IP through {@code raw_annexb_devices[].peer}, otherwise
 *                         (only when {@code accept_unknown_cameras} is true) {@code RAW_<ip>_<listen port>}, with
 *                         the IP's ':' and '%' written as '-'. Null (the default) disables the shared port.
 * @param rawAnnexbDevices {@code $.ingest.raw_annexb_devices}: raw Annex B cameras by peer IP on the shared port
 *                         or by their own listen address (default none)
 */
public record IngestConfig(HostPort tcpListen, List<SerialPortConfig> serialPorts, HostPort rawAnnexbListen,
                           List<RawAnnexBDevice> rawAnnexbDevices) {

    /** Default {@code tcp_listen}. */
    public static final String DEFAULT_TCP_LISTEN = "0.0.0.0:7000";

    public IngestConfig {
        serialPorts = List.copyOf(serialPorts);
        rawAnnexbDevices = List.copyOf(rawAnnexbDevices);
    }

    /** Framed TCP and serial ingest only (no raw Annex B). */
    public IngestConfig(HostPort tcpListen, List<SerialPortConfig> serialPorts) {
        this(tcpListen, serialPorts, null, List.of());
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

    /**
     * One raw Annex B camera ({@code $.ingest.raw_annexb_devices[i]}): exactly one of {@code peer} and
     * {@code listen} is set.
     *
     * @param deviceId the camera's device_id, 1..64 characters of [A-Za-z0-9_.-] (as in a HELLO)
     * @param peer     the camera's IP address (normalized literal, e.g. "192.168.4.20") on {@code raw_annexb_listen},
     *                 or null
     * @param listen   a listen address of its own: whoever connects there is this camera, or null
     */
    public record RawAnnexBDevice(String deviceId, String peer, HostPort listen) {
    }
}
