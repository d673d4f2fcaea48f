"""quotasim as an EMA Workbench model (``pip install "./python[ema]"``).

>>> from ema_workbench import perform_experiments
>>> model = quotasim.ema.model(vary={"quota.per_office_per_day": (25, 200)},
...                            outcomes=["share_other", "arrests_per_day_mean"], days=120)
>>> experiments, outcomes = perform_experiments(model, 16)

Each uncertainty is a dotted parameter path with its bounds; a whole-number parameter
(a count, in the parameter registry) becomes an ``IntegerParameter``. EMA names them with
the dots replaced by ``__`` (EMA names must be identifiers). Every experiment runs the
scenario with those values held for the whole run (as ``quotasim.run(set=...)``) and
returns the named summary keys (with ``reps`` > 1, their means over replications).

Levers (``Policy``) and ``Constant``s are parameters too, named the same way
(``quota__per_office_per_day``): each value EMA passes is held like an uncertainty's,
and a name that is no parameter of the scenario is an error, never ignored. The
parameter paths and the outcomes are checked when the model is made (an outcome that
is not a summary key is refused there, with the keys it could be). The model pickles,
and a run may be followed by a fork, so EMA's ``MultiprocessingEvaluator`` works as
well as the sequential one.
"""

from __future__ import annotations

from typing import Any, Dict, Mapping, Optional, Sequence

import json

from . import ScenarioError, ScenarioLike, Vary, _quotasim, _whole, run

__all__ = ["model"]


def _ema_name(path: str) -> str:
    return path.replace(".", "__")


class _Experiment:
    """The model's function: picklable, so process pools can carry it."""

    def __init__(self, scenario, paths, outcomes, reps, days, seed, fixed=None):
        self.scenario = scenario
        self.paths = dict(paths)  # EMA name -> dotted path
        self.outcomes = list(outcomes)
        self.reps, self.days, self.seed = reps, days, seed
        self.fixed = dict(fixed or {})  # set=: held in every experiment

    def __call__(self, **values: Any) -> Dict[str, Any]:
        # Uncertainties, levers and constants alike: every value EMA passes is held
        # (an unknown path is refused by run's set=, never dropped).
        held = dict(self.fixed)
        held.update({self.paths.get(k, k.replace("__", ".")): v for k, v in values.items()})
        r = run(self.scenario, seed=self.seed, days=self.days, reps=self.reps, set=held, daily=None)
        return {k: r.summary.get(k) for k in self.outcomes}


def model(
    vary: Vary,
    outcomes: Sequence[str],
    scenario: Optional[ScenarioLike] = None,
    reps: int = 1,
    days: Optional[int] = None,
    seed: Optional[int] = None,
    name: str = "quotasim",
    set: Optional[Mapping[str, Any]] = None,
) -> Any:
    """An EMA Workbench ``Model`` over ``vary`` (dotted path -> (lo, hi)) returning the
    summary keys ``outcomes`` as ``ScalarOutcome``s. ``set=`` holds further paths at one
    value in every experiment, as :func:`quotasim.run`'s ``set=`` (checked here)."""
    from ema_workbench import IntegerParameter, Model, RealParameter, ScalarOutcome

    reps, days, seed = _whole("reps", reps), _whole("days", days), _whole("seed", seed)
    if not vary:
        raise ScenarioError("error: vary: name at least one parameter to vary")
    # Which parameters count whole units: the registry's kinds.
    by_path = {p["path"]: p for p in json.loads(_quotasim.parameters_json("toml", "scenarios/quota-2026.toml", _quotasim.default_scenario_toml()))}
    uncertainties = []
    unknown = [p for p in vary if p not in by_path]
    if unknown:
        raise ScenarioError(
            f"error: vary {unknown[0]}: not a parameter of the scenario (quotasim.parameters() lists them)",
            key=unknown[0],
        )
    # Outcomes are summary keys: checked on a one-day run of the scenario (with set=,
    # which checks its paths and values too).
    keys = run(scenario, days=1, seed=seed, daily=None, set=set).summary
    wrong = [k for k in outcomes if not isinstance(keys.get(k, ""), (int, float)) or isinstance(keys.get(k), bool)]
    if wrong:
        near = [k for k in keys if wrong[0].split("_")[0] in k][:6]
        raise ScenarioError(
            f"error: outcomes {wrong[0]!r}: not a numeric summary key (docs/outputs.md lists them; near it: {', '.join(near)})",
            key=wrong[0],
        )
    for path, spec in vary.items():
        if len(spec) < 2:
            raise ScenarioError(f"error: vary {path}: expected (lo, hi), got {spec!r}", key=path)
        lo, hi = spec[0], spec[1]
        kind = by_path.get(path, {}).get("kind")
        if kind == "count":
            uncertainties.append(IntegerParameter(_ema_name(path), int(lo), int(hi)))
        else:
            uncertainties.append(RealParameter(_ema_name(path), float(lo), float(hi)))
    m = Model(name, function=_Experiment(scenario, {_ema_name(p): p for p in vary}, outcomes, reps, days, seed, set))
    m.uncertainties = uncertainties
    m.outcomes = [ScalarOutcome(k) for k in outcomes]
    return m
