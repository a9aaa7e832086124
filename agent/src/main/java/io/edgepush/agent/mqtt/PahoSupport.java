package io.edgepush.agent.mqtt;

import java.util.concurrent.CompletableFuture;
import org.eclipse.paho.mqttv5.client.IMqttToken;
import org.eclipse.paho.mqttv5.client.MqttActionListener;

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

    /** A named daemon thread. */
    static Thread daemon(Runnable r, String name) {
        Thread t = new Thread(r, name);
        t.setDaemon(true);
        return t;
    }
}
