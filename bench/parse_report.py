"""Prints the objects and findings (active, as the summary counts them) of a kapas report."""
import json
import re
import sys

fmt, path = sys.argv[1], sys.argv[2]
try:
    text = open(path, encoding="utf-8").read()
except OSError:
    print("? ?")
    sys.exit(0)
if fmt == "json":
    summary = json.loads(text)["summary"]
    print(summary["objects"], sum(summary["findings"].values()))
else:
    objects = re.search(r"^kapas \S+: (\d+) objects", text, re.M)
    findings = re.search(r"^Findings: (.*?)(?: \(|$)", text, re.M)
    total = sum(int(n) for n in re.findall(r"(\d+) \w+", findings.group(1))) if findings else "?"
    print(objects.group(1) if objects else "?", total)
