#!/usr/bin/env python3
"""Derives data/agreements_287g_by_office.csv: 287(g) agreements in force in each field
office's area at each dated count, by kind (jail: jail enforcement + warrant service
officer; task_force), from the per-state counts in data/ (docs/model.md 7.11).

    python3 scripts/agreements_287g.py > data/agreements_287g_by_office.csv
    python3 scripts/agreements_287g.py --events 2026-02-13 ...   # those dates as scenario events

With --events, it prints each dated count as a scenario event (`[[events]]` with every
office's `agreements_jail` and `agreements_task_force`), to paste into a scenario file.
With --projected DATE TOTAL [STANCE ...], it prints an event for an assumed future
count: the last dated count's states scaled to TOTAL, with no agreements in the states
whose stance in data/state_cooperation_2025-01.csv is one of STANCE (a ban):

    python3 scripts/agreements_287g.py --projected 2027-10-01 3000
    python3 scripts/agreements_287g.py --projected 2028-01-01 3000 neutral limits

Rules (each an assumption, stated in docs/model.md 7.11):
- 2024-12-18: data/state_cooperation_2025-01.csv (agreements_287g_count_2025-01, jail
  models only; the task-force model was not in use);
- 2025-03-31, 2025-05-16, 2025-07-18: the per-state rows of
  data/policy_inputs_2025-2026.csv ("JEM a; WSO b; TFM c" in the notes);
- later national totals (2025-09-02: 958; 2025-11-24: 1,202; 2026-02-13: 1,412;
  2026-03-05: 1,500) scale every state's 2025-07-18 counts by total / 832, so the growth
  after 2025-07-18 is spread like the agreements then in force;
- 2026-06-09: the per-state rows of that date (1,934 agreements); the totals after it
  (2026-07-14: 2,127; 2026-09-15: 2,510) scale its counts by total / 1,934;
- a state ban ends the state's agreements on the date they must end (Delaware,
  2025-08-13; Maryland, 90 days after its law of 2026-02-18, 2026-05-19; New York,
  2026-08-25). New Jersey's and New Mexico's bans of 2026 show in the sheet of
  2026-06-09 (no agreements there);
- a state split between offices (California, New York, Texas) is split in proportion
  to the counties each office covers in data/office_areas.csv: most agreements are
  signed by county sheriffs.
No count of arrests or any other outcome is read.
"""
import csv
import re
import sys
from collections import defaultdict
from pathlib import Path

DATA = Path(__file__).resolve().parent.parent / "data"
STATE_DATES = ["2025-03-31", "2025-05-16", "2025-07-18", "2026-06-09"]
# Each later national total scales the per-state counts of the sheet before it.
SCALED = {
    "2025-07-18": (832, {"2025-09-02": 958, "2025-11-24": 1202, "2026-02-13": 1412, "2026-03-05": 1500}),
    "2026-06-09": (1934, {"2026-07-14": 2127, "2026-09-15": 2510}),
}
BANS = {"Delaware": "2025-08-13", "Maryland": "2026-05-19", "New York": "2026-08-25"}


def norm(name):
    return "".join(c.lower() for c in name if c.isalnum())


def offices():
    code = {}
    with open(DATA / "field_offices.csv") as f:
        for r in csv.DictReader(f):
            code[norm(r["office"])] = r["code"]
    weight = defaultdict(lambda: defaultdict(float))
    with open(DATA / "office_areas.csv") as f:
        rows = list(csv.reader(f, skipinitialspace=True))[1:]
    counties = defaultdict(lambda: defaultdict(int))
    for office, state, county, _ in rows:
        counties[state][code[norm(office)]] += 1
    for state, by_office in counties.items():
        n = sum(by_office.values())
        for o, k in by_office.items():
            weight[state][o] = k / n
    return sorted(code.values()), weight


def state_counts():
    counts = defaultdict(dict)  # date -> state -> (jail, task_force)
    with open(DATA / "state_cooperation_2025-01.csv") as f:
        for r in csv.DictReader(f):
            counts["2024-12-18"][r["state"]] = (int(r["agreements_287g_count_2025-01"]), 0)
    with open(DATA / "policy_inputs_2025-2026.csv") as f:
        for r in csv.DictReader(f):
            if r["date"] in STATE_DATES and r["key"].startswith("agreements_287g:"):
                m = re.search(r"JEM (\d+); WSO (\d+); TFM (\d+)", r["notes"])
                jem, wso, tfm = map(int, m.groups())
                counts[r["date"]][r["key"].split(":", 1)[1]] = (jem + wso, tfm)
    for sheet, (sheet_total, totals) in SCALED.items():
        for date, total in totals.items():
            f = total / sheet_total
            counts[date] = {s: (j * f, t * f) for s, (j, t) in counts[sheet].items()}
    for state, end in BANS.items():
        # The ban's own date holds the counts in force the day before, without the state.
        before = max(d for d in counts if d < end)
        counts.setdefault(end, {**counts[before]})
        for date in counts:
            if date >= end and state in counts[date]:
                counts[date][state] = (0, 0)
    return counts


def by_office(counts=None):
    """(date, office, jail, task force) for every dated count, offices in code order."""
    codes, weight = offices()
    for date, by_state in sorted((counts or state_counts()).items()):
        jail = defaultdict(float)
        tf = defaultdict(float)
        for state, (j, t) in by_state.items():
            for o, w in weight.get(state, {}).items():
                jail[o] += j * w
                tf[o] += t * w
        for o in codes:
            yield date, o, round(jail[o]), round(tf[o])


def projected(date, total, stances):
    counts = state_counts()
    last = counts[max(counts)]
    f = total / sum(j + t for j, t in last.values())
    banned = set()
    with open(DATA / "state_cooperation_2025-01.csv") as fh:
        for r in csv.DictReader(fh):
            if r["stance"] in stances:
                banned.add(r["state"])
    scaled = {s: ((0, 0) if s in banned else (j * f, t * f)) for s, (j, t) in last.items()}
    return list(by_office({date: scaled})), sorted(banned & set(last))


SOURCE = "data/agreements_287g_by_office.csv, derived by scripts/agreements_287g.py from data/policy_inputs_2025-2026.csv (docs/model.md 7.11)"


def events(dates, rows=None, note=None, source=SOURCE):
    rows = rows or [r for r in by_office() if r[0] in dates]
    missing = sorted(set(dates) - {r[0] for r in rows})
    if missing:
        sys.exit(f"error: no dated count on {', '.join(missing)}")
    for date in dates:
        these = [r for r in rows if r[0] == date]
        total = sum(j + t for _, _, j, t in these)
        print("[[events]]")
        print(f"date = {date}")
        print(f'note = "{note or "287(g) agreements in force on " + date + ", by office"} ({total:,} in the offices\' areas)"')
        print(f'source = "{source}"')
        print("[events.set]")
        for _, o, j, t in these:
            print(f'"offices.{o}.agreements_jail" = {j}')
            print(f'"offices.{o}.agreements_task_force" = {t}')
        print()


def main():
    if sys.argv[1:2] == ["--events"]:
        events(sys.argv[2:])
        return
    if sys.argv[1:2] == ["--projected"]:
        date, total, stances = sys.argv[2], int(sys.argv[3]), sys.argv[4:]
        rows, banned = projected(date, total, stances)
        note = f"287(g) agreements assumed on {date}: {total:,}, spread like the last count"
        if banned:
            note += f"; none in the {len(banned)} states whose stance was {' or '.join(stances)} in January 2025"
        source = f"assumption: scripts/agreements_287g.py --projected {' '.join(sys.argv[2:])}, from the last dated count of data/agreements_287g_by_office.csv and the stances of data/state_cooperation_2025-01.csv"
        events([date], rows, note, source)
        return
    out = csv.writer(sys.stdout, lineterminator="\n")
    out.writerow(["date", "office", "agreements_jail", "agreements_task_force"])
    for row in by_office():
        out.writerow(row)


if __name__ == "__main__":
    main()
