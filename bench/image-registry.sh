#!/bin/sh
# kapas image against a local registry: an image of about 1 GB uncompressed, built from this
# machine's own files (/etc, /var/lib/dpkg, /usr/bin, /usr/lib), pushed with skopeo
# to Debian's docker-registry on 127.0.0.1 and read back with `kapas image`. Prints wall time
# and peak RSS (GNU time). Needs docker-registry, skopeo (scripts/test-servers.sh install) and
# a built jar (mvn package). Nothing leaves 127.0.0.1.
#   bench/image-registry.sh [SIZE_MB]     (default 1024: stop adding /usr/lib files past it)
set -eu
cd "$(dirname "$0")/.."
size_mb=${1:-1024}
work=$(mktemp -d)
trap 'kill $reg 2>/dev/null || true; rm -rf "$work"' EXIT
layout=$work/layout
mkdir -p "$layout/blobs/sha256"

put() { h=$(sha256sum "$1" | cut -d' ' -f1); mv "$1" "$layout/blobs/sha256/$h"; echo "$h"; }

# layers: the dpkg database and /etc; /usr/bin; then /usr/lib files until the image reaches the size asked
base=$(du -sb /etc /var/lib/dpkg /usr/bin 2>/dev/null | awk '{ t += $1 } END { print t }')
find /usr/lib -xdev -type f -size -64M -printf '%s %p\n' 2>/dev/null | awk -v max=$((size_mb * 1024 * 1024 - base)) \
  '{ t += $1; if (t > max) exit; print substr($0, index($0, " ") + 2) }' \
  > "$work/usrlib.list"
diffs=""; layers=""
for spec in "etc var/lib/dpkg" "usr/bin" "@$work/usrlib.list"; do
  t=$work/layer.tar
  case "$spec" in
    @*) tar -C / -cf "$t" -T "${spec#@}" 2>/dev/null || true ;;
    *) tar -C / -cf "$t" $spec 2>/dev/null || true ;;
  esac
  diff=$(sha256sum "$t" | cut -d' ' -f1)
  gzip -1 "$t"
  sz=$(stat -c %s "$t.gz")
  h=$(put "$t.gz")
  diffs="$diffs${diffs:+,}\"sha256:$diff\""
  layers="$layers${layers:+,}{\"mediaType\":\"application/vnd.oci.image.layer.v1.tar+gzip\",\"digest\":\"sha256:$h\",\"size\":$sz}"
done
printf '{"architecture":"amd64","os":"linux","config":{"User":"1000"},"rootfs":{"type":"layers","diff_ids":[%s]}}' \
  "$diffs" > "$work/config.json"
cs=$(stat -c %s "$work/config.json"); ch=$(put "$work/config.json")
printf '{"schemaVersion":2,"mediaType":"application/vnd.oci.image.manifest.v1+json","config":{"mediaType":"application/vnd.oci.image.config.v1+json","digest":"sha256:%s","size":%s},"layers":[%s]}' \
  "$ch" "$cs" "$layers" > "$work/manifest.json"
ms=$(stat -c %s "$work/manifest.json"); mh=$(put "$work/manifest.json")
printf '{"schemaVersion":2,"manifests":[{"mediaType":"application/vnd.oci.image.manifest.v1+json","digest":"sha256:%s","size":%s}]}' \
  "$mh" "$ms" > "$layout/index.json"
echo '{"imageLayoutVersion":"1.0.0"}' > "$layout/oci-layout"

port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
printf 'version: 0.1\nlog:\n  level: error\nstorage:\n  filesystem:\n    rootdirectory: %s\nhttp:\n  addr: 127.0.0.1:%s\n' \
  "$work/storage" "$port" > "$work/registry.yml"
docker-registry serve "$work/registry.yml" > "$work/registry.log" 2>&1 & reg=$!
sleep 2
skopeo --insecure-policy copy -q --dest-tls-verify=false "oci:$layout" "docker://127.0.0.1:$port/bench/big:1"
echo "image: $(du -sb "$layout/blobs" | cut -f1) bytes stored, $(cat "$work/usrlib.list" | wc -l) /usr/lib files, $(grep -c '^Package:' /var/lib/dpkg/status) dpkg packages"
/usr/bin/time -f "kapas image: %e s wall, %M KiB peak RSS" bin/kapas image --insecure-registry "127.0.0.1:$port" \
  "127.0.0.1:$port/bench/big:1" -f json -o "$work/out.json" --fail-on none
python3 -c "import json,sys; r=json.load(open(sys.argv[1])); i=r['images'][0]; print('layers', len(i['layers']), 'packages', len(i['packages']))" "$work/out.json"
