package io.edgepush.simulator.cloud;

/**
 * One message the stream service received on {@code devices/+/stream/request}, and what it did with it.
 *
 * @param deviceId the device id from the topic
 * @param requestId the payload's {@code request_id}, null if missing or the payload was not JSON
 * @param responseTopic the MQTT 5 Response Topic of the request, null if absent
 * @param outcome what the service did
 * @param streamKey the stream key answered (null unless {@link Outcome#ANSWERED})
 * @param failedEndpoint the request's {@code failed_endpoint}, null if the request had none (or it was not an
 *     object)
 * @param rtmpUrl the {@code rtmp_url} answered (null unless {@link Outcome#ANSWERED})
 */
public record SeenRequest(String deviceId, String requestId, String responseTopic, Outcome outcome,
        String streamKey, FailedEndpoint failedEndpoint, String rtmpUrl) {

    /** What the service did with a request. */
    public enum Outcome {
        /** answered with {@code success: true} and an endpoint */
        ANSWERED,
        /** answered with {@code success: false, error_code: UNAUTHORIZED} */
        DENIED,
        /** payload is not a JSON object: logged and ignored */
        IGNORED_MALFORMED,
        /** payload has no {@code request_id} string: logged and ignored */
        IGNORED_NO_REQUEST_ID,
        /** {@link StreamService.Mode#SILENT}: not parsed, not answered */
        UNANSWERED,
        /** {@link StreamService.Mode#GARBAGE}: not parsed, answered with bytes that are not JSON */
        GARBAGE
    }

    /**
     * The {@code failed_endpoint} object of a request: the endpoint the agent could not use last time.
     *
     * @param rtmpUrl its {@code rtmp_url} (the server URL without the stream key), null if absent or not a string
     * @param errorCode its {@code error_code}, null if absent or not a string
     */
    public record FailedEndpoint(String rtmpUrl, String errorCode) {
    }
}
