package io.edgepush.agent.pipeline;

import io.edgepush.testkit.Peers;
import io.edgepush.testkit.Processes;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** What ffmpeg decodes a file to: one MD5 per picture, in decoder output (display) order. */
final class DecodedFrames {
    private DecodedFrames() {
    }

    /**
     * MD5 of each decoded frame of the first video stream ({@code ffmpeg -f framemd5}, {@code -fps_mode passthrough}:
     * no frame dropped or duplicated), in output order.
     */
    static List<String> md5(Path file) {
        String out = Processes.run(List.of(Peers.require("ffmpeg").toString(), "-nostdin", "-v", "error",
                "-i", file.toString(), "-map", "0:v:0", "-fps_mode", "passthrough", "-f", "framemd5", "-"))
                .requireSuccess().stdout();
        List<String> md5 = new ArrayList<>();
        for (String line : out.split("\n")) {
            if (!line.isBlank() && !line.startsWith("#")) {
                md5.add(line.substring(line.lastIndexOf(',') + 1).trim());
            }
        }
        return md5;
    }
}
