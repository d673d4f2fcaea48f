"""Sweeps on Ray: a local head on 127.0.0.1 with two CPUs, stopped at the end."""

import os

import pandas as pd
import pytest

import quotasim

if os.environ.get("CI"):
    import ray  # CI installs the [ray] extra: a missing Ray is a failure, not a skip
else:
    ray = pytest.importorskip("ray")

import quotasim.ray as qray


@pytest.fixture(scope="module")
def local_ray():
    ray.init(
        num_cpus=2,
        include_dashboard=False,
        _node_ip_address="127.0.0.1",
        runtime_env={"env_vars": {"RAYON_NUM_THREADS": "1"}},
        log_to_driver=False,
    )
    yield
    ray.shutdown()


ARGS = dict(
    vary={"quota.per_office_per_day": (25, 150, 4), "capacity.agencies.hsi.agents": (0, 4000, 2)},
    set={"quota.national_per_day": 0},
    reps=2,
    days=6,
    seed=4,
)


def test_ray_sweep_equals_the_sequential_sweep(local_ray, tmp_path):
    sequential = quotasim.sweep(None, **ARGS)
    # Tiny tasks, so that several run on the workers.
    on_ray = qray.sweep(None, out=str(tmp_path / "parts"), task_seconds=0.05, **ARGS)
    pd.testing.assert_frame_equal(on_ray, sequential)
    parts = list((tmp_path / "parts").glob("part-*.parquet"))
    assert len(parts) >= 2


def test_a_rerun_completes_from_the_parts_on_disk(local_ray, tmp_path):
    out = tmp_path / "parts"
    full = qray.sweep(None, out=str(out), task_seconds=0.05, **ARGS)
    # Lose some finished batches, as if their worker had died before writing.
    parts = sorted(out.glob("part-*.parquet"))
    for p in parts[1::2]:
        p.unlink()
    again = qray.sweep(None, out=str(out), task_seconds=0.05, **ARGS)
    pd.testing.assert_frame_equal(again, full)
    points = pd.concat(pd.read_parquet(p) for p in out.glob("part-*.parquet"))["point"]
    assert sorted(points.unique()) == list(range(8))


def test_a_folder_that_holds_a_different_sweep_is_refused_and_either_sweep_finishes_the_other(local_ray, tmp_path):
    out = tmp_path / "parts"
    # Begun by quotasim.sweep, finished by the Ray sweep (and the reverse gives the same).
    begun = quotasim.sweep(None, out=out, **ARGS)
    for p in sorted(out.glob("part-*.parquet"))[1:]:
        p.unlink()
    finished = qray.sweep(None, out=str(out), task_seconds=0.05, **ARGS)
    pd.testing.assert_frame_equal(finished, begun)
    # A sweep of other keys into the same folder: refused, naming both requests.
    other = dict(ARGS, vary={"capacity.agencies.hsi.agents": (0, 2000, 3)})
    for sweep in (qray.sweep, quotasim.sweep):
        with pytest.raises(quotasim.ScenarioError, match="holds a different sweep") as err:
            sweep(None, out=str(out), **other)
        assert err.value.key == "out"
    assert quotasim.sweep(None, out=out, **ARGS).equals(begun)
