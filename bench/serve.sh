#!/usr/bin/env bash
# Admission latency of kapas serve (offline: each object judged alone) under a fixed request
# rate from wrk on 127.0.0.1, then a soak at 200 requests/s with the server's RSS sampled.
#   bench/serve.sh [SOAK_SECONDS]   (default 600; RATES="200 1000", RUN_SECONDS=30 from the env)
# Prints wrk's latency distribution per rate, RSS at the start and end of the soak, and `uptime`
# beside each number (the machine may be shared). Needs wrk (Debian: apt-get install wrk) and openssl.
set -euo pipefail
cd "$(dirname "$0")/.."
SOAK=${1:-600}
RATES=${RATES:-"200 1000"}
RUN=${RUN_SECONDS:-30}
CONNECTIONS=${CONNECTIONS:-20}
command -v wrk >/dev/null || { echo "wrk not installed (apt-get install wrk)" >&2; exit 2; }
dir=$(mktemp -d)
trap 'kill "$pid" 2>/dev/null || true; rm -rf "$dir"' EXIT
openssl req -x509 -newkey rsa:2048 -nodes -keyout "$dir/key.pem" -out "$dir/cert.pem" -days 1 -subj /CN=bench \
  -addext subjectAltName=IP:127.0.0.1 2>/dev/null
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
bin/kapas serve --offline --listen "127.0.0.1:$port" --tls-cert "$dir/cert.pem" --tls-key "$dir/key.pem" \
  2>"$dir/serve.log" &
pid=$!
for _ in $(seq 100); do grep -q listening "$dir/serve.log" && break; sleep 0.2; done
grep listening "$dir/serve.log"
url="https://127.0.0.1:$port"
export CONNECTIONS
rss() { awk '/VmRSS/ {print $2}' "/proc/$pid/status"; }
run() { # rate seconds
  RATE=$1 wrk -t2 -c"$CONNECTIONS" -d"${2}s" --latency -s bench/serve-admission.lua "$url"
}
echo "== warm-up 20 s at 200/s"; run 200 20 >/dev/null
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
