#!/usr/bin/env bash
# Builds the default clip ladder for `simulator camera --ladder DIR`: one synthetic scene (ffmpeg's testsrc2, moving
# shapes and a clock, plus temporal noise so the encoder really spends its bitrate) encoded with libx264 at every
# rung below, one Annex B file per rung named <width>x<height>_<fps>_<kbps>.h264.
#
#   usage: scripts/make-ladder.sh OUT_DIR [SECONDS [WIDTHxHEIGHT:FPS:KBPS ...]]
#          SECONDS: scene length, default 20; rungs: instead of the default ladder below (the simulator's tests
#          make tiny ladders this way, e.g. 192x144:20:400 128x96:10:150)
#
# Every rung covers the same scene timeline: the same SECONDS, and an IDR (with SPS/PPS) every 1 s at the same
# times in every rung (forced keyframes at t = 0, 1, 2, ...; GOP = fps frames; scene-cut detection off), so the
# simulated camera can move between rungs at any GOP boundary without a jump in the picture. Main profile, 2
# B-frames without B-pyramid (B pictures are non-reference, as on a camera encoder), near-CBR (maxrate = bitrate,
# VBV buffer 3/4 s, nal-hrd=cbr: x264 pads with filler data up to the rate), preset veryfast.
#
#   1920x1080 25 fps: 2000, 1700, 1400 kbps
#   1280x720  20 fps: 1200, 1100, 1000, 900, 800, 700 kbps
#   640x480   15 fps: 650, 600, 550, 500, 450, 400, 300 kbps
# (rungs about 10% apart where the adaptive bitrate settles, so a stream can use most of a slow uplink)
#
# A rung whose file already exists is skipped (re-running is cheap; delete a file to redo it, and use a new OUT_DIR
# for another SECONDS: the simulator refuses a ladder whose rungs last differently). Each file is written
# under a temporary name and renamed when complete, so an interrupted run leaves no half clip. For each rung the
# script prints the average bitrate it measured (bytes * 8 * fps / frames, frames counted by ffprobe), so you can see
# the encoder hit its target. Generated clips are not committed: put them under out/ (git-ignored), e.g.
#   scripts/make-ladder.sh out/ladder && java -jar simulator/target/simulator.jar camera --device-id CAM_1 \
#       --ladder out/ladder --connect tcp://127.0.0.1:7000 --loop
set -euo pipefail

DEFAULT_RUNGS=(
  1920x1080:25:2000 1920x1080:25:1700 1920x1080:25:1400
  1280x720:20:1200 1280x720:20:1100 1280x720:20:1000 1280x720:20:900 1280x720:20:800 1280x720:20:700
  640x480:15:650 640x480:15:600 640x480:15:550 640x480:15:500 640x480:15:450 640x480:15:400 640x480:15:300
)

die() {
  echo "make-ladder.sh: $*" >&2
  exit 2
}

[[ $# -ge 1 ]] || die "usage: scripts/make-ladder.sh OUT_DIR [SECONDS [WIDTHxHEIGHT:FPS:KBPS ...]]"
out="$1"
seconds="${2:-20}"
[[ "$seconds" =~ ^[0-9]+$ && "$seconds" -ge 1 && "$seconds" -le 3600 ]] \
  || die "SECONDS must be a whole number of seconds, 1..3600, got '$seconds'"
if [[ $# -gt 2 ]]; then
  RUNGS=("${@:3}")
else
  RUNGS=("${DEFAULT_RUNGS[@]}")
fi
for rung in "${RUNGS[@]}"; do
  [[ "$rung" =~ ^[0-9]+x[0-9]+:[0-9]+:[0-9]+$ ]] || die "a rung is WIDTHxHEIGHT:FPS:KBPS, e.g. 1280x720:20:1000, got '$rung'"
done
for tool in ffmpeg ffprobe; do
  command -v "$tool" >/dev/null || die "$tool not found on PATH (Debian: apt-get install ffmpeg)"
done
encoders="$(ffmpeg -hide_banner -encoders 2>/dev/null || true)"
[[ "$encoders" == *" libx264 "* ]] || die "this ffmpeg has no libx264 encoder"
mkdir -p "$out"

# encode SIZE FPS KBPS FILE: the scene at that rung, Annex B H.264.
encode() {
  local size="$1" fps="$2" kbps="$3" file="$4"
  local bufsize=$((kbps * 3 / 4))
  ffmpeg -nostdin -y -v error \
    -f lavfi -i "testsrc2=size=${size}:rate=${fps}:duration=${seconds}" \
    -vf "noise=alls=12:allf=t,format=yuv420p" \
    -map_metadata -1 -an \
    -c:v libx264 -preset veryfast -profile:v main -pix_fmt yuv420p \
    -b:v "${kbps}k" -maxrate "${kbps}k" -bufsize "${bufsize}k" \
    -g "$fps" -keyint_min "$fps" -sc_threshold 0 -bf 2 \
    -force_key_frames 'expr:gte(t,n_forced*1)' \
    -x264-params "b-pyramid=0:open-gop=0:nal-hrd=cbr:force-cfr=1" \
    -f h264 "$file"
}

# frames FILE: access units in an Annex B file, counted by ffprobe.
frames() {
  ffprobe -v error -count_packets -select_streams v:0 -show_entries stream=nb_read_packets -of csv=p=0 "$1"
}

printf '%-26s %7s %7s %13s %13s %s\n' rung frames keys "target kbps" "measured kbps" ""
started=$SECONDS
tmp=""
trap 'if [[ -n "$tmp" ]]; then rm -f "$tmp"; fi' EXIT
for rung in "${RUNGS[@]}"; do
  IFS=: read -r size fps kbps <<<"$rung"
  name="${size}_${fps}_${kbps}.h264"
  file="$out/$name"
  note="kept (exists)"
  if [[ ! -s "$file" ]]; then
    tmp="$out/.${name}.part"
    rung_started=$SECONDS
    encode "$size" "$fps" "$kbps" "$tmp"
    mv -f "$tmp" "$file"
    note="encoded in $((SECONDS - rung_started)) s"
  fi
  n="$(frames "$file")"
  keys="$(ffprobe -v error -select_streams v:0 -show_entries packet=flags -of csv=p=0 "$file" | grep -c K)"
  bytes="$(stat -c %s "$file")"
  measured=$((bytes * 8 * fps / n / 1000))
  printf '%-26s %7s %7s %13s %13s %s\n' "$name" "$n" "$keys" "$kbps" "$measured" "$note"
done
echo "ladder in $out ($seconds s scene), $((SECONDS - started)) s"
