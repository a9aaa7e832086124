package io.edgepush.simulator.camera;

import io.edgepush.bridge.CameraLink;
import io.edgepush.bridge.CameraListener;
import io.edgepush.bridge.wire.Event;
import io.edgepush.bridge.wire.Hello;
import io.edgepush.protocol.h264.NalUnitType;
import io.edgepush.protocol.hevc.HevcNalUnitType;
import io.edgepush.protocol.media.AccessUnit;
import io.netty.buffer.ByteBuf;
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
     */
    record Received(long captureTimeUs, boolean keyframe, List<Integer> nalTypes) {
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
            for (ByteBuf nal : au.nalUnits()) {
                types.add(hevc ? HevcNalUnitType.of(nal) : NalUnitType.of(nal));
            }
            frames.add(new Received(au.dtsMs() * 1000, au.keyframe(), types));
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
