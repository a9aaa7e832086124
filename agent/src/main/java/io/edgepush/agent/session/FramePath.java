package io.edgepush.agent.session;

import io.edgepush.protocol.flv.AvcFlvMuxer;
import io.edgepush.protocol.flv.FlvTagType;
import io.edgepush.protocol.flv.SilentAudioTrack;
import io.edgepush.protocol.h264.AnnexBReader;
import io.edgepush.protocol.h264.H264Exception;
import io.edgepush.protocol.h264.NalUnitType;
import io.edgepush.protocol.rtmp.RtmpPublisher;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.PooledByteBufAllocator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * The per-frame half of a session: camera access unit (Annex B) -> NAL units -> FLV tags -> RTMP.
 * Keeps the stream's timestamps (milliseconds from the first keyframe of a publish, taken from the
 * camera's capture clock, never going backwards), drops frames until the next keyframe while the uplink
 * cannot keep up, and tracks SPS/PPS even while nothing is published so a publish can start at once.
 * While it waits for a keyframe (a new publish, or the camera came back after a pause) and a non-keyframe
 * arrives, it asks the camera for an IDR once (and at once when a publish is attached). One timeline runs from a
 * start to a stop: a new publish after a reconnect, and a camera that comes back, continue it, with timestamps
 * going on from the last one written plus the time away, whatever the camera's capture clock does.
 * With silent audio on, a {@link SilentAudioTrack} sits between the muxer and the publisher and weaves silent
 * AAC frames in, restarting with each publish.
 * All methods are synchronized: frames come from the camera's I/O thread, start/stop from the control
 * thread.
 */
final class FramePath implements AvcFlvMuxer.TagSink {
    private static final Logger log = LoggerFactory.getLogger(FramePath.class);

    private final String deviceId;
    private final String streamName;
    private final boolean frameDropping;
    private final SessionMetrics metrics;
    private final AvcFlvMuxer muxer;
    private final SilentAudioTrack silentAudio;
    private final List<ByteBuf> nalUnits = new ArrayList<>(16);
    private final Consumer<ByteBuf> nalCollector = nalUnits::add;
    private final Runnable keyframeRequest;
    private final long frameIntervalMs;
    private RtmpPublisher publisher;
    private RtmpPublisher replacement;
    private Consumer<RtmpPublisher> onHandedOver;
    private long firstCaptureUs = -1;
    private long baseTimestampMs;
    private int lastTimestampMs;
    private long lastWrittenNanos;
    private boolean keyframeRequested;
    private boolean written;
    private boolean dropping;
    private boolean closed;

    /**
     * @param silentAudio add a silent AAC-LC track (44100 Hz mono) to the output
     * @param keyframeRequest asks the camera for an IDR (must not block)
     */
    FramePath(String deviceId, String streamName, boolean frameDropping, double fpsHint, boolean silentAudio,
              SessionMetrics metrics, Runnable keyframeRequest) {
        this.keyframeRequest = keyframeRequest;
        this.frameIntervalMs = Math.max(1, Math.round(1000 / Math.max(1, fpsHint)));
        this.deviceId = deviceId;
        this.streamName = streamName;
        this.frameDropping = frameDropping;
        this.metrics = metrics;
        this.silentAudio = silentAudio ? new SilentAudioTrack(PooledByteBufAllocator.DEFAULT,
                SilentAudioTrack.DEFAULT_SAMPLE_RATE_HZ, this) : null;
        this.muxer = new AvcFlvMuxer(PooledByteBufAllocator.DEFAULT, silentAudio ? this.silentAudio : this, true,
                fpsHint, "edgepush");
        if (silentAudio) {
            muxer.setAudio(this.silentAudio.metaData());
        }
    }

    /** Starts a new timeline (a start command): the next publish begins at timestamp 0. */
    synchronized void newTimeline() {
        firstCaptureUs = -1;
        baseTimestampMs = 0;
        lastTimestampMs = 0;
        written = false;
    }

    /**
     * Starts muxing into {@code next} (null: stop muxing). Output restarts at a keyframe with onMetaData and the
     * sequence header(s) first; the camera is asked for an IDR at once, so the publish does not wait a whole GOP.
     * Within one timeline, timestamps continue from the last one written plus the time since it was written.
     */
    synchronized void attach(RtmpPublisher next) {
        publisher = next;
        replacement = null;
        restartOutput();
        continueTimeline();
        dropping = false;
        keyframeRequested = next != null;
        if (next != null) {
            keyframeRequest.run();
        }
    }

    /**
     * Hands the stream over to {@code next} at the next keyframe (a server's reconnect request): from that
     * keyframe on, tags go to {@code next}, which first gets onMetaData and the AVC sequence header (and, with
     * silent audio, the AAC sequence header and a new audio run from that keyframe); timestamps continue where
     * they are. Asks the camera for an IDR. {@code handedOver} then gets the previous publisher
     * (called on the frame thread, must not block). A later call replaces a pending handover.
     */
    synchronized void handOverAtNextKeyframe(RtmpPublisher next, Consumer<RtmpPublisher> handedOver) {
        if (publisher == null) {
            return;
        }
        replacement = next;
        onHandedOver = handedOver;
        keyframeRequest.run();
    }

    /** Forgets a pending handover (its publisher failed or the session stops). */
    synchronized void cancelHandover(RtmpPublisher next) {
        if (replacement == next) {
            replacement = null;
        }
    }

    /**
     * The camera (re)attached: its capture clock may have restarted and its next frames may depend on
     * pictures never received, so output waits for a keyframe and continues the current publish at the last
     * timestamp plus the time since the last frame written (at least one frame interval of the fps hint).
     */
    synchronized void cameraReattached() {
        if (publisher == null) {
            return;
        }
        continueTimeline();
        keyframeRequested = false;
    }

    /** After a gap (new publish, camera back): the next keyframe continues the timeline from the last frame. */
    private void continueTimeline() {
        if (!written) {
            return;
        }
        long awayMs = Math.max(frameIntervalMs, (System.nanoTime() - lastWrittenNanos) / 1_000_000);
        baseTimestampMs = lastTimestampMs + awayMs;
        firstCaptureUs = -1;
    }

    /** Ends the stream on the current publisher with an AVC end-of-sequence tag and detaches it. */
    synchronized void endOfSequence() {
        if (publisher != null) {
            muxer.writeEndOfSequence(lastTimestampMs);
            if (silentAudio != null) {
                silentAudio.finish((int) (lastTimestampMs + frameIntervalMs));
            }
        }
        publisher = null;
        replacement = null;
    }

    /**
     * One access unit from the camera.
     *
     * @param annexB the access unit in Annex B form; BORROWED (the caller releases it)
     * @param captureTimeUs the camera's capture time in microseconds
     */
    synchronized void onAccessUnit(ByteBuf annexB, long captureTimeUs) {
        if (closed) {
            return;
        }
        nalUnits.clear();
        try {
            AnnexBReader.forEachNalUnit(annexB, nalCollector);
            if (publisher == null) {
                muxer.observe(nalUnits);
                return;
            }
            boolean keyframe = containsIdr();
            if (keyframe && replacement != null) {
                handOver();
            }
            if (firstCaptureUs < 0 && !keyframe) {
                muxer.observe(nalUnits); // the stream has not (re)begun: wait for a keyframe, ask once
                if (!keyframeRequested) {
                    keyframeRequested = true;
                    keyframeRequest.run();
                }
                return;
            }
            if (frameDropping && !publisher.isWritable()) {
                dropping = true;
            }
            if (dropping && !(keyframe && publisher.isWritable())) {
                muxer.observe(nalUnits);
                metrics.frameDropped();
                return;
            }
            dropping = false;
            if (firstCaptureUs < 0) {
                firstCaptureUs = captureTimeUs;
            }
            long timestampMs = Math.max(lastTimestampMs, baseTimestampMs + (captureTimeUs - firstCaptureUs) / 1000);
            AvcFlvMuxer.Result result = muxer.write(nalUnits, (int) timestampMs, 0);
            if (result == AvcFlvMuxer.Result.WRITTEN) {
                lastTimestampMs = (int) timestampMs;
                lastWrittenNanos = System.nanoTime();
                written = true;
                metrics.frameSent();
            } else {
                metrics.frameDropped();
                log.warn("event=frame_skipped device_id={} stream_name={} reason={}", deviceId, streamName, result);
            }
        } catch (H264Exception e) {
            metrics.frameDropped();
            log.warn("event=bad_frame device_id={} stream_name={} error=\"{}\"", deviceId, streamName, e.getMessage());
        } finally {
            nalUnits.clear();
        }
    }

    private void handOver() {
        RtmpPublisher previous = publisher;
        publisher = replacement;
        replacement = null;
        restartOutput(); // onMetaData + sequence header(s) first on the new connection
        dropping = false;
        log.info("event=publisher_handover device_id={} stream_name={} timestamp_ms={}", deviceId, streamName,
                lastTimestampMs);
        onHandedOver.accept(previous);
    }

    /** The next keyframe starts a new output: onMetaData, AVC (and AAC) sequence headers, a new audio run. */
    private void restartOutput() {
        muxer.restart();
        if (silentAudio != null) {
            silentAudio.restart();
        }
    }

    /** Releases what the frame path holds (parameter set copies); frames are ignored afterwards. */
    synchronized void close() {
        publisher = null;
        replacement = null;
        closed = true;
        muxer.close();
    }

    /** Bytes queued in the RTMP connection and not yet sent; 0 when not publishing. */
    synchronized long pendingWriteBytes() {
        return publisher == null ? 0 : publisher.pendingWriteBytes();
    }

    @Override
    public void onTag(int tagType, int timestampMs, ByteBuf body) {
        metrics.bytesSent(body.readableBytes());
        if (tagType == FlvTagType.SCRIPT_DATA) {
            publisher.sendMetaData(body);
        } else if (tagType == FlvTagType.AUDIO) {
            publisher.sendAudio(timestampMs, body);
        } else {
            publisher.sendVideo(timestampMs, body);
        }
    }

    private boolean containsIdr() {
        for (int i = 0; i < nalUnits.size(); i++) {
            if (NalUnitType.of(nalUnits.get(i)) == NalUnitType.IDR) {
                return true;
            }
        }
        return false;
    }
}
