"""A Sobol study of the default scenario with SALib: sample, run through quotasim, analyse.

    pip install ./python SALib
    python python/examples/sobol_salib.py [--base 64] [--days 365]

Which assumption drives the share of arrests of people with no record, quota
attainment and detention at the end? Four inputs vary over plausible ranges; SALib
draws Saltelli's design, quotasim runs every point (in parallel, without the GIL), and
SALib estimates first-order and total indices with their 95 % intervals.
"""

import argparse
from typing import Any, Dict, List

import numpy as np
from SALib.analyze import sobol  # type: ignore[import-untyped]  # SALib ships no types
from SALib.sample import sobol as sobol_sample  # type: ignore[import-untyped]

import quotasim

NAMES: List[str] = [
    "quota.penalty_per_missed_arrest",
    "manager.hour_value",
    "capacity.agencies.hsi.agents",
    "channels.community.reach_per_office_per_day",
]
PROBLEM: Dict[str, Any] = {
    "num_vars": 4,
    "names": NAMES,
    "bounds": [[0.0, 20.0], [0.005, 0.2], [0.0, 4000.0], [5.0, 40.0]],
}
OUTPUTS = ["share_other", "quota_attainment", "detained_at_end", "arrests_per_day_mean"]


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--base", type=int, default=64, help="base samples (a power of 2)")
    ap.add_argument("--days", type=int, default=365)
    args = ap.parse_args()
    x = sobol_sample.sample(PROBLEM, args.base, calc_second_order=False, seed=1)
    print(f"running {len(x)} points of {args.days} days ...")
    df = quotasim.evaluate(None, NAMES, x, seed=1, days=args.days)
    for out in OUTPUTS:
        y = df.sort_values("point")[out].to_numpy()
        si = sobol.analyze(PROBLEM, y, calc_second_order=False, print_to_console=False)
        print(f"\n{out}")
        print(f"  {'input':<46} {'S1':>7} {'+-':>6} {'ST':>7} {'+-':>6}")
        for j, name in enumerate(NAMES):
            print(
                f"  {name:<46} {si['S1'][j]:>7.3f} {si['S1_conf'][j]:>6.3f} "
                f"{si['ST'][j]:>7.3f} {si['ST_conf'][j]:>6.3f}"
            )


if __name__ == "__main__":
    np.set_printoptions(precision=3)
    main()
