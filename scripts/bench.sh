#!/usr/bin/env bash
# Measures Hypha the way users and other orchestrators are measured, and rewrites BENCHMARKS.md:
#   1. the scheduler in process: `hypha bench scheduler` (simple and mycelial at 5,000 nodes) and
#      JMH (1,000 / 5,000 / 10,000 nodes), each against the naive scheduler measured in the same run;
#   2. placements per second end to end, through the HTTP API and the SQLite store;
#   3. submit-to-running of one real container against raw runc create+start (needs root and runc);
#   4. the cluster simulator: `hypha simulate` of 10,000 nodes and 100,000 workloads, simple and
#      mycelial side by side, timed as a whole.
# About 9 to 10 minutes on two cores. Results (JSON, logs) stay in bench/target/results.
# Knobs: JMH_ARGS (default "-f 1 -wi 3 -w 1s -i 5 -r 1s"), SCHEDULER_PLACEMENTS (50000),
#        E2E ("200 10 4": workloads, replicas each, agents), LATENCY_RUNS (25),
#        SIMULATE ("10000 100000": nodes, workloads).
set -euo pipefail
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
OUT="$HERE/bench/target/results"

log() { echo "bench: $*" >&2; }

java_major() { # prints the feature version of the java binary $1, or nothing
  "$1" -version 2>&1 | sed -n 's/.*version "\([0-9][0-9]*\)\(\.[^"]*\)\{0,1\}".*/\1/p' | head -n1
}

find_jdk() { # newest JDK >= 21 with javac: JAVA_HOME first, then /usr/lib/jvm/*
  local best="" best_v=0 cand v
  local cands=()
  [ -n "${JAVA_HOME:-}" ] && cands+=("$JAVA_HOME")
  for d in /usr/lib/jvm/* /opt/java/* /opt/jdk*; do [ -d "$d" ] && cands+=("$d"); done
  for cand in "${cands[@]}"; do
    [ -x "$cand/bin/java" ] && [ -x "$cand/bin/javac" ] || continue
    v=$(java_major "$cand/bin/java"); [ -n "$v" ] || continue
    if [ "$v" -ge 21 ] && [ "$v" -gt "$best_v" ]; then best="$cand"; best_v="$v"; fi
  done
  [ -n "$best" ] && echo "$best"
}

JDK="$(find_jdk || true)"
if [ -z "$JDK" ]; then
  echo "bench: no JDK 21 or newer found (looked at JAVA_HOME and /usr/lib/jvm/*)." >&2
  exit 1
fi
export JAVA_HOME="$JDK" PATH="$JDK/bin:$PATH"
export MAVEN_OPTS="${MAVEN_OPTS:-} -XX:+IgnoreUnrecognizedVMOptions --sun-misc-unsafe-memory-access=allow"
JAVA="$JDK/bin/java"
command -v mvn >/dev/null 2>&1 || { echo "bench: Maven is needed to build (apt-get install maven)." >&2; exit 1; }

rm -rf "$OUT"
mkdir -p "$OUT"
START=$(date +%s)
{
  echo "date: $(date -u +%Y-%m-%d)"
  echo "commit: $(git -C "$HERE" rev-parse --short HEAD 2>/dev/null || echo unknown)$(git -C "$HERE" diff --quiet 2>/dev/null || echo ' (with uncommitted changes)')"
  echo "cpu: $(sed -n 's/^model name[[:space:]]*: //p' /proc/cpuinfo | head -n1)"
  echo "cpus: $(nproc) (nproc)"
  echo "memory: $(awk '/MemTotal/ {printf "%.1f GiB", $2/1048576}' /proc/meminfo)"
  echo "kernel: $(uname -sr)"
  echo "java: $("$JAVA" -version 2>&1 | head -n1)"
  echo "load before: $(cut -d' ' -f1-3 /proc/loadavg) (1, 5, 15 min)"
} > "$OUT/machine.txt"

log "building the bench module and the hypha jar (no tests) ..."
if ! (cd "$HERE" && mvn -q -B -ntp -DskipTests -pl cli -am package dependency:build-classpath \
      -Dmdep.outputFile=target/classpath.txt -Dmdep.includeScope=runtime) > "$OUT/build.log" 2>&1; then
  tail -n 30 "$OUT/build.log" >&2
  exit 1
fi
CP="$HERE/bench/target/classes:$(cat "$HERE/bench/target/classpath.txt")"
HYPHA_JAR="$HERE/cli/target/hypha.jar"
NATIVE="--enable-native-access=ALL-UNNAMED"

JMH_ARGS="${JMH_ARGS:--f 1 -wi 3 -w 1s -i 5 -r 1s}"
PLACEMENTS="${SCHEDULER_PLACEMENTS:-50000}"
E2E="${E2E:-200 10 4}"
RUNS="${LATENCY_RUNS:-40}" # rounds are cheap (under a second each): more of them steady the median
SIMULATE="${SIMULATE:-10000 100000}"
: > "$OUT/commands.txt"
run() { # run OUTPUT_FILE COMMAND...: records the command (with CP and the jar abbreviated), stdout to the file
  local out="$1"; shift
  echo "$*" | sed "s|$CP|\$CP|g; s|$HYPHA_JAR|cli/target/hypha.jar|g; s|$JAVA|java|g; s|$OUT/||g" >> "$OUT/commands.txt"
  "$@" > "$out" 2> "${out%.*}.log"
}

for profile in simple mycelial; do
  log "hypha bench scheduler --profile $profile (5,000 nodes, $PLACEMENTS placements) ..."
  run "$OUT/scheduler-$profile.json" "$JAVA" "$NATIVE" -jar "$HYPHA_JAR" bench scheduler --nodes 5000 \
    --placements "$PLACEMENTS" --baseline-placements 1000 --profile "$profile" -o json
done

log "JMH SchedulerBenchmark ($JMH_ARGS) ..."
# shellcheck disable=SC2086 # JMH_ARGS is a list of arguments
run "$OUT/jmh.txt" "$JAVA" -cp "$CP" org.openjdk.jmh.Main SchedulerBenchmark $JMH_ARGS -rf json -rff "$OUT/jmh.json"

log "end to end through the API and the store ($E2E: workloads, replicas, agents) ..."
# shellcheck disable=SC2086 # E2E is a list of arguments
run "$OUT/e2e.json" "$JAVA" "$NATIVE" -cp "$CP" dev.hypha.bench.EndToEndBench $E2E mycelial

read -r SIM_NODES SIM_WORKLOADS <<< "$SIMULATE"
log "hypha simulate --nodes $SIM_NODES --workloads $SIM_WORKLOADS (simple and mycelial side by side) ..."
# The whole command is timed, the JVM's start included; its own stderr goes to simulate.log.
TIMEFORMAT='real %R user %U sys %S'
{ time run "$OUT/simulate.json" "$JAVA" "$NATIVE" -jar "$HYPHA_JAR" simulate --nodes "$SIM_NODES" \
    --workloads "$SIM_WORKLOADS" -o json; } 2> "$OUT/simulate-time.txt"

if [ "$(id -u)" = 0 ] && command -v runc >/dev/null 2>&1; then
  log "container start: Hypha submit-to-running against raw runc ($RUNS rounds each) ..."
  run "$OUT/latency.json" "$JAVA" "$NATIVE" -cp "$CP" dev.hypha.bench.StartLatencyBench "$RUNS"
else
  log "skipping the container-start benchmark: it needs root and runc"
fi

echo "load after: $(cut -d' ' -f1-3 /proc/loadavg) (1, 5, 15 min)" >> "$OUT/machine.txt"
"$JAVA" -cp "$CP" dev.hypha.bench.BenchmarksReport "$OUT" "$HERE/BENCHMARKS.md"
log "wrote BENCHMARKS.md in $(( $(date +%s) - START )) s; raw results in ${OUT#$HERE/}"
