#!/usr/bin/env bash
# What custom rules cost: the mixed-10k corpus scanned with all built-in rules, then with 50
# custom CEL rules as well (the ten of examples/policies, five variants of each with other IDs
# and parameters). Prints the median wall and CPU time of each and the overhead; target <= 30%.
#
#   bench/custom-rules.sh          RUNS=3 runs of each (RUNS=5 bench/custom-rules.sh for more)
set -euo pipefail

root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$root"
runs=${RUNS:-3}
corpus=bench/corpus/mixed-10k
rules=bench/out/custom-rules
target_pct=30

[[ -f target/kapas.jar ]] || mvn -q package -DskipTests
[[ -f $corpus.json ]] || python3 bench/generate.py mixed-10k >&2
mkdir -p "$rules"
rm -f "$rules"/*.yaml

# 50 rules: each example under five IDs, with its parameters changed so no two rules are the same
for file in examples/policies/*.yaml; do
  name=$(basename "$file" .yaml)
  for i in 1 2 3 4 5; do
    sed -e "s/^id: custom\.$name\$/id: custom.$name-$i/" \
        -e "s#registry\.example\.com/#registry$i.example.com/#; s#/var/log#/var/log$i#; s#\.apps\.example\.com#.apps$i.example.com#" \
        "$file" > "$rules/$name-$i.yaml"
  done
done
count=$(ls "$rules"/*.yaml | wc -l)

bin/kapas --version >/dev/null   # the class-data archive, so no run pays for making it
bin/kapas rules --rules-dir "$rules" >/dev/null   # and the cache for runs with custom rules (Java 25)

scan() {  # label, extra args... -> "wall cpu" of one run
  local label=$1; shift
  /usr/bin/time -f '%e %U %S' -o bench/out/custom-rules.time bin/kapas scan "$corpus" -f json \
    -o "bench/out/custom-rules.$label.json" --fail-on none "$@" >/dev/null 2>&1
  read -r wall user sys < bench/out/custom-rules.time
  echo "$wall $(echo "$user + $sys" | bc)"
}
median() { printf '%s\n' "$@" | sort -n | sed -n "$(( ($# + 1) / 2 ))p"; }

echo "custom-rules benchmark: $(nproc) cores, load average $(cut -d' ' -f1-3 /proc/loadavg), $runs runs each, median"
# the two scans alternate, so that a change in the machine's load falls on both alike
base_walls=() base_cpus=() cel_walls=() cel_cpus=()
for ((r = 1; r <= runs; r++)); do
  read -r w c <<<"$(scan base)"; base_walls+=("$w"); base_cpus+=("$c")
  read -r w c <<<"$(scan custom --rules-dir "$rules")"; cel_walls+=("$w"); cel_cpus+=("$c")
done
base_wall=$(median "${base_walls[@]}") base_cpu=$(median "${base_cpus[@]}")
cel_wall=$(median "${cel_walls[@]}") cel_cpu=$(median "${cel_cpus[@]}")
found=$(python3 -c 'import json,sys; d=json.load(open(sys.argv[1])); print(sum(1 for f in d["findings"] if f["ruleId"].startswith("custom.")))' bench/out/custom-rules.custom.json)
wall_pct=$(echo "scale=1; ($cel_wall - $base_wall) * 100 / $base_wall" | bc)
cpu_pct=$(echo "scale=1; ($cel_cpu - $base_cpu) * 100 / $base_cpu" | bc)
printf '%-32s wall %6.2f s  cpu %6.2f s\n' "built-in rules" "$base_wall" "$base_cpu"
printf '%-32s wall %6.2f s  cpu %6.2f s  (%s custom findings)\n' "built-in + $count custom rules" "$cel_wall" "$cel_cpu" "$found"
verdict=PASS
(( $(echo "$wall_pct > $target_pct" | bc) )) && verdict=FAIL
echo "overhead: wall ${wall_pct}%, cpu ${cpu_pct}% (target <= ${target_pct}% wall): $verdict; load average after $(cut -d' ' -f1-3 /proc/loadavg)"
[[ $verdict == PASS ]]
