package io.edgepush.protocol.rtmp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.edgepush.protocol.rtmp.ScriptedRtmpServer.Connection;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Every class of server answer, sent by a scripted server, maps to its error code and retry policy (issue 3
 * item 4). The answers use the status codes and descriptions real servers send (nginx-rtmp "Already publishing",
 * Adobe/Wowza "[ AccessManager.Reject ] : [ code=403 need auth; authmod=adobe ]").
 */
class ServerAnswersTest extends PublisherTestSupport {

    /** A server that answers publish with onStatus(level, code, description). */
    private RtmpException publishAnswered(String level, String code, String description) throws Exception {
        ScriptedRtmpServer server = server(new ScriptedRtmpServer.Script() {
            @Override
            public void onPublish(Connection c, CommandMessage publish) {
                c.onStatus(ScriptedRtmpServer.STREAM_ID, level, code, description);
            }
        });
        return publishFailure(server.url(KEY), RtmpPublisherOptions.defaults());
    }

    /** A server that answers connect with _error carrying code and description. */
    private RtmpException connectRefused(String code, String description) throws Exception {
        ScriptedRtmpServer server = server(new ScriptedRtmpServer.Script() {
            @Override
            public void onConnect(Connection c, CommandMessage connect) {
                c.sendCommand(0, "_error", connect.transactionId(), null,
                        Map.of("level", "error", "code", code, "description", description));
            }
        });
        return publishFailure(server.url(KEY), RtmpPublisherOptions.defaults());
    }

    @ParameterizedTest(name = "publish onStatus {0} \"{1}\" -> {2} {3}")
    @CsvSource({
        "NetStream.Publish.BadName, Already publishing, RTMP_PUBLISH_BAD_NAME, RETRY_AFTER_IDLE_TIMEOUT",
        "NetStream.Publish.BadName, Stream name not allowed, RTMP_PUBLISH_BAD_NAME, DO_NOT_RETRY",
        "NetStream.Publish.Failed, Publish failed, RTMP_PUBLISH_FAILED, RETRY_NOW",
        "NetStream.Publish.Rejected, Publishing is disabled, RTMP_PUBLISH_FAILED, DO_NOT_RETRY",
        "NetStream.Publish.Denied, Publish denied, RTMP_PUBLISH_FAILED, DO_NOT_RETRY",
        "NetConnection.Connect.Rejected, Connection rejected, RTMP_CONNECT_REJECTED, DO_NOT_RETRY",
        "NetStream.Publish.Failed, authentication failed, RTMP_AUTH_FAILED, DO_NOT_RETRY",
        "NetStream.Publish.Unknown, something odd, RTMP_PUBLISH_FAILED, RETRY_NOW",
    })
    void publishOnStatusErrors(String code, String description, RtmpErrorCode expected, RetryPolicy policy)
            throws Exception {
        RtmpException e = publishAnswered("error", code, description);
        assertEquals(expected, e.code());
        assertEquals(policy, e.policy());
        assertEquals(code, e.serverCode());
        assertTrue(e.getMessage().contains(description), e.getMessage());
    }

    @ParameterizedTest(name = "connect _error {0} \"{1}\" -> {2} {3}")
    @CsvSource(delimiter = '|', value = {
        "NetConnection.Connect.Rejected | Connection failed: Application rejected connection. | RTMP_CONNECT_REJECTED | DO_NOT_RETRY",
        "NetConnection.Connect.InvalidApp | Application not found | RTMP_CONNECT_REJECTED | DO_NOT_RETRY",
        "NetConnection.Connect.Failed | Server busy | RTMP_CONNECT_REJECTED | RETRY_NOW",
        "NetConnection.Connect.Rejected | [ AccessManager.Reject ] : [ code=403 need auth; authmod=adobe ] : | RTMP_AUTH_FAILED | DO_NOT_RETRY",
        "NetConnection.Connect.Rejected | Unauthorized: bad token | RTMP_AUTH_FAILED | DO_NOT_RETRY",
    })
    void connectErrors(String code, String description, RtmpErrorCode expected, RetryPolicy policy) throws Exception {
        RtmpException e = connectRefused(code, description);
        assertEquals(expected, e.code());
        assertEquals(policy, e.policy());
        assertEquals(code, e.serverCode());
    }

    @Test
    void publishErrorResultIsClassifiedLikeOnStatus() throws Exception {
        ScriptedRtmpServer server = server(new ScriptedRtmpServer.Script() {
            @Override
            public void onPublish(Connection c, CommandMessage publish) {
                c.sendCommand(ScriptedRtmpServer.STREAM_ID, "_error", publish.transactionId(), null,
                        Map.of("level", "error", "code", "NetStream.Publish.BadName",
                                "description", "Stream already publishing"));
            }
        });
        RtmpException e = publishFailure(server.url(KEY), RtmpPublisherOptions.defaults());
        assertEquals(RtmpErrorCode.RTMP_PUBLISH_BAD_NAME, e.code());
        assertEquals(RetryPolicy.RETRY_AFTER_IDLE_TIMEOUT, e.policy());
    }

    @Test
    void createStreamErrorRetriesNow() throws Exception {
        ScriptedRtmpServer server = server(new ScriptedRtmpServer.Script() {
            @Override
            public void onCreateStream(Connection c, CommandMessage createStream) {
                c.sendCommand(0, "_error", createStream.transactionId(), null,
                        Map.of("level", "error", "code", "NetConnection.Call.Failed", "description", "no streams"));
            }
        });
        RtmpException e = publishFailure(server.url(KEY), RtmpPublisherOptions.defaults());
        assertEquals(RtmpErrorCode.RTMP_PUBLISH_FAILED, e.code());
        assertEquals(RetryPolicy.RETRY_NOW, e.policy());
    }

    @Test
    void bareCloseRightAfterPublishRetriesAfterTheIdleTimeout() throws Exception {
        RtmpException e = publishFailureWhenClosedOnPublish();
        assertEquals(RtmpErrorCode.RTMP_CONNECTION_CLOSED, e.code());
        assertEquals(RetryPolicy.RETRY_AFTER_IDLE_TIMEOUT, e.policy());
        assertNull(e.serverCode());
        assertTrue(e.getMessage().contains("right after publish"), e.getMessage());
    }

    @Test
    void closeBeforeTheConnectAnswerRetriesNow() throws Exception {
        ScriptedRtmpServer server = server(new ScriptedRtmpServer.Script() {
            @Override
            public void onConnect(Connection c, CommandMessage connect) {
                c.close();
            }
        });
        RtmpException e = publishFailure(server.url(KEY), RtmpPublisherOptions.defaults());
        assertEquals(RtmpErrorCode.RTMP_CONNECTION_CLOSED, e.code());
        assertEquals(RetryPolicy.RETRY_NOW, e.policy());
    }

    @Test
    void closeWhilePublishingRetriesNow() throws Exception {
        ScriptedRtmpServer server = server(new ScriptedRtmpServer.Script() {
            @Override
            public void onPublish(Connection c, CommandMessage publish) {
                c.publishStart();
                c.close();
            }
        });
        RtmpException cause = publish(server).closed().get(10, TimeUnit.SECONDS);
        assertEquals(RtmpErrorCode.RTMP_CONNECTION_CLOSED, cause.code());
        assertEquals(RetryPolicy.RETRY_NOW, cause.policy());
    }

    @Test
    void badNameWhilePublishingEndsTheConnectionWithItsPolicy() throws Exception {
        ScriptedRtmpServer server = server(new ScriptedRtmpServer.Script() {
            @Override
            public void onPublish(Connection c, CommandMessage publish) {
                c.publishStart();
                c.onStatus(ScriptedRtmpServer.STREAM_ID, "error", "NetStream.Publish.Denied", "kicked by admin");
            }
        });
        RtmpException cause = publish(server).closed().get(10, TimeUnit.SECONDS);
        assertEquals(RetryPolicy.DO_NOT_RETRY, cause.policy());
        assertTrue(cause.getMessage().contains("server ended the publish"), cause.getMessage());
    }

    @Test
    void onBWDoneIsAnsweredWithCheckbw() throws Exception {
        ScriptedRtmpServer server = server(new ScriptedRtmpServer.Script() { });
        publish(server);
        ScriptedRtmpServer.Received checkbw = server.await(m -> "_checkbw".equals(m.name()), "_checkbw");
        assertEquals(0, checkbw.messageStreamId());
        assertNull(checkbw.command().commandObject());
    }

    @Test
    void authMarkersAreCaseInsensitiveAndAbsentInOrdinaryDescriptions() {
        assertTrue(ServerAnswers.isAuthFailure("Authentication Failed"));
        assertTrue(ServerAnswers.isAuthFailure("[ AccessManager.Reject ] : [ authmod=adobe ]"));
        assertTrue(ServerAnswers.isAuthFailure("HTTP code=403"));
        assertTrue(ServerAnswers.isAuthFailure("Forbidden"));
        assertFalse(ServerAnswers.isAuthFailure("Already publishing"));
        assertFalse(ServerAnswers.isAuthFailure(null));
    }
}
