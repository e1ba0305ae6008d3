#!/usr/bin/env bash
# kapas cluster against a real kube-apiserver (v1.20 + etcd on 127.0.0.1) holding OBJECTS generated
# objects (default 50,000): time to list them and to run the rules. Target: < 30 s in all.
#
#   bench/cluster.sh                  # start the API server, load the objects, scan 3 times, stop
#   KEEP=1 bench/cluster.sh           # leave the API server running (STATE/env has its address)
#   OBJECTS=10000 RUNS=1 bench/cluster.sh
#
# Needs the binary of ../shared/tools/kube-apiserver/build.sh, etcd, python3, Java 17 and Maven.
set -euo pipefail
cd "$(dirname "$0")/.."
OBJECTS=${OBJECTS:-50000}
RUNS=${RUNS:-3}
export STATE=${STATE:-/tmp/kapas-bench-cluster}
export APISERVER_PORT=${APISERVER_PORT:-18443}
export ETCD_PORT=${ETCD_PORT:-25790}
START=../shared/tools/kube-apiserver/start.sh
[ -f target/kapas.jar ] || mvn -q -o package -DskipTests   # run through bin/kapas, as bench/run.sh does
bash "$START" start
[ -n "${KEEP:-}" ] || trap 'bash "$START" stop' EXIT
. "$STATE/env"
t0=$(date +%s)
python3 bench/load_cluster.py --server "$APISERVER_URL" --token "$APISERVER_TOKEN" --ca "$APISERVER_CA" \
  --objects "$OBJECTS"
echo "loading took $(( $(date +%s) - t0 )) s"
mkdir -p bench/out
echo "load average: $(cut -d' ' -f1-3 /proc/loadavg) on $(nproc) cores"
for i in $(seq "$RUNS"); do
  # KAPAS_TIMINGS=1: kapas cluster prints the objects listed, the listing time and the rules time
  /usr/bin/time -f "run $i: wall %e s, cpu %U+%S s, peak RSS %M KiB" env KAPAS_TIMINGS=1 \
    bin/kapas cluster --kubeconfig "$KUBECONFIG" -f json -o bench/out/cluster.json || true
done
python3 - <<'PY'
import json
d = json.load(open("bench/out/cluster.json"))
s = d["summary"]
print(f"report: {s['objects']} objects, {sum(s['findings'].values())} findings, {len(d['errors'])} input errors")
PY
