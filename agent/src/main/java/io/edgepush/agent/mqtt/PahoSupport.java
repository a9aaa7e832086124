package io.edgepush.agent.mqtt;

import java.util.concurrent.CompletableFuture;
import org.eclipse.paho.mqttv5.client.IMqttToken;
import org.eclipse.paho.mqttv5.client.MqttActionListener;
import org.eclipse.paho.mqttv5.client.MqttClientException;
import org.eclipse.paho.mqttv5.common.MqttException;

/** Small helpers of {@link MqttLink} (package-private): Paho action listener to future, daemon threads. */
final class PahoSupport {
    private PahoSupport() {
    }

    /** A listener completing {@code done} on success and failing it with Paho's cause on failure. */
    static MqttActionListener listener(CompletableFuture<Void> done) {
        return new MqttActionListener() {
            @Override
            public void onSuccess(IMqttToken token) {
                done.complete(null);
            }

            @Override
            public void onFailure(IMqttToken token, Throwable e) {
                done.completeExceptionally(e);
            }
        };
    }

    /**
     * True if {@code error} (or a cause) is Paho's "client is not connected" (32104) or "too many publishes in
     * progress" (32202, the broker's Receive Maximum reached, MQTT 5.0 4.9): the message was not taken, try later.
     */
    static boolean notTakenForNow(Throwable error) {
        for (Throwable t = error; t != null; t = t.getCause()) {
            if (t instanceof MqttException m) {
                int code = m.getReasonCode();
                return code == MqttClientException.REASON_CODE_CLIENT_NOT_CONNECTED
                        || code == MqttClientException.REASON_CODE_MAX_INFLIGHT;
            }
        }
        return false;
    }

    /** A named daemon thread. */
    static Thread daemon(Runnable r, String name) {
        Thread t = new Thread(r, name);
        t.setDaemon(true);
        return t;
    }
}
