#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""Instruction counts of the core's hot paths under callgrind (make profile).

Runs each case of the bench program once natively (time per call,
informational) and once under valgrind --tool=callgrind with collection on
only inside the case's loop (--toggle-collect=run_CASE), then reads the raw
callgrind output: the inclusive cost of the calls the loop makes to the core
function, divided by their number, is the instructions per operation; the
whole loop's cost per iteration adds the harness (building the MAC input
and the like). Writes a Markdown report.
"""

import argparse
import collections
import os
import platform
import re
import subprocess
import sys

TOP = 8


def parse_callgrind(path):
    """Self cost per function and per source file, and calls (count,
    inclusive cost) per caller and callee."""
    names = {"fn": {}, "ob": {}, "fl": {}}
    self_cost = collections.Counter()
    file_cost = collections.Counter()
    calls = collections.defaultdict(lambda: [0, 0])
    fn = ob = cfn = cob = fl = cur = None
    pending = None  # the call count of a calls= line, awaiting its cost line
    total = 0

    def name(kind, value):
        m = re.match(r"\((\d+)\)(?: (.*))?$", value)
        if not m:
            return value
        if m.group(2) is not None:
            names[kind][m.group(1)] = m.group(2)
        return names[kind].get(m.group(1), value)

    with open(path) as f:
        for line in f:
            line = line.rstrip("\n")
            if not line or line.startswith("#"):
                continue
            if line.startswith("totals:") or line.startswith("summary:"):
                total = int(line.split()[1])
                continue
            if line[0].isdigit() or line[0] in "+-*":
                cost = line.split()
                cost = int(cost[1]) if len(cost) > 1 else 0
                if pending is not None:
                    c = calls[(fn, cfn)]
                    c[0] += pending
                    c[1] += cost
                    pending = None
                else:
                    self_cost[(fn, ob)] += cost
                    file_cost[os.path.basename(cur or "?")] += cost
                continue
            key, _, value = line.partition("=")
            if key == "ob":
                ob = cob = name("ob", value)
            elif key == "cob":
                cob = name("ob", value)
            elif key == "fl":
                fl = cur = name("fl", value)
            elif key in ("fi", "fe"):
                cur = name("fl", value)
            elif key in ("cfi", "cfl"):
                name("fl", value)
            elif key == "fn":
                fn = name("fn", value)
                cob = ob
                cur = fl
            elif key == "cfn":
                cfn = name("fn", value)
            elif key == "calls":
                pending = int(value.split()[0])
    return total, self_cost, file_cost, calls


def run(cmd, **kw):
    return subprocess.run(cmd, check=True, text=True, capture_output=True, **kw).stdout


def fmt(x):
    return f"{x:,.0f}" if abs(x - round(x)) < 0.05 or x >= 100 else f"{x:,.1f}"


def main():
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--bench", required=True)
    ap.add_argument("--dir", required=True, help="where callgrind's outputs go")
    ap.add_argument("-n", type=int, default=200000, help="iterations under callgrind")
    ap.add_argument("--native-n", type=int, default=10000000)
    ap.add_argument("-o", "--out", required=True)
    a = ap.parse_args()

    os.makedirs(a.dir, exist_ok=True)
    cases = [l.split(" ", 2) for l in run([a.bench, "-l"]).splitlines()]
    env = dict(os.environ, LD_BIND_NOW="1")  # no lazy binding inside a loop

    ns = {}
    for line in run([a.bench, "-n", str(a.native_n)]).splitlines():
        f = line.split()
        ns[f[0]] = float(f[3])

    rows, details = [], []
    for case, target, what in cases:
        out = os.path.join(a.dir, f"callgrind.out.{case}")
        loop = f"run_{case}"
        subprocess.run(["valgrind", "--tool=callgrind", "--callgrind-out-file=" + out,
                        "--toggle-collect=" + loop, a.bench, "-n", str(a.n), case],
                       check=True, env=env, capture_output=True)
        total, self_cost, file_cost, calls = parse_callgrind(out)
        ncalls, incl = calls.get((loop, target), (0, 0))
        if ncalls != a.n:
            sys.exit(f"{case}: {loop} made {ncalls} calls to {target}, not {a.n}")
        rows.append((case, target, what, incl / ncalls, total / a.n,
                     file_cost["host_compat.h"] / a.n, ns.get(case)))
        top = sorted(self_cost.items(), key=lambda kv: -kv[1])[:TOP]
        details.append((case, total, [(f, os.path.basename(o or "?"), c) for (f, o), c in top]))
        print(f"{case}: {incl / ncalls:.1f} Ir per {target}(), {total / a.n:.1f} per iteration",
              file=sys.stderr)

    cc = run(["gcc", "--version"]).splitlines()[0]
    vg = run(["valgrind", "--version"]).strip()
    sodium = run(["sh", "-c", "dpkg-query -W -f '${Version}' libsodium23 2>/dev/null || true"])
    cpu = next((l.split(":", 1)[1].strip() for l in open("/proc/cpuinfo")
                if l.startswith("model name")), platform.machine())

    w = []
    w.append("# Instructions per operation of synfw's core (callgrind)\n")
    w.append("Generated by `make profile` (tests/bench/): the kernel-agnostic core "
             "(`module/tcpopt.c`, `cookie.c`, `protect.c`) built for the host as the "
             "unit tests build it, but with `-O2` and no sanitizers; SipHash-2-4 is "
             "libsodium's (`tests/unit/host_siphash.c`), not the kernel's `siphash()`, "
             "so the cookie figures stand for the kernel's only roughly.\n")
    w.append(f"Each case calls its function {a.n:,} times under `valgrind "
             "--tool=callgrind --toggle-collect=run_CASE`, on inputs prepared "
             "beforehand (1024 spoofed sources in 198.18.0.0/15 to 10.0.2.99:8080, "
             "as the VM's floods). **Ir per call** is the inclusive instruction count "
             "of the core function's calls from the loop divided by their number "
             "(callee included: SipHash for the cookies); **Ir per iteration** is the "
             "whole loop's count, harness included (building the MAC input, as "
             "`proxy.c` does). Instruction counts do not depend on the machine; the "
             "times do, and are a native run's, for orientation only.\n")
    w.append("| case | function | Ir per call | Ir per iteration | of which host_compat.h "
             "| host ns/op |")
    w.append("|---|---|---:|---:|---:|---:|")
    for case, target, what, per_call, per_iter, compat, t in rows:
        w.append(f"| {case}: {what} | `{target}` | {fmt(per_call)} | {fmt(per_iter)} | "
                 f"{fmt(compat)} | {'' if t is None else f'{t:.1f}'} |")
    w.append("")
    w.append("**of which host_compat.h**: instructions in the host stand-ins for kernel "
             "helpers, inlined into the core. In the cookie checks they are "
             "`crypto_memneq()`, a byte-wise volatile loop over the 8-byte MAC; the "
             "kernel's compares it as one word, a few instructions, so a check in the "
             "kernel costs about that much less than here. Elsewhere they are "
             "unaligned big-endian loads and stores, as in the kernel.\n")
    w.append("`protect_lookup` is `synfw_protect_match()` (inline in `protect.h`) kept "
             "out of line by the benchmark, so that it has a name.\n")
    w.append("## Top functions per case (self instructions per iteration)\n")
    for case, total, top in details:
        w.append(f"### {case}\n")
        w.append("| function | object | Ir per iteration | share |")
        w.append("|---|---|---:|---:|")
        for f, o, c in top:
            if c * 1000 < total:
                break
            w.append(f"| `{f}` | {o} | {fmt(c / a.n)} | {100 * c / total:.1f}% |")
        w.append("")
    w.append("## Environment\n")
    w.append(f"- {vg}, {cc}, libsodium {sodium or '?'}")
    w.append(f"- host: {os.cpu_count()} CPUs, {cpu} (for the times only)")
    w.append(f"- native run: {a.native_n:,} iterations per case")
    w.append("")

    os.makedirs(os.path.dirname(os.path.abspath(a.out)), exist_ok=True)
    with open(a.out, "w") as f:
        f.write("\n".join(w))
    print(f"wrote {a.out}", file=sys.stderr)


if __name__ == "__main__":
    main()
