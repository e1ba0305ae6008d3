#!/bin/sh
# Vulnerability database bench (issue 16): builds a synthetic OSV export of N records (default
# 500,000) from the real fixture records as templates (each copy gets a new ID and package name),
# imports it with `kapas db update --source`, prints the time and the database size, then times
# `kapas code` on a package-lock.json of 5,000 packages that all exist in the database, RUNS times
# (default 3): the whole command, and the matching alone as `kapas code --timings` reports it
# (after start-up: opening the database, looking up and matching the 5,000 packages).
#   bench/vuln-db.sh [N]        (build the jar first: mvn -q package -DskipTests)
set -eu
N=${1:-500000}
here=$(cd "$(dirname "$0")/.." && pwd)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
python3 - "$here/../shared/fixtures/osv/advisories" "$work" "$N" <<'PY'
import json, os, sys, zipfile, glob
src, work, n = sys.argv[1], sys.argv[2], int(sys.argv[3])
templates = [json.load(open(f)) for f in sorted(glob.glob(src + "/npm/*.json"))]
with zipfile.ZipFile(work + "/all.zip", "w", zipfile.ZIP_DEFLATED) as z:
    for i in range(n):
        r = dict(templates[i % len(templates)])
        r["id"] = "BENCH-%07d" % i
        r["aliases"] = ["CVE-BENCH-%07d" % i]
        r["affected"] = [dict(a, package=dict(a["package"], name="pkg-%d" % (i % 100000))) for a in r["affected"]]
        z.writestr(r["id"] + ".json", json.dumps(r))
deps = {"node_modules/pkg-%d" % i: {"version": "0.0.1"} for i in range(5000)}
os.makedirs(work + "/tree")
json.dump({"lockfileVersion": 3, "packages": deps}, open(work + "/tree/package-lock.json", "w"), indent=2)
PY
echo "export: $(du -h "$work/all.zip" | cut -f1) for $N records"
start=$(date +%s.%N)
"$here/bin/kapas" db update --db "$work/db" --source "$work/all.zip" 2>/dev/null
end=$(date +%s.%N)
echo "import: $(echo "$end - $start" | bc) s; database $(du -h "$work/db/kapas.db" | cut -f1)"
start=$(date +%s.%N)
"$here/bin/kapas" db info --db "$work/db" | grep -c ':' >/dev/null
end=$(date +%s.%N)
echo "kapas db info: $(echo "$end - $start" | bc) s"
for run in $(seq "${RUNS:-3}"); do
  echo "load average: $(cut -d' ' -f1-3 /proc/loadavg)"
  start=$(date +%s.%N)
  "$here/bin/kapas" code "$work/tree" --db "$work/db" --fail-on none -f json -o "$work/out.json" --timings 2>&1 | tail -2
  end=$(date +%s.%N)
  echo "kapas code, 5,000 packages (JVM start and report included): $(echo "$end - $start" | bc) s"
done
