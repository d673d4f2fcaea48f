"""quotasim as an EMA Workbench model (``pip install "./python[ema]"``).

>>> from ema_workbench import perform_experiments
>>> model = quotasim.ema.model(vary={"quota.per_office_per_day": (25, 200)},
...                            outcomes=["share_other", "arrests_per_day_mean"], days=120)
>>> experiments, outcomes = perform_experiments(model, 16)

Each uncertainty is a dotted parameter path with its bounds; a whole-number parameter
(a count, in the parameter registry) becomes an ``IntegerParameter``. EMA names them with
the dots replaced by ``__`` (EMA names must be identifiers). Every experiment runs the
scenario with those values held for the whole run (as ``quotasim.run(set=...)``) and
returns the named summary keys (with ``reps`` > 1, their means over replications). The
model pickles, and a run may be followed by a fork, so EMA's
``MultiprocessingEvaluator`` works as well as the sequential one.
"""

from __future__ import annotations

from typing import Any, Dict, Optional, Sequence

import json

from . import ScenarioError, ScenarioLike, Vary, _quotasim, _whole, run

__all__ = ["model"]


def _ema_name(path: str) -> str:
    return path.replace(".", "__")


class _Experiment:
    """The model's function: picklable, so process pools can carry it."""

    def __init__(self, scenario, paths, outcomes, reps, days, seed):
        self.scenario = scenario
        self.paths = dict(paths)  # EMA name -> dotted path
        self.outcomes = list(outcomes)
        self.reps, self.days, self.seed = reps, days, seed

    def __call__(self, **values: Any) -> Dict[str, Any]:
        held = {self.paths[k]: v for k, v in values.items() if k in self.paths}
        r = run(self.scenario, seed=self.seed, days=self.days, reps=self.reps, set=held)
        return {k: r.summary.get(k) for k in self.outcomes}


def model(
    vary: Vary,
    outcomes: Sequence[str],
    scenario: Optional[ScenarioLike] = None,
    reps: int = 1,
    days: Optional[int] = None,
    seed: Optional[int] = None,
    name: str = "quotasim",
):
    """An EMA Workbench ``Model`` over ``vary`` (dotted path -> (lo, hi)) returning the
    summary keys ``outcomes`` as ``ScalarOutcome``s."""
    from ema_workbench import IntegerParameter, Model, RealParameter, ScalarOutcome

    reps, days, seed = _whole("reps", reps), _whole("days", days), _whole("seed", seed)
    if not vary:
        raise ScenarioError("error: vary: name at least one parameter to vary")
    # Which parameters count whole units: the registry's kinds.
    by_path = {p["path"]: p for p in json.loads(_quotasim.parameters_json("toml", "scenarios/quota-2026.toml", _quotasim.default_scenario_toml()))}
    uncertainties = []
    for path, spec in vary.items():
        if len(spec) < 2:
            raise ScenarioError(f"error: vary {path}: expected (lo, hi), got {spec!r}", key=path)
        lo, hi = spec[0], spec[1]
        kind = by_path.get(path, {}).get("kind")
        if kind == "count":
            uncertainties.append(IntegerParameter(_ema_name(path), int(lo), int(hi)))
        else:
            uncertainties.append(RealParameter(_ema_name(path), float(lo), float(hi)))
    m = Model(name, function=_Experiment(scenario, {_ema_name(p): p for p in vary}, outcomes, reps, days, seed))
    m.uncertainties = uncertainties
    m.outcomes = [ScalarOutcome(k) for k in outcomes]
    return m
