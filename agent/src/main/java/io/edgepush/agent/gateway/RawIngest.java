package io.edgepush.agent.gateway;

import io.edgepush.agent.config.AgentConfig.IngestConfig;
import io.edgepush.agent.config.AgentConfig;
import io.edgepush.bridge.transport.RawAnnexBServer;
import io.netty.channel.EventLoopGroup;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Builds the raw Annex B camera server from {@code $.ingest.raw_annexb_listen} and
 * {@code $.ingest.raw_annexb_devices} (see {@link IngestConfig}). Listen addresses, in this order: the shared
 * port (if set), then each device with a {@code listen} of its own, in config order. On the shared port a camera
 * is named by its peer IP; an unlisted peer is named {@code RAW_<ip>_<listen port>} (':' and '%' of an IPv6
 * address written as '-', so the name is a valid device_id) when {@code accept_unknown_cameras} is true, and
 * refused otherwise.
 */
final class RawIngest {
    private RawIngest() {
    }

    /** The server on {@code group} (borrowed), or null when the config asks for no raw Annex B ingest. */
    static RawAnnexBServer server(AgentConfig config, EventLoopGroup group) {
        IngestConfig ingest = config.ingest();
        List<RawAnnexBServer.Listen> listens = new ArrayList<>();
        Map<String, String> byPeer = new HashMap<>();
        if (ingest.rawAnnexbListen() != null) {
            listens.add(new RawAnnexBServer.Listen(ingest.rawAnnexbListen().host(), ingest.rawAnnexbListen().port(),
                    null));
        }
        for (IngestConfig.RawAnnexBDevice d : ingest.rawAnnexbDevices()) {
            if (d.listen() != null) {
                listens.add(new RawAnnexBServer.Listen(d.listen().host(), d.listen().port(), d.deviceId()));
            } else {
                byPeer.put(d.peer(), d.deviceId());
            }
        }
        if (listens.isEmpty()) {
            return null;
        }
        boolean acceptUnknown = config.acceptUnknownCameras();
        return new RawAnnexBServer(listens, (peer, localPort) -> deviceIdFor(byPeer, acceptUnknown, peer, localPort),
                group);
    }

    /** The configured device_id of {@code peer}, else the derived one when unknown cameras are accepted, else null. */
    static String deviceIdFor(Map<String, String> byPeer, boolean acceptUnknown, InetSocketAddress peer, int localPort) {
        String ip = peer.getAddress().getHostAddress();
        String known = byPeer.get(ip);
        if (known != null || !acceptUnknown) {
            return known;
        }
        return "RAW_" + ip.replace(':', '-').replace('%', '-') + "_" + localPort;
    }
}
