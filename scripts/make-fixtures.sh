#!/usr/bin/env bash
# Regenerates the H.264 test inputs from ffmpeg's synthetic testsrc2 pattern (moving shapes and a frame
# counter) with libx264. Flags are chosen for reproducible output on one ffmpeg/x264 build: one encoder
# thread, fixed GOP (scenecut off), bitexact muxing; other versions may differ in bytes, not in structure.
# Outputs are raw Annex B H.264 elementary streams (-f h264), no container.
#
#   simulator/src/main/resources/clips/demo.h264   250 frames, 640x360, 25 fps, 10 s, Constrained Baseline,
#       IDR every 25 frames (1 s GOP), SPS/PPS before every IDR, AUD before every picture, ~400 kbps.
#       The simulated camera's default clip for the demo and end-to-end tests.
#   protocol/src/test/resources/fixtures/small.h264   50 frames, 320x240, 25 fps, 2 s, Constrained Baseline,
#       IDR every 25 frames, SPS/PPS before every IDR, no AUD (access units split on first_mb_in_slice).
#   protocol/src/test/resources/fixtures/slices2.h264   25 frames, 320x240, 25 fps, 1 s, Constrained Baseline,
#       two slice NAL units per picture (first_mb_in_slice 0 and 160), AUD on, one IDR picture (2 IDR slices).
#   protocol/src/test/resources/fixtures/vui.h264   30 frames, 320x180, 30 fps, 1 s, High profile, one IDR,
#       SPS/PPS once; VUI with timing info (num_units_in_tick 1, time_scale 60 -> 30 fps), full-range BT.709
#       video signal type, and frame cropping (20 x 12 macroblocks = 320x192, cropped to 320x180).
#   protocol/src/test/resources/fixtures/bframes.h264   50 frames, 320x240, 25 fps, 2 s, High profile, 3 B-frames
#       with b-pyramid (decode order differs from display order: pic_order_cnt_type 0), IDR every 25 frames,
#       SPS/PPS before every IDR; VUI bitstream_restriction carries max_num_reorder_frames.
#   protocol/src/test/resources/fixtures/reschange.h264   50 frames: 25 at 320x240 then 25 at 480x270 (Main
#       profile, 2 B-frames), two encodes concatenated; each part starts with SPS/PPS and an IDR, both use
#       seq_parameter_set_id 0, so the second SPS replaces the first (a resolution change at an IDR).
#   protocol/src/test/resources/fixtures/small.265   50 frames, 320x180 (coded 320x184: conformance window), 25 fps,
#       2 s, H.265 Main with libx265: no B-frames, keyint 25 (open GOP: IDR_N_LP then CRA), VPS/SPS/PPS before
#       every IRAP (repeat-headers), no AUD, no SEI (info=0), one slice per picture. (x265 slices=2 output
#       makes ffmpeg 5.1's decoder report cu_qp_delta errors, so multi-slice HEVC is covered by unit tests.)
#   DIR/hd_1080p30.h264 (only with --hd DIR)   90 frames, 1920x1080, 30 fps, 3 s, High profile, 4 Mbps,
#       preset veryfast, 3 B-frames with b-pyramid, IDR every 30 frames. Too big to commit (~1.6 MB): the
#       agent's interop tests run `scripts/make-fixtures.sh --hd TMPDIR` once per test run.
#   DIR/hd_1080p30_main.h264 (only with --hd DIR)   the same picture as Main profile: 90 frames, 4 Mbps, 2 B-frames
#       without pyramid, IDR every 30 frames (a camera encoder's B-frame stream).
#
# Frame counts and sizes are listed in protocol/src/test/resources/fixtures/README.md; after regenerating,
# check them with: ffprobe -v error -count_frames -show_entries stream=nb_read_frames -of csv=p=0 FILE
set -euo pipefail

root="$(cd "$(dirname "$0")/.." && pwd)"
clips="$root/simulator/src/main/resources/clips"
fixtures="$root/protocol/src/test/resources/fixtures"
mkdir -p "$clips" "$fixtures"

# encode OUT SOURCE_SIZE FPS SECONDS PROFILE BITRATE X264_PARAMS [extra ffmpeg args...]
encode() {
  local out="$1" size="$2" fps="$3" seconds="$4" profile="$5" bitrate="$6" params="$7"
  shift 7
  ffmpeg -nostdin -y -v error -f lavfi -i "testsrc2=size=${size}:rate=${fps}" -t "$seconds" \
    -map_metadata -1 -fflags +bitexact -flags:v +bitexact -threads 1 \
    -c:v libx264 -pix_fmt yuv420p -profile:v "$profile" \
    -b:v "$bitrate" -maxrate "$bitrate" -bufsize "$bitrate" \
    -x264-params "threads=1:sliced-threads=0:scenecut=0:${params}" \
    "$@" -f h264 "$out"
  printf '%-60s %4s frames %7s bytes\n' "${out#"$root"/}" \
    "$(ffprobe -v error -count_frames -select_streams v:0 -show_entries stream=nb_read_frames -of csv=p=0 "$out")" \
    "$(stat -c %s "$out")"
}

if [[ "${1:-}" == "--hd" ]]; then
  hd_dir="${2:?usage: make-fixtures.sh --hd DIR}"
  mkdir -p "$hd_dir"
  encode "$hd_dir/hd_1080p30.h264" 1920x1080 30 3 high 4M "keyint=30:min-keyint=30:bframes=3:b-pyramid=normal" \
    -preset veryfast
  encode "$hd_dir/hd_1080p30_main.h264" 1920x1080 30 3 main 4M "keyint=30:min-keyint=30:bframes=2:b-pyramid=none" \
    -preset veryfast
  exit 0
fi

encode "$clips/demo.h264" 640x360 25 10 baseline 400k "keyint=25:min-keyint=25:repeat-headers=1:aud=1"
encode "$fixtures/small.h264" 320x240 25 2 baseline 150k "keyint=25:min-keyint=25:repeat-headers=1"
encode "$fixtures/slices2.h264" 320x240 25 1 baseline 200k "keyint=25:min-keyint=25:slices=2:aud=1"
encode "$fixtures/vui.h264" 320x180 30 1 high 150k "keyint=30:min-keyint=30:bframes=0" \
  -color_range pc -colorspace bt709 -color_primaries bt709 -color_trc bt709
encode "$fixtures/bframes.h264" 320x240 25 2 high 200k \
  "keyint=25:min-keyint=25:bframes=3:b-pyramid=normal:b-adapt=0:repeat-headers=1"
ffmpeg -nostdin -y -v error -f lavfi -i "testsrc2=size=320x180:rate=25" -t 2 \
  -map_metadata -1 -fflags +bitexact -flags:v +bitexact -threads 1 \
  -c:v libx265 -pix_fmt yuv420p -profile:v main -b:v 150k \
  -x265-params "log-level=error:pools=none:frame-threads=1:keyint=25:min-keyint=25:scenecut=0:bframes=0:repeat-headers=1:info=0" \
  -f hevc "$fixtures/small.265"
printf '%-60s %4s frames %7s bytes\n' "protocol/src/test/resources/fixtures/small.265" \
  "$(ffprobe -v error -count_frames -select_streams v:0 -show_entries stream=nb_read_frames -of csv=p=0 \
    "$fixtures/small.265")" "$(stat -c %s "$fixtures/small.265")"
tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT
encode "$tmp/part1.h264" 320x240 25 1 main 150k "keyint=25:min-keyint=25:bframes=2:b-adapt=0"
encode "$tmp/part2.h264" 480x270 25 1 main 200k "keyint=25:min-keyint=25:bframes=2:b-adapt=0"
cat "$tmp/part1.h264" "$tmp/part2.h264" > "$fixtures/reschange.h264"
printf '%-60s %4s frames %7s bytes\n' "protocol/src/test/resources/fixtures/reschange.h264" \
  "$(ffprobe -v error -count_frames -select_streams v:0 -show_entries stream=nb_read_frames -of csv=p=0 \
    "$fixtures/reschange.h264")" "$(stat -c %s "$fixtures/reschange.h264")"
