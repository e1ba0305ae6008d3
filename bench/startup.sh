#!/usr/bin/env bash
# Start-up and warm-up: one small file and 10,000 objects through bin/kapas, with Java 17 (its
# class-data archive) and with Java 25 (its ahead-of-time cache), side by side. See bench/README.md.
#
#   bench/startup.sh                      RUNS=7 by default; median wall and CPU of each
#   JAVA17=/path/to/jdk17 JAVA25=/path/to/jdk25 RUNS=9 bench/startup.sh
set -euo pipefail

root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$root"
runs=${RUNS:-7}
small=examples/shop/web.yaml
corpus=bench/corpus/mixed-10k
out=bench/out
first_jdk() {  # feature version -> the first JDK of it under /usr/lib/jvm
  local home
  for home in /usr/lib/jvm/*/; do
    if grep -q "^JAVA_VERSION=\"$1[.\"]" "$home/release" 2>/dev/null; then echo "${home%/}"; return; fi
  done
}
java17=${JAVA17:-$(first_jdk 17)}
java25=${JAVA25:-$(first_jdk 25)}

[[ -x /usr/bin/time ]] || { echo "bench: /usr/bin/time is missing: apt-get install -y time" >&2; exit 2; }
[[ -f target/kapas.jar ]] || { echo "bench: building target/kapas.jar" >&2; mvn -q package -DskipTests; }
[[ -f $corpus.json ]] || python3 bench/generate.py mixed-10k >&2
mkdir -p "$out"

median() { sort -n | awk '{a[NR]=$1} END{print a[int((NR+1)/2)]}'; }
measure() {  # label java-home args... -> one line: median wall and CPU over $runs runs
  local label=$1 jdk=$2 i walls=() cpus=() w u s
  shift 2
  KAPAS_JAVA=$jdk bin/kapas --version >/dev/null   # makes the cache if missing, not measured
  for ((i = 0; i < runs; i++)); do
    KAPAS_JAVA=$jdk /usr/bin/time -o "$out/startup-time.txt" -f "%e %U %S" bin/kapas "$@" >/dev/null 2>&1 || true
    read -r w u s < <(tail -1 "$out/startup-time.txt")
    walls+=("$w")
    cpus+=("$(awk -v u="$u" -v s="$s" 'BEGIN{printf "%.2f", u + s}')")
  done
  printf '%-46s wall %5s s (min %5s)  cpu %5s s   load %s\n' "$label" \
    "$(printf '%s\n' "${walls[@]}" | median)" "$(printf '%s\n' "${walls[@]}" | sort -n | head -1)" \
    "$(printf '%s\n' "${cpus[@]}" | median)" "$(cut -d' ' -f1-3 /proc/loadavg)"
}

echo "kapas start-up: $(nproc) cores, $runs runs each (median), load average $(cut -d' ' -f1-3 /proc/loadavg)"
for jdk in "$java17" "$java25"; do
  [[ -n $jdk ]] || continue
  v=$(grep '^JAVA_RUNTIME_VERSION=' "$jdk/release" | cut -d'"' -f2)
  measure "one small file, Java $v" "$jdk" scan "$small" -f json -o "$out/startup-small.json"
  measure "mixed-10k,      Java $v" "$jdk" scan "$corpus" -f json -o "$out/startup-10k.json"
done
[[ -n $java25 ]] || echo "(no Java 25 JDK under /usr/lib/jvm: set JAVA25=)"
if command -v kube-score >/dev/null; then
  t0=$(date +%s.%N); kube-score score "$small" >/dev/null 2>&1 || true; t1=$(date +%s.%N)
  echo "kube-score one small file: $(awk -v a="$t0" -v b="$t1" 'BEGIN{printf "%.2f", b - a}') s"
else
  echo "kube-score: not installed (not packaged by Debian; see bench/README.md)"
fi
