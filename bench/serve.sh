#!/usr/bin/env bash
# Admission latency of kapas serve under a fixed request rate from wrk on 127.0.0.1, then a soak
# at 200 requests/s with the server's RSS sampled.
#   bench/serve.sh [SOAK_SECONDS]   (default 600; RATES="200 1000", RUN_SECONDS=30, WARMUP_SECONDS=20 from the env)
#   CLUSTER_OBJECTS=5000 bench/serve.sh 0
#       cluster mode: a real kube-apiserver v1.20 with etcd on free ports of 127.0.0.1
#       (../shared/tools/kube-apiserver/start.sh, state in $STATE, default /tmp/kapas-bench-serve),
#       loaded with that many objects of bench/load_cluster.py (100 namespaces), and kapas serve
#       reading it through its informer cache; the Pods are posted into the first loaded namespace.
#       KEEP=1 leaves the API server up; REUSE=1 then runs against it without starting or loading
#       again (to compare two builds on the same cluster). Without CLUSTER_OBJECTS, kapas serve
#       --offline judges each object alone.
# Prints wrk's latency distribution per rate, RSS at the start and end of the soak, and `uptime`
# beside each number (the machine may be shared). Needs wrk (Debian: apt-get install wrk) and openssl.
# KAPAS_JAR runs another build (bin/kapas honours it), to compare before and after a change.
set -euo pipefail
cd "$(dirname "$0")/.."
SOAK=${1:-600}
RATES=${RATES:-"200 1000"}
RUN=${RUN_SECONDS:-30}
# WARMUP_SECONDS=0: measure from the first request after /readyz (kapas serve warms itself up
# before it says ready, --warm-up); the default 20 s of load first measures the steady state
WARMUP=${WARMUP_SECONDS:-20}
CONNECTIONS=${CONNECTIONS:-20}
command -v wrk >/dev/null || { echo "wrk not installed (apt-get install wrk)" >&2; exit 2; }
dir=$(mktemp -d)
pid=
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
cleanup() {
  [[ -n $pid ]] && kill "$pid" 2>/dev/null || true
  [[ -n ${CLUSTER_OBJECTS:-} && -z ${KEEP:-} ]] && bash ../shared/tools/kube-apiserver/start.sh stop >/dev/null 2>&1 || true
  rm -rf "$dir"
}
trap cleanup EXIT
openssl req -x509 -newkey rsa:2048 -nodes -keyout "$dir/key.pem" -out "$dir/cert.pem" -days 1 -subj /CN=bench \
  -addext subjectAltName=IP:127.0.0.1 2>/dev/null
serve=(--offline)
export NAMESPACE=${NAMESPACE:-shop}
if [[ -n ${CLUSTER_OBJECTS:-} ]]; then
  export STATE=${STATE:-/tmp/kapas-bench-serve}
  if [[ -z ${REUSE:-} ]]; then
    export APISERVER_PORT=${APISERVER_PORT:-$(free_port)} ETCD_PORT=${ETCD_PORT:-$(free_port)}
    bash ../shared/tools/kube-apiserver/start.sh start
    . "$STATE/env"
    t0=$(date +%s)
    python3 bench/load_cluster.py --server "$APISERVER_URL" --token "$APISERVER_TOKEN" --ca "$APISERVER_CA" \
      --objects "$CLUSTER_OBJECTS"
    echo "loaded in $(( $(date +%s) - t0 )) s"
  fi
  . "$STATE/env"
  NAMESPACE=$(python3 -c 'import sys; sys.path.insert(0, "bench"); import generate; print(generate.Gen(50000, 100).namespaces[0])')
  serve=(--kubeconfig "$KUBECONFIG")
fi
port=$(free_port)
bin/kapas serve "${serve[@]}" --listen "127.0.0.1:$port" --tls-cert "$dir/cert.pem" --tls-key "$dir/key.pem" \
  2>"$dir/serve.log" &
pid=$!
started=$(date +%s.%N)
for _ in $(seq 100); do grep -q listening "$dir/serve.log" && break; sleep 0.2; done
grep listening "$dir/serve.log"
for _ in $(seq 600); do [[ $(curl -sk -o /dev/null -w '%{http_code}' "https://127.0.0.1:$port/readyz") == 200 ]] && break; sleep 0.5; done
echo "ready: $(curl -sk "https://127.0.0.1:$port/readyz") $(awk -v a="$started" -v b="$(date +%s.%N)" 'BEGIN{printf "%.1f", b-a}') s after start; Pods posted into namespace $NAMESPACE"
grep -h "warmed up" "$dir/serve.log" || true
url="https://127.0.0.1:$port"
export CONNECTIONS
rss() { awk '/VmRSS/ {print $2}' "/proc/$pid/status"; }
run() { # rate seconds
  RATE=$1 wrk -t2 -c"$CONNECTIONS" -d"${2}s" --latency -s bench/serve-admission.lua "$url"
}
if ((WARMUP > 0)); then echo "== warm-up $WARMUP s at 200/s"; run 200 "$WARMUP" >/dev/null; fi
for rate in $RATES; do
  echo "== $rate requests/s for $RUN s ($CONNECTIONS connections); $(uptime)"
  run "$rate" "$RUN" | grep -E "Latency|50%|75%|90%|99%|requests in|Requests/sec|Non-2xx|Socket errors"
done
if ((SOAK > 0)); then
  start=$(rss)
  echo "== soak: 200 requests/s for $SOAK s; RSS at start ${start} KiB; $(uptime)"
  run 200 "$SOAK" | grep -E "Latency|50%|99%|requests in|Requests/sec|Non-2xx|Socket errors" &
  w=$!
  while kill -0 "$w" 2>/dev/null; do sleep 30; echo "   RSS $(rss) KiB"; done
  wait "$w"
  end=$(rss)
  echo "== soak done: RSS ${start} -> ${end} KiB ($(awk -v a="$start" -v b="$end" 'BEGIN{printf "%+.1f%%", (b-a)*100/a}')); $(uptime)"
fi
curl -sk "$url/metrics" | grep -E '^kapas_admission_requests_total|duration_seconds_(count|sum)'
