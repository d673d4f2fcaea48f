#!/usr/bin/env python3
"""Writes the dashboard's precomputed attribution of the default scenario
(web/src/attribution-default.json) from the attribution.csv of a `quotasim attribute`
run. Running the attribution takes minutes (2^8 runs a replication), too long for the
page's build, so its result is kept beside the page and made again by hand:

    target/release/quotasim attribute --reps 4 --out runs/attribute-default
    python3 scripts/attribution_json.py runs/attribute-default/attribution.csv > web/src/attribution-default.json
"""
import csv
import json
import sys

METRICS = ["arrests_other_per_day", "arrests_per_day_mean", "share_other", "detained_mean", "removals_per_year"]


def main():
    rows = list(csv.DictReader(open(sys.argv[1])))
    groups = []
    for r in rows:
        if (r["group"], r["label"]) not in groups:
            groups.append((r["group"], r["label"]))
    out = {
        "command": "quotasim attribute --reps 4 (scenarios/quota-2026.toml, scenarios/groups-2025-26.toml)",
        "groups": [{"name": g, "label": l} for g, l in groups],
        "metrics": [],
    }
    for m in METRICS:
        these = [r for r in rows if r["metric"] == m]
        if not these:
            sys.exit(f"error: {sys.argv[1]} has no rows for {m}")
        f = lambda r, k: float(r[k])
        out["metrics"].append({
            "metric": m,
            "counterfactual": f(these[0], "counterfactual"),
            "scenario": f(these[0], "scenario"),
            "change": [f(these[0], "total_change"), f(these[0], "total_change_p05"), f(these[0], "total_change_p95")],
            "contributions": [[f(r, "contribution"), f(r, "contribution_p05"), f(r, "contribution_p95")] for r in these],
        })
    json.dump(out, sys.stdout, indent=1)
    sys.stdout.write("\n")


if __name__ == "__main__":
    main()
