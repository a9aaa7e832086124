#!/usr/bin/env bash
# make package: builds out/edgepush-<version>.tar.gz from the built jars (run `make build` first): bin/edge-agent and
# bin/edge-sim launchers, lib/agent.jar, lib/simulator.jar, lib/edge-agent.jsa (AppCDS archive), config/ (the JSON
# configs and the systemd unit edge-agent.service).
#
# The AppCDS archive is recorded by a training run of the packaged agent: one simulated camera streaming to the
# simulator's RTMP ingest for TRAIN_SECONDS (default 8), then SIGTERM; the JVM writes the classes it loaded at exit
# (-XX:ArchiveClassesAtExit, JDK 13+). The archive only works with the JDK that made it: the launcher passes it, and
# another JDK ignores it with a warning.
set -euo pipefail
cd "$(dirname "$0")/.."

version="$(sed -n 's:^  <version>\(.*\)</version>:\1:p' pom.xml | head -1)"
name="edgepush-$version"
stage="out/package/$name"
train_seconds="${TRAIN_SECONDS:-8}"

for jar in agent/target/agent.jar simulator/target/simulator.jar; do
  [ -f "$jar" ] || { echo "package: $jar missing; run make build first" >&2; exit 1; }
done

rm -rf "$stage"
mkdir -p "$stage/bin" "$stage/lib" "$stage/config"
cp dist/bin/edge-agent dist/bin/edge-sim "$stage/bin/"
cp agent/target/agent.jar simulator/target/simulator.jar "$stage/lib/"
cp config/*.json config/edge-agent.service "$stage/config/"
cp README.md "$stage/"

free_port() {
  local port
  while true; do
    port=$((20000 + RANDOM % 20000))
    (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null || { echo "$port"; return; }
  done
}

work="$(mktemp -d)"
pids=()
cleanup() {
  for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
  wait 2>/dev/null || true
  rm -rf "$work"
}
trap cleanup EXIT

rtmp_port="$(free_port)"
camera_port="$(free_port)"
(cd "$work" && jar xf "$OLDPWD/$stage/lib/simulator.jar" clips/demo.h264)
cat > "$work/train.json" <<JSON
{"gateway_id": "cds-training",
 "mqtt": {"broker_url": "tcp://127.0.0.1:1", "client_id": "cds-training"},
 "ingest": {"tcp_listen": "127.0.0.1:$camera_port", "serial_ports": []},
 "cameras": [{"device_id": "TRAIN_CAM001", "camera_id": 0, "streams": [{"stream_id": 0, "stream_name": "main",
   "quality": "medium", "trigger": "always_on", "rtmp": {"urls": ["rtmp://127.0.0.1:$rtmp_port/live/train"]}}]}],
 "accept_unknown_cameras": false,
 "http": {"listen": "127.0.0.1:$(free_port)"}}
JSON

echo "== AppCDS training run: $train_seconds s of one camera streaming"
java -jar "$stage/lib/simulator.jar" ingest --listen "127.0.0.1:$rtmp_port" --out "$work/rec" > "$work/ingest.log" 2>&1 &
pids+=($!)
EDGE_AGENT_JAVA_OPTS="-XX:ArchiveClassesAtExit=$stage/lib/edge-agent.jsa -Xshare:auto" \
  "$stage/bin/edge-agent" run --config "$work/train.json" > "$work/agent.log" 2>&1 &
agent=$!
pids+=("$agent")
java -jar "$stage/lib/simulator.jar" cameras --clip "$work/clips/demo.h264" --connect "tcp://127.0.0.1:$camera_port" \
  --count 1 --fps 25 --id-prefix TRAIN_CAM > "$work/camera.log" 2>&1 &
pids+=($!)
sleep "$train_seconds"
kill -TERM "$agent"
wait "$agent" || true
if ! grep -q "event=rtmp_publish_started\|to=live" "$work/agent.log"; then
  echo "package: the training run did not stream; agent log:" >&2
  tail -20 "$work/agent.log" >&2
  exit 1
fi
[ -s "$stage/lib/edge-agent.jsa" ] || { echo "package: no AppCDS archive written" >&2; tail -20 "$work/agent.log" >&2; exit 1; }

tar -C out/package -czf "out/$name.tar.gz" "$name"
echo "== out/$name.tar.gz ($(du -h "out/$name.tar.gz" | cut -f1)); AppCDS archive $(du -h "$stage/lib/edge-agent.jsa" | cut -f1)"
