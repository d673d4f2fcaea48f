#!/usr/bin/env python3
"""Writes scenarios/observed-2025.toml: the published figures of 2025-01-20 .. 2026-01-31
as observations (docs/calibration.md, "Observations").

    python3 scripts/observed_2025.py \
        observed_2025-01-20_2025-09-30.csv detention_daily_2025-01-20_2025-09-30.csv \
        observed_2025-10-01_2026-01-31.csv detention_daily_2025-10-01_2026-01-31.csv \
        > scenarios/observed-2025.toml

The files are the shared ones (see data/SOURCES.md), in pairs: figures, then the daily
detention series of the same months. The rows of each figures file are mapped by hand
below, each with its window, value or range and stated sd; the rows left out are listed
with the reason. The detention series become monthly means of the detained at midnight
and of their convicted share. Nothing after 2026-01-31 is read.
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
     dict(metric="own_detained_no_record_share", start="2025-09-01", end="2025-09-30", value=0.333, sd=0.06,
          note="'about a third each' convicted / pending / neither, of the people held after ICE's own arrests (a stock, not the month's arrests)")),
    ("Sept 2025", "ICE-arrested detainees criminality split",
     dict(metric="own_detained_convicted_share", start="2025-09-01", end="2025-09-30", value=0.333, sd=0.06,
          note="as the row above")),
    ("Aug 2025 (2 weeks)", "ICE removals per day",
     dict(metric="removals_per_day", start="2025-08-01", end="2025-08-14", value=1435.0, sd=200.0,
          note="the two weeks taken as 2025-08-01 .. 2025-08-14; ICE removals include people arrested by CBP")),
    ("early June 2025", "non-custodial (street) arrests per week",
     dict(metric="at_large_arrests_per_day", start="2025-06-01", end="2025-06-14", min=357.1, sd=60.0,
          note="over 2,500 a week = over 357 a day; 'early June' taken as 2025-06-01 .. 2025-06-14, as the share convicted of early June")),
    ("FY2025 (Oct24-Sep25)", "ICE removals (deportations), estimate",
     dict(metric="removals_per_day", start="2025-06-01", end="2025-06-30", value=1200.0, sd=200.0,
          note="the row's note: about 1,200 a day in June 2025 (the FY2025 total itself starts 2024-10-01, before the run); ICE removals include people arrested by CBP")),
    ("2025-06 (month)", "ICE book-ins of ICE-arrested people per day",
     dict(metric="bookins_per_day", start="2025-06-01", end="2025-06-30", value=1224.0, sd=150.0)),
    ("2025-07 (month)", "ICE book-ins of ICE-arrested people per day",
     dict(metric="bookins_per_day", start="2025-07-01", end="2025-07-31", value=990.0, sd=120.0)),
]

# The second file, 2025-10-01 .. 2026-01-31.
ROWS += [
    ("2025-01-20..2025-10-15", "ICE arrests total (DDP)",
     dict(metric="arrests_per_day", start="2025-01-20", end="2025-10-15", value=822.0, sd=60.0,
          note="about 221,000 arrests over 269 days")),
    ("2025-01-20..2025-10-15", "ICE arrests total (DDP)",
     dict(metric="share_other", start="2025-01-20", end="2025-10-15", value=0.34, sd=0.05,
          note="about 75,000 (a third) with neither conviction nor pending charge")),
    ("2025-10-01..2025-11-15", "ICE book-ins (ICE-arrested)",
     dict(metric="bookins_per_day", start="2025-10-01", end="2025-11-15", value=1190.0, sd=120.0,
          note="54,735 over 46 days; CBP-arrested book-ins (7,066) are not the offices' arrests")),
    ("Oct 2025", "ICE arrests in month (estimate)",
     dict(metric="arrests_per_day", start="2025-10-01", end="2025-10-31", value=1181.0, sd=120.0,
          note="36,621 in the month; an estimate from book-ins")),
    ("Dec 2025", "ICE arrests in month (estimate)",
     dict(metric="arrests_per_day", start="2025-12-01", end="2025-12-31", value=1221.0, sd=120.0,
          note="37,842 in the month")),
    ("Jan 2026", "ICE arrests in month (estimate)",
     dict(metric="arrests_per_day", start="2026-01-01", end="2026-01-31", value=1180.0, sd=120.0,
          note="36,579 in the month; Kocher's daily-rate estimate of 1,280 differs in method (left out)")),
    ("2025-10-01..2025-11-15", "ICE book-ins with no criminal conviction",
     dict(metric="share_convicted", start="2025-10-01", end="2025-11-15", value=0.27, sd=0.05,
          note="book-ins, not arrests: 73 % with no conviction")),
    ("2025-10-01..2025-11-15", "ICE book-ins with no criminal conviction",
     dict(metric="share_other", start="2025-10-01", end="2025-11-15", value=0.47, sd=0.06,
          note="book-ins, not arrests: 47 % with neither conviction nor pending charge")),
    ("early Oct 2025", "ICE arrests with no criminal conviction (DDP)",
     dict(metric="share_convicted", start="2025-10-01", end="2025-10-14", value=0.29, sd=0.05,
          note="71 % with no conviction; 'early October' taken as 2025-10-01 .. 2025-10-14")),
    ("Trump II first year", "share of ICE arrests out of local jails/lock-ups",
     dict(metric="share_custodial", start="2025-01-20", end="2026-01-19", value=0.48, sd=0.06)),
    ("Sep 2025; Jun-Oct 2025", "at-large arrests (homes, streets, workplaces)",
     dict(metric="at_large_arrests_per_day", start="2025-09-01", end="2025-09-30", value=583.3, sd=90.0,
          note="about 17,500 in September = 583 a day; at-large arrests are the model's arrests not made in jails (targeted, collateral, community). The row's 'over 60 % with neither conviction nor charge, Jun-Oct' is of at-large arrests alone: no statistic of the format")),
    ("Oct 1-Nov 15 2025", "ICE removals per day",
     dict(metric="removals_per_day", start="2025-10-01", end="2025-11-15", min=1250.0, sd=150.0,
          note="ICE removals count people never held in ICE detention too")),
    ("2026-01-08..2026-01-25", "ICE removals per day",
     dict(metric="removals_per_day", start="2026-01-08", end="2026-01-25", min=1450.0, sd=200.0,
          note="ICE removals count people never held in ICE detention too")),
    ("2026-01-08..2026-01-25", "ICE removals per day",
     dict(metric="removals_per_day", start="2025-01-20", end="2025-01-31", value=630.0, sd=100.0,
          note="the row's note: about 630 a day in late January 2025, taken as 2025-01-20 .. 2025-01-31 (MPI: about 600 a day in January 2025)")),
    ("FY2026 through 2025-11-15", "ICE removals fiscal year to date",
     dict(metric="removals_per_day", start="2025-10-01", end="2025-11-15", value=1226.0, sd=150.0,
          note="56,392 over 46 days")),
    ("2026-01-07", "ICE detained population, ICE-arrested, by criminality",
     dict(metric="others_detained", start="2026-01-07", end="2026-01-07", value=11679.0, sd=1500.0,
          note="68,990 held in all less 57,311 arrested by ICE (16,627 + 16,040 + 24,644): people arrested by Border Patrol and at ports")),
    ("2026-01-07", "ICE detained population, ICE-arrested, by criminality",
     dict(metric="own_detained_convicted_share", start="2026-01-07", end="2026-01-07", value=0.2901, sd=0.02,
          note="16,627 of the 57,311 held after ICE's own arrests")),
    ("2026-01-07", "ICE detained population, ICE-arrested, by criminality",
     dict(metric="own_detained_no_record_share", start="2026-01-07", end="2026-01-07", value=0.43, sd=0.03,
          note="24,644 of the 57,311 held after ICE's own arrests with neither conviction nor pending charge")),
    ("2025-09-21..2026-01-07", "growth of detained population by criminality",
     dict(metric="own_detained_growth_no_record_share", start="2025-09-21", end="2026-01-07", value=0.719, sd=0.1,
          note="8,121 of the growth of 11,296 with neither conviction nor pending charge. Taken as the people held after ICE's own arrests: everyone held grew by 9,228 (59,762 on 2025-09-21 to 68,990 on 2026-01-07), less than 11,296, and the source's 2026-01-07 split is of ICE-arrested people. A share of a change is noisy: sd 0.1")),
    ("2025-06-01..2026-01-25", "detained with no conviction and no pending charge",
     dict(metric="detained_no_record_share", start="2025-06-01", end="2025-06-01", value=0.437, sd=0.03,
          note="everyone held on 2025-06-01 (ICE detention statistics), 0.437 with neither conviction nor pending charge")),
    ("2025-06-01..2026-01-25", "detained with no conviction and no pending charge",
     dict(metric="detained_no_record_share", start="2026-01-25", end="2026-01-25", value=0.484, sd=0.03,
          note="everyone held on 2026-01-25, 0.484 with neither conviction nor pending charge")),
    ("Jan 2026", "ICE book-ins of ICE-arrested people in month",
     dict(metric="bookins_per_day", start="2026-01-01", end="2026-01-31", value=1164.0, sd=120.0,
          note="36,099 in the month")),
] + [
    (month, "people released from ICE detention for removal, in month",
     dict(metric="removals_from_detention_per_day", start=start, end=end,
          value=round(n / days, 1), sd=100.0,
          note=f"{n:,} in the month; book-outs for removal leave out people never held"))
    for (month, start, end, n, days) in [
        ("Oct 2025", "2025-10-01", "2025-10-31", 34114, 31),
        ("Nov 2025", "2025-11-01", "2025-11-30", 32833, 30),
        ("Dec 2025", "2025-12-01", "2025-12-31", 33995, 31),
        ("Jan 2026", "2026-01-01", "2026-01-31", 31430, 31),
    ]
] + [
    (month, "ICE book-ins, ICE and CBP arrests, in month",
     dict(metric="all_bookins_per_day", start=start, end=end,
          value=round(n / days, 1), sd=130.0,
          note=f"{n:,} in the month; people arrested by Border Patrol and at ports among them"))
    for (month, start, end, n, days) in [
        ("Oct 2025", "2025-10-01", "2025-10-31", 41618, 31),
        ("Nov 2025", "2025-11-01", "2025-11-30", 38412, 30),
        ("Dec 2025", "2025-12-01", "2025-12-31", 42130, 31),
        ("Jan 2026", "2026-01-01", "2026-01-31", 39694, 31),
    ]
]

LEFT_OUT = {
    "FY2024": "FY2024, before the run (in scenarios/targets-fy2024.toml)",
    "2024 calendar": "2024, before the run",
    "2025-05-21": "a policy input (the target), not an outcome",
    "FY2025 thru 2025-06-14": "window starts 2024-10-01, before the run",
    "Trump I (2017-Jun 2018)": "first term, before the run",
    "2025-02-09": "a detained count on one day; the daily series gives the monthly means",
    "2025-06-15": "as above",
    "2025-08-12": "as above",
    "pre-OBBBA FY2025": "a policy input (funded beds)",
    "OBBBA (signed 2025-07-04)": "a policy input (funding)",
    "FY2022": "staff, before the run",
    "Jan 2026": "staff, an input after the window",
    "FY2025 (Oct24-Sep25)": "window starts 2024-10-01, before the run",
    "2025-04-14": "a policy input (contracted capacity), used as an event",
    # The second file.
    "2025-11-15": "a detained count on one day; the daily series gives the monthly means",
    "2025-12-13": "a detained count on one day; the daily series gives the monthly means",
    "2026-01-24": "a detained count on one day; the daily series gives the monthly means",
    "2025-11-30": "a detained count on one day; the daily series gives the monthly means",
    "2025-09-21": "a detained count on one day; the daily series gives the monthly means",
    "2025-11-16": "a detained count on one day; the daily series gives the monthly means",
    "FY2025 (2024-10-01..2025-09-30)": "window starts 2024-10-01, before the run",
    "FY2025 through 2025-09-06": "window starts 2024-10-01, before the run",
    "Jan 2026|ICE arrests per day (Kocher daily-rate estimate)": "the same month's monthly estimate is used; the two differ in method",
}


def toml_value(v):
    return f'"{v}"' if isinstance(v, str) else repr(v)


def main():
    if len(sys.argv) != 5:
        sys.exit(__doc__)
    observed = sys.argv[1::2]
    detention = sys.argv[2::2]
    rows = [r for f in observed for r in csv.DictReader(open(f))]
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
    names = [f.rsplit("/", 1)[-1] for f in observed + detention]
    out.write("# Published figures of 2025-01-20 .. 2026-01-31 as observations, for `quotasim backtest`\n")
    out.write("# and `quotasim calibrate` (docs/calibration.md, \"Observations\"). Written by\n")
    out.write("# scripts/observed_2025.py from the shared files\n")
    for n in names:
        out.write(f"# {n}\n")
    out.write("# nothing after 2026-01-31.\n#\n")
    out.write("# Rows of the figures files left out, and why:\n")
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
    for f in detention:
        for r in csv.DictReader(open(f)):
            if r["date"] > "2026-01-31":
                continue
            r["file"] = f.rsplit("/", 1)[-1]
            by_month[r["date"][:7]].append(r)
    for month, days in sorted(by_month.items()):
        first, last = days[0]["date"], days[-1]["date"]
        held = [float(d["n_detained_at_midnight"]) for d in days]
        conv = [float(d["n_detained_convicted_criminal"]) for d in days]
        whole = [float(d["n_detained"]) for d in days]
        src = f"{days[0]['file']} (Deportation Data Project, FOIA), {first} .. {last}"
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
