"""Every public function of quotasim, called as an analyst would, for `mypy --strict`
(test_api.py's typing test): a name missing from the stubs, or a stub that disagrees
with how the package is used, fails it. Not run, only type-checked."""

from __future__ import annotations

from typing import Any, Dict, List

import pandas as pd

import quotasim
import quotasim.ema
import quotasim.ray


def use() -> List[object]:
    seen: List[object] = []
    scenario: Dict[str, Any] = quotasim.default_scenario()
    seen.append(quotasim.load_scenario("scenarios/quota-2026.toml"))
    text: str = quotasim.scenario_text({"quota": {"per_office_per_day": 50}, "hold": ["quota"]})
    params: pd.DataFrame = quotasim.parameters(scenario)
    r = quotasim.run(None, seed=1, days=30, reps=2, set={"quota.ranking": True}, progress=True, daily="national")
    seen += [text, params, r.summary["arrests_per_day_mean"], r.national, r.reps, r.provenance]
    seen += [r.seed + 1, r.version.upper(), r.fingerprint, r.scenario_text]
    r.to_parquet("out")
    seen += [r.to_xarray(), r.to_arrow(), r.daily]
    diff: pd.DataFrame = quotasim.compare(None, {"quota": {"national_per_day": 0}, "hold": ["quota"]}, reps=2, set={"detention.beds": 50_000})
    scored: quotasim.Backtest = quotasim.backtest("a.toml", "observed.toml", reps=2, days=377, progress=True)
    seen += [scored.scores, scored.verdict.upper(), scored.sum_of_squares + 1.0, scored.sum_of_squares_se]
    grid: pd.DataFrame = quotasim.sweep(None, vary={"quota.per_office_per_day": (25, 150, 3)}, out="sweep", progress=lambda d, n: None)
    problem: Dict[str, Any] = quotasim.salib_problem({"manager.hour_value": (0.005, 0.2)})
    points: pd.DataFrame = quotasim.evaluate(None, ["manager.hour_value"], [[0.01], [0.1]])
    shares: pd.DataFrame = quotasim.attribute(None, reps=1, metrics=["arrests_per_day_mean"])
    plan: Dict[str, Any] = quotasim.solve(None, "removals_per_year>=400000", {"removal.flights_per_day": (7.0, 60.0)})
    fit: quotasim.Calibration = quotasim.calibrate(None, "scenarios/targets-2025.toml", progress=True)
    fit.write("fit")
    seen += [diff, grid, problem, points, shares, plan, fit.report]
    ray_grid: pd.DataFrame = quotasim.ray.sweep(None, vary={"quota.per_office_per_day": (25, 150, 3)}, out="sweep")
    model = quotasim.ema.model(vary={"quota.per_office_per_day": (25, 200)}, outcomes=["share_other"])
    seen += [ray_grid, model]
    try:
        quotasim.run({"quota": {"per_ofice_per_day": 1}})
    except quotasim.ScenarioError as e:
        seen += [e.path, e.line, e.key]
    return seen
