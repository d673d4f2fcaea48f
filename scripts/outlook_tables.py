#!/usr/bin/env python3
"""The model's tables in docs/outlook.md ("Results"), from the shipped files.

    python3 scripts/outlook_tables.py [QUOTASIM]    # QUOTASIM: the binary (default: on PATH)

Runs the default (`quotasim run --reps 4 --seed 11`) and the outlook
(`quotasim run scenarios/outlook-2029.toml --reps 20`) into temporary
folders and prints, as Markdown, the default's months from 2025-10 and its whole-run
line; the default's months of 2026 with their bands when each of 20 replications draws
the 2025 fit's parameters from its posterior (`--reps 20 --seed 11 --posterior
scenarios/fit-2025.toml`); and the outlook's fiscal years (its summary's keys by
fiscal year) with the days to a million removals, without and with the fit's posterior
(`--posterior scenarios/fit-2025.toml`). Numbers are the model's, never observations; paste them after a
refit so the page says what the shipped files give.
"""

import csv
import json
import statistics
import subprocess
import sys
import tempfile
from collections import defaultdict
from datetime import date, timedelta
from pathlib import Path


def run(binary, args, out):
    subprocess.run(
        [binary, "run", *args, "--out", str(out), "--quiet"],
        check=True,
        stdout=subprocess.DEVNULL,
    )
    return json.loads((out / "summary.json").read_text())


def whole(x):
    return f"{x:,.0f}"


def by_rep_and_month(folder):
    """Per replication and month: arrests a day, the criminality shares of arrests, the
    detained, their convicted share, capacity and removals a day."""
    arrests = defaultdict(lambda: defaultdict(float))
    for row in csv.DictReader(open(folder / "daily.csv")):
        key = (row["rep"], row["date"][:7])
        a = arrests[key]
        a["arrests"] += float(row["arrests"])
        a["convicted"] += float(row["arrests_convicted"])
        a["pending"] += float(row["arrests_pending_charges"])
    national = defaultdict(lambda: defaultdict(float))
    days = defaultdict(set)
    for row in csv.DictReader(open(folder / "national.csv")):
        key = (row["rep"], row["date"][:7])
        n = national[key]
        days[key].add(row["date"])
        n["detained"] += float(row["national_detained"])
        n["detained_convicted"] += float(row["national_detained_convicted"])
        n["capacity"] += float(row["national_capacity"])
        n["removals"] += float(row["national_removals"])
    cells = defaultdict(lambda: defaultdict(list))
    for (r, m), n in sorted(national.items()):
        a, d, c = arrests[(r, m)], len(days[(r, m)]), cells[m]
        c["arrests"].append(a["arrests"] / d)
        c["convicted"].append(a["convicted"] / a["arrests"])
        c["pending"].append(a["pending"] / a["arrests"])
        c["other"].append(1 - (a["convicted"] + a["pending"]) / a["arrests"])
        c["detained"].append(n["detained"] / d)
        c["held_convicted"].append(n["detained_convicted"] / n["detained"])
        c["capacity"].append(n["capacity"] / d)
        c["removals"].append(n["removals"] / d)
    return cells


def quantile(values, q):
    """As the engine's (quotasim::analysis::ensemble::quantile): linear interpolation
    between order statistics."""
    v = sorted(values)
    h = (len(v) - 1) * q
    lo, hi = int(h), min(int(h) + 1, len(v) - 1)
    return v[lo] + (h - lo) * (v[hi] - v[lo])


def monthly(folder):
    """Per month from 2025-10: the means over replications of by_rep_and_month."""
    lines = [
        "| month | arrests/day | convicted | pending | no record | detained (mean) | convicted share held | capacity | removals/day |",
        "|---|---|---|---|---|---|---|---|---|",
    ]
    for m, cells in sorted(by_rep_and_month(folder).items()):
        if m < "2025-10":
            continue
        mean = {k: statistics.fmean(v) for k, v in cells.items()}
        lines.append(
            f"| {m} | {whole(mean['arrests'])} | {mean['convicted']:.2f} | {mean['pending']:.2f} "
            f"| {mean['other']:.2f} | {whole(mean['detained'])} | {mean['held_convicted']:.2f} "
            f"| {whole(mean['capacity'])} | {whole(mean['removals'])} |"
        )
    return "\n".join(lines)


def monthly_bands(folder):
    """Per month from 2026-02 (the first after the fit's window): arrests a day, the
    detained and removals a day, each the mean over replications with the 5-95 % of the
    replications' monthly values (not widened by the model's own error)."""
    lines = [
        "| month | arrests/day | no record | detained (mean) | removals/day |",
        "|---|---|---|---|---|",
    ]

    def band(v, fmt):
        return f"{fmt(statistics.fmean(v))} [{fmt(quantile(v, 0.05))} .. {fmt(quantile(v, 0.95))}]"

    share = lambda x: f"{x:.2f}"  # noqa: E731
    for m, c in sorted(by_rep_and_month(folder).items()):
        if m < "2026-02":
            continue
        lines.append(
            f"| {m} | {band(c['arrests'], whole)} | {band(c['other'], share)} "
            f"| {band(c['detained'], whole)} | {band(c['removals'], whole)} |"
        )
    return "\n".join(lines)


def fiscal_years(summary):
    """Per fiscal year, from the summary's keys by fiscal year: removals, the detained,
    and the money left at its end, each a mean with its 5-95 % band (removals and the
    detained widened by the model's own error, as the summary's bands are)."""
    lines = [
        "| fiscal year | days | removals | detained (mean) | detention money left at its end (B USD) | enforcement money left (B USD) |",
        "|---|---|---|---|---|---|",
    ]

    def band(key, fy, fmt):
        x, lo, hi = (summary[k][fy] for k in (key, f"{key}_p05", f"{key}_p95"))
        return f"{fmt(x)} [{fmt(lo)} .. {fmt(hi)}]"

    billions = lambda x: f"{x / 1e9:.1f}"  # noqa: E731
    for fy, days in summary["days_by_fiscal_year"].items():
        lines.append(
            f"| {fy} | {days:.0f} | {band('removals_by_fiscal_year', fy, whole)} "
            f"| {band('detained_mean_by_fiscal_year', fy, whole)} "
            f"| {band('budget_detention_left_by_fiscal_year', fy, billions)} "
            f"| {band('budget_enforcement_left_by_fiscal_year', fy, billions)} |"
        )
    return "\n".join(lines)


def main():
    binary = sys.argv[1] if len(sys.argv) > 1 else "quotasim"
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        s = run(binary, ["--reps", "4", "--seed", "11"], tmp / "default")
        print("## The default by month\n")
        print(monthly(tmp / "default"))
        print(
            f"\nWhole run: {whole(s['arrests_per_day_mean'])} arrests a day "
            f"[{whole(s['arrests_per_day_mean_p05'])} .. {whole(s['arrests_per_day_mean_p95'])}]; "
            f"{100 * s['share_other']:.1f} % with no record; {whole(round(s['removals_per_year'], -2))} "
            f"removals a year; {whole(round(s['detained_at_end'], -2))} detained at the end."
        )
        run(
            binary,
            ["--reps", "20", "--seed", "11", "--posterior", "scenarios/fit-2025.toml"],
            tmp / "posterior",
        )
        print("\n## The default's 2026 with the fit's posterior (20 draws)\n")
        print(monthly_bands(tmp / "posterior"))
        o = run(
            binary,
            ["scenarios/outlook-2029.toml", "--reps", "20"],
            tmp / "outlook",
        )
        print("\n## The outlook by fiscal year\n")
        print(fiscal_years(o))
        print(f"\n{million(o)}")
        o = run(
            binary,
            ["scenarios/outlook-2029.toml", "--reps", "20", "--daily", "none",
             "--posterior", "scenarios/fit-2025.toml"],
            tmp / "outlook-posterior",
        )
        print("\n## The outlook by fiscal year with the fit's posterior (20 draws)\n")
        print(fiscal_years(o))
        print(f"\n{million(o)}")


def million(o):
    """The days to a million removals at the run's mean pace, and the day of the
    millionth, each with its band."""
    start = date.fromisoformat(o["start_date"])
    on = lambda k: (start + timedelta(days=int(o[k]))).isoformat()  # noqa: E731
    return (
        f"A million removals take {whole(o['days_to_one_million_removals'])} days "
        f"[{whole(o['days_to_one_million_removals_p05'])} .. "
        f"{whole(o['days_to_one_million_removals_p95'])}] from the start at the run's mean pace; "
        f"the millionth removal comes on {on('one_million_removals_day')} "
        f"[{on('one_million_removals_day_p05')} .. {on('one_million_removals_day_p95')}]."
    )

if __name__ == "__main__":
    main()
