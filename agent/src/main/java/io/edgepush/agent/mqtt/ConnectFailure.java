package io.edgepush.agent.mqtt;

import java.io.EOFException;
import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.security.cert.CertPathBuilderException;
import java.security.cert.CertPathValidatorException;
import java.security.cert.CertificateExpiredException;
import java.security.cert.CertificateNotYetValidException;
import java.util.Locale;
import javax.net.ssl.SSLException;
import org.eclipse.paho.mqttv5.client.MqttClientException;
import org.eclipse.paho.mqttv5.common.MqttException;
import org.eclipse.paho.mqttv5.common.packet.MqttReturnCode;

/**
 * Why an MQTT connect attempt failed, as a short machine-readable {@link #cause()} for the
 * {@code event=mqtt_connect_failed} log line, plus a human {@link #detail()} (the innermost exception message, quotes
 * replaced, at most {@value #MAX_DETAIL_CHARS} characters). Exceptions carry no credentials, so neither field does.
 *
 * <p>Causes: {@code tls_unknown_ca} (server certificate not signed by a trusted CA), {@code tls_certificate_expired}
 * (ours or the server's, also "not yet valid"), {@code tls_hostname_mismatch}, {@code tls_client_certificate_required}
 * (mutual TLS without a client certificate), {@code tls_client_certificate_rejected} (the broker refused ours),
 * {@code tls_handshake_failed} (any other TLS error), {@code bad_credentials} (CONNACK 0x86, or 0x87 when a user
 * name was sent: mosquitto answers a wrong user name or password with 0x87 Not authorized, and checks nothing else
 * at CONNECT), {@code not_authorized} (0x87 without a user name: anonymous access refused),
 * {@code server_unavailable} (0x88, 0x89), {@code client_id_rejected} (0x85), {@code banned} (0x8A),
 * {@code refused_<code>} (another CONNACK reason code), {@code connection_refused}, {@code unknown_host},
 * {@code timeout}, {@code connection_lost} (the broker closed the connection during the connect: with TLS 1.3 a
 * broker that refuses our client certificate sends its alert after the handshake, and writing CONNECT may fail with
 * "Broken pipe" before the alert is read), {@code error} (anything else).
 *
 * <p>{@link #detail()} ends with the CONNACK reason code in hex when there is one, e.g. {@code Not authorized. (0x87)}.
 */
record ConnectFailure(String cause, String detail) {
    /** Longest {@link #detail()}. */
    static final int MAX_DETAIL_CHARS = 200;

    /**
     * Classifies the exception of a failed connect (Paho's {@link MqttException} or anything it wraps).
     *
     * @param sentUserName whether the CONNECT carried a user name (tells a refused password from refused anonymity)
     */
    static ConnectFailure classify(Throwable error, boolean sentUserName) {
        return new ConnectFailure(cause(error, sentUserName), detail(error));
    }

    private static String cause(Throwable error, boolean sentUserName) {
        String tls = tlsCause(error);
        if (tls != null) {
            return tls;
        }
        for (Throwable t = error; t != null; t = t.getCause()) {
            if (t instanceof ConnectException || t instanceof NoRouteToHostException) {
                return "connection_refused";
            }
            if (t instanceof UnknownHostException) {
                return "unknown_host";
            }
            if (t instanceof SocketTimeoutException) {
                return "timeout";
            }
            if (t instanceof SocketException || t instanceof EOFException) {
                return "connection_lost";
            }
        }
        if (error instanceof MqttException m) {
            int code = m.getReasonCode();
            return code == MqttReturnCode.RETURN_CODE_NOT_AUTHORIZED && sentUserName ? "bad_credentials"
                    : reasonCause(code);
        }
        return "error";
    }

    /** The TLS cause, or null when no TLS exception is in the chain. */
    private static String tlsCause(Throwable error) {
        boolean tls = false;
        for (Throwable t = error; t != null; t = t.getCause()) {
            if (t instanceof CertificateExpiredException || t instanceof CertificateNotYetValidException
                    || (t instanceof CertPathValidatorException v
                    && v.getReason() == CertPathValidatorException.BasicReason.EXPIRED)) {
                return "tls_certificate_expired";
            }
            if (t instanceof CertPathBuilderException) {
                return "tls_unknown_ca";
            }
            String message = String.valueOf(t.getMessage()).toLowerCase(Locale.ROOT);
            if (t instanceof java.security.cert.CertificateException
                    && (message.contains("no subject alternative") || message.contains("no name matching"))) {
                return "tls_hostname_mismatch";
            }
            if (t instanceof SSLException) {
                String alert = alert(message);
                if (alert != null) {
                    return alert;
                }
                tls = tls || !socketErrorBelow(t);
            }
        }
        return tls ? "tls_handshake_failed" : null;
    }

    /** Whether a socket error (broken pipe, reset, end of stream) lies under {@code t}: the connection was lost. */
    private static boolean socketErrorBelow(Throwable t) {
        for (Throwable c = t.getCause(); c != null; c = c.getCause()) {
            if (c instanceof SocketException || c instanceof EOFException) {
                return true;
            }
        }
        return false;
    }

    /** The cause named by a TLS alert the broker sent ("Received fatal alert: certificate_expired"), or null. */
    private static String alert(String message) {
        if (!message.contains("alert")) {
            return null;
        }
        if (message.contains("certificate_expired")) {
            return "tls_certificate_expired";
        }
        if (message.contains("certificate_required") || message.contains("handshake_failure")) {
            return "tls_client_certificate_required";
        }
        if (message.contains("unknown_ca") || message.contains("bad_certificate")
                || message.contains("certificate_unknown") || message.contains("decrypt_error")) {
            return "tls_client_certificate_rejected";
        }
        return null;
    }

    private static String reasonCause(int code) {
        return switch (code) {
            case MqttReturnCode.RETURN_CODE_BAD_USERNAME_OR_PASSWORD -> "bad_credentials";
            case MqttReturnCode.RETURN_CODE_NOT_AUTHORIZED -> "not_authorized";
            case MqttReturnCode.RETURN_CODE_SERVER_UNAVAILABLE, MqttReturnCode.RETURN_CODE_SERVER_BUSY ->
                    "server_unavailable";
            case MqttReturnCode.RETURN_CODE_IDENTIFIER_NOT_VALID -> "client_id_rejected";
            case MqttReturnCode.RETURN_CODE_BANNED -> "banned";
            case MqttClientException.REASON_CODE_CLIENT_TIMEOUT -> "timeout";
            case MqttClientException.REASON_CODE_CONNECTION_LOST -> "connection_lost";
            default -> code >= 0x80 && code <= 0xFF ? "refused_" + code : "error";
        };
    }

    /** The innermost message (or the exception's class), double quotes replaced, shortened. */
    private static String detail(Throwable error) {
        Throwable inner = error;
        while (inner.getCause() != null && inner.getCause() != inner) {
            inner = inner.getCause();
        }
        String message = inner.getMessage() == null ? inner.getClass().getSimpleName() : inner.getMessage();
        if (inner != error && error instanceof MqttException m && m.getReasonCode() != 0) {
            message = m.getMessage() + ": " + message;
        } else if (inner == error && error instanceof MqttException m && m.getReasonCode() >= 0x80
                && m.getReasonCode() <= 0xFF) {
            message = message + " (0x" + Integer.toHexString(m.getReasonCode()) + ")";
        }
        String clean = message.replace('"', '\'').replaceAll("\\s+", " ");
        return clean.length() <= MAX_DETAIL_CHARS ? clean : clean.substring(0, MAX_DETAIL_CHARS) + "...";
    }
}
