#!/usr/bin/env python3
"""Recompute the Sobol indices of a quotasim sweep with SALib and compare.

Usage: python3 scripts/check_sobol_salib.py SWEEP_DIR

SWEEP_DIR is the output folder of `quotasim sweep --design sobol`. The script reads
sweep.toml (the varied keys and their ranges), results.csv (every run of the
Saltelli design) and sobol.csv (quotasim's indices). It runs SALib's
`sobol.analyze(..., calc_second_order=False)` on the same outputs: the mean over
replications of each point, in the design's order. It prints both sets of first-order
and total indices. It exits with status 1 if a point estimate differs by more than
1e-9. Bootstrap intervals are printed side by side but not compared: they depend on
the random resamples. Needs SALib (pip install SALib).
"""

import csv
import math
import sys
import tomllib
from collections import defaultdict

import numpy as np
from SALib.analyze import sobol


def main(folder: str) -> int:
    with open(f"{folder}/sweep.toml", "rb") as f:
        spec = tomllib.load(f)
    if spec.get("design") != "sobol":
        print(f"{folder}: not a Sobol sweep (design = {spec.get('design')})", file=sys.stderr)
        return 2
    vary = spec["vary"]
    names = [v["path"] for v in vary]
    problem = {
        "num_vars": len(names),
        "names": names,
        "bounds": [[v["lo"], v["hi"]] for v in vary],
    }
    sums = defaultdict(lambda: defaultdict(list))
    with open(f"{folder}/results.csv", newline="") as f:
        for row in csv.DictReader(f):
            p = int(row["point"])
            for k, v in row.items():
                if k in ("point", "rep") or k in names:
                    continue
                sums[p][k].append(float(v) if v != "" else math.nan)
    points = sorted(sums)
    ours = defaultdict(dict)
    with open(f"{folder}/sobol.csv", newline="") as f:
        for row in csv.DictReader(f):
            ours[row["output"]][row["key"]] = row
    worst = 0.0
    print(f"{'output':<34} {'key':<36} {'S1 quotasim':>12} {'S1 SALib':>12} {'ST quotasim':>12} {'ST SALib':>12}")
    for output, by_key in ours.items():
        y = np.array([np.mean(sums[p][output]) for p in points])
        if not np.all(np.isfinite(y)) or np.var(y) == 0:
            continue
        si = sobol.analyze(problem, y, calc_second_order=False, num_resamples=100, print_to_console=False)
        for j, name in enumerate(names):
            row = by_key[name]
            if row["S1"] == "" or row["ST"] == "":
                # quotasim leaves the indices of an output that does not vary empty.
                continue
            s1, st = float(row["S1"]), float(row["ST"])
            worst = max(worst, abs(s1 - si["S1"][j]), abs(st - si["ST"][j]))
            print(f"{output:<34} {name:<36} {s1:>12.6f} {si['S1'][j]:>12.6f} {st:>12.6f} {si['ST'][j]:>12.6f}")
    print(f"largest difference of a point estimate: {worst:.3g}")
    return 0 if worst <= 1e-9 else 1


if __name__ == "__main__":
    if len(sys.argv) != 2:
        print(__doc__, file=sys.stderr)
        sys.exit(2)
    sys.exit(main(sys.argv[1]))
