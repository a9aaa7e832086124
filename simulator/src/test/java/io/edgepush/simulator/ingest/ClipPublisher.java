package io.edgepush.simulator.ingest;

import io.edgepush.protocol.flv.FlvTagType;
import io.edgepush.protocol.flv.FlvVideoMuxer;
import io.edgepush.protocol.h264.AccessUnit;
import io.edgepush.protocol.h264.AccessUnitAssembler;
import io.edgepush.protocol.h264.AnnexBReader;
import io.edgepush.protocol.media.VideoCodec;
import io.edgepush.protocol.rtmp.RtmpPublisher;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.PooledByteBufAllocator;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** Test helper: sends an Annex B file over an {@link RtmpPublisher} as fast as it goes (protocol's muxer). */
final class ClipPublisher {
    private ClipPublisher() {
    }

    /** @return the number of access units written as video tags */
    static int publish(RtmpPublisher publisher, Path clip, int fps) throws IOException {
        List<AccessUnit> units = new ArrayList<>();
        try (InputStream in = Files.newInputStream(clip); AnnexBReader reader = new AnnexBReader(in, 1 << 22)) {
            AccessUnitAssembler assembler = new AccessUnitAssembler(units::add);
            ByteBuf nal;
            while ((nal = reader.next(PooledByteBufAllocator.DEFAULT)) != null) {
                assembler.push(nal);
            }
            assembler.flush();
        }
        int written = 0;
        FlvVideoMuxer.TagSink toPublisher = (type, ts, body) -> {
            if (type == FlvTagType.SCRIPT_DATA) {
                publisher.sendMetaData(body);
            } else {
                publisher.sendVideo(ts, body);
            }
        };
        try (FlvVideoMuxer muxer = FlvVideoMuxer.forCodec(VideoCodec.H264, PooledByteBufAllocator.DEFAULT, toPublisher,
                true, fps, "edgepush-test")) {
            for (int i = 0; i < units.size(); i++) {
                if (muxer.write(units.get(i).nalUnits(), i * 1000 / fps, 0) == FlvVideoMuxer.Result.WRITTEN) {
                    written++;
                }
            }
        } finally {
            units.forEach(AccessUnit::release);
        }
        return written;
    }
}
