package io.edgepush.simulator.ingest;

import io.edgepush.protocol.rtmp.CommandMessage;
import io.edgepush.protocol.rtmp.RtmpServerConnection;
import io.edgepush.protocol.rtmp.Secrets;
import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The NetConnection/NetStream commands an ingest server answers (Adobe RTMP specification 7.2.1.1 connect,
 * 7.2.1.3 createStream, 7.2.2.3 deleteStream, 7.2.2.6 publish; FMLE releaseStream, FCPublish, FCUnpublish).
 */
final class IngestCommands {
    private static final Logger LOG = LoggerFactory.getLogger(IngestCommands.class);

    private final IngestConnection connection;
    private final RtmpIngestServer server;
    private int nextStreamId = 1;

    IngestCommands(IngestConnection connection, RtmpIngestServer server) {
        this.connection = connection;
        this.server = server;
    }

    void onCommand(RtmpServerConnection rtmp, int messageStreamId, CommandMessage c) {
        switch (c.name()) {
            case "connect" -> {
                connection.sendServerControls(rtmp);
                Map<String, Object> props = new LinkedHashMap<>();
                props.put("fmsVer", "FMS/3,0,1,123");
                props.put("capabilities", 31.0);
                rtmp.sendCommand(0, new CommandMessage("_result", c.transactionId(), props,
                        List.of(info("status", "NetConnection.Connect.Success", "Connection succeeded."))));
            }
            case "releaseStream", "FCPublish", "FCUnpublish" -> {
                if (c.name().equals("FCUnpublish") && c.argument(0) instanceof String name) {
                    endByName(streamName(name), "FCUnpublish");
                }
                if (c.transactionId() != 0) {
                    rtmp.sendCommand(0, new CommandMessage("_result", c.transactionId(), null,
                            java.util.Collections.singletonList(null)));
                }
            }
            case "createStream" -> rtmp.sendCommand(0, new CommandMessage("_result", c.transactionId(),
                    null, List.of((double) nextStreamId++)));
            case "publish" -> publish(rtmp, messageStreamId, c);
            case "deleteStream" -> {
                if (c.argument(0) instanceof Double id) {
                    end(id.intValue(), "deleteStream");
                }
            }
            case "closeStream" -> end(messageStreamId, "closeStream");
            default -> LOG.debug("rtmp ingest ignoring command {}", c);
        }
    }

    private void publish(RtmpServerConnection rtmp, int messageStreamId, CommandMessage c) {
        if (!(c.argument(0) instanceof String raw) || streamName(raw).isEmpty()) {
            onStatus(rtmp, messageStreamId, "error", "NetStream.Publish.BadName", "publish needs a stream name");
            return;
        }
        String name = streamName(raw);
        if (connection.publishes().containsKey(messageStreamId)) {
            onStatus(rtmp, messageStreamId, "error", "NetStream.Publish.BadName",
                    "this stream is already publishing");
            return;
        }
        Recording r;
        try {
            r = server.beginPublish(name);
        } catch (IOException e) {
            LOG.warn("stream_name={} cannot create recording: {}", Secrets.mask(name), e.toString());
            onStatus(rtmp, messageStreamId, "error", "NetStream.Publish.Failed", "cannot record the stream");
            return;
        }
        if (r == null) {
            LOG.warn("stream_name={} refused: already being published", Secrets.mask(name));
            onStatus(rtmp, messageStreamId, "error", "NetStream.Publish.BadName", "Stream already publishing");
            return;
        }
        connection.publishes().put(messageStreamId, r);
        rtmp.sendStreamBegin(messageStreamId);
        onStatus(rtmp, messageStreamId, "status", "NetStream.Publish.Start", "Start publishing");
    }

    private void end(int messageStreamId, String why) {
        Recording r = connection.publishes().remove(messageStreamId);
        if (r != null) {
            server.endPublish(r, why);
        }
    }

    private void endByName(String name, String why) {
        connection.publishes().entrySet().removeIf(e -> {
            if (e.getValue().streamName().equals(name)) {
                server.endPublish(e.getValue(), why);
                return true;
            }
            return false;
        });
    }

    private void onStatus(RtmpServerConnection rtmp, int messageStreamId, String level, String code, String text) {
        rtmp.sendCommand(messageStreamId, new CommandMessage("onStatus", 0, null,
                List.of(info(level, code, text))));
    }

    private static Map<String, Object> info(String level, String code, String description) {
        Map<String, Object> info = new LinkedHashMap<>();
        info.put("level", level);
        info.put("code", code);
        info.put("description", description);
        return info;
    }

    /** The publish name without its query string ("key?token=x" -> "key"). */
    static String streamName(String publishName) {
        int q = publishName.indexOf('?');
        return q < 0 ? publishName : publishName.substring(0, q);
    }
}
