#!/usr/bin/env python3
"""Derives data/agreements_287g_by_office.csv: 287(g) agreements in force in each field
office's area at each dated count, by kind (jail: jail enforcement + warrant service
officer; task_force), from the per-state counts in data/ (docs/model.md 7.11).

    python3 scripts/agreements_287g.py > data/agreements_287g_by_office.csv

Rules (each an assumption, stated in docs/model.md 7.11):
- 2024-12-18: data/state_cooperation_2025-01.csv (agreements_287g_count_2025-01, jail
  models only; the task-force model was not in use);
- 2025-03-31, 2025-05-16, 2025-07-18: the per-state rows of
  data/policy_inputs_2025-2026.csv ("JEM a; WSO b; TFM c" in the notes);
- later national totals (2025-09-02: 958; 2025-11-24: 1,202) scale every state's
  2025-07-18 counts by total / 832, so the growth after 2025-07-18 is spread like the
  agreements then in force;
- a state ban ends the state's agreements on the date they must end (Delaware,
  2025-08-13);
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
STATE_DATES = ["2025-03-31", "2025-05-16", "2025-07-18"]
JULY_TOTAL = 832
LATER_TOTALS = {"2025-09-02": 958, "2025-11-24": 1202}
BANS = {"Delaware": "2025-08-13"}


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
    july = counts["2025-07-18"]
    for date, total in LATER_TOTALS.items():
        f = total / JULY_TOTAL
        counts[date] = {s: (j * f, t * f) for s, (j, t) in july.items()}
    for state, end in BANS.items():
        counts.setdefault(end, {**july})
        for date in counts:
            if date >= end and state in counts[date]:
                counts[date][state] = (0, 0)
    return counts


def main():
    codes, weight = offices()
    out = csv.writer(sys.stdout, lineterminator="\n")
    out.writerow(["date", "office", "agreements_jail", "agreements_task_force"])
    for date, by_state in sorted(state_counts().items()):
        jail = defaultdict(float)
        tf = defaultdict(float)
        for state, (j, t) in by_state.items():
            for o, w in weight.get(state, {}).items():
                jail[o] += j * w
                tf[o] += t * w
        for o in codes:
            out.writerow([date, o, round(jail[o]), round(tf[o])])


if __name__ == "__main__":
    main()
