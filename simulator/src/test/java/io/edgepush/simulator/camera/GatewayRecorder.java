package io.edgepush.simulator.camera;

import io.edgepush.bridge.CameraLink;
import io.edgepush.bridge.CameraListener;
import io.edgepush.bridge.wire.Event;
import io.edgepush.bridge.wire.Hello;
import io.edgepush.protocol.h264.NalUnitType;
import io.edgepush.protocol.hevc.HevcNalUnitType;
import io.edgepush.protocol.media.AccessUnit;
import io.edgepush.protocol.h264.ParameterSetTracker;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/** Gateway-side test listener: records HELLOs, frames (metadata and NAL unit types; buffers released) and events. */
final class GatewayRecorder implements CameraListener {
    /**
     * What arrived in one VIDEO frame, as the bridge hands it on (one access unit). The wire's own sequence numbers
     * and keyframe flag are checked by the bridge: see {@link #wireChecks()}.
     *
     * @param captureTimeUs the access unit's decode time (the VIDEO capture time, whole milliseconds) in microseconds
     * @param keyframe from the NAL unit types (the bridge counts a disagreeing wire flag)
     * @param nalTypes the NAL unit types in the access unit: H.264 {@link NalUnitType} values, or
     *     {@link HevcNalUnitType} values when the HELLO said codec "h265"
     * @param spsWidth picture width from an H.264 SPS in the access unit, pixels; 0 if none (or H.265)
     * @param spsHeight picture height from that SPS, pixels; 0 if none
     * @param firstSlice a copy of the first H.264 slice NAL unit (IDR or non-IDR), to tell which clip and access
     *     unit the frame came from; empty if none (or H.265)
     */
    record Received(long captureTimeUs, boolean keyframe, List<Integer> nalTypes, int spsWidth, int spsHeight,
            ByteBuffer firstSlice) {
    }

    /** Sequence gaps of stream 0 and keyframe flag mismatches seen by the bridge (both 0 for a correct camera). */
    record WireChecks(long sequenceGaps, long keyframeFlagMismatches) {
    }

    final List<Hello> hellos = new CopyOnWriteArrayList<>();
    final List<Received> frames = new CopyOnWriteArrayList<>();
    final List<Event> events = new CopyOnWriteArrayList<>();
    final List<String> disconnects = new CopyOnWriteArrayList<>();
    volatile CameraLink link;

    @Override
    public void onCameraConnected(CameraLink l) {
        link = l;
        hellos.add(l.hello());
    }

    @Override
    public void onAccessUnit(CameraLink l, int streamId, AccessUnit au) {
        try {
            List<Integer> types = new ArrayList<>();
            boolean hevc = Hello.CODEC_H265.equals(l.hello().codec());
            int width = 0;
            int height = 0;
            ByteBuffer slice = ByteBuffer.allocate(0);
            for (ByteBuf nal : au.nalUnits()) {
                int type = hevc ? HevcNalUnitType.of(nal) : NalUnitType.of(nal);
                types.add(type);
                if (!hevc && type == NalUnitType.SPS) {
                    try (ParameterSetTracker sps = new ParameterSetTracker()) {
                        sps.offer(nal);
                        width = sps.width();
                        height = sps.height();
                    }
                } else if (!hevc && !slice.hasRemaining()
                        && (type == NalUnitType.IDR || type == NalUnitType.SLICE)) {
                    slice = ByteBuffer.wrap(ByteBufUtil.getBytes(nal)).asReadOnlyBuffer();
                }
            }
            frames.add(new Received(au.dtsMs() * 1000, au.keyframe(), types, width, height, slice));
        } finally {
            au.release();
        }
    }

    /** What the bridge counted about the wire: sequence gaps on stream 0 and keyframe flag mismatches. */
    WireChecks wireChecks() {
        return new WireChecks(link.streamStats(0).sequenceGaps(), link.stats().keyframeFlagMismatches());
    }

    @Override
    public void onEvent(CameraLink l, Event event) {
        events.add(event);
    }

    @Override
    public void onCameraDisconnected(CameraLink l, String reason) {
        disconnects.add(reason);
    }
}
