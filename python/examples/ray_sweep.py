"""A sweep of the default scenario on Ray, timed against the same sweep run sequentially.

    pip install "./python[ray]"
    python python/examples/ray_sweep.py                      # a local Ray with 2 CPUs
    RAY_ADDRESS=ray://head:10001 python python/examples/ray_sweep.py --cpus 0   # a cluster

Each replication runs on one thread (RAYON_NUM_THREADS=1), so the sequential sweep uses
one core and the Ray sweep one core per worker: the ratio of the times is the speed-up
from the workers.
"""

import argparse
import os
import time
from typing import Any, Dict

os.environ.setdefault("RAYON_NUM_THREADS", "1")  # before the engine's thread pool starts

import pandas as pd  # noqa: E402
import ray  # noqa: E402

import quotasim  # noqa: E402
import quotasim.ray as qray  # noqa: E402

ARGS: Dict[str, Any] = dict(
    # 64 points of the national year.
    vary={"quota.per_office_per_day": (25, 200, 8), "capacity.agencies.hsi.agents": (0, 4000, 8)},
    set={"quota.national_per_day": 0},
    reps=1,
    seed=1,
)


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--cpus", type=int, default=2, help="CPUs of a local Ray (0: connect to RAY_ADDRESS)")
    ap.add_argument("--days", type=int, default=365)
    ap.add_argument("--out", default="runs/ray-sweep")
    args = ap.parse_args()
    if args.cpus:
        ray.init(num_cpus=args.cpus, include_dashboard=False, runtime_env={"env_vars": {"RAYON_NUM_THREADS": "1"}})
    else:
        ray.init(runtime_env={"env_vars": {"RAYON_NUM_THREADS": "1"}})
    t = time.perf_counter()
    seq = quotasim.sweep(None, days=args.days, **ARGS)
    t_seq = time.perf_counter() - t
    # Ray starts its worker processes at the first task (each imports pandas and the
    # engine, about a second): time a cold sweep, then a warm one on started workers.
    t = time.perf_counter()
    par = qray.sweep(None, days=args.days, out=None, **ARGS)
    t_cold = time.perf_counter() - t
    t = time.perf_counter()
    par = qray.sweep(None, days=args.days, out=None, **ARGS)
    t_ray = time.perf_counter() - t
    pd.testing.assert_frame_equal(par, seq)
    n = len(seq)
    workers = args.cpus or int(ray.cluster_resources().get("CPU", 1))  # type: ignore[no-untyped-call]
    speedup = t_seq / t_ray
    print(
        f"{n} runs: sequential (one core) {t_seq:.1f} s; Ray on {workers} workers {t_ray:.1f} s warm "
        f"({t_cold:.1f} s cold, workers starting): speed-up {speedup:.2f}x = "
        f"{100 * speedup / workers:.0f} % of ideal warm, {100 * t_seq / t_cold / workers:.0f} % cold; results identical"
    )
    print(seq.groupby("quota.per_office_per_day")[["arrests_per_day_mean", "share_other", "quota_attainment"]].mean())
    ray.shutdown()


if __name__ == "__main__":
    main()
