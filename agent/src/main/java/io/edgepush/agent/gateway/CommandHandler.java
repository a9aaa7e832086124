package io.edgepush.agent.gateway;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.edgepush.agent.mqtt.LogText;
import io.edgepush.agent.mqtt.MqttMessageView;
import io.edgepush.agent.mqtt.StatusEvents;
import io.edgepush.agent.mqtt.StatusPublisher;
import io.edgepush.agent.session.SessionRegistry;
import io.edgepush.agent.session.StreamSession;
import io.edgepush.agent.trigger.Triggers;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/**
 * Handles {@code devices/{device_id}/stream/command} (DESIGN.md section 3): start, stop, set_quality,
 * request_keyframe, get_status (answered with a {@code status} event holding the same per-session fields as
 * the local {@code /status} page, see {@link StatusJson}). Every command is answered with a {@code command_ack}
 * event; a malformed one is logged and, when its command_id could be read, acknowledged with {@code ok: false}.
 * Before anything else each message passes the per-device rate limit ({@link CommandAdmission}): one over it is
 * not parsed further nor carried out, and at most a few are acknowledged with {@code error: "rate_limited"}.
 * Nothing a message holds can stop the agent.
 */
final class CommandHandler {
    /** The topic filter this handler serves. */
    static final String TOPIC_FILTER = "devices/+/stream/command";

    private static final Logger log = LoggerFactory.getLogger(CommandHandler.class);

    private final SessionRegistry sessions;
    private final Triggers triggers;
    private final StatusPublisher publisher;
    private final StatusEvents events;
    private final CommandAdmission admission;

    /**
     * A handler with the {@link CommandAdmission} rate limit on {@link System#nanoTime}.
     *
     * @param triggers carries out start and stop (a start holds a stream on, a stop off; see {@link Triggers})
     */
    CommandHandler(SessionRegistry sessions, Triggers triggers, StatusPublisher publisher, StatusEvents events) {
        this.sessions = sessions;
        this.triggers = triggers;
        this.publisher = publisher;
        this.events = events;
        this.admission = new CommandAdmission(sessions::knows, System::nanoTime);
    }

    /** The rate limit in front of this handler. */
    CommandAdmission admission() {
        return admission;
    }

    /** One message on {@link #TOPIC_FILTER}; never throws. */
    void onMessage(String topic, MqttMessageView message) {
        String deviceId = topic.split("/", -1)[1];
        CommandAdmission.Verdict verdict = admission.admit(deviceId);
        if (verdict != CommandAdmission.Verdict.ADMIT) {
            if (verdict == CommandAdmission.Verdict.REJECT_WITH_ACK) {
                ackRateLimited(deviceId, message);
            }
            return;
        }
        Command command;
        try {
            command = CommandParser.parse(message.payload());
        } catch (CommandParseException e) {
            log.error("event=bad_command device_id={} error=\"{}\"", LogText.cut(deviceId), e.getMessage());
            if (e.commandId() != null) {
                ack(deviceId, null, e.commandId(), false, e.getMessage());
            }
            return;
        }
        try {
            dispatch(deviceId, command);
        } catch (RuntimeException e) {
            log.error("event=command_failed device_id={} command={} error=\"{}\"", deviceId, command.type(), e.toString());
            ack(deviceId, command.streamName(), command.commandId(), false, e.getMessage());
        }
    }

    private void dispatch(String deviceId, Command command) {
        Optional<StreamSession> found = sessions.find(deviceId, command.streamName());
        if (found.isEmpty()) {
            log.warn("event=command_for_unknown_stream device_id={} stream_name={} command={}",
                    LogText.cut(deviceId), LogText.cut(command.streamName()), command.type());
            ack(deviceId, command.streamName(), command.commandId(), false,
                    "unknown device_id or stream_name: " + deviceId + "/" + command.streamName());
            return;
        }
        StreamSession session = found.get();
        log.info("event=command device_id={} stream_name={} command={} command_id={}",
                deviceId, session.streamName(), command.type(), command.commandId());
        switch (command.type()) {
            case START -> ackWhenDone(session, command, triggers.command(session, true, command.quality()));
            case STOP -> ackWhenDone(session, command, triggers.command(session, false, null));
            case SET_QUALITY -> {
                session.setQuality(command.quality());
                ack(deviceId, session.streamName(), command.commandId(), true, null);
            }
            case REQUEST_KEYFRAME -> {
                session.camera().requestKeyframe();
                ack(deviceId, session.streamName(), command.commandId(), true, null);
            }
            case GET_STATUS -> {
                publisher.publish(deviceId, status(session));
                ack(deviceId, session.streamName(), command.commandId(), true, null);
            }
        }
    }

    /** {@code command_ack ok:false error:"rate_limited"}, with the command's command_id when it can be read. */
    private void ackRateLimited(String deviceId, MqttMessageView message) {
        String commandId;
        String streamName = null;
        try {
            Command c = CommandParser.parse(message.payload());
            commandId = c.commandId();
            streamName = c.streamName();
        } catch (CommandParseException e) {
            commandId = e.commandId();
        }
        ack(deviceId, streamName, commandId, false, "rate_limited");
    }

    private void ackWhenDone(StreamSession session, Command command, CompletableFuture<Boolean> done) {
        done.whenComplete((changed, err) -> ack(session.deviceId(), session.streamName(), command.commandId(),
                err == null, err == null ? null : err.getMessage()));
    }

    /** get_status answer: a {@code status} event carrying the session's {@link StatusJson} fields. */
    private ObjectNode status(StreamSession session) {
        return StatusJson.putTrigger(StatusJson.putSession(events.event("status", session.deviceId(),
                session.streamName()), session.status(), System.currentTimeMillis()), triggers.reading(session));
    }

    private void ack(String deviceId, String streamName, String commandId, boolean ok, String error) {
        publisher.publish(deviceId, events.commandAck(deviceId, streamName, commandId, ok, error));
    }
}
