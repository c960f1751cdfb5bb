#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""Summarise make bench's samples (DIR/bench.csv): medians, per-packet CPU
costs net of the drop rule's in microseconds, and ratios; writes
DIR/summary.md and DIR/summary.csv and prints the table."""
import csv, statistics, sys
from collections import defaultdict
out = sys.argv[1]
rows = list(csv.DictReader(open(f"{out}/bench.csv")))
med = defaultdict(list)
for r in rows:
    med[(r["measure"], r["config"])].append(float(r["value"]))
m = {k: statistics.median(v) for k, v in med.items()}
us = 1e6 / 100 / 1e6                    # jiffies (USER_HZ 100) per 1e6 packets -> us
table = []
def add(name, value, unit, note=""):
    table.append((name, value, unit, note))
rounds = defaultdict(dict)
for r in rows:
    rounds[(r["measure"], r["round"])][r["config"]] = float(r["value"])


def paired(kind):
    """synfw/nft within each round, both net of that round's drop rule: the
    emulator's speed drifts between rounds more than within one."""
    out = []
    for (measure, _), c in rounds.items():
        if measure == kind and {"drop", "nft", "synfw"} <= c.keys() and c["nft"] > c["drop"]:
            out.append((c["synfw"] - c["drop"]) / (c["nft"] - c["drop"]))
    return sorted(out)


for kind in ("syn_flood", "ack_flood"):
    base = m[(kind, "drop")]
    nft = (m[(kind, "nft")] - base) * us
    syn = (m[(kind, "synfw")] - base) * us
    add(f"{kind} cost (nft synproxy)", f"{nft:.2f}", "us CPU/packet")
    add(f"{kind} cost (synfw)", f"{syn:.2f}", "us CPU/packet")
    add(f"{kind} ratio synfw/nft", f"{syn / nft:.2f}" if nft > 0 else "n/a", "",
        "goal <= 0.5; of the medians")
    p = paired(kind)
    if p:
        add(f"{kind} ratio synfw/nft, paired", f"{statistics.median(p):.2f}", "",
            f"median of {len(p)} rounds' ratios; range {p[0]:.2f} to {p[-1]:.2f}")
for kind, unit in (("conn_rate", "conn/s"), ("throughput", "Mbit/s")):
    for cfg in ("plain", "nft", "synfw"):
        add(f"{kind} ({cfg})", f"{m[(kind, cfg)]:.1f}", unit)
    add(f"{kind} ratio synfw/nft", f"{m[(kind, 'synfw')] / m[(kind, 'nft')]:.2f}", "")
    add(f"{kind} ratio synfw/plain", f"{m[(kind, 'synfw')] / m[(kind, 'plain')]:.2f}", "")
for r in rows:
    if r["measure"] == "memory_per_syn":
        add("memory per SYN answered", r["value"], "flow objects left", "goal 0")
    if r["measure"] == "memory_per_flow":
        add(f"memory per flow ({r['config']} live flows)", r["value"], "bytes", "goal <= 128")
for kind in ("syn_flood", "ack_flood"):
    base = m[(kind, "drop")]
    for k, v in sorted(m.items(), key=lambda kv: (kv[0][0], int(kv[0][1]) if kv[0][1].isdigit() else 0)):
        if k[0] == f"{kind}_with_flows":
            add(f"{kind} cost (synfw with {k[1]} live flows)", f"{(v - base) * us:.2f}",
                "us CPU/packet")
with open(f"{out}/summary.csv", "w") as f:
    f.write("measure,value,unit,note\n")
    for row in table:
        f.write(",".join(row) + "\n")
with open(f"{out}/summary.md", "w") as f:
    f.write("| measure | value | unit | note |\n|---|---:|---|---|\n")
    for row in table:
        f.write("| " + " | ".join(row) + " |\n")
print(open(f"{out}/summary.md").read())
