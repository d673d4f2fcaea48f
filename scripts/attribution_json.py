#!/usr/bin/env python3
"""Writes the dashboard's precomputed attribution of the default scenario
(web/src/attribution-default.json) from the attribution.csv of a `quotasim attribute`
run. Running the attribution takes minutes (2^8 runs a replication), too long for the
page's build, so its result is kept beside the page and made again by hand:

    target/release/quotasim attribute --reps 20 --posterior scenarios/fit-2025.toml --out runs/attribute-default
    python3 scripts/attribution_json.py runs/attribute-default/attribution.csv \
        "quotasim attribute --reps 20 --posterior scenarios/fit-2025.toml" > web/src/attribution-default.json

The second argument is the command that made the file, shown on the page.
"""
import csv
import json
import sys

METRICS = ["arrests_other_per_day", "arrests_per_day_mean", "share_other", "detained_mean", "removals_per_year"]


def main():
    if len(sys.argv) != 3:
        sys.exit("usage: attribution_json.py ATTRIBUTION_CSV COMMAND")
    rows = list(csv.DictReader(open(sys.argv[1])))
    groups = []
    for r in rows:
        if (r["group"], r["label"]) not in groups:
            groups.append((r["group"], r["label"]))
    out = {
        "command": f"{sys.argv[2]} (scenarios/quota-2026.toml, scenarios/groups-2025-26.toml)",
        "groups": [{"name": g, "label": l} for g, l in groups],
        "metrics": [],
    }
    for m in METRICS:
        these = [r for r in rows if r["metric"] == m]
        if not these:
            sys.exit(f"error: {sys.argv[1]} has no rows for {m}")
        f = lambda r, k: float(r[k]) if r[k] else None  # an empty cell: not defined (a share of no change)
        out["metrics"].append({
            "metric": m,
            "counterfactual": f(these[0], "counterfactual"),
            "scenario": f(these[0], "scenario"),
            "change": [f(these[0], "total_change"), f(these[0], "total_change_p05"), f(these[0], "total_change_p95")],
            "contributions": [[f(r, "contribution"), f(r, "contribution_p05"), f(r, "contribution_p95")] for r in these],
            "shares": [[f(r, "share_of_change"), f(r, "share_of_change_p05"), f(r, "share_of_change_p95")] for r in these],
        })
    json.dump(out, sys.stdout, indent=1)
    sys.stdout.write("\n")


if __name__ == "__main__":
    main()
