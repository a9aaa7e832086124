package io.edgepush.simulator.camera;

import io.edgepush.bridge.CameraLink;
import io.edgepush.bridge.CameraListener;
import io.edgepush.bridge.VideoFrame;
import io.edgepush.bridge.wire.Event;
import io.edgepush.bridge.wire.Hello;
import io.edgepush.protocol.h264.AnnexBReader;
import io.edgepush.protocol.h264.NalUnitType;
import io.edgepush.protocol.hevc.HevcNalUnitType;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/** Gateway-side test listener: records HELLOs, frames (metadata and NAL unit types; buffers released) and events. */
final class GatewayRecorder implements CameraListener {
    /**
     * What arrived in one VIDEO frame.
     *
     * @param nalTypes the NAL unit types in the access unit: H.264 {@link NalUnitType} values, or
     *     {@link HevcNalUnitType} values when the HELLO said codec "h265"
     */
    record Received(long sequence, long captureTimeUs, boolean keyframe, List<Integer> nalTypes) {
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
    public void onVideo(CameraLink l, VideoFrame frame) {
        try {
            List<Integer> types = new ArrayList<>();
            boolean hevc = Hello.CODEC_H265.equals(l.hello().codec());
            AnnexBReader.forEachNalUnit(frame.annexB(),
                    nal -> types.add(hevc ? HevcNalUnitType.of(nal) : NalUnitType.of(nal)));
            frames.add(new Received(frame.sequence(), frame.captureTimeUs(), frame.keyframe(), types));
        } finally {
            frame.release();
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
