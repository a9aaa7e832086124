package io.edgepush.agent.config;

import io.edgepush.agent.config.AgentConfig.CameraConfig;
import io.edgepush.agent.config.AgentConfig.IngestConfig;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/** Reads and checks {@code $.ingest.raw_annexb_devices} (see {@link IngestConfig}); every error names its JSON path. */
final class RawAnnexBConfigReader {
    private static final Pattern IPV4 = Pattern.compile("(\\d{1,3})\\.(\\d{1,3})\\.(\\d{1,3})\\.(\\d{1,3})");
    private static final Pattern IPV6 = Pattern.compile("[0-9A-Fa-f:.]*:[0-9A-Fa-f:.]*");

    private RawAnnexBConfigReader() {
    }

    /**
     * One entry: device_id plus exactly one of peer (IP literal) and listen (host:port); the schema has checked the
     * device_id's form and that exactly one of peer and listen is given.
     */
    static IngestConfig.RawAnnexBDevice device(JsonObjectReader r) throws ConfigException {
        String deviceId = r.requiredString("device_id");
        String peer = r.optString("peer", null);
        String listenText = r.optString("listen", null);
        if (peer != null) {
            return new IngestConfig.RawAnnexBDevice(deviceId, ipLiteral(peer, r.child("peer")), null);
        }
        try {
            return new IngestConfig.RawAnnexBDevice(deviceId, null, HostPort.parse(listenText));
        } catch (IllegalArgumentException e) {
            throw new ConfigException(r.child("listen"), e.getMessage());
        }
    }

    /** The normalized text of an IPv4 or IPv6 literal (never a DNS lookup). */
    static String ipLiteral(String text, String path) throws ConfigException {
        var v4 = IPV4.matcher(text);
        boolean ok = v4.matches() ? octetsInRange(v4) : IPV6.matcher(text).matches();
        if (ok) {
            try {
                return InetAddress.getByName(text).getHostAddress();
            } catch (UnknownHostException e) {
                ok = false;
            }
        }
        throw new ConfigException(path, "expected an IP address such as \"192.168.4.20\", got \"" + text + "\"");
    }

    private static boolean octetsInRange(java.util.regex.Matcher m) {
        for (int i = 1; i <= 4; i++) {
            if (Integer.parseInt(m.group(i)) > 255) {
                return false;
            }
        }
        return true;
    }

    /**
     * Cross-checks the whole ingest section: peers need the shared port; device_ids, peers and listen ports are
     * unique and no listen port is taken twice.
     *
     * @param base JSON path of the array, {@code $.ingest.raw_annexb_devices}
     */
    static void check(IngestConfig ingest, String base) throws ConfigException {
        Map<String, Integer> ids = new HashMap<>();
        Map<String, Integer> peers = new HashMap<>();
        Map<Integer, String> ports = new HashMap<>();
        claimPort(ports, ingest.tcpListen(), "$.ingest.tcp_listen", "$.ingest.tcp_listen");
        claimPort(ports, ingest.rawAnnexbListen(), "$.ingest.raw_annexb_listen", "$.ingest.raw_annexb_listen");
        List<IngestConfig.RawAnnexBDevice> devices = ingest.rawAnnexbDevices();
        for (int i = 0; i < devices.size(); i++) {
            IngestConfig.RawAnnexBDevice d = devices.get(i);
            String path = base + "[" + i + "]";
            Integer first = ids.putIfAbsent(d.deviceId(), i);
            if (first != null) {
                throw new ConfigException(path + ".device_id", "duplicate device_id \"" + d.deviceId()
                        + "\" (also at " + base + "[" + first + "])");
            }
            if (d.peer() != null) {
                if (ingest.rawAnnexbListen() == null) {
                    throw new ConfigException(path + ".peer", "needs $.ingest.raw_annexb_listen: cameras named by "
                            + "peer address connect there");
                }
                Integer other = peers.putIfAbsent(d.peer(), i);
                if (other != null) {
                    throw new ConfigException(path + ".peer", "duplicate peer " + d.peer() + " (also at " + base
                            + "[" + other + "])");
                }
            } else {
                claimPort(ports, d.listen(), path + ".listen", path + ".listen");
            }
        }
    }

    private static void claimPort(Map<Integer, String> ports, HostPort listen, String path, String owner)
            throws ConfigException {
        if (listen == null || listen.port() == 0) {
            return;
        }
        String prev = ports.putIfAbsent(listen.port(), owner);
        if (prev != null) {
            throw new ConfigException(path, "port " + listen.port() + " is already used by " + prev);
        }
    }

    /**
     * A raw Annex B camera must be in {@code $.cameras} unless unknown cameras are accepted (it would be refused).
     */
    static void checkKnown(IngestConfig ingest, List<CameraConfig> cameras, boolean acceptUnknown, String base)
            throws ConfigException {
        if (acceptUnknown) {
            return;
        }
        for (int i = 0; i < ingest.rawAnnexbDevices().size(); i++) {
            String id = ingest.rawAnnexbDevices().get(i).deviceId();
            if (cameras.stream().noneMatch(c -> c.deviceId().equals(id))) {
                throw new ConfigException(base + "[" + i + "].device_id", "\"" + id + "\" is not in $.cameras and "
                        + "accept_unknown_cameras is false, so it would be refused");
            }
        }
    }
}
