#!/bin/sh
# kapas image against a local registry (issue 15 item 8): an image of about 1 GB uncompressed
# with 2,000+ packages, built from this machine's own installed files, pushed with skopeo to
# Debian's docker-registry on 127.0.0.1 and read back with `kapas image --timings`. Prints the
# image's size and package sources, then kapas' wall time and peak RSS (GNU time -v) and its own
# split of the layers' time into pull, decompress and catalogue. Target: under 15 s wall and
# 512 MiB peak RSS on 2 cores. Needs docker-registry, skopeo (scripts/test-servers.sh install)
# and a built jar (mvn package). Nothing leaves 127.0.0.1.
#
# Layers (gzip -1), each from the files as installed here:
#   1. /etc and os-release, the dpkg database (/var/lib/dpkg: every installed Debian package), /usr/bin
#   2. npm and Python packages: /usr/lib/node_modules, /usr/lib/python3/dist-packages
#   3. the jars Maven fetched (~/.m2/repository/**/*.jar, under /root/.m2 in the image)
#   4. other /usr/lib files until the image reaches SIZE_MB
#
#   bench/image.sh [SIZE_MB]     (default 1024)
#   RUNS=3 bench/image.sh         runs kapas three times on the same image
#   LAYOUT=1 bench/image.sh       also reads the image from its OCI layout on disk, for comparison
#   KAPAS=... bench/image.sh      another command than bin/kapas (e.g. "java -jar target/kapas.jar")
# The image is built once into bench/out/image-SIZE_MB/ (gitignored) and reused; delete it to rebuild.
set -eu
cd "$(dirname "$0")/.."
size_mb=${1:-1024}
runs=${RUNS:-1}
kapas=${KAPAS:-bin/kapas}
work=$(mktemp -d)
reg=""
trap '[ -n "$reg" ] && kill "$reg" 2>/dev/null; rm -rf "$work"' EXIT
cache=bench/out/image-$size_mb
layout=$cache/layout

build() {
rm -rf "$cache"; mkdir -p "$layout/blobs/sha256"
put() { h=$(sha256sum "$1" | cut -d' ' -f1); mv "$1" "$layout/blobs/sha256/$h"; echo "$h"; }

m2=${HOME}/.m2/repository
( cd / && find "${m2#/}" -name '*.jar' -type f 2>/dev/null ) > "$work/jars.list" || true
( cd / && find usr/lib/node_modules usr/lib/python3/dist-packages -type f 2>/dev/null ) > "$work/lang.list" || true
used=$(cd / && { du -cb etc var/lib/dpkg usr/bin 2>/dev/null | tail -1 | cut -f1; \
  tr '\n' '\0' < "$work/jars.list" | du -cb --files0-from=- 2>/dev/null | tail -1 | cut -f1; \
  tr '\n' '\0' < "$work/lang.list" | du -cb --files0-from=- 2>/dev/null | tail -1 | cut -f1; } | awk '{ t += $1 } END { print t }')
find /usr/lib -xdev -type f -size -64M -not -path '/usr/lib/node_modules/*' -not -path '/usr/lib/python3/dist-packages/*' \
  -not -path /usr/lib/os-release -printf '%s %P\n' 2>/dev/null | awk -v max=$((size_mb * 1024 * 1024 - used)) \
  '{ t += $1; if (t > max) exit; print "usr/lib/" substr($0, index($0, " ") + 1) }' > "$work/usrlib.list"

diffs=""; layers=""; unpacked=0
for spec in "etc usr/lib/os-release var/lib/dpkg usr/bin" "@$work/lang.list" "@$work/jars.list" "@$work/usrlib.list"; do
  t=$work/layer.tar
  case "$spec" in
    @*) tar -C / -cf "$t" -T "${spec#@}" 2>/dev/null || true ;;
    *) tar -C / -cf "$t" $spec 2>/dev/null || true ;;
  esac
  unpacked=$((unpacked + $(stat -c %s "$t")))
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
echo "image: $unpacked bytes unpacked, $(du -sb "$layout/blobs" | cut -f1) stored; $(grep -c '^Package:' /var/lib/dpkg/status) dpkg packages," \
  "$(wc -l < "$work/jars.list") jars, $(wc -l < "$work/lang.list") npm/Python files, $(wc -l < "$work/usrlib.list") other /usr/lib files" > "$cache/about.txt"
}
[ -f "$cache/about.txt" ] || build
cat "$cache/about.txt"

port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
printf 'version: 0.1\nlog:\n  level: error\nstorage:\n  filesystem:\n    rootdirectory: %s\nhttp:\n  addr: 127.0.0.1:%s\n' \
  "$work/storage" "$port" > "$work/registry.yml"
docker-registry serve "$work/registry.yml" > "$work/registry.log" 2>&1 & reg=$!
for i in $(seq 50); do python3 -c "import socket,sys; socket.create_connection(('127.0.0.1', $port))" 2>/dev/null && break; sleep 0.2; done
skopeo --insecure-policy copy -q --dest-tls-verify=false "oci:$layout" "docker://127.0.0.1:$port/bench/big:1"
measure() { # what, image...
  what=$1; shift
  echo "$what: cores $(nproc), load before the run $(cut -d' ' -f1-3 /proc/loadavg)"
  /usr/bin/time -v -o "$work/time.txt" $kapas image --insecure-registry "127.0.0.1:$port" --timings \
    "$@" -f json -o "$work/out.json" --fail-on none 2> "$work/err.txt" || true
  grep -v '^vulnerability database\|^warning' "$work/err.txt" || true
  awk -F': ' '/Elapsed \(wall clock\)/ { w = $2 } /User time/ { u = $2 } /System time/ { s = $2 }
    /Maximum resident set size/ { r = $2 } END { printf "wall %s, CPU %.1f s (user %s + sys %s), peak RSS %.0f MiB\n", w, u + s, u, s, r / 1024 }' "$work/time.txt"
  python3 - "$work/out.json" <<'PY'
import collections, json, sys
r = json.load(open(sys.argv[1]))
for i in r.get('images', []):
    by = collections.Counter(p['ecosystem'].split(':')[0] for p in i['packages'])
    print('layers', len(i['layers']), 'packages', len(i['packages']), dict(by))
for e in r.get('errors', []):
    print('error:', e['file'], e['message'])
PY
}
i=1
while [ "$i" -le "$runs" ]; do
  measure "registry, run $i" "127.0.0.1:$port/bench/big:1"
  [ -n "${LAYOUT:-}" ] && measure "OCI layout, run $i" "$layout"
  i=$((i + 1))
done
