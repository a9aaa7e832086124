#!/usr/bin/env bash
# make package: builds out/edgepush-<version>.tar.gz from the built jars (run `make build` first): bin/edge-agent,
# bin/edge-agent-cds and bin/edge-sim launchers, lib/agent.jar, lib/simulator.jar, lib/training.h264 (the clip of
# the AppCDS training run), config/ (the JSON configs and the systemd unit edge-agent.service). The staging
# directory out/package/edgepush-<version>/ also gets lib/edge-agent.jsa (AppCDS archive), which the tarball leaves
# out.
#
# The AppCDS archive is recorded by bin/edge-agent-cds, a training run of the packaged agent (one simulated camera
# streaming to the simulator's RTMP ingest for TRAIN_SECONDS, default 8, then SIGTERM). The JVM accepts it only at
# the path and with the JDK that recorded it: that is the staging directory here (make bench runs the agent from
# there); an operator runs bin/edge-agent-cds once where the package is installed (README, "Install on a gateway").
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
cp dist/bin/edge-agent dist/bin/edge-agent-cds dist/bin/edge-sim "$stage/bin/"
cp agent/target/agent.jar simulator/target/simulator.jar "$stage/lib/"
cp config/*.json config/edge-agent.service "$stage/config/"
cp README.md "$stage/"

(cd "$stage/lib" && jar xf simulator.jar clips/demo.h264 && mv clips/demo.h264 training.h264 && rmdir clips)
TRAIN_SECONDS="$train_seconds" "$stage/bin/edge-agent-cds"

# The archive stays in the staging directory (make bench runs the agent from there): unpacked anywhere else it would
# be refused, so the tarball leaves it out and the operator records one in place with bin/edge-agent-cds.
tar -C out/package --exclude='lib/edge-agent.jsa*' -czf "out/$name.tar.gz" "$name"
echo "== out/$name.tar.gz ($(du -h "out/$name.tar.gz" | cut -f1)); AppCDS archive in $stage/lib only:" \
  "$(du -h "$stage/lib/edge-agent.jsa" | cut -f1)"
