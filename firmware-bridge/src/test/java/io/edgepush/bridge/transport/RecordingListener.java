package io.edgepush.bridge.transport;

import io.edgepush.bridge.CameraLink;
import io.edgepush.bridge.CameraListener;
import io.edgepush.bridge.wire.Event;
import io.edgepush.protocol.media.AccessUnit;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

/** Records callbacks; copies and releases each access unit at once (listener owns it). */
final class RecordingListener implements CameraListener {
    /**
     * One access unit as delivered.
     *
     * @param hex its NAL units re-joined with 4-byte start codes ("00000001" + NAL unit, ...), lower-case hex
     */
    record Video(String deviceId, int streamId, long dtsMs, long ptsMs, boolean keyframe, boolean reference,
                 String hex) {
    }

    final Map<String, CameraLink> connected = new ConcurrentHashMap<>();
    final List<Video> videos = new CopyOnWriteArrayList<>();
    final List<Event> events = new CopyOnWriteArrayList<>();
    final Map<String, String> disconnected = new ConcurrentHashMap<>();
    /** Access units delivered on the thread of their link's {@link CameraLink#eventLoop()}. */
    final java.util.concurrent.atomic.AtomicInteger onLinkEventLoop = new java.util.concurrent.atomic.AtomicInteger();

    @Override
    public void onCameraConnected(CameraLink link) {
        connected.put(link.deviceId(), link);
    }

    @Override
    public void onAccessUnit(CameraLink link, int streamId, AccessUnit au) {
        if (link.eventLoop() != null && link.eventLoop().inEventLoop()) {
            onLinkEventLoop.incrementAndGet();
        }
        try {
            StringBuilder hex = new StringBuilder();
            for (ByteBuf nal : au.nalUnits()) {
                hex.append("00000001").append(ByteBufUtil.hexDump(nal));
            }
            videos.add(new Video(link.deviceId(), streamId, au.dtsMs(), au.ptsMs(), au.keyframe(), au.reference(),
                    hex.toString()));
        } finally {
            au.release();
        }
    }

    @Override
    public void onEvent(CameraLink link, Event event) {
        events.add(event);
    }

    @Override
    public void onCameraDisconnected(CameraLink link, String reason) {
        disconnected.put(link.deviceId(), reason);
    }

    List<Video> videosOf(String deviceId) {
        return videos.stream().filter(v -> v.deviceId().equals(deviceId)).toList();
    }
}
