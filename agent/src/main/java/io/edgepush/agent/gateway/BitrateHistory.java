package io.edgepush.agent.gateway;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.edgepush.agent.session.StreamSession;

import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;

/**
 * The last five minutes of every session's bitrate, kept on the agent so the web page ({@link WebPage}) draws a full
 * sparkline the moment it opens. The control thread calls {@link #sample} every {@value #INTERVAL_SEC} s; each
 * session has a {@link BitrateRing} of {@value #CAPACITY} samples, made when the session is first seen and dropped
 * when it is no longer in the list. Served as {@code GET /history} ({@link #json}):
 * <pre>
 * {"interval_sec": 5, "capacity": 60, "timestamp": 1691234567123,
 *  "streams": [{"device_id": "CAM_1", "stream_name": "main", "newest_at": 1691234565000,
 *               "bitrate_bps": [0, 0, 498211, 501003]}]}
 * </pre>
 * {@code bitrate_bps} is oldest first, newest last, at most {@code capacity} entries, each the FLV tag body bits
 * sent per second over the interval before it (the sample at {@code newest_at} ends the array); {@code timestamp}
 * and {@code newest_at} are Unix milliseconds ({@code newest_at} 0 while a stream has no sample yet). Streams come
 * in the order of the last {@link #sample}. Thread-safe: the control thread writes, the HTTP thread reads.
 */
final class BitrateHistory {
    /** Seconds between samples. */
    static final int INTERVAL_SEC = 5;
    /** Samples kept per stream: five minutes. */
    static final int CAPACITY = 60;
    private static final ObjectMapper JSON = new ObjectMapper();

    /** How to read one stream: its names and its running count of bytes sent. */
    interface Meter<S> {
        String deviceId(S stream);

        String streamName(S stream);

        long bytesSent(S stream);
    }

    /** Reads a {@link StreamSession}. */
    static final Meter<StreamSession> SESSIONS = new Meter<>() {
        @Override
        public String deviceId(StreamSession s) {
            return s.deviceId();
        }

        @Override
        public String streamName(StreamSession s) {
            return s.streamName();
        }

        @Override
        public long bytesSent(StreamSession s) {
            return s.metrics().bytesSent();
        }
    };

    private final int capacity;
    /** Keyed by the stream object itself (a session that goes away and comes back anew starts a new ring). */
    private final Map<Object, Ring> rings = new IdentityHashMap<>();
    private final Meter<Object> meter;
    /** The streams of the last sample, in their order (the keys of {@link #rings}). */
    private List<?> order = List.of();

    private record Ring(String deviceId, String streamName, BitrateRing samples) {
    }

    /** A history of {@value #CAPACITY} samples per session. */
    static BitrateHistory ofSessions() {
        return new BitrateHistory(SESSIONS, CAPACITY);
    }

    @SuppressWarnings("unchecked")
    <S> BitrateHistory(Meter<S> meter, int capacity) {
        this.meter = (Meter<Object>) meter;
        this.capacity = capacity;
    }

    /**
     * Takes one sample of every stream in {@code streams} and drops the rings of streams no longer there.
     *
     * @param nowNanos   {@link System#nanoTime()} now
     * @param nowEpochMs Unix milliseconds now
     */
    synchronized void sample(List<?> streams, long nowNanos, long nowEpochMs) {
        if (rings.size() > streams.size() || !rings.keySet().containsAll(streams)) {
            Map<Object, Ring> kept = new IdentityHashMap<>();
            for (Object s : streams) {
                Ring ring = rings.get(s);
                kept.put(s, ring != null ? ring
                        : new Ring(meter.deviceId(s), meter.streamName(s), new BitrateRing(capacity)));
            }
            rings.clear();
            rings.putAll(kept);
            order = List.copyOf(streams);
        }
        for (Object s : order) {
            rings.get(s).samples().sample(meter.bytesSent(s), nowNanos, nowEpochMs);
        }
    }

    /** The {@code GET /history} document (shape in the class comment). */
    synchronized ObjectNode json(long nowEpochMs) {
        ObjectNode doc = JSON.createObjectNode().put("interval_sec", INTERVAL_SEC).put("capacity", capacity)
                .put("timestamp", nowEpochMs);
        ArrayNode streams = doc.putArray("streams");
        for (Object s : order) {
            Ring ring = rings.get(s);
            ArrayNode samples = streams.addObject().put("device_id", ring.deviceId())
                    .put("stream_name", ring.streamName()).put("newest_at", ring.samples().newestAtEpochMs())
                    .putArray("bitrate_bps");
            for (int i = 0; i < ring.samples().size(); i++) {
                samples.add(ring.samples().bitrateBps(i));
            }
        }
        return doc;
    }
}
