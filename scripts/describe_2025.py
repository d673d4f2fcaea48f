#!/usr/bin/env python3
"""Sets a run of the 2025 scenario beside what was published for 2025-01-20 .. 2025-09-30.

A description, not a fit: it reads a run folder (daily.csv, national.csv) and the
shared detention series, and prints one Markdown table. Nothing here feeds back into
any parameter.

    python3 scripts/describe_2025.py runs/quota-2025-20250120 [detention_daily.csv]
"""
import csv
import sys
from collections import defaultdict
from datetime import date


def d(s):
    return date.fromisoformat(s)


def main():
    run = sys.argv[1]
    observed_detention = sys.argv[2] if len(sys.argv) > 2 else None
    by_day = defaultdict(lambda: defaultdict(float))
    reps = set()
    with open(f"{run}/daily.csv") as f:
        for r in csv.DictReader(f):
            reps.add(r["rep"])
            day = by_day[r["date"]]
            for k in ("arrests", "arrests_custodial", "arrests_community", "arrests_at_large",
                      "arrests_collateral", "arrests_other", "arrests_pending_charges",
                      "arrests_convicted", "removals", "detained"):
                day[k] += float(r[k])
    nat = defaultdict(lambda: defaultdict(float))
    with open(f"{run}/national.csv") as f:
        for r in csv.DictReader(f):
            for k in ("national_detained", "national_removals"):
                nat[r["date"]][k] += float(r[k])
    n = len(reps)

    def mean(key, a, b, src=by_day):
        days = [v for k, v in src.items() if d(a) <= d(k) <= d(b)]
        return sum(v[key] for v in days) / n / max(len(days), 1)

    def share(key, a, b):
        return mean(key, a, b) / max(mean("arrests", a, b), 1e-9)

    obs_det = {}
    if observed_detention:
        with open(observed_detention) as f:
            for r in csv.DictReader(f):
                obs_det[r["date"]] = float(r["n_detained_at_midnight"])

    def obs_mean(a, b):
        v = [x for k, x in obs_det.items() if d(a) <= d(k) <= d(b)]
        return sum(v) / len(v) if v else float("nan")

    rows = [
        ("arrests a day, Jan 20 - Jun 10", mean("arrests", "2025-01-20", "2025-06-10"), "666"),
        ("arrests a day, Jun 1 - 10", mean("arrests", "2025-06-01", "2025-06-10"), "1,100-1,200"),
        ("arrests a day, Jul - Aug", mean("arrests", "2025-07-01", "2025-08-31"), "about 1,000"),
        ("arrests a day, Sep 1 - 14", mean("arrests", "2025-09-01", "2025-09-14"), "1,276 (two weeks)"),
        ("share with neither conviction nor charge, Feb 1-14", share("arrests_other", "2025-02-01", "2025-02-14"), "0.41 (new detainees)"),
        ("share with neither, September", share("arrests_other", "2025-09-01", "2025-09-30"), "about 1/3"),
        ("share convicted, September", share("arrests_convicted", "2025-09-01", "2025-09-30"), "about 1/3"),
        ("share in community operations, Feb - Sep", share("arrests_community", "2025-02-01", "2025-09-30"), "street arrests rose fast"),
        ("custodial arrests a day, Feb", mean("arrests_custodial", "2025-02-01", "2025-02-28"), "rising with 287(g)"),
        ("custodial arrests a day, Sep", mean("arrests_custodial", "2025-09-01", "2025-09-30"), "jail transfers about doubled"),
    ]
    for label, a, b in (("Feb", "2025-02-01", "2025-02-28"), ("Jun", "2025-06-01", "2025-06-30"),
                        ("Sep", "2025-09-01", "2025-09-30")):
        obs = obs_mean(a, b)
        rows.append((f"detained at midnight, {label} mean",
                     mean("national_detained", a, b, nat), f"{obs:,.0f}" if obs == obs else ""))
    rows += [
        ("removals a day, Aug 1 - 14", mean("national_removals", "2025-08-01", "2025-08-14", nat), "1,435 (two weeks)"),
        ("removals a day, Jan 20 - Sep 30", mean("national_removals", "2025-01-20", "2025-09-30", nat), "about 930 (340,000 in FY2025)"),
    ]
    print(f"| quantity ({n} replications) | model | observed |")
    print("|---|---|---|")
    for label, v, obs in rows:
        print(f"| {label} | {v:,.2f} | {obs} |" if v < 2 else f"| {label} | {v:,.0f} | {obs} |")


if __name__ == "__main__":
    main()
