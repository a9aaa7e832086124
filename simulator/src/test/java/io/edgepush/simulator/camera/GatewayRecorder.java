package io.edgepush.simulator.camera;

import io.edgepush.bridge.CameraLink;
import io.edgepush.bridge.CameraListener;
import io.edgepush.bridge.wire.Event;
import io.edgepush.bridge.wire.Hello;
import io.edgepush.protocol.h264.NalUnitType;
import io.edgepush.protocol.hevc.HevcNalUnitType;
import io.edgepush.protocol.media.AccessUnit;
import io.edgepush.protocol.media.VideoCodec;
import io.netty.buffer.ByteBuf;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * Gateway-side test listener: records HELLOs, access units (metadata and NAL unit types; buffers released) and
 * events. The wire's sequence numbers are not visible here; {@link CameraLink#streamStats} tells whether any
 * frame of a stream went missing.
 */
final class GatewayRecorder implements CameraListener {
    /**
     * One access unit as the bridge handed it over.
     *
     * @param index         0, 1, 2... in arrival order
     * @param captureTimeUs the camera's capture time (the access unit's decode time, whole milliseconds)
     * @param keyframe      the access unit holds an IDR/IRAP picture
     * @param nalTypes the NAL unit types in the access unit: H.264 {@link NalUnitType} values, or
     *     {@link HevcNalUnitType} values when the HELLO said codec "h265"
     */
    record Received(long index, long captureTimeUs, boolean keyframe, List<Integer> nalTypes) {
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
            boolean hevc = au.codec() == VideoCodec.H265;
            for (ByteBuf nal : au.nalUnits()) {
                types.add(hevc ? HevcNalUnitType.of(nal) : NalUnitType.of(nal));
            }
            frames.add(new Received(frames.size(), au.dtsMs() * 1000, au.keyframe(), types));
        } finally {
            au.release();
        }
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
