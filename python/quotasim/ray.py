"""Sweeps as Ray tasks, on whatever cluster ``ray.init(address=...)`` connects to.

Install with ``pip install "./python[ray]"``. A sweep's points are cut into batches that
take a few seconds each (timed on the first point), at least four batches per CPU of the
cluster so that no worker idles while another finishes, sent to Ray as tasks that receive
plain data (the scenario's text, the varied keys, the points) and return plain columns.
Each finished batch is written at once to ``out/part-<first>-<last>.parquet``, beside
the sweep's request (``out/sweep.json``); a re-run with the same ``out`` and arguments
reads the parts already there and runs only the missing points, so a lost worker or a
killed driver loses at most the batches in flight, and a folder that holds a different
sweep is refused. The folder is the one :func:`quotasim.sweep` writes with ``out=``.
The result is the same DataFrame as :func:`quotasim.sweep` returns for the same
arguments.
"""

from __future__ import annotations

import builtins
import math
import os
import time
from typing import Dict, Mapping, Optional, Union

import pandas as pd

from . import ScenarioLike, Vary, _design, _fixed, _folder, _frame, _held_text, _quotasim, _whole

__all__ = ["sweep"]


def _run_batch(kind, origin, text, ranges, batch, reps, seed, days, fixed):
    # Imported inside the task: the worker loads the native module itself; nothing
    # native is pickled.
    from quotasim import _quotasim as native

    return native.run_points(kind, origin, text, ranges, batch, reps, seed, days, fixed)


def sweep(
    scenario: Optional[ScenarioLike] = None,
    vary: Optional[Vary] = None,
    design: str = "grid",
    samples: int = 64,
    reps: int = 1,
    seed: Optional[int] = None,
    days: Optional[int] = None,
    set: Optional[Mapping[str, float]] = None,
    out: Optional[Union[str, "os.PathLike[str]"]] = None,
    task_seconds: float = 5.0,
    address: Optional[str] = None,
) -> pd.DataFrame:
    """Runs a sweep as Ray tasks; arguments as :func:`quotasim.sweep`, plus:

    Args:
        out: folder for the finished batches (Parquet); re-running with the same
            folder and arguments completes a sweep that was interrupted. Default: no
            folder (results are only returned).
        task_seconds: the aimed duration of one task (batches of points are sized
            from the first point's time).
        address: passed to ``ray.init`` when Ray is not initialised yet (None: a
            local Ray, or the cluster in ``RAY_ADDRESS``).
    """
    import ray

    reps, seed, days = _whole("reps", reps), _whole("seed", seed), _whole("days", days)
    kind, origin, text, ranges, points = _design(scenario, vary, design, samples, seed)
    kind, origin, text = _held_text((kind, origin, text), set)
    fixed = _fixed(set)
    parts = []
    units: Dict[str, str] = {}
    done = builtins.set()  # `set` is the argument of held paths
    if out is not None:
        req = _folder.request(kind, origin, text, ranges, points, reps, seed, days, fixed)
        parts, units = _folder.open_folder(out, req)
        for df in parts:
            done.update(int(p) for p in df["point"].unique())
    todo = [p for p in points if p[0] not in done]
    if todo:
        if not ray.is_initialized():
            ray.init(address=address)
        # Time the first point here, to size the tasks; its result is kept.
        t0 = time.perf_counter()
        first = _frame(_quotasim.run_points(kind, origin, text, ranges, todo[:1], reps, seed, days, fixed))
        per_point = max(time.perf_counter() - t0, 1e-3)
        units = first.attrs["units"]
        if out is not None:
            _folder.write_part(out, first, units)
        parts.append(first)
        rest = todo[1:]
        # Tasks of about `task_seconds`, but at least four per CPU of the cluster, so
        # that every worker has work until the end (one batch of all the points would
        # run on one worker).
        cpus = max(1, int(ray.cluster_resources().get("CPU", 1)))
        batch = max(1, min(int(task_seconds / per_point), math.ceil(len(rest) / (4 * cpus))))
        remote = ray.remote(_run_batch)
        text_ref = ray.put(text)
        pending = [
            remote.remote(kind, origin, text_ref, ranges, rest[i : i + batch], reps, seed, days, fixed)
            for i in range(0, len(rest), batch)
        ]
        while pending:
            ready, pending = ray.wait(pending, num_returns=1)
            df = _frame(ray.get(ready[0]))
            if out is not None:
                _folder.write_part(out, df, units)
            parts.append(df)
    return _folder.combine(parts, units)
