#!/usr/bin/env python3
"""Writes scenarios/observed-2025.toml: the published figures of 2025-01-20 .. 2025-09-30
as observations (docs/calibration.md, "Observations").

    python3 scripts/observed_2025.py OBSERVED_CSV DETENTION_DAILY_CSV > scenarios/observed-2025.toml

OBSERVED_CSV is observed_2025-01-20_2025-09-30.csv and DETENTION_DAILY_CSV
detention_daily_2025-01-20_2025-09-30.csv (see data/SOURCES.md). The rows of the
first are mapped by hand below, each with its window, value or range and stated sd;
the rows left out are listed with the reason. The detention series becomes monthly
means of the detained at midnight and of their convicted share. Nothing after
2025-09-30 is read.
"""
import csv
import sys
from collections import defaultdict

# (row's period_or_date, metric as in the file) -> observation fields
ROWS = [
    ("2025-01-22..2025-01-31", "ICE arrests per day (ICE posts on X)",
     dict(metric="arrests_per_day", start="2025-01-22", end="2025-01-31", value=828.0, sd=150.0,
          note="ICE's own posts; may count arrests by other agencies")),
    ("Early Feb 2025", "ICE arrests per day",
     dict(metric="arrests_per_day", start="2025-02-01", end="2025-02-10", max=600.0, sd=60.0,
          note="'under 600'; 'early February' taken as 2025-02-01 .. 2025-02-10")),
    ("2025-01-20..2025-06-10", "ICE arrests per day (DDP)",
     dict(metric="arrests_per_day", start="2025-01-20", end="2025-06-10", value=666.0, sd=50.0)),
    ("2025-06-01..2025-06-10", "ICE arrests per day (DDP)",
     dict(metric="arrests_per_day", start="2025-06-01", end="2025-06-10", min=1100.0, max=1200.0, sd=100.0)),
    ("late June-July 2025", "ICE arrests per day (DDP thru 2025-07-26)",
     dict(metric="arrests_per_day", start="2025-06-20", end="2025-07-26", value=1000.0, sd=100.0,
          note="'about 1,000'; 'late June' taken as from 2025-06-20")),
    ("June 2025", "ICE arrests in month",
     dict(metric="arrests_per_day", start="2025-06-01", end="2025-06-30", min=1033.0, sd=100.0,
          note="over 31,000 in the month (book-in based) = over 1,033 a day")),
    ("July 2025", "ICE arrests change vs June",
     dict(metric="arrests_per_day", start="2025-08-01", end="2025-08-09", value=1007.0, sd=100.0,
          note="the row's note: 1,007 a day on 2025-08-01 .. 2025-08-09 (the -17.5 % itself compares two windows, which the format does not hold)")),
    ("Aug 2025", "ICE arrests in month",
     dict(metric="arrests_per_day", start="2025-08-01", end="2025-08-31", max=935.0, sd=100.0,
          note="under 29,000 in the month = under 935 a day")),
    ("Sept 2025 (2-week period)", "ICE arrests per day",
     dict(metric="arrests_per_day", start="2025-09-01", end="2025-09-14", value=1276.0, sd=130.0,
          note="the two weeks are not dated in the source; taken as 2025-09-01 .. 2025-09-14")),
    ("early June 2025", "share of ICE arrests with convictions",
     dict(metric="share_convicted", start="2025-06-01", end="2025-06-14", value=0.29, sd=0.05)),
    ("Feb 1-14 2025", "new ICE detainees with no conviction or pending charge",
     dict(metric="share_other", start="2025-02-01", end="2025-02-14", value=0.41, sd=0.06,
          note="new detainees (book-ins), not arrests: definitional spread in the sd")),
    ("Sept 2025", "ICE-arrested detainees criminality split",
     dict(metric="share_other", start="2025-09-01", end="2025-09-30", value=0.333, sd=0.06,
          note="'about a third each' convicted / pending / neither, of ICE-arrested detainees")),
    ("Sept 2025", "ICE-arrested detainees criminality split",
     dict(metric="share_convicted", start="2025-09-01", end="2025-09-30", value=0.333, sd=0.06,
          note="as the row above")),
    ("Aug 2025 (2 weeks)", "ICE removals per day",
     dict(metric="removals_per_day", start="2025-08-01", end="2025-08-14", value=1435.0, sd=200.0,
          note="the two weeks taken as 2025-08-01 .. 2025-08-14; ICE removals include people arrested by CBP")),
    ("2025-06 (month)", "ICE book-ins of ICE-arrested people per day",
     dict(metric="bookins_per_day", start="2025-06-01", end="2025-06-30", value=1224.0, sd=150.0)),
    ("2025-07 (month)", "ICE book-ins of ICE-arrested people per day",
     dict(metric="bookins_per_day", start="2025-07-01", end="2025-07-31", value=990.0, sd=120.0)),
]

LEFT_OUT = {
    "FY2024": "FY2024, before the run (in scenarios/targets-fy2024.toml)",
    "2024 calendar": "2024, before the run",
    "2025-05-21": "a policy input (the target), not an outcome",
    "FY2025 thru 2025-06-14": "window starts 2024-10-01, before the run",
    "Trump I (2017-Jun 2018)": "first term, before the run",
    "early June 2025|non-custodial (street) arrests per week": "a count of non-custodial arrests: the format has shares, not this count",
    "2025-02-09": "a detained count on one day; the daily series gives the monthly means",
    "2025-06-15": "as above",
    "2025-08-12": "as above",
    "pre-OBBBA FY2025": "a policy input (funded beds)",
    "OBBBA (signed 2025-07-04)": "a policy input (funding)",
    "FY2022": "staff, before the run",
    "Jan 2026": "staff, an input after the window",
    "FY2025 (Oct24-Sep25)": "window starts 2024-10-01, before the run",
    "2025-04-14": "a policy input (contracted capacity), used as an event",
}


def toml_value(v):
    return f'"{v}"' if isinstance(v, str) else repr(v)


def main():
    observed, detention = sys.argv[1], sys.argv[2]
    rows = list(csv.DictReader(open(observed)))
    used, left = [], []
    for r in rows:
        key = (r["period_or_date"], r["metric"])
        hits = [o for (p, m, o) in ROWS if (p, m) == key]
        if hits:
            for o in hits:
                used.append((r, o))
            continue
        reason = LEFT_OUT.get(f"{r['period_or_date']}|{r['metric']}")
        if reason is None:
            keys = [k for k in LEFT_OUT if "|" not in k and r["period_or_date"].startswith(k)]
            reason = LEFT_OUT[max(keys, key=len)] if keys else None
        if reason is None:
            sys.exit(f"row not mapped and no reason: {key}")
        left.append((r, reason))
    out = sys.stdout
    out.write("# Published figures of 2025-01-20 .. 2025-09-30 as observations, for `quotasim backtest`\n")
    out.write("# and `quotasim calibrate` (docs/calibration.md, \"Observations\"). Written by\n")
    out.write("# scripts/observed_2025.py from the shared files observed_2025-01-20_2025-09-30.csv and\n")
    out.write("# detention_daily_2025-01-20_2025-09-30.csv; nothing after 2025-09-30.\n#\n")
    out.write("# Rows of observed_2025-01-20_2025-09-30.csv left out, and why:\n")
    for r, reason in left:
        out.write(f"# - {r['period_or_date']}, {r['metric']}: {reason}\n")
    out.write("\n")
    for r, o in used:
        out.write("[[observation]]\n")
        out.write(f'metric = "{o["metric"]}"\n')
        out.write(f"from = {o['start']}\nto = {o['end']}\n")
        for k in ("value", "min", "max"):
            if k in o:
                out.write(f"{k} = {o[k]!r}\n")
        out.write(f"sd = {o['sd']!r}\n")
        out.write(f'source = "{r["source"]} ({r["source_date"]}): {r["period_or_date"]}, {r["metric"]} = {r["value"]}"\n')
        if o.get("note"):
            out.write(f'note = "{o["note"]}"\n')
        out.write("\n")
    by_month = defaultdict(list)
    for r in csv.DictReader(open(detention)):
        if r["date"] > "2025-09-30":
            continue
        by_month[r["date"][:7]].append(r)
    for month, days in sorted(by_month.items()):
        first, last = days[0]["date"], days[-1]["date"]
        held = [float(d["n_detained_at_midnight"]) for d in days]
        conv = [float(d["n_detained_convicted_criminal"]) for d in days]
        whole = [float(d["n_detained"]) for d in days]
        src = f"detention_daily_2025-01-20_2025-09-30.csv (Deportation Data Project, FOIA), {first} .. {last}"
        out.write("[[observation]]\n")
        out.write(f'metric = "detained"\nfrom = {first}\nto = {last}\n')
        out.write(f"value = {round(sum(held) / len(held), 1)!r}\nsd = 1500.0\n")
        out.write(f'source = "{src}: mean detained at midnight"\n\n')
        out.write("[[observation]]\n")
        out.write(f'metric = "detained_convicted_share"\nfrom = {first}\nto = {last}\n')
        out.write(f"value = {round(sum(conv) / sum(whole), 4)!r}\nsd = 0.02\n")
        out.write(f'source = "{src}: convicted / everyone held that day (the file counts convictions among all held, not at midnight)"\n\n')


if __name__ == "__main__":
    main()
