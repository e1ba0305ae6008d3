"""Prints wall seconds, CPU seconds (user + system) and peak RSS in MiB from `/usr/bin/time -v`."""
import sys

text = open(sys.argv[1]).read()


def field(name):
    for line in text.splitlines():
        if line.strip().startswith(name):
            return line.rsplit(": ", 1)[1].strip()
    return "0"


parts = [float(p) for p in field("Elapsed (wall clock) time").split(":")]
wall = sum(p * 60 ** i for i, p in enumerate(reversed(parts)))
cpu = float(field("User time")) + float(field("System time"))
rss_mib = int(field("Maximum resident set size")) / 1024
print(f"{wall:.2f} {cpu:.2f} {rss_mib:.0f}")
