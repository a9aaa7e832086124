#!/usr/bin/env bash
# make package-check: the acceptance check of the package (issue 14, "Done when"), run on the tarball as an
# operator would use it. In a temp dir: unpack out/edgepush-<version>.tar.gz (run `make package` first), then
#   1. bin/edge-agent check-config config/agent.example.json exits 0; a copy with a wrong type at
#      cameras[0].streams[0].quality exits 2 and the message names that path;
#   1b. check-config writes nothing to stderr (no JVM warning); bin/edge-agent-cds records lib/edge-agent.jsa
#      there and bin/edge-agent then maps its classes;
#   2. systemd-analyze verify accepts config/edge-agent.service (when systemd-analyze is installed);
#   3. mosquitto (or, without it, bin/edge-sim broker), the simulator's RTMP ingest and stream service, and
#      bin/edge-agent run with config/demo.json rewritten to free ports (never the demo's own 18830, 17000, 19100)
#      and its first camera always_on (the package has no MQTT client to send the demo's start commands), with
#      bin/edge-sim cameras; waits until GET /status shows a stream streaming;
#   4. bin/edge-agent status prints the table with that stream;
#   5. GET /metrics passes `promtool check metrics` and has series labelled device_id and stream_name;
#   6. GET /health is 200, and 503 once the broker is stopped.
# Every wait has a deadline. A failed check is reported and the later checks that do not depend on it still run;
# the exit status is 1 if any check failed. Every process started here is stopped on exit (trap). Needs curl, jq,
# the JDK's jar tool; promtool (Debian prometheus) for step 5. KEEP_WORK=1 keeps the temp dir with every log
# (agent.log, broker.log, cameras.log, ...) for a look after a failure.
set -euo pipefail
cd "$(dirname "$0")/.."
repo="$(pwd)"

version="$(sed -n 's:^  <version>\(.*\)</version>:\1:p' pom.xml | head -1)"
name="edgepush-$version"
tarball="$repo/out/$name.tar.gz"
[ -f "$tarball" ] || { echo "package-check: $tarball missing; run make package first" >&2; exit 1; }
for tool in curl jq jar; do
  command -v "$tool" >/dev/null || { echo "package-check: $tool is needed" >&2; exit 1; }
done

work="$(mktemp -d)"
pids=()
cleanup() {
  local pid
  for pid in "${pids[@]}"; do kill -TERM "$pid" 2>/dev/null || true; done
  for pid in "${pids[@]}"; do wait "$pid" 2>/dev/null || true; done
  if [ "${KEEP_WORK:-0}" = 1 ]; then echo "package-check: work dir kept: $work"; else rm -rf "$work"; fi
}
trap cleanup EXIT

failed=()
fail() {
  echo "FAILED: $1" >&2
  failed+=("$1")
}

# pick_port VAR: sets VAR to a port in 20000-39999 that nothing listens on and no earlier pick_port gave out
# (chosen in this shell, not a $(...) subshell, so the picks cannot repeat).
listening() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

picked=" "
pick_port() {
  local port
  while true; do
    port=$((20000 + RANDOM % 20000))
    case "$picked" in *" $port "*) continue ;; esac
    listening "$port" && continue
    picked+="$port "
    printf -v "$1" '%s' "$port"
    return
  done
}

# wait_for SECONDS DESCRIPTION COMMAND...: runs COMMAND every 0.5 s until it succeeds; 1 after the deadline.
wait_for() {
  local seconds="$1" what="$2"
  shift 2
  local deadline=$((SECONDS + seconds))
  until "$@" >/dev/null 2>&1; do
    if [ "$SECONDS" -ge "$deadline" ]; then
      echo "package-check: timed out after $seconds s waiting for $what" >&2
      return 1
    fi
    sleep 0.5
  done
}

http_code() { curl -s -o /dev/null -w '%{http_code}' --max-time 5 "$1" || true; }
code_is() { [ "$(http_code "$2")" = "$1" ]; }

echo "== unpacking $tarball in $work"
tar -C "$work" -xzf "$tarball"
home="$work/$name"
cd "$home"

echo "== check-config on the example and on a broken copy"
if out="$(bin/edge-agent check-config config/agent.example.json 2>&1)"; then
  echo "$out"
else
  echo "$out" >&2
  fail "check-config config/agent.example.json exits 0"
fi
jq '.cameras[0].streams[0].quality = 7' config/agent.example.json > "$work/broken.json"
set +e
out="$(bin/edge-agent check-config "$work/broken.json" 2>&1)"
status=$?
set -e
echo "$out"
[ "$status" = 2 ] || fail "check-config on a wrong type exits 2 (got $status)"
grep -q 'cameras\[0\]\.streams\[0\]\.quality' <<<"$out" || fail "check-config names cameras[0].streams[0].quality"

echo "== bin/edge-agent-cds records the AppCDS archive where the package was unpacked; the launcher then maps it"
out="$(bin/edge-agent check-config config/agent.example.json 2>&1 >/dev/null || true)"
[ -z "$out" ] || fail "check-config writes nothing to stderr before edge-agent-cds (got: $out)"
if TRAIN_SECONDS=6 bin/edge-agent-cds; then
  shared="$(EDGE_AGENT_JAVA_OPTS=-Xlog:class+load=info bin/edge-agent check-config config/agent.example.json 2>&1 \
    | grep -c 'source: shared objects file (top)' || true)"
  echo "classes mapped from lib/edge-agent.jsa by check-config: $shared"
  [ "$shared" -gt 100 ] || fail "bin/edge-agent maps lib/edge-agent.jsa after edge-agent-cds"
else
  fail "bin/edge-agent-cds exits 0"
fi

if command -v systemd-analyze >/dev/null; then
  echo "== systemd-analyze verify config/edge-agent.service"
  sed "s:/opt/edgepush/:$home/:g" config/edge-agent.service > "$work/edge-agent.service"
  systemd-analyze verify "$work/edge-agent.service" || fail "systemd-analyze verify edge-agent.service"
fi

pick_port broker_port
pick_port ingest_port
pick_port camera_port
pick_port http_port
base="http://127.0.0.1:$http_port"

if command -v mosquitto >/dev/null; then
  echo "== mosquitto on 127.0.0.1:$broker_port"
  printf 'listener %s 127.0.0.1\nallow_anonymous true\n' "$broker_port" > "$work/mosquitto.conf"
  mosquitto -c "$work/mosquitto.conf" > "$work/broker.log" 2>&1 &
else
  echo "== no mosquitto: bin/edge-sim broker on 127.0.0.1:$broker_port"
  bin/edge-sim broker --listen "127.0.0.1:$broker_port" > "$work/broker.log" 2>&1 &
fi
broker_pid=$!
pids+=("$broker_pid")
wait_for 30 "the broker" listening "$broker_port"

echo "== simulator RTMP ingest on 127.0.0.1:$ingest_port and stream service"
bin/edge-sim ingest --listen "127.0.0.1:$ingest_port" --out "$work/recordings" > "$work/ingest.log" 2>&1 &
pids+=($!)
bin/edge-sim stream-service --broker "tcp://127.0.0.1:$broker_port" --rtmp-url "rtmp://127.0.0.1:$ingest_port/live/" \
  > "$work/stream-service.log" 2>&1 &
pids+=($!)
wait_for 30 "the RTMP ingest" listening "$ingest_port"

echo "== bin/edge-agent run with config/demo.json on free ports (http $base)"
jq --arg broker "tcp://127.0.0.1:$broker_port" --arg camera "127.0.0.1:$camera_port" \
   --arg http "127.0.0.1:$http_port" \
   '.mqtt.broker_url = $broker | .ingest.tcp_listen = $camera | .http.listen = $http
    | .cameras[0].streams[0].trigger = "always_on"' config/demo.json > "$work/agent.json"
bin/edge-agent run --config "$work/agent.json" > "$work/agent.log" 2>&1 &
agent_pid=$!
pids+=("$agent_pid")
if ! wait_for 60 "the agent's camera ingest" listening "$camera_port"; then
  tail -30 "$work/agent.log" >&2
  fail "agent starts"
  exit 1
fi

(cd "$work" && jar xf "$home/lib/simulator.jar" clips/demo.h264)
device_prefix="$(jq -r '.cameras[0].device_id' "$work/agent.json" | sed 's/[0-9]*$//')"
camera_count="$(jq '.cameras | length' "$work/agent.json")"
echo "== bin/edge-sim cameras: $camera_count cameras ${device_prefix}001.."
bin/edge-sim cameras --clip "$work/clips/demo.h264" --connect "tcp://127.0.0.1:$camera_port" --count "$camera_count" \
  --fps 25 --id-prefix "$device_prefix" > "$work/cameras.log" 2>&1 &
pids+=($!)

streaming() { curl -fsS --max-time 5 "$base/status" | jq -e '[.sessions[] | select(.state_name == "streaming")] | length > 0'; }
if ! wait_for 90 "a stream streaming on /status" streaming; then
  tail -30 "$work/agent.log" >&2
  fail "a stream streams"
  exit 1
fi
curl -fsS "$base/status" | jq -c '.sessions[] | {device_id, stream_name, state_name}'

echo "== bin/edge-agent status --config agent.json"
if out="$(bin/edge-agent status --config "$work/agent.json" 2>&1)"; then
  echo "$out"
  grep -q '^DEVICE  *STREAM  *STATE' <<<"$out" || fail "status prints the table header"
  grep -q "^${device_prefix}001  *main  *streaming " <<<"$out" || fail "status shows ${device_prefix}001 streaming"
else
  echo "$out" >&2
  fail "bin/edge-agent status exits 0"
fi

echo "== GET /metrics"
if curl -fsS --max-time 5 "$base/metrics" > "$work/metrics.txt"; then
  if command -v promtool >/dev/null; then
    promtool check metrics < "$work/metrics.txt" || fail "promtool check metrics"
  else
    fail "promtool is needed to check /metrics (Debian package prometheus)"
  fi
  grep -q "device_id=\"${device_prefix}001\"" "$work/metrics.txt" || fail "/metrics has a device_id label"
  grep -q 'stream_name="main"' "$work/metrics.txt" || fail "/metrics has a stream_name label"
  echo "$(grep -vc '^#' "$work/metrics.txt") samples"
else
  fail "GET /metrics answers 200"
fi

echo "== GET /health: 200, then 503 once the broker is stopped"
if wait_for 30 "/health 200" code_is 200 "$base/health"; then
  kill -TERM "$broker_pid"
  wait "$broker_pid" 2>/dev/null || true
  if wait_for 60 "/health 503 with the broker stopped" code_is 503 "$base/health"; then
    curl -s --max-time 5 "$base/health"
    echo
  else
    fail "/health turns 503 when the broker stops (last: $(http_code "$base/health"))"
  fi
else
  fail "/health answers 200 with the broker up (got $(http_code "$base/health"))"
fi

echo "== stopping the agent (SIGTERM)"
kill -TERM "$agent_pid"
set +e
wait "$agent_pid"
status=$?
set -e
[ "$status" = 0 ] || fail "the agent exits 0 after SIGTERM (got $status)"

if [ "${#failed[@]}" -gt 0 ]; then
  echo "package-check: ${#failed[@]} check(s) failed:" >&2
  printf '  %s\n' "${failed[@]}" >&2
  exit 1
fi
echo "package-check: all checks passed"
