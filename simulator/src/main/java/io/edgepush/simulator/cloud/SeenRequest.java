package io.edgepush.simulator.cloud;

/**
 * One message the stream service received on {@code devices/+/stream/request}, and what it did with it.
 *
 * @param deviceId the device id from the topic
 * @param requestId the payload's {@code request_id}, null if missing or the payload was not JSON
 * @param responseTopic the MQTT 5 Response Topic of the request, null if absent
 * @param outcome what the service did
 * @param streamKey the stream key answered (null unless {@link Outcome#ANSWERED})
 */
public record SeenRequest(String deviceId, String requestId, String responseTopic, Outcome outcome,
        String streamKey) {

    /** What the service did with a request. */
    public enum Outcome {
        /** answered with {@code success: true} and an endpoint */
        ANSWERED,
        /** answered with {@code success: false, error_code: UNAUTHORIZED} */
        DENIED,
        /** payload is not a JSON object: logged and ignored */
        IGNORED_MALFORMED,
        /** payload has no {@code request_id} string: logged and ignored */
        IGNORED_NO_REQUEST_ID
    }
}
