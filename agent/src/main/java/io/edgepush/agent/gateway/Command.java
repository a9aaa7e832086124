package io.edgepush.agent.gateway;

import io.edgepush.agent.config.QualityPreset;

/**
 * A command from {@code devices/{device_id}/stream/command} (DESIGN.md section 3).
 *
 * @param type       what to do
 * @param streamName target stream, {@code "main"} when absent
 * @param quality    requested preset for start/set_quality, nullable (start: keep the configured one)
 * @param commandId  echoed in the {@code command_ack} event, nullable
 */
record Command(Type type, String streamName, QualityPreset quality, String commandId) {

    /** Default stream_name. */
    public static final String DEFAULT_STREAM_NAME = "main";

    /** Command names on the wire: {@code start}, {@code stop}, {@code set_quality}, ... */
    public enum Type {
        START("start"), STOP("stop"), SET_QUALITY("set_quality"), REQUEST_KEYFRAME("request_keyframe"),
        GET_STATUS("get_status");

        private final String wireName;

        Type(String wireName) {
            this.wireName = wireName;
        }

        /** The name in the JSON {@code command} field. */
        public String wireName() {
            return wireName;
        }
    }
}
