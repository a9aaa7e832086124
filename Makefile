# Two commands for a new user: `make run` (the demo) and `make test`.
MVN ?= mvn -B -q
DEMO_SECONDS ?= 30
export DEMO_SECONDS

# `make fuzz`: coverage-guided fuzzing (Jazzer), FUZZ_SECONDS per target, one target per JVM run.
# `make test` replays the committed corpus of every target as ordinary JUnit tests (no JAZZER_FUZZ).
FUZZ_SECONDS ?= 600
FUZZ_TARGETS ?= protocol:Amf0FuzzTest protocol:ChunkReaderFuzzTest protocol:AnnexBFuzzTest \
	protocol:SpsFuzzTest protocol:SliceHeaderFuzzTest protocol:AccessUnitAssemblerFuzzTest \
	protocol:FlvFileReaderFuzzTest protocol:NalUnitSplitterFuzzTest firmware-bridge:FrameDecoderFuzzTest \
	agent:CommandParserFuzzTest agent:EndpointResponseFuzzTest agent:ConfigLoaderFuzzTest
# Each target checks refCnt of every buffer per input (TrackingAllocator), so Netty's paranoid leak
# detector, which records a stack trace on every buffer access, is switched off while fuzzing.
FUZZ_ARGLINE ?= -Dio.netty.leakDetection.level=disabled -Xmx1g

# `make abr-scenario`: the adaptive bitrate scenario (issue 10) with the agent's controller and OBS's on the same
# throttled trace; needs ffmpeg (libx264) and nginx with the RTMP module. ABR_TRACE / ABR_LADDER / ABR_CONTROLLERS /
# ABR_TARGET_LATENCY_MS / ABR_CHECK override the defaults; the report and plots go to out/abr-scenario/.
ABR_TRACE ?= scripts/traces/rfc8867-5.1-scaled.txt
ABR_LADDER ?= out/ladder
ABR_CONTROLLERS ?= edge,obs
ABR_TARGET_LATENCY_MS ?= 800
ABR_CHECK ?= true

# `make chaos`: the chaos run (issue 12): 4 simulated cameras -> agent -> nginx-rtmp with mosquitto and the
# simulator cloud, one seeded fault every 15-30 s for CHAOS_SECONDS, invariants checked at the end; needs nginx with
# the RTMP module, mosquitto, ffmpeg/ffprobe and socat. Report, agent log and recordings go to out/chaos/.
# A 90 s version (ChaosTest) runs in `make test`.
CHAOS_SECONDS ?= 600
CHAOS_SEED ?= 1

.PHONY: build run test fuzz clean abr-scenario chaos package package-check bench jmh

build:
	$(MVN) -DskipTests package

run: build
	java -jar simulator/target/simulator.jar demo --seconds $(DEMO_SECONDS)

test:
	mvn -B verify

fuzz:
	@failed=""; for t in $(FUZZ_TARGETS); do \
	  module=$${t%%:*}; target=$${t#*:}; \
	  echo "== fuzzing $$target ($$module) for $(FUZZ_SECONDS) s"; \
	  JAZZER_FUZZ=1 JAZZER_MAX_DURATION=$(FUZZ_SECONDS)s $(MVN) -pl $$module -am test -Dtest=$$target \
	    -Dsurefire.failIfNoSpecifiedTests=false "-Dtest.argLine=$(FUZZ_ARGLINE)" || failed="$$failed $$target"; \
	done; \
	if [ -n "$$failed" ]; then echo "fuzz findings (crash-* inputs in src/test/resources/**/*Inputs/):$$failed"; exit 1; fi

abr-scenario:
	@if [ "$(ABR_LADDER)" = "out/ladder" ]; then scripts/make-ladder.sh out/ladder; fi
	$(MVN) -pl agent -am test -Dtest=AbrScenarioRun -Dsurefire.failIfNoSpecifiedTests=false \
	  -Dabr.trace=$(ABR_TRACE) -Dabr.ladder=$(ABR_LADDER) -Dabr.controllers=$(ABR_CONTROLLERS) \
	  -Dabr.target_latency_ms=$(ABR_TARGET_LATENCY_MS) -Dabr.check=$(ABR_CHECK) -Dsurefire.printSummary=true \
	  -DtrimStackTrace=true -Dsurefire.useFile=false

chaos:
	$(MVN) -pl agent -am test -Dtest=ChaosRun -Dsurefire.failIfNoSpecifiedTests=false \
	  -Dchaos.seconds=$(CHAOS_SECONDS) -Dchaos.seed=$(CHAOS_SEED) -Dchaos.out=$(CURDIR)/out/chaos \
	  -Dsurefire.printSummary=true -DtrimStackTrace=true -Dsurefire.useFile=false

# `make bench`: the agent and N ffmpeg processes side by side for N in BENCH_N, then time to first frame and
# capacity; writes BENCHMARKS.md (issue 13). Runs the agent as packaged (make package: launcher flags, AppCDS).
# Needs nginx with the RTMP module, mosquitto and ffmpeg (libx264). About 15 minutes with the defaults.
BENCH_N ?= 1,8,32
BENCH_WARMUP_SEC ?= 60
BENCH_WINDOW_SEC ?= 60
BENCH_TTFF_REPS ?= 10
BENCH_CAPACITY_STEPS ?= 32,64,96,128
bench: package
	$(MVN) -pl agent -am test -Dtest=BenchRun -Dsurefire.failIfNoSpecifiedTests=false \
	  -Dbench.n=$(BENCH_N) -Dbench.warmup_sec=$(BENCH_WARMUP_SEC) -Dbench.window_sec=$(BENCH_WINDOW_SEC) \
	  -Dbench.ttff_reps=$(BENCH_TTFF_REPS) -Dbench.capacity_steps=$(BENCH_CAPACITY_STEPS) \
	  -Dbench.out=$(CURDIR)/out/bench -Dbench.report=$(CURDIR)/BENCHMARKS.md \
	  -Dsurefire.printSummary=true -DtrimStackTrace=true -Dsurefire.useFile=false

# `make jmh`: JMH microbenchmarks of the frame path (bench/: bridge frame -> access unit -> FLV tag -> RTMP chunks)
# and of the start-code search, with the GC profiler (gc.alloc.rate.norm = bytes allocated per frame). The 1080p
# clip is the one `make bench` uses (out/bench/clip.h264), made here with ffmpeg/libx264 if missing.
JMH_ARGS ?= -f 1 -wi 3 -i 5 -w 1s -r 1s
jmh:
	$(MVN) -pl bench -am package -DskipTests
	scripts/make-bench-clip.sh out/bench/clip.h264
	java -jar bench/target/benchmarks.jar -prof gc $(JMH_ARGS) \
	  -jvmArgsAppend "-Djmh.clip=$(CURDIR)/out/bench/clip.h264 -Dio.netty.leakDetection.level=disabled"

# `make package`: out/edgepush-<version>.tar.gz with the bin/edge-agent and bin/edge-sim launchers, the jars, config/
# and an AppCDS archive recorded by a short training run of the packaged agent (scripts/package.sh).
package: build
	scripts/package.sh

# `make package-check`: the package's acceptance check (scripts/package-check.sh): unpacks the tarball in a temp dir,
# check-config on the example and a broken copy, the agent run with the demo config on free ports and simulated
# cameras, `edge-agent status`, /metrics through promtool, /health 200 then 503 with the broker stopped. Needs
# mosquitto, curl, jq and promtool (Debian prometheus).
package-check: package
	scripts/package-check.sh

clean:
	mvn -B -q clean
	rm -rf out protocol/.cifuzz-corpus firmware-bridge/.cifuzz-corpus agent/.cifuzz-corpus
