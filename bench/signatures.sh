#!/bin/sh
# Signature verification at scale: N (default 500) distinct small images, each with its cosign
# signature (ECDSA P-256 by OpenSSL) in Debian's docker-registry on 127.0.0.1, checked by one
# `kapas image --key` run (signatures are looked up 8 images at a time). Every tenth image is
# unsigned and every twentieth signed for another digest, so the findings are counted too.
# Prints the wall time, the time per image and the peak RSS (GNU time). Needs docker-registry
# (scripts/test-servers.sh install), openssl, python3 and a built jar (mvn package). Nothing
# leaves 127.0.0.1.
#   bench/signatures.sh [N]
set -eu
cd "$(dirname "$0")/.."
n=${1:-500}
work=$(mktemp -d)
reg=""
trap '[ -n "$reg" ] && kill $reg 2>/dev/null; rm -rf "$work"' EXIT
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
printf 'version: 0.1\nlog:\n  level: error\nstorage:\n  filesystem:\n    rootdirectory: %s\nhttp:\n  addr: 127.0.0.1:%s\n' \
  "$work/storage" "$port" > "$work/registry.yml"
docker-registry serve "$work/registry.yml" > "$work/registry.log" 2>&1 & reg=$!
sleep 2
openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256 -out "$work/cosign.key" 2>/dev/null
openssl pkey -in "$work/cosign.key" -pubout -out "$work/cosign.pub"
start=$(date +%s.%N)
python3 bench/signatures.py "127.0.0.1:$port" "$n" "$work/cosign.key" "$work/images.list"
echo "pushed $n images and their signatures in $(echo "$(date +%s.%N) - $start" | bc) s"
# shellcheck disable=SC2046
/usr/bin/time -f "%e %M" -o "$work/time" bin/kapas image --insecure-registry "127.0.0.1:$port" --key "$work/cosign.pub" \
  $(cat "$work/images.list") -f json -o "$work/out.json" --fail-on none
read -r wall rss < "$work/time"
python3 - "$work/out.json" "$n" "$wall" "$rss" <<'PY'
import json, sys
r = json.load(open(sys.argv[1])); n = int(sys.argv[2]); wall = float(sys.argv[3])
s = r.get("signatures", [])
signed = sum(1 for x in s if x["signed"])
ids = [f["ruleId"] for f in r.get("findings", [])]
print(f"kapas image --key: {n} images in {wall:.1f} s wall ({1000 * wall / n:.1f} ms per image), peak RSS {int(sys.argv[4]) // 1024} MiB")
print(f"  signed {signed}, container.image-unsigned {ids.count('container.image-unsigned')}, "
      f"container.image-signature-invalid {ids.count('container.image-signature-invalid')}, "
      f"input errors {len(r.get('errors', []))}")
PY
