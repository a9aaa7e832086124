package io.edgepush.protocol.rtmp;

import io.netty.buffer.PooledByteBufAllocator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The publish command exchange after the handshake (Adobe RTMP spec 7.2.1.1 connect, 7.2.1.3 createStream,
 * 7.2.2.6 publish, plus the FMLE releaseStream/FCPublish calls): a small state machine on the event loop.
 */
final class PublishSequence {
    static final int TID_CONNECT = 1;
    static final int TID_RELEASE_STREAM = 2;
    static final int TID_FC_PUBLISH = 3;
    static final int TID_CREATE_STREAM = 4;
    static final int TID_PUBLISH = 5;
    static final String PUBLISH_START = "NetStream.Publish.Start";
    /** E-RTMP v2 (Enhanced RTMP, "Reconnect Request"): the server asks the client to reconnect. */
    static final String RECONNECT_REQUEST = "NetConnection.Connect.ReconnectRequest";

    private static final Logger LOG = LoggerFactory.getLogger(PublishSequence.class);

    /** Where one publish connection is; every change goes through {@link #moveTo}. */
    private enum Stage { HANDSHAKE, CONNECT, CREATE_STREAM, PUBLISH, PUBLISHING, ENDED }

    private final RtmpPublisher publisher;
    private final PublishHandler handler;
    private final RtmpUrl url;
    private Stage stage = Stage.HANDSHAKE;
    private int streamId;
    private int nextTransactionId = TID_PUBLISH + 1;

    PublishSequence(RtmpPublisher publisher, PublishHandler handler) {
        this.publisher = publisher;
        this.handler = handler;
        this.url = publisher.url();
    }

    String stage() {
        return switch (stage) {
            case HANDSHAKE -> "handshake";
            case CONNECT -> "waiting for connect _result";
            case CREATE_STREAM -> "waiting for createStream _result";
            case PUBLISH -> "waiting for NetStream.Publish.Start";
            case PUBLISHING -> "publishing";
            case ENDED -> "ended";
        };
    }

    /** The one transition function: forward one step at a time, or to ENDED from anywhere. */
    private void moveTo(Stage next) {
        boolean legal = switch (next) {
            case HANDSHAKE -> false;
            case CONNECT -> stage == Stage.HANDSHAKE;
            case CREATE_STREAM -> stage == Stage.CONNECT;
            case PUBLISH -> stage == Stage.CREATE_STREAM;
            case PUBLISHING -> stage == Stage.PUBLISH;
            case ENDED -> true;
        };
        if (!legal) {
            throw new IllegalStateException("illegal publish stage change " + stage + " -> " + next);
        }
        stage = next;
    }

    /** Stops reacting to the server: after a failure or when the connection closed. */
    void end() {
        moveTo(Stage.ENDED);
    }

    boolean isEnded() {
        return stage == Stage.ENDED;
    }

    /** After the handshake: Set Chunk Size 4096 and connect. */
    void start() {
        moveTo(Stage.CONNECT);
        publisher.sendControl(ControlMessages.setChunkSize(PooledByteBufAllocator.DEFAULT,
                RtmpPublisher.OUTGOING_CHUNK_SIZE), false);
        Map<String, Object> commandObject = new LinkedHashMap<>();
        commandObject.put("app", url.app());
        commandObject.put("type", "nonprivate");
        commandObject.put("flashVer", publisher.options().flashVer());
        commandObject.put("tcUrl", url.tcUrl());
        if (!publisher.options().fourCcList().isEmpty()) {
            commandObject.put("fourCcList", publisher.options().fourCcList()); // AMF0 strict array of strings
        }
        publisher.sendCommand(0, new CommandMessage("connect", TID_CONNECT, commandObject, List.of()), true);
        LOG.debug("rtmp sent connect app={} url={}", url.app(), url.masked());
    }

    void onCommand(CommandMessage command) throws RtmpException {
        int tid = (int) command.transactionId();
        switch (command.name()) {
            case "_result" -> onResult(command, tid);
            case "_error" -> onError(command, tid);
            case "onStatus" -> onStatus(command);
            case "onBWDone" -> publisher.sendCommand(0,
                    new CommandMessage("_checkbw", nextTransactionId++, null, List.of()), true);
            case "close" -> throw new RtmpException(RtmpErrorCode.RTMP_CONNECTION_CLOSED,
                    "server sent the close command (" + stage() + ")");
            default -> LOG.debug("rtmp ignoring command {} url={}", command, url.masked());
        }
    }

    private void onResult(CommandMessage command, int tid) throws RtmpException {
        if (tid == TID_CONNECT && stage == Stage.CONNECT) {
            LOG.info("rtmp connect accepted app={} url={}", url.app(), url.masked());
            moveTo(Stage.CREATE_STREAM);
            handler.sendWindowAckSizeIfChanged(RtmpPublisher.WINDOW_ACK_SIZE);
            String name = url.streamName();
            publisher.sendCommand(0, new CommandMessage("releaseStream", TID_RELEASE_STREAM, null, List.of(name)), false);
            publisher.sendCommand(0, new CommandMessage("FCPublish", TID_FC_PUBLISH, null, List.of(name)), false);
            publisher.sendCommand(0, new CommandMessage("createStream", TID_CREATE_STREAM, null, List.of()), true);
        } else if (tid == TID_CREATE_STREAM && stage == Stage.CREATE_STREAM) {
            if (!(command.argument(0) instanceof Double id) || id < 1 || id > Integer.MAX_VALUE) {
                throw new RtmpException(RtmpErrorCode.RTMP_PUBLISH_FAILED,
                        "createStream _result carries no valid stream id: " + command.argument(0));
            }
            streamId = id.intValue();
            moveTo(Stage.PUBLISH);
            LOG.debug("rtmp stream created stream_id={} url={}", streamId, url.masked());
            publisher.sendCommand(streamId, new CommandMessage("publish", TID_PUBLISH, null,
                    List.of(url.streamName(), "live")), true);
        } else {
            LOG.debug("rtmp ignoring {} url={}", command, url.masked());
        }
    }

    private void onError(CommandMessage command, int tid) throws RtmpException {
        String code = command.infoString("code");
        String description = command.infoString("description");
        String text = describe(command);
        if (tid == TID_CONNECT) {
            throw ServerAnswers.classify(ServerAnswers.Request.CONNECT, code, description,
                    "server rejected connect to app '" + url.app() + "': " + text);
        }
        if (tid == TID_CREATE_STREAM) {
            throw ServerAnswers.classify(ServerAnswers.Request.CREATE_STREAM, code, description,
                    "server refused createStream: " + text);
        }
        if (tid == TID_PUBLISH) {
            throw ServerAnswers.classify(ServerAnswers.Request.PUBLISH, code, description,
                    "server refused publish: " + text);
        }
        LOG.debug("rtmp ignoring _error tid={} code={} url={}", tid, code, url.masked());
    }

    private void onStatus(CommandMessage command) throws RtmpException {
        String code = command.infoString("code");
        String level = command.infoString("level");
        if (PUBLISH_START.equals(code) && stage == Stage.PUBLISH) {
            moveTo(Stage.PUBLISHING);
            handler.publishStarted();
            publisher.onPublishStart(streamId);
        } else if (RECONNECT_REQUEST.equals(code)) {
            ReconnectRequest request = new ReconnectRequest(command.infoString("tcUrl"),
                    command.infoString("description"));
            LOG.info("rtmp server requests a reconnect new_tc_url={} url={}", request.tcUrl() != null,
                    url.masked());
            publisher.onReconnectRequest(request);
        } else if ("error".equalsIgnoreCase(level)) {
            String what = stage == Stage.PUBLISHING ? "server ended the publish: " : "server refused publish: ";
            throw ServerAnswers.classify(ServerAnswers.Request.PUBLISH, code, command.infoString("description"),
                    what + describe(command));
        } else {
            LOG.info("rtmp onStatus code={} level={} url={}", code, level, url.masked());
        }
    }

    /** True while publish was sent and NetStream.Publish.Start has not come (a close now is the "bare close"). */
    boolean awaitingPublishStart() {
        return stage == Stage.PUBLISH;
    }

    /** "code (description)" with the stream key masked in case the server echoed it. */
    private String describe(CommandMessage command) {
        String code = command.infoString("code");
        String description = command.infoString("description");
        String text = (code == null ? "no status code" : code) + (description == null ? "" : " (" + description + ")");
        String name = url.streamName();
        int query = name.indexOf('?');
        String key = query < 0 ? name : name.substring(0, query);
        return Secrets.maskIn(Secrets.maskIn(text, name), key);
    }
}
