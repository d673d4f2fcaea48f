"""A sweep's folder (``out=`` of :func:`quotasim.sweep` and :func:`quotasim.ray.sweep`).

The folder holds ``sweep.json`` (the request: the scenario's fingerprint, the varied
keys, the design's points, replications, seed, days and held values) and one
``part-<first>-<last>.parquet`` per finished batch of points, each written to a
temporary name and renamed into place, so a kill leaves whole parts only. A call with
the same request reads the parts there and runs only the missing points; a folder
that holds another sweep, or other files, is refused. Both sweep functions write the
same folder, so a sweep begun with one can be finished with the other.
"""

from __future__ import annotations

import glob
import hashlib
import json
import os
from typing import Any, Dict, List, Optional, Sequence, Tuple

import pandas as pd

from ._errors import ScenarioError

MANIFEST = "sweep.json"


def request(
    kind: str,
    origin: str,
    text: str,
    ranges: Sequence[Tuple[str, float, float, int]],
    points: Sequence[Tuple[int, Sequence[float]]],
    reps: Optional[int],
    seed: Optional[int],
    days: Optional[int],
    fixed: Sequence[Tuple[str, float]],
) -> Dict[str, Any]:
    """What identifies a sweep: two calls with equal requests compute the same rows."""
    points_text = json.dumps([[i, [float(v) for v in p]] for i, p in points])
    return {
        "scenario": origin,
        "scenario_sha256": hashlib.sha256(f"{kind}\n{text}".encode()).hexdigest(),
        "vary": [[p, lo, hi, steps] for p, lo, hi, steps in ranges],
        "points": len(points),
        "points_sha256": hashlib.sha256(points_text.encode()).hexdigest(),
        "reps": reps,
        "seed": seed,
        "days": days,
        "set": [[p, v] for p, v in fixed],
    }


def _describe(req: Dict[str, Any]) -> str:
    vary = ", ".join(f"{p}={lo}..{hi}" for p, lo, hi, _ in req.get("vary", []))
    return f"{req.get('points')} points of {vary or '?'}, reps {req.get('reps')}, seed {req.get('seed')}, days {req.get('days')}, scenario {req.get('scenario')}"


def open_folder(out: "str | os.PathLike[str]", req: Dict[str, Any]) -> Tuple[List[pd.DataFrame], Dict[str, str]]:
    """Claims ``out`` for the sweep ``req``: creates it (with sweep.json) if new or
    empty, else checks it holds this sweep. Returns the finished parts and their
    columns' units."""
    out = os.fspath(out)
    if os.path.exists(out) and not os.path.isdir(out):
        raise ScenarioError(f"error: out = {out!r}: is a file; a sweep's out is a folder", key="out")
    os.makedirs(out, exist_ok=True)
    manifest = os.path.join(out, MANIFEST)
    if not os.path.exists(manifest):
        others = [f for f in os.listdir(out) if ".partial-" not in f]
        if others:
            raise ScenarioError(
                f"error: out = {out!r}: holds {len(others)} file(s) ({', '.join(sorted(others)[:3])}) but no "
                f"{MANIFEST}: not a quotasim sweep folder, or one written before sweeps recorded their request; "
                "choose an empty or new folder",
                key="out",
            )
        tmp = manifest + f".partial-{os.getpid()}"
        with open(tmp, "w", encoding="utf-8") as f:
            json.dump({"request": req}, f, indent=1)
        os.replace(tmp, manifest)
        return [], {}
    try:
        with open(manifest, encoding="utf-8") as f:
            held = json.load(f).get("request")
    except (OSError, ValueError, AttributeError) as e:
        raise ScenarioError(f"error: {manifest}: cannot read the sweep's request: {e}", path=manifest, key="out") from None
    if held != req:
        raise ScenarioError(
            f"error: out = {out!r}: holds a different sweep ({_describe(held or {})}); this call asks for "
            f"{_describe(req)}. Choose another folder, or remove this one to start again",
            key="out",
        )
    import pyarrow.parquet as pq

    parts, units = [], {}
    for path in sorted(glob.glob(os.path.join(out, "part-*.parquet"))):
        table = pq.read_table(path)
        meta = table.schema.metadata or {}
        units.update({k.decode()[5:]: v.decode() for k, v in meta.items() if k.startswith(b"unit.")})
        parts.append(table.to_pandas())
    for stale in glob.glob(os.path.join(out, "*.partial-*")):
        try:
            os.remove(stale)
        except OSError:
            pass
    return parts, units


def write_part(out: "str | os.PathLike[str]", df: pd.DataFrame, units: Dict[str, str]) -> None:
    """Writes one finished batch (its points' rows) as a part, atomically."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    first, last = int(df["point"].min()), int(df["point"].max())
    path = os.path.join(os.fspath(out), f"part-{first:07d}-{last:07d}.parquet")
    tmp = path + f".partial-{os.getpid()}"
    table = pa.Table.from_pandas(df, preserve_index=False)
    meta = {**(table.schema.metadata or {}), **{f"unit.{k}".encode(): v.encode() for k, v in units.items()}}
    pq.write_table(table.replace_schema_metadata(meta), tmp)
    os.replace(tmp, path)


def combine(parts: List[pd.DataFrame], units: Dict[str, str]) -> pd.DataFrame:
    """The parts as one table in point and replication order, with its units."""
    if not parts:
        return pd.DataFrame()
    df = pd.concat(parts, ignore_index=True)
    df = df.drop_duplicates(subset=["point", "rep"]).sort_values(["point", "rep"], kind="stable")
    df = df.reset_index(drop=True)
    df.attrs = {"units": {c: units.get(c, "") for c in df.columns}}
    return df
