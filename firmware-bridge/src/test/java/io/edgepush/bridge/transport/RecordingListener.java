package io.edgepush.bridge.transport;

import io.edgepush.bridge.CameraLink;
import io.edgepush.bridge.CameraListener;
import io.edgepush.bridge.VideoFrame;
import io.edgepush.bridge.wire.Event;
import io.netty.buffer.ByteBufUtil;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

/** Records callbacks; copies and releases each video frame at once (listener owns it). */
final class RecordingListener implements CameraListener {
    record Video(String deviceId, int streamId, long sequence, long captureTimeUs, boolean keyframe, String hex) {
    }

    final Map<String, CameraLink> connected = new ConcurrentHashMap<>();
    final List<Video> videos = new CopyOnWriteArrayList<>();
    final List<Event> events = new CopyOnWriteArrayList<>();
    final Map<String, String> disconnected = new ConcurrentHashMap<>();

    @Override
    public void onCameraConnected(CameraLink link) {
        connected.put(link.deviceId(), link);
    }

    @Override
    public void onVideo(CameraLink link, VideoFrame frame) {
        try {
            videos.add(new Video(link.deviceId(), frame.streamId(), frame.sequence(), frame.captureTimeUs(),
                    frame.keyframe(), ByteBufUtil.hexDump(frame.annexB())));
        } finally {
            frame.release();
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
