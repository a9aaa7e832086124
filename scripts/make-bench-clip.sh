#!/usr/bin/env bash
# The benchmark clip (make bench, make jmh): 10 s of 1080p30 H.264 at about 4 Mbps (the `ultra` preset), a moving
# test pattern with noise so the encoder spends its bitrate, keyframe every 60 frames, no B-frames; written as raw
# Annex B (OUT.h264, what a camera sends) and, if a second path is given, the same frames in MP4 without re-encoding
# (for ffmpeg, which cannot loop a raw .h264 input). Needs ffmpeg with libx264. Usage: make-bench-clip.sh OUT.h264 [OUT.mp4]
set -euo pipefail
h264="$1"
mp4="${2:-}"
mkdir -p "$(dirname "$h264")"
if [ ! -s "$h264" ]; then
  ffmpeg -v error -y -f lavfi -i "testsrc2=size=1920x1080:rate=30,noise=alls=12:allf=t" -t 10 \
    -c:v libx264 -preset veryfast -b:v 4M -maxrate 4M -bufsize 4M -g 60 -bf 0 -pix_fmt yuv420p -f h264 "$h264"
fi
if [ -n "$mp4" ] && [ ! -s "$mp4" ]; then
  ffmpeg -v error -y -r 30 -i "$h264" -c copy "$mp4"
fi
