#!/usr/bin/env bash
# Builds the clips that test the compressed-domain motion detector (agent's trigger/BitstreamMotionDetector): one
# static scene, encoded three ways, each an Annex B H.264 file of SECONDS (default 26) at 640x360, 25 fps:
#
#   static.h264  the scene: frame 0 of ffmpeg's testsrc2 frozen (texture, colour bars, text), plus light temporal
#                noise as a real sensor leaves after its noise reduction (noise=alls=3:allf=t)
#   moving.h264  the same scene; from t = 10 s to t = 15 s a textured 128x192 object (testsrc, itself animated)
#                moves in from the left edge and across the picture at about 150 px/s; absent before and after
#   light.h264   the same scene, no object; the brightness falls slowly and evenly from t = 4 s to t = 24 s
#                (eq brightness 0 to -0.3, about 0.15 luma levels per frame), as at dusk or under a passing cloud
#
#   usage: scripts/make-motion-clips.sh OUT_DIR [cbr|vbr [SECONDS]]
#
# Encoding, as a camera's encoder would: libx264 preset veryfast, Main profile, an IDR with SPS/PPS every 1 s
# (forced keyframes at t = 0, 1, 2, ...; GOP = 25 frames; scene-cut detection off), 2 B-frames without B-pyramid
# (B pictures are non-reference, as on a camera encoder). Rate control:
#   cbr (default): near-CBR 1000 kbps like make-ladder.sh (maxrate = bitrate, VBV buffer 3/4 s, nal-hrd=cbr, so x264
#       pads every frame with filler data NAL units, type 12, up to the rate) with a minimum QP of 21. Camera
#       encoders cap their quality (a minimum QP, plus temporal noise reduction before the encoder): a static scene
#       then costs less than the rate and is padded, and a moving object shows as larger coded slices. Without
#       the cap x264 spends the whole rate on sensor noise in a static scene, every picture costs the same, and
#       motion cannot show in any size (a camera at a bitrate far too low for its scene behaves like that too).
#       Because of the filler, the detector must count slice NAL units only (BitstreamMotionDetector.sliceBytes),
#       not whole access units: with filler every access unit is about 5 kB whatever the picture holds.
#   vbr: capped quality-based rate (CRF 23, maxrate 1000 kbps, VBV 3/4 s, no filler), as a camera's "VBR" mode.
# Measured with cbr at 640x360: I about 12 kB, P about 350 bytes in the static scene and 1.1-1.3 kB while the
# object moves, B about 140 bytes.
#
# Clips that already exist are kept (delete OUT_DIR to redo them). Each file is written under a temporary name
# and renamed when complete, so an interrupted run leaves no half clip. Cheap: about 2 s of CPU per clip. Clips are
# not committed: the agent's MotionClipsTest makes them under agent/target/motion-clips; by hand use out/, e.g.
#   scripts/make-motion-clips.sh out/motion
set -euo pipefail

die() {
  echo "make-motion-clips.sh: $*" >&2
  exit 2
}

[[ $# -ge 1 && $# -le 3 ]] || die "usage: scripts/make-motion-clips.sh OUT_DIR [cbr|vbr [SECONDS]]"
out="$1"
rc="${2:-cbr}"
seconds="${3:-26}"
[[ "$rc" == cbr || "$rc" == vbr ]] || die "rate control is cbr or vbr, got '$rc'"
[[ "$seconds" =~ ^[0-9]+$ && "$seconds" -ge 16 && "$seconds" -le 600 ]] \
  || die "SECONDS must be a whole number of seconds, 16..600 (the object moves from 10 s to 15 s), got '$seconds'"
command -v ffmpeg >/dev/null || die "ffmpeg not found on PATH (Debian: apt-get install ffmpeg)"
encoders="$(ffmpeg -hide_banner -encoders 2>/dev/null || true)"
[[ "$encoders" == *" libx264 "* ]] || die "this ffmpeg has no libx264 encoder"
mkdir -p "$out"

readonly SIZE=640x360 WIDTH=640 FPS=25 KBPS=1000
# The background: testsrc2's first frame, repeated for the whole clip (one frame, looped, re-timed at FPS).
background="testsrc2=size=${SIZE}:rate=${FPS}:duration=1,trim=end_frame=1,loop=loop=-1:size=1:start=0"
background+=",trim=duration=${seconds},setpts=N/${FPS}/TB"
# Sensor noise, added last so it lies over everything that moves too.
sensor="noise=alls=3:allf=t,format=yuv420p"

if [[ "$rc" == cbr ]]; then
  rate=(-b:v "${KBPS}k" -maxrate "${KBPS}k" -bufsize "$((KBPS * 3 / 4))k")
  x264="nal-hrd=cbr:qpmin=21"
else
  rate=(-crf 23 -maxrate "${KBPS}k" -bufsize "$((KBPS * 3 / 4))k")
  x264="qpmin=0"
fi

# encode FILTER_GRAPH FILE: the graph's [v] output, Annex B H.264.
encode() {
  local graph="$1" file="$2"
  ffmpeg -nostdin -y -v error -filter_complex "$graph" -map '[v]' \
    -map_metadata -1 -an \
    -c:v libx264 -preset veryfast -profile:v main -pix_fmt yuv420p "${rate[@]}" \
    -g "$FPS" -keyint_min "$FPS" -sc_threshold 0 -bf 2 \
    -force_key_frames 'expr:gte(t,n_forced*1)' \
    -x264-params "b-pyramid=0:open-gop=0:force-cfr=1:${x264}" \
    -f h264 "$file"
}

# The object's left edge: -128 px (just outside) at t = 10 s, WIDTH px (just gone) at t = 15 s.
object="testsrc=size=128x192:rate=${FPS}:duration=${seconds}[obj];"
object+="[bg][obj]overlay=x='-128+(t-10)*(${WIDTH}+128)/5':y=84:enable='between(t,10,15)':eval=frame"
declare -A graphs=(
  [static]="${background},${sensor}[v]"
  [moving]="${background}[bg];${object},${sensor}[v]"
  [light]="${background},eq=brightness='-0.3*min(max((t-4)/20,0),1)':eval=frame,${sensor}[v]"
)

started=$SECONDS
tmp=""
trap 'if [[ -n "$tmp" ]]; then rm -f "$tmp"; fi' EXIT
for name in static moving light; do
  file="$out/$name.h264"
  note="kept (exists)"
  if [[ ! -s "$file" ]]; then
    tmp="$out/.$name.h264.part"
    clip_started=$SECONDS
    encode "${graphs[$name]}" "$tmp"
    mv -f "$tmp" "$file"
    tmp=""
    note="encoded in $((SECONDS - clip_started)) s"
  fi
  printf '%-12s %9s bytes  %s\n' "$name.h264" "$(stat -c %s "$file")" "$note"
done
echo "motion clips ($rc, $seconds s) in $out, $((SECONDS - started)) s"
