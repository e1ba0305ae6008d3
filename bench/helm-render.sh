#!/usr/bin/env bash
# Render time per Helm chart: each chart directory under CHARTS (default ../shared/fixtures/charts)
# is scanned on its own by bin/kapas, once per run (RUNS, default 3), and the wall time, the
# objects the scan counted and the input errors are printed. A chart's wall time includes the JVM
# start and the renderer child process (a second JVM that loads Helm's library).
set -euo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
charts=${CHARTS:-"$here/../shared/fixtures/charts"}
runs=${RUNS:-3}
[[ -f $here/target/kapas.jar ]] || (cd "$here" && mvn -q package -DskipTests)
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
printf '%-28s %4s %8s %7s %6s\n' chart run wall_s objects errors
for chart in "$charts"/*/; do
  [[ -f $chart/Chart.yaml ]] || continue
  name=$(basename "$chart")
  for ((run = 1; run <= runs; run++)); do
    start=$(date +%s.%N)
    "$here/bin/kapas" scan "$chart" -f json -o "$out/$name.json" >/dev/null 2>&1 || true
    end=$(date +%s.%N)
    read -r objects errors < <(python3 -c 'import json,sys; s=json.load(open(sys.argv[1]))["summary"]; print(s["objects"], s["errors"])' "$out/$name.json")
    printf '%-28s %4d %8.2f %7s %6s\n' "$name" "$run" "$(python3 -c "print($end - $start)")" "$objects" "$errors"
  done
done
