"""The Python API: scenarios, runs, sweeps, errors, and equality with the command."""

import json
import os
import subprocess
import sys
import threading
import time
import tomllib

import pandas as pd
import pyarrow as pa
import pytest

import quotasim
from conftest import ROOT


def test_default_scenario_is_a_dict_of_the_shipped_fitted_file():
    # The same default as `quotasim run` with no file: the 2025 fit, run on to
    # 2026-12-31 with the inputs of 2026.
    s = quotasim.default_scenario()
    assert s["run"]["name"] == "quota-2026"
    assert s["run"]["days"] == 711
    assert s["run"]["fitted_through"] == "2026-01-31"
    assert s["run"]["start_date"] == "2025-01-20"
    assert s["docket"]["total"] == 7_800_000
    assert {"capacity", "channels", "manager", "quota", "detention", "events"} <= set(s)
    assert s == quotasim.load_scenario(ROOT / "scenarios" / "quota-2026.toml")


def test_fiscal_years_are_the_summarys_keys_by_fiscal_year_as_a_table():
    # 2025-09-21 .. 10-10: ten days of FY2025, ten of FY2026, with their bands.
    r = quotasim.run({"run": {"start_date": "2025-09-21"}}, days=20, reps=2, seed=4, daily=None)
    fy = r.fiscal_years
    assert list(fy.index) == ["FY2025", "FY2026"]
    assert list(fy["days"]) == [10.0, 10.0]
    assert fy["removals"].sum() == pytest.approx(r.summary["removals_total"])
    assert fy.loc["FY2026", "arrests_per_day"] == r.summary["arrests_per_day_by_fiscal_year"]["FY2026"]
    assert (fy["removals_p05"] <= fy["removals"]).all() and (fy["removals"] <= fy["removals_p95"]).all()
    assert {"share_other", "detained_mean", "budget_detention_left"} <= set(fy.columns)


def test_dict_path_and_text_give_the_same_run():
    path = ROOT / "scenarios" / "baseline-fy2024.toml"
    a = quotasim.run(path, seed=3, days=10)
    b = quotasim.run(str(path), seed=3, days=10)
    c = quotasim.run(path.read_text(), seed=3, days=10)
    d = quotasim.run(quotasim.load_scenario(path), seed=3, days=10)
    assert a.summary == b.summary
    # The summary names the scenario by its run.name, whatever the source.
    assert a.summary == c.summary == d.summary
    assert a.summary["scenario"] == "baseline-fy2024"


def test_run_gives_summary_daily_and_reps_frames():
    r = quotasim.run(None, seed=1, days=12, reps=3)
    assert r.summary["replications"] == 3
    assert r.summary["arrests_per_day_mean_p05"] <= r.summary["arrests_per_day_mean"]
    assert isinstance(r.daily, pd.DataFrame) and isinstance(r.reps, pd.DataFrame)
    assert len(r.daily) == 3 * 12 * 25
    assert list(r.daily.columns[:3]) == ["rep", "date", "office"]
    assert len(r.reps) == 3
    assert r.reps["arrests_per_day_mean"].mean() == pytest.approx(r.summary["arrests_per_day_mean"])
    table = r.to_arrow()
    assert isinstance(table, pa.Table) and table.num_rows == len(r.daily)
    # Arrests by channel add up to all arrests, row by row.
    ch = r.daily[["arrests_custodial", "arrests_at_large", "arrests_collateral", "arrests_community"]]
    assert (ch.sum(axis=1) == r.daily["arrests"]).all()


def test_python_and_the_command_give_identical_summaries(cli, tmp_path):
    out = tmp_path / "run"
    subprocess.run(
        [cli, "run", "--days", "15", "--seed", "5", "--reps", "2", "--quiet", "--out", str(out)],
        check=True,
        cwd=tmp_path,
        capture_output=True,
    )
    from_cli = json.loads((out / "summary.json").read_text())
    from_py = quotasim.run(None, seed=5, days=15, reps=2).summary
    assert from_py == from_cli


def test_bad_scenarios_raise_the_commands_located_message(cli, tmp_path):
    text = (ROOT / "scenarios" / "baseline-fy2024.toml").read_text()
    assert "share_final_order = 0.18" in text
    text = text.replace("share_final_order = 0.18", "share_final_order = 1.4", 1)
    path = tmp_path / "bad.toml"
    path.write_text(text)
    with pytest.raises(quotasim.ScenarioError) as err:
        quotasim.run(str(path), days=5)
    message = str(err.value)
    assert str(path) in message and "docket.share_final_order = 1.4" in message
    line = text[: text.index("share_final_order = 1.4")].count("\n") + 1
    assert f"{path}:{line}:" in message
    check = subprocess.run([cli, "scenario", "check", str(path)], capture_output=True, text=True)
    assert check.returncode == 2
    assert check.stderr.strip() == message.strip()
    with pytest.raises(quotasim.ScenarioError):
        quotasim.load_scenario(path)
    assert issubclass(quotasim.ScenarioError, ValueError)


def test_a_dict_with_a_bad_value_names_the_key():
    s = quotasim.default_scenario()
    s["detention"]["stay_shape"] = -1.0
    with pytest.raises(quotasim.ScenarioError, match="detention.stay_shape"):
        quotasim.run(s, days=5)
    s = quotasim.default_scenario()
    s["docket"]["no_such_key"] = 1
    with pytest.raises(quotasim.ScenarioError, match="no_such_key"):
        quotasim.run(s, days=5)


def test_sweep_gives_a_row_per_point_and_replication():
    df = quotasim.sweep(
        None,
        vary={"quota.per_office_per_day": (25, 150, 3)},
        set={"quota.national_per_day": 0},
        reps=2,
        days=8,
    )
    assert len(df) == 6
    assert list(df.columns[:3]) == ["point", "rep", "quota.per_office_per_day"]
    assert sorted(df["quota.per_office_per_day"].unique()) == [25.0, 87.5, 150.0]
    mean = df.groupby("point")["quota_attainment"].mean()
    assert mean[0] > mean[2]
    with pytest.raises(quotasim.ScenarioError, match="per_ofice"):
        quotasim.sweep(None, vary={"quota.per_ofice_per_day": (1, 2)}, days=3)


def test_sweep_equals_the_commands_results(cli, tmp_path):
    subprocess.run(
        [cli, "sweep", "--vary", "capacity.agencies.hsi.agents=0..4000:3", "--design", "grid",
         "--reps", "2", "--days", "6", "--seed", "9", "--quiet", "--out", str(tmp_path / "s")],
        check=True,
        capture_output=True,
    )
    from_cli = pd.read_parquet(tmp_path / "s" / "results.parquet")
    from_py = quotasim.sweep(None, vary={"capacity.agencies.hsi.agents": (0, 4000, 3)}, reps=2, days=6, seed=9)
    pd.testing.assert_frame_equal(from_py, from_cli, check_dtype=False)


def test_the_model_runs_without_the_gil():
    ticks = []
    done = threading.Event()

    def work():
        quotasim.run(None, seed=1, days=120)
        done.set()

    t = threading.Thread(target=work)
    t.start()
    while not done.is_set():
        ticks.append(time.perf_counter())
        time.sleep(0.001)
    t.join()
    # The main thread kept running Python while the model ran.
    assert len(ticks) > 20


def test_sobol_indices_agree_with_salib(cli, tmp_path):
    if not os.environ.get("CI"):
        pytest.importorskip("SALib")  # CI installs it: there, its absence fails
    out = tmp_path / "sobol"
    subprocess.run(
        [cli, "sweep", "--vary", "quota.per_office_per_day=25..150", "--vary", "manager.hour_value=0.005..0.2",
         "--design", "sobol", "--samples", "16", "--days", "10", "--quiet", "--out", str(out)],
        check=True,
        capture_output=True,
    )
    check = subprocess.run(
        [sys.executable, str(ROOT / "scripts" / "check_sobol_salib.py"), str(out)],
        capture_output=True,
        text=True,
    )
    assert check.returncode == 0, check.stdout + check.stderr
    assert "largest difference of a point estimate" in check.stdout


def test_parameters_lists_the_registry_with_the_scenarios_values():
    p = quotasim.parameters().set_index("path")
    penalty = p.loc["quota.penalty_per_missed_arrest"]
    assert (penalty["unit"], penalty["min"], penalty["kind"]) == ("points/arrest", 0, "points")
    assert p.loc["docket.total", "value"] == 7_800_000 and p.loc["docket.total", "value_text"] == "7800000"
    # Values are typed by kind: a switch a bool, a count an int, a choice text.
    assert p.loc["capacity.around_the_clock", "value"] is False
    assert isinstance(p.loc["capacity.agencies.hsi.agents", "value"], int)
    assert isinstance(p.loc["quota.penalty_per_missed_arrest", "value"], float)
    assert p.loc["detention.over_capacity", "value"] == "release"
    assert p.loc["capacity.agencies.hsi.agents", "unit"] == "agents"
    assert not p.loc["docket.total", "in_events"]
    assert (p["unit"].str.len() > 0).all() and (p["meaning"].str.len() > 10).all()
    fy2024 = quotasim.parameters(ROOT / "scenarios" / "baseline-fy2024.toml").set_index("path")
    assert fy2024.loc["docket.total", "value"] == 7_400_000


def test_compare_gives_the_commands_paired_differences(cli, tmp_path):
    a = tmp_path / "a.toml"
    b = tmp_path / "b.toml"
    a.write_text('base = "%s"\n' % (ROOT / "scenarios" / "quota-2025.toml"))
    b.write_text(a.read_text() + "\n[capacity.agencies.ero]\nagents = 8_000\n")
    subprocess.run(
        [cli, "compare", str(a), str(b), "--reps", "3", "--days", "20", "--quiet", "--out", str(tmp_path / "c")],
        check=True,
        capture_output=True,
    )
    from_cli = pd.read_csv(tmp_path / "c" / "compare.csv").set_index("key")
    from_py = quotasim.compare(a, b, reps=3, days=20).set_index("key")
    key = "arrests_total"
    assert from_py.loc[key, "diff"] > 0
    assert from_py.loc[key, "diff"] == pytest.approx(from_cli.loc[key, "diff_mean"])
    assert from_py.loc[key, "p95"] == pytest.approx(from_cli.loc[key, "diff_p95"])
    # Both sides draw unit costs by the same rule (an ensemble draws them), so the
    # paired cost difference and its band agree too.
    for stat, col in [("diff", "diff_mean"), ("p05", "diff_p05"), ("p95", "diff_p95")]:
        assert from_py.loc["cost_per_year", stat] == pytest.approx(from_cli.loc["cost_per_year", col])


def test_backtest_scores_as_the_command_and_locates_a_window_outside_the_run(cli, tmp_path):
    obs = tmp_path / "obs.toml"
    obs.write_text(
        '[[observation]]\nmetric = "arrests_per_day"\nfrom = 2025-01-20\nto = 2025-01-24\n'
        'value = 700.0\nsd = 50.0\nsource = "a test figure"\n\n'
        '[[observation]]\nmetric = "share_other"\nfrom = 2025-01-22\nto = 2025-01-25\n'
        'min = 0.0\nmax = 1.0\nsd = 0.05\nsource = "a range"\n'
    )
    scenario = ROOT / "scenarios" / "quota-2025.toml"
    subprocess.run(
        [cli, "backtest", str(scenario), "--observed", str(obs), "--reps", "3", "--days", "6", "--quiet", "--out", str(tmp_path / "b")],
        check=True,
        capture_output=True,
    )
    from_cli = pd.read_csv(tmp_path / "b" / "backtest.csv")
    seen = []
    b = quotasim.backtest(scenario, obs, reps=3, days=6, progress=lambda done, total: seen.append((done, total)))
    assert seen and seen[-1] == (3, 3)
    assert list(b.scores["metric"]) == ["arrests_per_day", "share_other"]
    assert b.scores["model_mean"].tolist() == pytest.approx(from_cli["model_mean"].tolist())
    assert b.scores.loc[0, "z"] == pytest.approx((b.scores.loc[0, "model_mean"] - 700.0) / 50.0)
    assert b.scores.loc[1, "z"] == 0.0  # a range that holds every share
    assert b.sum_of_squares == pytest.approx((b.scores["z"] ** 2).sum())
    assert b.sum_of_squares_se is not None
    assert "Were the model right" in b.verdict and "within one stated sd" in b.verdict
    # January 2026 lies beyond a 6-day run: refused with the file and line, before any run.
    late = obs.read_text().replace("to = 2025-01-24", "to = 2026-01-24", 1)
    obs.write_text(late)
    with pytest.raises(quotasim.ScenarioError) as e:
        quotasim.backtest(scenario, obs, reps=3, days=6)
    assert e.value.path == str(obs) and e.value.line == 3  # the window, at its first line
    assert "within the run" in str(e.value)


def test_an_overlay_file_reads_its_base_from_beside_it(tmp_path):
    (tmp_path / "whole.toml").write_text(quotasim._quotasim.default_scenario_toml())
    (tmp_path / "o.toml").write_text('base = "whole.toml"\n[removal]\ncapacity_per_day = 1_400\n')
    s = quotasim.load_scenario(tmp_path / "o.toml")
    assert s["removal"]["capacity_per_day"] == 1400
    assert s["docket"]["total"] == 7_800_000
    (tmp_path / "lost.toml").write_text('base = "gone.toml"\n')
    with pytest.raises(quotasim.ScenarioError, match="cannot read the base scenario"):
        quotasim.load_scenario(tmp_path / "lost.toml")


def test_seed_beyond_two_to_the_63_is_refused_with_its_range():
    with pytest.raises(quotasim.ScenarioError, match="9223372036854775807"):
        quotasim.run(None, seed=2**63, days=2)


def test_scenario_error_pickles_with_its_path_line_and_key(tmp_path):
    import pickle

    text = (ROOT / "scenarios" / "baseline-fy2024.toml").read_text()
    path = tmp_path / "bad.toml"
    path.write_text(text.replace("share_final_order = 0.18", "share_final_order = 1.4", 1))
    with pytest.raises(quotasim.ScenarioError) as err:
        quotasim.load_scenario(path)
    e = err.value
    assert (e.path, e.key) == (str(path), "docket.share_final_order")
    assert e.line == text[: text.index("share_final_order = 0.18")].count("\n") + 1
    back = pickle.loads(pickle.dumps(e))
    assert type(back) is quotasim.ScenarioError and isinstance(back, ValueError)
    assert (str(back), back.path, back.line, back.key) == (str(e), e.path, e.line, e.key)


def _two_days(seed):
    return quotasim.run(None, seed=seed, days=2).summary["arrests_total"]


def test_a_process_forked_after_a_run_runs_too():
    import multiprocessing

    quotasim.run(None, seed=1, days=2)
    ctx = multiprocessing.get_context("fork")
    with ctx.Pool(2) as pool:
        result = pool.map_async(_two_days, [1, 2])
        got = result.get(timeout=120)
    assert got[0] == _two_days(1) and len(got) == 2


def test_the_default_seed_is_the_scenarios_as_the_commands(cli, tmp_path):
    subprocess.run([cli, "run", "--days", "6", "--quiet", "--out", str(tmp_path / "r")], check=True, capture_output=True)
    from_cli = json.loads((tmp_path / "r" / "summary.json").read_text())
    from_py = quotasim.run(None, days=6).summary
    assert from_py == from_cli
    assert from_py["seed"] == quotasim.default_scenario()["run"]["seed"]


def test_bad_inputs_of_every_kind_raise_one_scenario_error(tmp_path):
    from pathlib import Path

    with pytest.raises(quotasim.ScenarioError, match="no such scenario file"):
        quotasim.run(Path(tmp_path / "missing.toml"), days=2)
    bad = tmp_path / "latin1.toml"
    bad.write_bytes(b"[run]\nname = \"caf\xe9\"\n")
    with pytest.raises(quotasim.ScenarioError, match="not UTF-8") as err:
        quotasim.run(bad, days=2)
    assert err.value.line == 2
    for reps in (-1, 0, 10**6):
        with pytest.raises(quotasim.ScenarioError, match=r"reps = .*must lie in \[1, 10000\]"):
            quotasim.run(None, days=2, reps=reps)
        with pytest.raises(quotasim.ScenarioError, match="reps"):
            quotasim.sweep(None, vary={"quota.per_office_per_day": (50, 100, 2)}, days=2, reps=reps)
    with pytest.raises(quotasim.ScenarioError, match="a whole number"):
        quotasim.run(None, days=2.5)
    numpy = pytest.importorskip("numpy")
    r = quotasim.run(None, seed=numpy.int64(3), days=numpy.int64(2), reps=numpy.int32(1))
    assert r.summary["seed"] == 3 and r.summary["days"] == 2


def test_a_partial_dict_overlays_the_default_and_errors_name_the_key():
    r = quotasim.run({"quota": {"penalty_per_missed_arrest": 9.0}}, days=3)
    full = quotasim.run(None, days=3)
    assert r.summary["docket_total"] == full.summary["docket_total"] == 7_800_000
    numpy = pytest.importorskip("numpy")
    same = quotasim.run(
        {"detention": {"beds": numpy.int64(41_500)}, "keep": ["detention.beds"]}, days=3
    )
    assert same.summary == full.summary
    cases = [
        ({"manager": {"hour_value": float("nan")}}, "manager.hour_value", "finite"),
        ({"docket": {"total": "lots"}}, "docket.total", "invalid type"),
        ({"detention": {"beds": 187.3}, "keep": ["detention.beds"]}, "detention.beds", "expected a whole number"),
        ({"quota": {"national_per_dya": 3}}, "quota", "national_per_dya"),
    ]
    for d, key, what in cases:
        with pytest.raises(quotasim.ScenarioError) as err:
            quotasim.run(d, days=2)
        message = str(err.value)
        assert key in message and what in message, message
        assert "line 1 column" not in message and "<dict>:" not in message.split("\n")[0][7:12]


def test_an_overlay_value_that_an_event_sets_again_must_be_held_or_kept():
    # The quota's events (2025-01-26, 2025-05-21) set it again: an overlay alone would
    # change nothing after them, so it is refused, naming the event and both ways out.
    no_quota = {"quota": {"national_per_day": 0, "per_office_per_day": 0}}
    with pytest.raises(quotasim.ScenarioError) as err:
        quotasim.run(no_quota, days=2)
    message = str(err.value)
    assert "sets `quota.national_per_day` again on 2025-01-26" in message, message
    assert 'hold = ["quota.national_per_day"]' in message and "keep" in message, message
    assert err.value.key == "quota.national_per_day"
    # Held for the whole run, it changes the outcome; kept, the events go on.
    held = quotasim.run({**no_quota, "hold": ["quota"]}, days=60, seed=11)
    kept = quotasim.run({**no_quota, "keep": ["quota"]}, days=60, seed=11)
    default = quotasim.run(None, days=60, seed=11)
    assert (held.daily["quota"] == 0).all()
    assert held.summary["arrests_per_day_mean"] < 0.98 * default.summary["arrests_per_day_mean"]
    assert set(kept.daily["quota"].unique()) == set(default.daily["quota"].unique())
    diff = quotasim.compare(None, {**no_quota, "hold": ["quota"]}, reps=2, seed=11, days=60)
    assert diff.loc[diff["key"] == "arrests_per_day_mean", "diff"].iloc[0] < 0


def test_set_overlays_dotted_keys_held_for_the_run():
    base = quotasim.run(None, days=140, seed=2)
    held = quotasim.run(None, days=140, seed=2, set={"quota.per_office_per_day": 40})
    # Held from the first day, whatever the events say (0, then 75, then 120).
    assert (held.daily["quota"] == 40).all()
    assert set(base.daily["quota"].unique()) == {0, 75, 120}
    with pytest.raises(quotasim.ScenarioError, match="whole number"):
        quotasim.run(None, days=2, set={"detention.beds": 187.3})
    with pytest.raises(quotasim.ScenarioError) as err:
        quotasim.run(None, days=2, set={"manager.hour_value": float("nan")})
    message = str(err.value)
    assert message.count("manager.hour_value") == 1 or message.count("finite") == 1, message
    assert "--vary" not in message


def test_compare_holds_set_in_both_and_reports_progress():
    seen = []
    diff = quotasim.compare(
        None,
        {"quota": {"penalty_per_missed_arrest": 9.0}},
        reps=3,
        seed=5,
        days=40,
        set={"quota.ranking": True},
        progress=lambda done, total: seen.append((done, total)),
    )
    assert seen and seen[-1] == (6, 6)
    assert all(total == 6 for _, total in seen)
    # set= held in both: A is the default with the ranking on from the first day.
    ranked = quotasim.run(None, reps=3, seed=5, days=40, set={"quota.ranking": True})
    a = diff.loc[diff["key"] == "arrests_per_day_mean", "a"].iloc[0]
    assert a == pytest.approx(ranked.summary["arrests_per_day_mean"])
    with pytest.raises(quotasim.ScenarioError, match="set"):
        quotasim.compare(None, None, reps=2, days=5, set={"quota.nope": 1})


def test_a_dict_that_shortens_the_run_runs_the_events_within_it():
    short = quotasim.run({"run": {"days": 90}}, seed=4)
    days = quotasim.run(None, days=90, seed=4)
    assert short.summary["days"] == days.summary["days"] == 90
    assert short.summary["arrests_per_day_mean"] == days.summary["arrests_per_day_mean"]


def test_a_switch_is_held_with_true_or_false():
    # The ranking starts with the event of 2025-05-21; held on from the first day, it
    # changes the arrests before then, and held off it undoes the event. Its penalty
    # factor is held at 3: the fitted 1.08 moves no decision in these 60 days.
    strong = {"quota.ranking_penalty_factor": 3.0}
    on = quotasim.run(None, days=60, seed=3, set={"quota.ranking": True, **strong})
    off = quotasim.run(None, days=60, seed=3, set={"quota.ranking": False, **strong})
    assert on.summary["arrests_per_day_mean"] != off.summary["arrests_per_day_mean"]
    held = quotasim.run(None, days=60, seed=3, set={"quota.ranking": 1.0, **strong})
    assert held.summary == on.summary
    with pytest.raises(quotasim.ScenarioError, match="switch is 1"):
        quotasim.run(None, days=2, set={"quota.ranking": 0.5})
    with pytest.raises(quotasim.ScenarioError, match="True/False|expected a boolean"):
        quotasim.run(None, days=2, set={"quota.ranking": "yes"})
    with pytest.raises(quotasim.ScenarioError, match="not a switch"):
        quotasim.run(None, days=2, set={"detention.beds": True})


def test_progress_is_reported_for_runs_and_sweeps():
    seen = []
    quotasim.run(None, days=3, reps=5, progress=lambda done, total: seen.append((done, total)))
    assert seen and seen[-1] == (5, 5) and all(t == 5 for _, t in seen)
    points = []
    quotasim.sweep(
        None, vary={"quota.per_office_per_day": (50, 100, 7)}, days=3,
        progress=lambda done, total: points.append((done, total)),
    )
    assert points[-1] == (7, 7)


def test_evaluate_shows_the_whole_number_a_parameter_ran_at():
    df = quotasim.evaluate(None, ["detention.beds"], [[41_500.4], [50_000.0]], days=2)
    assert list(df["detention.beds"]) == [41_500.0, 50_000.0]


SIGINT_SCRIPT = r"""
import os, signal, sys, threading, time
import quotasim

# What a terminal's Python has. A job started in the background (`cmd &`, as some CI
# runners do) inherits SIGINT ignored, and Python then installs no KeyboardInterrupt
# handler: the signal below would be dropped and the test would fail for a reason that
# is not the library's.
signal.signal(signal.SIGINT, signal.default_int_handler)

ran = []
def count(done, total):
    ran.append(done)

vary = {"quota.per_office_per_day": (20, 200, 40)}
args = dict(vary=vary, days=365, reps=1)
sent = []
def interrupt():
    # Once the first batch is done, while the next one runs natively.
    while not ran:
        time.sleep(0.01)
    time.sleep(0.05)
    sent.append(time.perf_counter())
    os.kill(os.getpid(), signal.SIGINT)
threading.Thread(target=interrupt, daemon=True).start()
try:
    quotasim.sweep(None, progress=count, **args)
    print("not interrupted")
    sys.exit(1)
except KeyboardInterrupt:
    waited = time.perf_counter() - sent[0]
    first = ran[-1] if ran else 0
finally_points = []
df = quotasim.sweep(None, progress=lambda d, t: finally_points.append(d), **args)
print(f"waited {waited:.2f} first {first} resumed_from {finally_points[0]} total {df['point'].nunique()}")
"""


def test_ctrl_c_stops_a_sweep_within_2_s_and_a_rerun_completes_the_rest():
    out = subprocess.run([sys.executable, "-c", SIGINT_SCRIPT], capture_output=True, text=True, timeout=600)
    assert out.returncode == 0, out.stdout + out.stderr
    words = out.stdout.split()
    waited, first, resumed, total = float(words[1]), int(words[3]), int(words[5]), int(words[7])
    assert waited < 2.0, out.stdout
    assert 0 < first < 40 and total == 40, out.stdout
    # The re-run starts from the points already done, not from nothing.
    assert resumed > first, out.stdout


def test_outputs_are_typed_and_carry_their_provenance(cli, tmp_path):
    import pyarrow.parquet as pq

    out = tmp_path / "o"
    subprocess.run([cli, "run", "--days", "5", "--reps", "2", "--seed", "4", "--quiet", "--out", str(out)], check=True, capture_output=True)
    summary = json.loads((out / "summary.json").read_text())
    assert summary["replications"] == 2 and isinstance(summary["replications"], int)
    table = pq.read_table(out / "daily.parquet")
    assert table.schema.field("date").type == pa.date32()
    assert pa.types.is_dictionary(table.schema.field("office").type)
    meta = {k.decode(): v.decode() for k, v in pq.read_metadata(out / "daily.parquet").metadata.items()}
    assert meta["quotasim.scenario_sha256"] == summary["scenario_sha256"]
    assert (meta["quotasim.seed"], meta["quotasim.days"], meta["quotasim.reps"]) == ("4", "5", "2")
    assert meta["quotasim.version"] == quotasim.__version__ == summary["quotasim_version"]
    assert meta["unit.arrests"] and meta["unit.date"] == "YYYY-MM-DD"
    assert pd.read_parquet(out / "daily.parquet")["office"].dtype == "category"
    national = pd.read_csv(out / "national.csv")
    assert len(national) == 2 * 5 and list(national.columns[:2]) == ["rep", "date"]
    assert all(c.startswith("national_") for c in national.columns[2:])
    r = quotasim.run(None, days=5, seed=4)
    assert str(r.daily["date"].dtype).startswith("datetime64")
    assert r.daily["office"].dtype == "category"
    assert len(r.national) == 5
    assert list(r.national["national_detained"]) == list(r.daily[r.daily["office"] == "ATL"]["national_detained"])
    # One replication writes its reps table too.
    one = tmp_path / "one"
    subprocess.run([cli, "run", "--days", "3", "--quiet", "--out", str(one)], check=True, capture_output=True)
    reps = pd.read_parquet(one / "reps.parquet")
    assert len(reps) == 1
    # Counts are whole numbers; shares and means are reals.
    assert reps["arrests_total"].dtype == "int64" and reps["share_other"].dtype == "float64"
    assert isinstance(json.loads((one / "summary.json").read_text())["arrests_total"], int)


def _ema_or_skip():
    if not os.environ.get("CI"):
        pytest.importorskip("ema_workbench")  # CI installs it: there, its absence fails
    import ema_workbench

    return ema_workbench


def test_an_ema_model_runs_in_a_forked_multiprocessing_evaluator_after_a_run():
    ema = _ema_or_skip()
    import quotasim.ema

    model = quotasim.ema.model(
        vary={"quota.per_office_per_day": (25, 200), "capacity.agencies.hsi.agents": (0, 4000)},
        outcomes=["share_other", "arrests_per_day_mean"],
        days=15,
        seed=3,
    )
    kinds = {u.name: type(u).__name__ for u in model.uncertainties}
    assert kinds == {"quota__per_office_per_day": "RealParameter", "capacity__agencies__hsi__agents": "IntegerParameter"}
    quotasim.run(None, days=2)  # a run first: the evaluator forks after it
    with ema.MultiprocessingEvaluator(model, n_processes=2) as evaluator:
        experiments, outcomes = evaluator.perform_experiments(4)
    assert len(outcomes["share_other"]) == 4
    row = experiments.iloc[0]
    again = quotasim.run(None, seed=3, days=15, set={
        "quota.per_office_per_day": float(row["quota__per_office_per_day"]),
        "capacity.agencies.hsi.agents": int(row["capacity__agencies__hsi__agents"]),
    })
    assert outcomes["arrests_per_day_mean"][0] == pytest.approx(again.summary["arrests_per_day_mean"])


def test_salib_problem_and_evaluate_go_together():
    problem = quotasim.salib_problem({"quota.per_office_per_day": (25, 200), "manager.hour_value": (0.005, 0.2)})
    assert problem == {
        "num_vars": 2,
        "names": ["quota.per_office_per_day", "manager.hour_value"],
        "bounds": [[25.0, 200.0], [0.005, 0.2]],
    }
    df = quotasim.evaluate(None, problem["names"], [[50, 0.01], [150, 0.1]], days=3)
    assert list(df["quota.per_office_per_day"]) == [50, 150]


def test_to_xarray_gives_rep_date_office_and_national_rep_date():
    if not os.environ.get("CI"):
        pytest.importorskip("xarray")
    r = quotasim.run(None, days=4, reps=2, seed=1)
    ds = r.to_xarray()
    assert dict(ds["arrests"].sizes) == {"rep": 2, "date": 4, "office": 25}
    assert dict(ds["national_detained"].sizes) == {"rep": 2, "date": 4}
    assert ds.attrs["seed"] == 1
    assert int(ds["arrests"].sum()) == int(r.daily["arrests"].sum())


def test_to_parquet_writes_the_commands_files_and_types(cli, tmp_path):
    import pyarrow.parquet as pq

    r = quotasim.run(None, days=4, reps=2, seed=6)
    r.to_parquet(tmp_path / "py")
    subprocess.run([cli, "run", "--days", "4", "--reps", "2", "--seed", "6", "--quiet", "--out", str(tmp_path / "cli")], check=True, capture_output=True)
    for name in ("daily", "national", "reps"):
        a = pq.read_table(tmp_path / "py" / f"{name}.parquet")
        b = pq.read_table(tmp_path / "cli" / f"{name}.parquet")
        assert a.num_rows == b.num_rows, name
        assert a.column_names == b.column_names, name
        meta = pq.read_metadata(tmp_path / "py" / f"{name}.parquet").metadata
        assert meta[b"quotasim.scenario_sha256"] == r.summary["scenario_sha256"].encode()
    assert pq.read_table(tmp_path / "py" / "daily.parquet").schema.field("date").type == pa.date32()
    assert pd.read_parquet(tmp_path / "py" / "daily.parquet")["office"].dtype == "category"


def test_the_worked_notebook_runs_from_top_to_bottom(tmp_path):
    if not os.environ.get("CI"):
        pytest.importorskip("nbclient")
    import nbformat
    from nbclient import NotebookClient

    nb = nbformat.read(ROOT / "python" / "examples" / "quota_levels.ipynb", as_version=4)
    NotebookClient(nb, timeout=300, kernel_name="python3", resources={"metadata": {"path": str(tmp_path)}}).execute()
    printed = "".join(o.get("text", "") for c in nb.cells if c.cell_type == "code" for o in c.get("outputs", []))
    assert "more arrests a day" in printed
    assert (tmp_path / "quota_levels.png").stat().st_size > 10_000


CALIBRATION = """
[calibration]
seeds = 1
max_iterations = 6
tolerance = 0.001

[[target]]
key = "arrests_per_day_mean"
value = 30.0
sd = 3.0

[[target]]
key = "detained_mean"
value = 3000.0
sd = 300.0

[[free]]
path = "detention.others_bookins_per_day"
lo = 10.0
hi = 900.0
"""


def _small_baseline():
    b = quotasim.load_scenario(ROOT / "scenarios" / "baseline-fy2024.toml")
    return {
        "base": str(ROOT / "scenarios" / "baseline-fy2024.toml"),
        "run": {"days": 30},
        "docket": {k: b["docket"][k] // 10 for k in ("total", "convicted", "pending_charges")},
        "capacity": {"agencies": {"ero": {"agents": b["capacity"]["agencies"]["ero"]["agents"] // 10}}},
        "detention": {"initial_detained": 3000},
        "events": [],
    }


def test_calibrate_fits_reports_and_writes_the_commands_files(tmp_path):
    seen = []
    c = quotasim.calibrate(_small_baseline(), CALIBRATION, progress=lambda n, best: seen.append((n, best)))
    assert seen and seen[-1][0] >= 3
    assert "detention.others_bookins_per_day" in c.fit_toml
    assert "# Fitted by `quotasim calibrate`" in c.fitted_toml
    assert c.report.startswith("# Calibration of")
    # The start and the fit scored again on ten replications the search never saw.
    check = tomllib.loads(c.fit_toml)["fit"]["check"]
    assert check["seeds"] == 10 and check["gain_se"] >= 0
    assert "On 10 fresh replications (not the search's)" in c.report
    c.write(tmp_path / "fit")
    assert sorted(p.name for p in (tmp_path / "fit").iterdir()) == ["fit-report.md", "fit.toml", "fitted.toml"]
    # The fitted scenario is a whole scenario that runs.
    assert quotasim.run(c.fitted_toml, days=2).summary["days"] == 2


def test_calibrate_with_several_starts_reports_each_search():
    c = quotasim.calibrate(_small_baseline(), CALIBRATION.replace("seeds = 1\n", "seeds = 1\nstarts = 3\n", 1))
    fit = tomllib.loads(c.fit_toml)["fit"]
    assert fit["starts"] == 3
    assert len(fit["start_objectives"]) == 3
    assert fit["start_objectives"][fit["chosen_start"] - 1] == min(fit["start_objectives"])
    assert "Searches from 3 starts ended at: 1 (the scenario's values)" in c.report
    assert fit["start_spread"] == 1.0 and "2 (hypercube) " in c.report
    near = quotasim.calibrate(
        _small_baseline(), CALIBRATION.replace("seeds = 1\n", "seeds = 1\nstarts = 2\nstart_spread = 0.25\n", 1)
    )
    assert tomllib.loads(near.fit_toml)["fit"]["start_spread"] == 0.25
    assert "2 (hypercube around them, 0.25 of each range) " in near.report


def test_calibrate_reads_the_observations_its_targets_file_names(tmp_path):
    (tmp_path / "obs.toml").write_text(
        '[[observation]]\nmetric = "arrests_per_day"\nfrom = 2023-10-01\nto = 2023-10-20\n'
        'value = 30.0\nsd = 3.0\nsource = "a test figure"\n'
    )
    targets = tmp_path / "targets.toml"
    targets.write_text(CALIBRATION.replace("[calibration]\n", '[calibration]\nobserved = "obs.toml"\n', 1))
    c = quotasim.calibrate(_small_baseline(), targets)
    assert "arrests_per_day (2023-10-01 .. 2023-10-20; 30)" in c.report
    # Given as text, the file is looked for from the working folder: not there, a ScenarioError.
    with pytest.raises(quotasim.ScenarioError):
        quotasim.calibrate(_small_baseline(), targets.read_text())


def test_calibrate_stops_on_interrupt():
    calls = []

    def interrupt(n, best):
        calls.append(n)
        raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        quotasim.calibrate(_small_baseline(), CALIBRATION.replace("max_iterations = 6", "max_iterations = 500"), progress=interrupt)
    assert len(calls) == 1


def test_solve_finds_what_the_command_finds_and_says_when_out_of_reach():
    # Out of reach within these bounds on an 8-day horizon: the lower and upper corners
    # and one cut below the upper one, as `quotasim solve` evaluates them.
    seen = []
    s = quotasim.solve(
        None, "removals_per_day_mean>=100000", {"removal.flights_per_day": (1, 3)}, days=8, progress=lambda n, most: seen.append((n, most))
    )
    assert s["feasible"] is False and s["best"] is None
    assert seen and seen[-1][0] <= seen[-1][1]
    assert [p["stage"] for p in s["path"]] == ["lower bounds", "upper bounds", "cut"]
    assert s["path"][1]["cost_per_year"] > 0
    with pytest.raises(quotasim.ScenarioError, match="KEY>=VALUE"):
        quotasim.solve(None, "removals", {"removal.flights_per_day": (1, 3)}, days=8)
    with pytest.raises(quotasim.ScenarioError, match="removal.flights_per_day"):
        quotasim.solve(None, "removals_per_year>=1", {"removal.flights_per_day": ("few", 3)}, days=8)
    with pytest.raises(quotasim.ScenarioError, match="reps"):
        quotasim.solve(None, "removals_per_year>=1", {"removal.flights_per_day": (1, 3)}, days=8, reps=-1)


def test_every_bad_argument_raises_scenario_error_naming_it():
    # Not a scenario at all: a ScenarioError, not a TypeError.
    with pytest.raises(quotasim.ScenarioError) as e:
        quotasim.run(42)
    assert e.value.key == "scenario"
    # True is an int to Python, but never a count of replications or a seed.
    for name in ("reps", "seed", "days"):
        with pytest.raises(quotasim.ScenarioError, match="not a boolean") as e:
            quotasim.run(None, **{name: True})
        assert e.value.key == name


def test_a_scenario_path_with_an_equals_sign_is_read_as_a_path(tmp_path):
    path = tmp_path / "quota=40.toml"
    path.write_text(
        'base = "%s"\nhold = ["quota.per_office_per_day"]\n[quota]\nper_office_per_day = 40\n'
        % (ROOT / "scenarios" / "quota-2025.toml")
    )
    s = quotasim.load_scenario(str(path))
    assert s["quota"]["per_office_per_day"] == 40
    r = quotasim.run(str(path), days=3)
    assert r.summary["days"] == 3


def test_attribute_gives_contributions_that_add_up_to_the_change():
    # Two groups over 60 days: the quota against everything else.
    groups = (
        '[[group]]\nname = "quota"\nlabel = "the quota"\nkeys = ["quota", "channels.community.broadened"]\n\n'
        '[[group]]\nname = "rest"\nlabel = "everything else"\n'
        'keys = ["capacity", "channels", "offices", "cooperation", "detention", "pathways", "removal", "flows", "costs", "budget"]\n'
    )
    df = quotasim.attribute(None, groups=groups, reps=2, days=60, seed=3, metrics=["arrests_per_day_mean"])
    assert list(df["group"]) == ["quota", "rest"]
    total = df["total_change"].iloc[0]
    assert abs(df["contribution"].sum() - total) <= 1e-9 * max(abs(total), 1.0)
    assert df["contribution"].iloc[0] > 0
    # The shares of the change add up to one; each has its band over replications.
    assert df["share_of_change"].sum() == pytest.approx(1.0)
    assert (df["share_of_change_p05"] <= df["share_of_change_p95"]).all()
    with pytest.raises(quotasim.ScenarioError, match="no group of the grouping owns"):
        quotasim.attribute(None, groups=groups.replace('"budget"', '"x"'), reps=1, days=5)


def test_attribute_with_a_posterior_spreads_the_quotas_part_over_the_fits_draws():
    # The quota (with the order of 2025-05-21 that widens community operations) against
    # the rest over 200 days: each replication's own draw of the 2025 fit, chiefly of
    # how far that order widens, spreads the quota's part far beyond chance's spread.
    groups = (
        '[[group]]\nname = "quota"\nlabel = "the quota"\nkeys = ["quota.*", "channels.community.broadened"]\n\n'
        '[[group]]\nname = "rest"\nlabel = "everything else"\nkeys = ["*"]\n'
    )
    fit = ROOT / "scenarios" / "fit-2025.toml"
    args = dict(groups=groups, reps=3, days=200, seed=9, metrics=["arrests_other_per_day"])
    chance = quotasim.attribute(None, **args)
    drawn = quotasim.attribute(None, posterior=fit, **args)
    width = lambda df: df["p95"].iloc[0] - df["p05"].iloc[0]
    assert width(drawn) > 3 * width(chance), (drawn, chance)
    # The same seed draws the same.
    again = quotasim.attribute(None, posterior=str(fit), **args)
    assert again.equals(drawn)
    with pytest.raises(quotasim.ScenarioError, match="no such fit file"):
        quotasim.attribute(None, posterior="nofit.toml", reps=1, days=3)


def test_ema_levers_and_constants_take_effect_and_names_are_checked():
    ema = _ema_or_skip()
    import quotasim.ema

    model = quotasim.ema.model(
        vary={"capacity.agencies.hsi.agents": (0, 4000)},
        outcomes=["arrests_per_day_mean"],
        days=40,
        seed=3,
    )
    model.levers = [ema.RealParameter("quota__per_office_per_day", 5, 200)]
    model.constants = [ema.Constant("quota__national_per_day", 0)]
    policies = [ema.Policy("low", quota__per_office_per_day=5), ema.Policy("high", quota__per_office_per_day=200)]
    with ema.SequentialEvaluator(model) as evaluator:
        experiments, outcomes = evaluator.perform_experiments(scenarios=2, policies=policies)
    by_policy = dict(zip(experiments["policy"], outcomes["arrests_per_day_mean"]))
    assert by_policy["low"] != by_policy["high"]
    # The lever and the constant are held as set= would hold them.
    row = experiments.iloc[0]
    again = quotasim.run(None, seed=3, days=40, set={
        "capacity.agencies.hsi.agents": int(row["capacity__agencies__hsi__agents"]),
        "quota.per_office_per_day": float(row["quota__per_office_per_day"]),
        "quota.national_per_day": 0,
    })
    assert outcomes["arrests_per_day_mean"][0] == pytest.approx(again.summary["arrests_per_day_mean"])
    # A misspelt outcome or path is refused when the model is made.
    with pytest.raises(quotasim.ScenarioError, match="share_othr"):
        quotasim.ema.model(vary={"quota.per_office_per_day": (5, 200)}, outcomes=["share_othr"], days=5)
    with pytest.raises(quotasim.ScenarioError, match="quota.per_ofice_per_day"):
        quotasim.ema.model(vary={"quota.per_ofice_per_day": (5, 200)}, outcomes=["share_other"], days=5)


def test_python_ensembles_stream_and_can_keep_no_daily_table():
    full = quotasim.run(None, days=20, reps=3, seed=2)
    national = quotasim.run(None, days=20, reps=3, seed=2, daily="national")
    none = quotasim.run(None, days=20, reps=3, seed=2, daily=None)
    assert full.summary == national.summary == none.summary
    pd.testing.assert_frame_equal(none.reps, full.reps)
    pd.testing.assert_frame_equal(national.national, full.national)
    assert len(full.national) == 3 * 20 and len(full.daily) == 3 * 20 * 25
    for kept, table in ((none, "daily"), (none, "national"), (national, "daily")):
        with pytest.raises(quotasim.ScenarioError, match="daily=") as err:
            getattr(kept, table)
        assert err.value.key == "daily"
    with pytest.raises(quotasim.ScenarioError, match="office") as err:
        quotasim.run(None, days=2, daily="offices")
    assert err.value.key == "daily"


def test_result_columns_and_types_do_not_depend_on_the_run():
    # A run with no quota leaves text keys (the first office to miss its target)
    # undefined; they are never numeric columns.
    none = quotasim.run({"quota": {"national_per_day": 0, "per_office_per_day": 0}, "hold": ["quota"]}, days=5).reps
    short, long = quotasim.run(None, days=5).reps, quotasim.run(None, days=30).reps
    assert list(none.columns) == list(short.columns) == list(long.columns)
    assert "first_miss_date" not in long.columns
    swept = quotasim.sweep(None, vary={"quota.per_office_per_day": (50, 80, 2)}, days=5)
    assert list(swept.columns[3:]) == list(long.columns[1:])
    for col in ("arrests_total", "share_other", "detained_at_end"):
        assert swept[col].dtype == long[col].dtype, col
    assert long["arrests_total"].dtype == "int64" and long["share_other"].dtype == "float64"


def test_results_carry_units_provenance_and_the_scenario_as_run(cli, tmp_path):
    import pyarrow.parquet as pq

    r = quotasim.run({"quota": {"per_office_per_day": 60}, "hold": ["quota"]}, days=6, reps=2, seed=8)
    for table in (r.daily, r.national, r.reps):
        units = table.attrs["units"]
        assert list(units) == list(table.columns) and all(units.values())
        assert table.attrs["quotasim"]["scenario_sha256"] == r.fingerprint == r.summary["scenario_sha256"]
    assert r.daily.attrs["units"]["arrests"] and r.reps.attrs["units"]["arrests_total"] == "arrests"
    assert (r.seed, r.version) == (8, quotasim.__version__)
    # The scenario as run reproduces the run, from Python and from the command.
    again = quotasim.run(r.scenario_text, reps=2)
    assert again.summary["arrests_per_day_mean"] == r.summary["arrests_per_day_mean"]
    assert again.fingerprint == r.fingerprint
    (tmp_path / "as_run.toml").write_text(r.scenario_text)
    out = tmp_path / "cli"
    subprocess.run([cli, "run", str(tmp_path / "as_run.toml"), "--reps", "2", "--quiet", "--out", str(out)], check=True, capture_output=True)
    assert json.loads((out / "summary.json").read_text())["arrests_per_day_mean"] == r.summary["arrests_per_day_mean"]
    # Units and the scenario travel with the files.
    r.to_parquet(tmp_path / "py")
    meta = pq.read_metadata(tmp_path / "py" / "reps.parquet").metadata
    assert meta[b"unit.arrests_total"] == b"arrests"
    assert (tmp_path / "py" / "scenario.toml").read_text() == r.scenario_text
    if os.environ.get("CI") or __import__("importlib").util.find_spec("xarray"):
        ds = r.to_xarray()
        assert ds["arrests"].attrs["units"] == r.daily.attrs["units"]["arrests"]
        assert ds.attrs["scenario_text"] == r.scenario_text


def test_scenario_text_writes_a_dict_as_a_scenario_the_command_runs(cli, tmp_path):
    import datetime

    change = {
        "quota": {"per_office_per_day": 40},
        "hold": ["quota.per_office_per_day"],
        # An event's date may be a datetime.date, as TOML writes a date.
        "add_events": True,
        "events": [{"date": datetime.date(2025, 3, 1), "source": "test", "set": {"detention.beds": 60000}}],
    }
    text = quotasim.scenario_text(change)
    assert "per_office_per_day = 40" in text and "2025-03-01" in text
    path = tmp_path / "mine.toml"
    path.write_text(text)
    out = tmp_path / "o"
    subprocess.run([cli, "run", str(path), "--days", "50", "--seed", "3", "--quiet", "--out", str(out)], check=True, capture_output=True)
    from_cli = json.loads((out / "summary.json").read_text())
    from_py = quotasim.run(change, days=50, seed=3).summary
    assert from_cli["arrests_per_day_mean"] == from_py["arrests_per_day_mean"]
    with pytest.raises(quotasim.ScenarioError) as err:
        quotasim.scenario_text({"quota": {"per_office_per_day": -1}, "hold": ["quota"]})
    assert err.value.key == "quota.per_office_per_day"


def test_a_sweep_resumes_across_processes_from_its_folder(tmp_path):
    out = tmp_path / "sweep"
    args = dict(vary={"quota.per_office_per_day": (25, 150, 6)}, days=4, seed=2, reps=2)
    # A first process runs the sweep; its folder loses half of its parts (as if killed).
    code = f"import quotasim; quotasim.sweep(None, out={str(out)!r}, **{args!r})"
    subprocess.run([sys.executable, "-c", code], check=True, capture_output=True)
    parts = sorted(out.glob("part-*.parquet"))
    assert (out / "sweep.json").is_file() and parts
    for p in parts[len(parts) // 2 :]:
        p.unlink()
    kept = sum(len(pd.read_parquet(p)["point"].unique()) for p in out.glob("part-*.parquet"))
    seen = []
    resumed = quotasim.sweep(None, out=out, progress=lambda done, total: seen.append((done, total)), **args)
    assert seen[0][0] > kept and seen[-1] == (6, 6)  # only the missing points ran
    pd.testing.assert_frame_equal(resumed, quotasim.sweep(None, **args))
    assert resumed.attrs["units"]["arrests_total"] == "arrests"
    # A different sweep, or a folder of other files, is refused; nothing is written.
    with pytest.raises(quotasim.ScenarioError, match="holds a different sweep"):
        quotasim.sweep(None, out=out, **dict(args, reps=3))
    (tmp_path / "other").mkdir()
    (tmp_path / "other" / "notes.txt").write_text("mine")
    with pytest.raises(quotasim.ScenarioError, match="not a quotasim sweep folder") as err:
        quotasim.sweep(None, out=tmp_path / "other", **args)
    assert err.value.key == "out" and os.listdir(tmp_path / "other") == ["notes.txt"]


def test_errors_name_their_key_in_words_without_rust_types():
    cases = [
        (lambda: quotasim.solve(None, "removals_per_yer>=5", {"removal.flights_per_day": (7, 60)}, days=5), "removals_per_yer"),
        (lambda: quotasim.solve(None, "removals_per_year>=5", {"removal.flight_per_day": (7, 60)}, days=5), "removal.flight_per_day"),
        (lambda: quotasim.attribute(None, metrics=["nope"], reps=1, days=3), "nope"),
        (lambda: quotasim.run({"run": {"days": 1.5}}), "run.days"),
        (lambda: quotasim.run({"quoat": {"x": 1}}), "quoat"),
    ]
    for call, key in cases:
        with pytest.raises(quotasim.ScenarioError) as err:
            call()
        message = str(err.value)
        assert err.value.key == key, message
        for rust in ("u32", "u64", "f64", "usize", "[quoat]"):
            assert rust not in message, message


def test_the_stubs_cover_the_public_api_and_mypy_strict_passes_on_the_examples(tmp_path):
    import ast

    stub = ast.parse((ROOT / "python" / "quotasim" / "__init__.pyi").read_text())
    named = {n.name for n in stub.body if isinstance(n, (ast.FunctionDef, ast.ClassDef))}
    named |= {a.name for n in stub.body if isinstance(n, ast.ImportFrom) for a in n.names}
    assert set(quotasim.__all__) <= named, set(quotasim.__all__) - named
    if not os.environ.get("CI"):
        pytest.importorskip("mypy")
    files = [str(p) for p in (ROOT / "python" / "examples").glob("*.py")]
    files.append(str(ROOT / "python" / "tests" / "typed" / "use_every_function.py"))
    # From another folder, so that mypy reads the installed package as a user's does.
    done = subprocess.run([sys.executable, "-m", "mypy", "--strict", "--no-incremental", *files], cwd=tmp_path, capture_output=True, text=True)
    assert done.returncode == 0, done.stdout + done.stderr


def test_the_quotasim_command_from_pip_runs_the_binary_or_says_how_to_get_it(cli, tmp_path):
    launcher = os.path.join(os.path.dirname(sys.executable), "quotasim")
    assert os.path.isfile(launcher)
    env = {k: v for k, v in os.environ.items() if k != "QUOTASIM_BIN"}
    # The binary on PATH after the launcher: it is found and runs.
    env["PATH"] = os.pathsep.join([os.path.dirname(launcher), os.path.dirname(cli), "/usr/bin", "/bin"])
    found = subprocess.run([launcher, "--version"], env=env, capture_output=True, text=True)
    direct = subprocess.run([cli, "--version"], capture_output=True, text=True)
    assert found.returncode == 0 and found.stdout == direct.stdout
    # None anywhere: it says how to get it, and fails.
    env["PATH"] = os.pathsep.join([os.path.dirname(launcher), "/usr/bin", "/bin"])
    missing = subprocess.run([launcher, "scenario", "show"], env=env, capture_output=True, text=True)
    assert missing.returncode == 1 and "cargo install --locked --path crates/quotasim-cli" in missing.stderr


def test_one_change_gives_one_summary_from_the_command_run_compare_and_ema(cli, tmp_path):
    ema = _ema_or_skip()
    import quotasim.ema

    change = {"quota.per_office_per_day": 60, "capacity.agencies.hsi.agents": 1500}
    # The command takes the change as an overlay file that holds the two values.
    overlay = tmp_path / "change.toml"
    overlay.write_text(
        f'base = "{ROOT / "scenarios" / "quota-2026.toml"}"\nhold = ["quota.per_office_per_day", "capacity.agencies.hsi.agents"]\n'
        "[quota]\nper_office_per_day = 60\n[capacity.agencies.hsi]\nagents = 1500\n"
    )
    out = tmp_path / "o"
    subprocess.run([cli, "run", str(overlay), "--days", "20", "--seed", "6", "--quiet", "--out", str(out)], check=True, capture_output=True)
    from_cli = json.loads((out / "summary.json").read_text())["arrests_per_day_mean"]
    from_run = quotasim.run(None, days=20, seed=6, set=change).summary["arrests_per_day_mean"]
    diff = quotasim.compare(None, None, reps=1, days=20, seed=6, set=change).set_index("key")
    assert from_cli == from_run == diff.loc["arrests_per_day_mean", "b"] == diff.loc["arrests_per_day_mean", "a"]
    model = quotasim.ema.model(vary={"capacity.agencies.hsi.agents": (1500, 1500)}, outcomes=["arrests_per_day_mean"], days=20, seed=6)
    model.constants = [ema.Constant("quota__per_office_per_day", 60)]
    with ema.SequentialEvaluator(model) as evaluator:
        _, outcomes = evaluator.perform_experiments(scenarios=1)
    assert outcomes["arrests_per_day_mean"][0] == from_run
    # set= on the model holds a path in every experiment, as run's set= does.
    held = quotasim.ema.model(vary={"capacity.agencies.hsi.agents": (1500, 1500)}, outcomes=["arrests_per_day_mean"], days=20, seed=6, set={"quota.per_office_per_day": 60})
    with ema.SequentialEvaluator(held) as evaluator:
        _, outcomes = evaluator.perform_experiments(scenarios=1)
    assert outcomes["arrests_per_day_mean"][0] == from_run
    with pytest.raises(quotasim.ScenarioError) as err:
        quotasim.ema.model(vary={"capacity.agencies.hsi.agents": (0, 10)}, outcomes=["arrests_by_office"], days=2)
    assert err.value.key == "arrests_by_office"  # a map, not a scalar: refused when made


def test_a_choice_is_held_with_set_as_its_overlay_holds_it():
    by_set = quotasim.run(None, days=30, seed=2, set={"detention.over_capacity": "hold"})
    by_dict = quotasim.run({"detention": {"over_capacity": "hold"}, "hold": ["detention.over_capacity"]}, days=30, seed=2)
    assert by_set.summary["arrests_per_day_mean"] == by_dict.summary["arrests_per_day_mean"]
    assert 'over_capacity = "hold"' in by_set.scenario_text
    diff = quotasim.compare(None, None, reps=1, days=30, seed=2, set={"detention.over_capacity": "hold"}).set_index("key")
    assert diff.loc["arrests_per_day_mean", "b"] == by_set.summary["arrests_per_day_mean"]
    with pytest.raises(quotasim.ScenarioError) as err:
        quotasim.run(None, days=3, set={"detention.over_capacity": "keep"})
    assert err.value.key == "detention.over_capacity"
    with pytest.raises(quotasim.ScenarioError) as err:
        quotasim.run(None, days=3, set={"quota.per_office_per_day": "many"})
    assert err.value.key == "quota.per_office_per_day"


def test_bands_switch_each_source_as_the_commands_and_an_unknown_one_is_refused(cli, tmp_path):
    # Costs alone: the replications share their chance, so they arrest alike and
    # differ only in what they cost.
    costs = quotasim.run(None, days=20, reps=3, seed=2, daily=None, bands=["costs"])
    assert costs.summary["bands_carry"] == "unit costs"
    assert costs.reps["arrests_total"].nunique() == 1
    assert costs.reps["cost_per_year"].nunique() == 3
    chance = quotasim.run(None, days=20, reps=3, seed=2, daily=None, bands="chance")
    assert chance.summary["bands_carry"] == "chance"
    assert chance.reps["arrests_total"].nunique() == 3
    # The command's --bands gives the same summary.
    subprocess.run([cli, "run", "--days", "20", "--reps", "3", "--seed", "2", "--bands", "costs",
                    "--daily", "none", "--quiet", "--out", str(tmp_path / "c")], check=True)
    with open(tmp_path / "c" / "summary.json") as f:
        assert json.load(f) == costs.summary
    with pytest.raises(quotasim.ScenarioError, match=r"bands: band source \"cost\": must be among chance, costs, assumptions, model-error, all, none"):
        quotasim.run(None, days=5, bands="chance,cost")
    with pytest.raises(quotasim.ScenarioError, match="bands = 3"):
        quotasim.run(None, days=5, bands=3)  # type: ignore[arg-type]
