#!/bin/sh
# kapas scan --images over 50 distinct images: 50 small one-layer images generated here as OCI
# layouts (os-release, an id file, 256 KiB of random bytes; half run as root), pushed with skopeo
# to Debian's docker-registry on 127.0.0.1, and 100 workloads naming them (every image twice:
# a Deployment's container and another Deployment's init container, so de-duplication counts).
# Runs the scan cold (empty --image-cache) and warm (the same cache), printing wall time and
# peak RSS (GNU time) and how many blobs the registry served each time. Needs docker-registry,
# skopeo (scripts/test-servers.sh install) and a built jar (mvn package). Nothing leaves 127.0.0.1.
#   bench/scan-images.sh [IMAGES] [CONCURRENCY]     (defaults 50 and 4)
set -eu
cd "$(dirname "$0")/.."
n=${1:-50}
conc=${2:-4}
work=$(mktemp -d)
reg=""
trap '[ -n "$reg" ] && kill $reg 2>/dev/null; rm -rf "$work"' EXIT

port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
host=127.0.0.1:$port
printf 'version: 0.1\nlog:\n  level: info\nstorage:\n  filesystem:\n    rootdirectory: %s\nhttp:\n  addr: %s\n' \
  "$work/storage" "$host" > "$work/registry.yml"
docker-registry serve "$work/registry.yml" > "$work/registry.log" 2>&1 & reg=$!
sleep 2

start=$(date +%s)
i=1
while [ "$i" -le "$n" ]; do
  layout=$work/layout$i
  mkdir -p "$layout/blobs/sha256" "$work/root$i/etc" "$work/root$i/app"
  printf 'PRETTY_NAME="Debian GNU/Linux 12 (bookworm)"\nID=debian\nVERSION_ID="12"\n' > "$work/root$i/etc/os-release"
  echo "bench image $i" > "$work/root$i/app/id"
  head -c 262144 /dev/urandom > "$work/root$i/app/data.bin"
  tar -C "$work/root$i" --sort=name --owner=0 --group=0 --mtime=@0 -cf "$work/layer.tar" etc app
  diff=$(sha256sum "$work/layer.tar" | cut -d' ' -f1)
  gzip -n -1 "$work/layer.tar"
  lsz=$(stat -c %s "$work/layer.tar.gz"); lh=$(sha256sum "$work/layer.tar.gz" | cut -d' ' -f1)
  mv "$work/layer.tar.gz" "$layout/blobs/sha256/$lh"
  user=""; [ $((i % 2)) -eq 0 ] && user=1000
  printf '{"architecture":"amd64","os":"linux","config":{"User":"%s"},"rootfs":{"type":"layers","diff_ids":["sha256:%s"]}}' \
    "$user" "$diff" > "$work/config.json"
  csz=$(stat -c %s "$work/config.json"); ch=$(sha256sum "$work/config.json" | cut -d' ' -f1)
  mv "$work/config.json" "$layout/blobs/sha256/$ch"
  printf '{"schemaVersion":2,"mediaType":"application/vnd.oci.image.manifest.v1+json","config":{"mediaType":"application/vnd.oci.image.config.v1+json","digest":"sha256:%s","size":%s},"layers":[{"mediaType":"application/vnd.oci.image.layer.v1.tar+gzip","digest":"sha256:%s","size":%s}]}' \
    "$ch" "$csz" "$lh" "$lsz" > "$work/manifest.json"
  msz=$(stat -c %s "$work/manifest.json"); mh=$(sha256sum "$work/manifest.json" | cut -d' ' -f1)
  mv "$work/manifest.json" "$layout/blobs/sha256/$mh"
  printf '{"schemaVersion":2,"manifests":[{"mediaType":"application/vnd.oci.image.manifest.v1+json","digest":"sha256:%s","size":%s}]}' \
    "$mh" "$msz" > "$layout/index.json"
  echo '{"imageLayoutVersion":"1.0.0"}' > "$layout/oci-layout"
  skopeo --insecure-policy copy -q --dest-tls-verify=false "oci:$layout" "docker://$host/bench/img$i:1"
  j=$((i % n + 1))
  cat >> "$work/workloads.yaml" <<YAML
apiVersion: apps/v1
kind: Deployment
metadata: {name: app$i, namespace: bench}
spec:
  template:
    spec:
      initContainers:
      - {name: init, image: $host/bench/img$j:1}
      containers:
      - {name: app, image: $host/bench/img$i:1}
---
YAML
  i=$((i + 1))
done
echo "$n images generated and pushed in $(( $(date +%s) - start )) s; $(du -sb "$work/storage" | cut -f1) bytes in the registry"

blobs() { grep -c '"GET /v2/.*/blobs/sha256:' "$work/registry.log" || true; }
for run in cold warm; do
  before=$(blobs)
  /usr/bin/time -f "kapas scan --images ($run cache, --image-concurrency $conc): %e s wall, %M KiB peak RSS" \
    bin/kapas scan "$work/workloads.yaml" --images --insecure-registry "$host" --image-cache "$work/cache" \
    --image-concurrency "$conc" --rules 'container.image-*' -f json -o "$work/$run.json" --fail-on none
  echo "  blobs served by the registry: $(( $(blobs) - before ))"
  python3 -c "import json,sys; r=json.load(open(sys.argv[1])); print('  findings', len(r['findings']), 'images', len(r.get('images', [])), 'errors', len(r['errors']))" "$work/$run.json"
done
