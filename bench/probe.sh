#!/usr/bin/env bash
# The kapas probe benchmark: see bench/README.md ("kapas probe").
#
#   bench/probe.sh            probe 127.0.0.1 over the default table and every NodePort, RUNS times
#   RUNS=5 bench/probe.sh     runs (default 3); the median wall time must be under 10 s
#   bench/probe.sh --plain    plain `java -jar target/kapas.jar` instead of bin/kapas
set -euo pipefail

root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$root"
jar=${KAPAS_JAR:-target/kapas.jar}
runs=${RUNS:-3}
target_s=10
kapas=(bin/kapas)
[[ ${1:-} == --plain ]] && kapas=(java -jar "$jar")
if [[ ! -f $jar ]]; then
  echo "bench: building $jar" >&2
  mvn -q package -DskipTests
fi
mkdir -p bench/out
out=bench/out/probe.json

echo "load average: $(cut -d' ' -f1-3 /proc/loadavg) on $(nproc) cores"
walls=()
for ((i = 1; i <= runs; i++)); do
  start=$(date +%s%N)
  rc=0
  "${kapas[@]}" probe 127.0.0.1 --nodeports all -f json -o "$out" || rc=$?
  end=$(date +%s%N)
  if ((rc > 1)); then
    echo "bench: kapas probe exited $rc" >&2
    exit 1
  fi
  wall=$(awk -v ns=$((end - start)) 'BEGIN { printf "%.2f", ns / 1e9 }')
  plan=$(grep -o '[0-9]* host(s) x [0-9]* port(s): [0-9]* open' "$out" | head -1)
  echo "run $i: kapas probe 127.0.0.1 --nodeports all: $plan; ${wall} s wall"
  walls+=("$wall")
done
median=$(printf '%s\n' "${walls[@]}" | sort -n | awk '{ a[NR] = $1 } END { print a[int((NR + 1) / 2)] }')
verdict=$(awk -v m="$median" -v t=$target_s 'BEGIN { print (m < t) ? "PASS" : "FAIL" }')
echo "median ${median} s wall (target < ${target_s} s): $verdict"
[[ $verdict == PASS ]]
