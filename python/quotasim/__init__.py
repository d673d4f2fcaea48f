"""quotasim: simulation and analysis of quota-driven immigration enforcement.

The engine is the Rust library of this repository; this package calls it natively and
releases the GIL while the model runs. A scenario may be given as a dict (as returned
by :func:`default_scenario` or :func:`load_scenario`), as TOML text, or as a path to a
TOML file. Errors in a scenario raise :class:`ScenarioError` with the same located
message as the ``quotasim`` command.

The population is synthetic, drawn from published aggregates: quotasim never reads,
stores or emits a real person's record.
"""

from __future__ import annotations

import json
import operator
import os
import sys
from pathlib import Path
from typing import Any, Dict, Mapping, Optional, Sequence, Tuple, Union

import pandas as pd

from . import _quotasim
from ._errors import ScenarioError

__all__ = [
    "ScenarioError",
    "Result",
    "default_scenario",
    "solve",
    "load_scenario",
    "run",
    "sweep",
    "evaluate",
    "parameters",
    "compare",
    "backtest",
    "Backtest",
    "attribute",
    "scenario_text",
    "salib_problem",
    "calibrate",
    "Calibration",
]

__version__: str = _quotasim.__version__

ScenarioLike = Union[Mapping[str, Any], str, "os.PathLike[str]"]
Vary = Mapping[str, Sequence[float]]


def default_scenario() -> Dict[str, Any]:
    """The default scenario (``scenarios/quota-2026.toml``, as ``quotasim run`` with no file) as a dict."""
    return json.loads(_quotasim.default_scenario_json())


_MAX_SCENARIO_BYTES = 1 << 20
"""Largest scenario file read (bytes), as for the command."""


def _read(path: Union[str, "os.PathLike[str]"], kind: str = "scenario") -> str:
    """The text of a ``kind`` file (a scenario, targets, grouping, observations or fit
    file); a missing, unreadable or non-UTF-8 file is a ScenarioError naming it."""
    shown = str(path)
    p = Path(path)
    if not p.is_file():
        if p.is_dir():
            what = f"is a folder; a {kind} file is a TOML file"
        elif p.exists():
            what = f"is not a regular file (a device, pipe or socket); a {kind} file is a TOML file"
        else:
            what = f"no such {kind} file"
        raise ScenarioError(f"error: {shown}: {what}", path=shown)
    try:
        with p.open("rb") as f:
            data = f.read(_MAX_SCENARIO_BYTES + 1)
        if len(data) > _MAX_SCENARIO_BYTES:
            raise ScenarioError(
                f"error: {shown}: over {_MAX_SCENARIO_BYTES} bytes; a {kind} file is at most 1 MiB", path=shown
            )
    except OSError as e:
        raise ScenarioError(f"error: {shown}: cannot read the {kind} file: {e.strerror}", path=shown) from None
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as e:
        line = data[: e.start].count(b"\n") + 1
        raise ScenarioError(
            f"error: {shown}:{line}\n       the file is not UTF-8 text (invalid byte at offset {e.start}); save it as UTF-8",
            path=shown,
            line=line,
        ) from None


# The bounds of the whole-number arguments, as the command's.
_LIMITS = {"reps": (1, 10_000), "days": (1, 3_650), "seed": (0, 2**63 - 1), "samples": (1, 1_000_000)}


def _whole(name: str, value: Any) -> Optional[int]:
    """Checks a whole-number argument (None passes): an int, or a NumPy integer, within
    its bounds; anything else is a ScenarioError naming it."""
    if value is None:
        return None
    lo, hi = _LIMITS[name]
    if isinstance(value, bool):
        # True is an int to Python; as a count or a seed it is a mistake.
        raise ScenarioError(
            f"error: {name} = {value!r}: a whole number in [{lo}, {hi}] is required, not a boolean", key=name
        )
    try:
        v = operator.index(value)
    except TypeError:
        raise ScenarioError(
            f"error: {name} = {value!r}: a whole number in [{lo}, {hi}] is required", key=name
        ) from None
    if not lo <= v <= hi:
        raise ScenarioError(f"error: {name} = {v}: must lie in [{lo}, {hi}]", key=name)
    return v


def load_scenario(path: Union[str, "os.PathLike[str]"]) -> Dict[str, Any]:
    """Reads and checks a scenario file; returns it as a dict.

    Raises :class:`ScenarioError` (file, line, key, what is allowed) if it is not valid.
    """
    return json.loads(_quotasim.scenario_json("toml", str(path), _read(path)))


def _source(scenario: ScenarioLike) -> Tuple[str, str, str]:
    """(kind, origin, text) of a scenario given as a dict, a path or TOML text."""
    if scenario is None:
        return ("toml", "scenarios/quota-2026.toml", _quotasim.default_scenario_toml())
    if isinstance(scenario, Mapping):
        # An overlay of its `base`, or of the built-in default: a partial dict holds
        # only what differs. Converted natively, so NaN and NumPy values survive to
        # be checked, and errors name the dotted key.
        return ("toml", "<dict>", _quotasim.dict_toml(dict(scenario)))
    if isinstance(scenario, os.PathLike):
        return ("toml", str(scenario), _read(scenario))
    if isinstance(scenario, str):
        # A path, even one with `=` in its name, where such a file exists; else text
        # with a line break or an `=` is TOML, and the rest a path (missing: an error).
        if "\n" not in scenario and (os.path.exists(scenario) or "=" not in scenario):
            return ("toml", scenario, _read(scenario))
        return ("toml", "<string>", scenario)
    raise ScenarioError(
        f"error: scenario = {scenario!r}: a scenario is a dict, TOML text or a path, not {type(scenario).__name__}",
        key="scenario",
    )


def parameters(scenario: Optional[ScenarioLike] = None) -> pd.DataFrame:
    """Every parameter, from the model's registry, with its value in a scenario.

    Args:
        scenario: a dict, TOML text or a path; None for the built-in default.

    Returns:
        One row per parameter: ``path``, ``kind``, ``unit``, ``range`` (as text),
        ``min``, ``max``, ``value`` (at the start of the run, typed: a switch a bool,
        a count an int, a date, choice or text a str, the rest floats),
        ``value_text`` (as TOML writes it), ``meaning`` and ``in_events`` (False: it
        describes the start of the run).
        The same table as ``quotasim scenario params`` and docs/parameters.md.
    """
    kind, origin, text = _source(scenario)
    rows = json.loads(_quotasim.parameters_json(kind, origin, text))
    columns = ["path", "kind", "unit", "range", "min", "max", "value", "value_text", "meaning", "in_events"]
    for row in rows:
        row["value_text"] = row["value"]
        row["value"] = _typed(row["kind"], row["value"])
    return pd.DataFrame(rows)[columns]


def _typed(kind: str, text: str) -> Any:
    """A parameter's value as TOML writes it, as the Python value of its kind: a switch
    a bool, a count an int, a date or a choice or text a str, any other a float."""
    if kind == "switch":
        return text == "true"
    if kind in ("text", "date", "choice"):
        return text
    try:
        return int(text) if kind == "count" else float(text)
    except ValueError:
        return text


class Calibration:
    """The result of :func:`calibrate`: the texts ``quotasim calibrate`` writes.

    Attributes:
        fit_toml: fit.toml (for ``run --posterior`` and :func:`run` of the fitted file).
        fitted_toml: the scenario with the fitted values written in, comments kept.
        report: fit-report.md (targets, model values, parameters and what is identified).
    """

    def __init__(self, fit_toml: str, fitted_toml: str, report: str):
        self.fit_toml, self.fitted_toml, self.report = fit_toml, fitted_toml, report

    def write(self, folder: Union[str, "os.PathLike[str]"]) -> None:
        """Writes fit.toml, fitted.toml and fit-report.md into ``folder``."""
        os.makedirs(folder, exist_ok=True)
        for name, text in (("fit.toml", self.fit_toml), ("fitted.toml", self.fitted_toml), ("fit-report.md", self.report)):
            Path(folder, name).write_text(text, encoding="utf-8")

    def __repr__(self) -> str:
        first = self.report.splitlines()[0] if self.report else ""
        return f"Calibration({first!r})"


def calibrate(scenario: Optional[ScenarioLike], targets: Union[str, "os.PathLike[str]"], progress: Any = None) -> Calibration:
    """Fits a scenario's free parameters to a targets file, as ``quotasim calibrate``
    does (docs/calibration.md).

    Args:
        scenario: a dict, TOML text or a path; None for the built-in default.
        targets: a targets file (path) or its TOML text. Its ``calibration.observed``,
            if any, names an observations file relative to the targets file (to the
            working folder when the targets are text); it is read here.
        progress: True for a progress line (tqdm where installed), or a callable
            called as ``progress(evaluations, best_objective)``.

    Ctrl-C asks the search to stop and raises KeyboardInterrupt.
    """
    kind, origin, text = _source(scenario)
    if isinstance(targets, os.PathLike) or (isinstance(targets, str) and "\n" not in targets and "=" not in targets):
        t_origin, t_text = str(targets), _read(targets, "targets")
        t_dir = os.path.dirname(os.fspath(targets))
    else:
        t_origin, t_text = "<targets>", str(targets)
        t_dir = ""
    observed = None
    try:
        import tomllib

        named = tomllib.loads(t_text).get("calibration", {}).get("observed")
    except Exception:  # the native parser reports a bad file with its line
        named = None
    if isinstance(named, str):
        o_path = os.path.join(t_dir, named)
        observed = (o_path, _read(o_path, "observations"))
    call = progress if callable(progress) else None
    bar = None
    if progress is True:
        try:
            from tqdm.auto import tqdm

            bar = tqdm(unit="evaluation")
            call = lambda n, best: (bar.update(n - bar.n), bar.set_postfix(best=f"{best:.3f}"))  # noqa: E731
        except ImportError:
            call = lambda n, best: print(f"quotasim: evaluation {n}, best objective {best:.3f}", file=sys.stderr)  # noqa: E731
    try:
        fit, fitted, report = _quotasim.calibrate(kind, origin, text, t_origin, t_text, call, observed)
    finally:
        if bar is not None:
            bar.close()
    return Calibration(fit, fitted, report)


def solve(
    scenario: Optional[ScenarioLike],
    target: str,
    levers: Dict[str, Any],
    days: Optional[int] = None,
    reps: int = 1,
    seed: Optional[int] = None,
    progress: Any = None,
) -> Dict[str, Any]:
    """What it would take: the least-cost levers that meet a target, as ``quotasim
    solve`` finds them (docs/costs.md, "Solve").

    Args:
        scenario: a dict, TOML text or a path; None for the default.
        target: ``"KEY>=VALUE"`` or ``"KEY<=VALUE"`` on a summary key, such as
            ``"removals_per_year>=1000000"``, or on a statistic of the daily series
            over a window of the run, ``"METRIC[FROM..TO]>=VALUE"``, such as
            ``"removals_per_day[2027-10-01..2028-09-30]>=2740"`` (as the command's).
        levers: dotted path -> (lo, hi), such as ``{"removal.flights_per_day": (7, 60)}``.
        days, reps, seed: the horizon, the common seeds per evaluation, the seed.
        progress: True for a progress bar (tqdm where installed), or a callable called as
            ``progress(evaluations, at_most)``.

    Returns the solution (solve.json's content) as a dict; ``"path"`` lists every
    setting evaluated, with the lever raised at each step (the binding resource).
    Ctrl-C stops the search and raises KeyboardInterrupt.
    """
    kind, origin, text = _source(scenario)
    reps, seed, days = _whole("reps", reps), _whole("seed", seed), _whole("days", days)
    specs = []
    for path, spec in levers.items():
        try:
            lo, hi = (float(x) for x in spec)
        except (TypeError, ValueError):
            raise ScenarioError(f"error: levers {path}: expected (lo, hi) numbers, got {spec!r}", key=path) from None
        specs.append(f"{path}={lo!r}..{hi!r}")
    bar = _Progress(progress, 0, what="evaluations")
    try:
        out = _quotasim.solve(kind, origin, text, target, specs, days, reps, seed, bar)
    finally:
        bar.close()
    return json.loads(out)


def salib_problem(vary: Vary) -> Dict[str, Any]:
    """A SALib problem over ``vary`` (dotted path -> (lo, hi)): ``num_vars``, ``names``
    (the dotted paths) and ``bounds``, ready for ``SALib.sample``; evaluate its samples
    with :func:`evaluate` (``paths=problem["names"]``)."""
    if not vary:
        raise ScenarioError("error: vary: name at least one parameter to vary")
    names, bounds = [], []
    for path, spec in vary.items():
        if len(spec) < 2 or not float(spec[0]) <= float(spec[1]):
            raise ScenarioError(f"error: vary {path}: expected (lo, hi) with lo <= hi, got {spec!r}", key=path)
        names.append(path)
        bounds.append([float(spec[0]), float(spec[1])])
    return {"num_vars": len(names), "names": names, "bounds": bounds}


def compare(
    a: Optional[ScenarioLike],
    b: Optional[ScenarioLike],
    reps: int = 10,
    seed: Optional[int] = None,
    days: Optional[int] = None,
    set: Optional[Mapping[str, float]] = None,
    progress: Any = None,
) -> pd.DataFrame:
    """Runs two scenarios with the same seeds and gives B - A for every summary key,
    paired by replication, as ``quotasim compare`` does (its compare.csv).

    Args:
        a: the baseline; b: the reform (dicts, TOML text or paths). To change B alone,
            give it as a dict (with ``"hold": [...]`` where the base's events set the
            value again).
        reps: replications of each, with the same seeds.
        seed: seed of the runs; None for A's ``run.seed``.
        days: days to simulate (default: each scenario's).
        set: dotted parameter paths and values written into both A and B and held
            for the whole run, as :func:`run`'s ``set=``.
        progress: True for a progress bar, or a callable called as
            ``progress(done_runs, 2 * reps)``. Ctrl-C stops between windows of
            replications (KeyboardInterrupt).

    Returns:
        One row per numeric summary key: ``key``, ``a`` and ``b`` (the means),
        ``diff`` (the mean of B - A over replications), ``p05`` and ``p95``.
    """
    reps, seed, days = _whole("reps", reps), _whole("seed", seed), _whole("days", days)
    bar = _Progress(progress, 2 * reps, what="runs")
    try:
        rows = json.loads(
            _quotasim.compare(_held_text(_source(a), set), _held_text(_source(b), set), seed, days, reps, _fixed(set), bar)
        )
    finally:
        bar.close()
    return pd.DataFrame(rows, columns=["key", "a", "b", "diff", "p05", "p95"])


class Backtest:
    """A backtest's result (:func:`backtest`): ``scores``, one row per published figure
    the run covers (``metric``, ``window``, ``observed``, ``sd``, ``model_mean``,
    ``model_p05``, ``model_p95``, ``z``, ``inside``, ``source``), the ``verdict`` as
    ``quotasim backtest`` prints it, and ``sum_of_squares`` (the sum of squared z) with
    its Monte Carlo error ``sum_of_squares_se`` (None for one replication)."""

    def __init__(self, scores: pd.DataFrame, verdict: str, sum_of_squares: float, sum_of_squares_se: Optional[float]):
        self.scores = scores
        self.verdict = verdict
        self.sum_of_squares = sum_of_squares
        self.sum_of_squares_se = sum_of_squares_se

    def __repr__(self) -> str:
        se = "" if self.sum_of_squares_se is None else f" ± {self.sum_of_squares_se:.1f}"
        return f"<quotasim.Backtest: {len(self.scores)} figures, sum of squared z {self.sum_of_squares:.1f}{se}>"


_SCORE_COLUMNS = ["metric", "window", "observed", "sd", "model_mean", "model_p05", "model_p95", "z", "inside", "source"]


def backtest(
    scenario: Optional[ScenarioLike],
    observed: Union[str, "os.PathLike[str]"],
    reps: int = 10,
    seed: Optional[int] = None,
    days: Optional[int] = None,
    set: Optional[Mapping[str, float]] = None,
    progress: Any = None,
) -> Backtest:
    """Scores a scenario's replications against published figures, as ``quotasim
    backtest`` does (docs/calibration.md, "Backtest"): each figure's z, the counts
    within one and two stated sd, the sum of squared z with its Monte Carlo error, and
    what a model that were right would score.

    Args:
        scenario: a dict, TOML text or a path; None for the built-in default.
        observed: an observations file (path); every window must lie within the run
            (``days=377`` runs the 2025 scenarios to 2026-01-31).
        reps: replications; seed, days and set as for :func:`run`.
        progress: True for a progress bar, or a callable called as
            ``progress(done_runs, reps)``. Ctrl-C stops between windows of
            replications (KeyboardInterrupt).
    """
    reps, seed, days = _whole("reps", reps), _whole("seed", seed), _whole("days", days)
    o_text = _read(observed, "observations")
    bar = _Progress(progress, reps, what="runs")
    try:
        out = json.loads(
            _quotasim.backtest(_held_text(_source(scenario), set), (str(observed), o_text), seed, days, reps, _fixed(set), bar)
        )
    finally:
        bar.close()
    scores = pd.DataFrame(out["scores"], columns=_SCORE_COLUMNS)
    return Backtest(scores, out["verdict"], out["sum_of_squares"], out["sum_of_squares_se"])


def attribute(
    scenario: Optional[ScenarioLike] = None,
    groups: Optional[Union[str, "os.PathLike[str]"]] = None,
    reps: int = 4,
    seed: Optional[int] = None,
    days: Optional[int] = None,
    metrics: Optional[Sequence[str]] = None,
    posterior: Optional[Union[str, "os.PathLike[str]"]] = None,
) -> pd.DataFrame:
    """What each group of a scenario's events did: exact Shapley values over every
    subset of groups switched on, each run with the same seeds, as ``quotasim
    attribute`` does (docs/attribution.md). With k groups it runs 2^k scenarios a
    replication (the shipped grouping: 8 groups, 256).

    Args:
        scenario: a dict, TOML text or a path; None for the built-in default.
        groups: a grouping file (a path, or TOML text with ``[[group]]`` tables); None
            for the shipped one, ``scenarios/groups-2025-26.toml``.
        reps: replications (each 2^k runs); the contributions are banded over them.
        seed: seed of the runs; None for the scenario's ``run.seed``.
        days: days to simulate (default: the scenario's).
        metrics: summary keys to attribute; None for the headline keys.
        posterior: a calibration's ``fit.toml`` (a path): each replication runs its own
            draw of the fitted parameters from the fit's posterior, the same draw in
            every subset, so ``p05`` and ``p95`` carry the fit's uncertainty as well as
            chance and unit costs (``quotasim attribute --posterior``).

    Returns:
        One row per metric and group: ``metric``, ``group``, ``label``,
        ``contribution`` (the mean), ``p05``, ``p95``, ``share_of_change`` (the mean
        contribution over the mean change) with ``share_of_change_p05`` and
        ``share_of_change_p95`` (5-95 % of the share in each replication),
        ``total_change`` (the scenario's value less the counterfactual's, to which the
        contributions add up), ``counterfactual`` and ``scenario``.
    """
    reps, seed, days = _whole("reps", reps), _whole("seed", seed), _whole("days", days)
    grouping = None
    if groups is not None:
        if isinstance(groups, os.PathLike) or (isinstance(groups, str) and "\n" not in groups and "=" not in groups):
            grouping = (str(groups), _read(groups, "grouping"))
        else:
            grouping = ("<groups>", str(groups))
    fit = None if posterior is None else (str(posterior), _read(posterior, "fit"))
    rows = json.loads(
        _quotasim.attribute(_source(scenario), grouping, seed, days, reps, list(metrics or []), fit)
    )
    return pd.DataFrame(
        rows,
        columns=[
            "metric", "group", "label", "contribution", "p05", "p95",
            "share_of_change", "share_of_change_p05", "share_of_change_p95",
            "total_change", "counterfactual", "scenario",
        ],
    )


def _frame(cols: Mapping[str, Tuple[str, Any, Any, str]], provenance: Optional[Mapping[str, Any]] = None) -> pd.DataFrame:
    """A DataFrame from the native module's typed columns (name -> (kind, buffer,
    categories, unit)): numbers read in place from their buffers, dates as datetime64,
    the office as a categorical. ``.attrs["units"]`` holds each column's unit and
    ``.attrs["quotasim"]`` the run's provenance."""
    import numpy as np

    data: Dict[str, Any] = {}
    units: Dict[str, str] = {}
    for name, (kind, buf, cats, unit) in cols.items():
        if kind == "i8":
            data[name] = np.frombuffer(buf, dtype="<i8")
        elif kind == "f8":
            data[name] = np.frombuffer(buf, dtype="<f8")
        elif kind == "date":
            data[name] = np.frombuffer(buf, dtype="<i4").astype("datetime64[D]").astype("datetime64[s]")
        elif kind == "category":
            codes = np.frombuffer(buf, dtype="<u4").astype(np.int32)
            data[name] = pd.Categorical.from_codes(codes, categories=list(cats))
        else:
            data[name] = list(buf)
        units[name] = unit
    df = pd.DataFrame(data, copy=False)
    df.attrs["units"] = units
    if provenance:
        df.attrs["quotasim"] = dict(provenance)
    return df


class Result:
    """The result of :func:`run`.

    Attributes:
        summary: the summary, with exactly the keys and values of the command's
            summary.json (with ``reps`` > 1: means, ``_p05`` and ``_p95``).
        daily: one row per replication, office and day (the columns of daily.csv);
            ``date`` is a datetime64 column, ``office`` a categorical one. Kept only
            with ``daily="office"`` (the default).
        national: one row per replication and day: ``rep``, ``date`` and the
            ``national_*`` columns (as national.csv). Kept unless ``daily=None``.
        reps: one row per replication, every numeric summary key (the same columns
            whatever the run; counts are whole numbers).
        version, seed, fingerprint: the quotasim version, the seed, and the
            scenario's fingerprint (``scenario_sha256``) of the run.
        scenario_text: the scenario exactly as run (the command's scenario.toml):
            ``quotasim.run(r.scenario_text, reps=...)`` reproduces the run.

    Every table's ``.attrs["units"]`` maps each column to its unit (docs/outputs.md);
    ``.attrs["quotasim"]`` holds the version, seed, fingerprint, days and replications.
    """

    def __init__(
        self,
        summary: Dict[str, Any],
        daily: Optional[pd.DataFrame],
        national: Optional[pd.DataFrame],
        reps: pd.DataFrame,
        scenario_text: str,
        kept: str = "office",
    ):
        self.summary = summary
        self._daily = daily
        self._national = national
        self.reps = reps
        self.scenario_text = scenario_text
        self.version = str(summary.get("quotasim_version", __version__))
        self.seed = int(summary["seed"])
        self.fingerprint = str(summary.get("scenario_sha256", ""))
        self._kept = kept

    @property
    def provenance(self) -> Dict[str, Any]:
        """Version, seed, fingerprint, days and replications of the run."""
        return {
            "version": self.version,
            "seed": self.seed,
            "scenario_sha256": self.fingerprint,
            "days": self.summary.get("days"),
            "reps": self.summary.get("replications", 1),
        }

    def _missing(self, what: str) -> ScenarioError:
        return ScenarioError(
            f"error: daily: this run kept {self._kept!r} daily tables, not the {what} one; "
            f"run with daily=\"office\" (both) or daily=\"national\" to keep it",
            key="daily",
        )

    @property
    def daily(self) -> pd.DataFrame:
        """The office table (see the class); a ScenarioError if the run did not keep it."""
        if self._daily is None:
            raise self._missing("office")
        return self._daily

    @property
    def national(self) -> pd.DataFrame:
        """The national table (see the class); a ScenarioError if the run did not keep it."""
        if self._national is None:
            raise self._missing("national")
        return self._national

    @property
    def fiscal_years(self) -> pd.DataFrame:
        """The summary's keys by fiscal year as a table: one row per fiscal year the run
        reaches (index ``FY2026`` ...), one column per key ``<name>_by_fiscal_year``
        named ``<name>`` (``days``, ``arrests_per_day``, ``removals`` ...), with
        ``<name>_p05`` and ``<name>_p95`` beside it over several replications; exactly
        the summary's values, bands widened as the summary's are (docs/outputs.md)."""
        suffix = "_by_fiscal_year"
        columns: Dict[str, Any] = {}
        for key, value in self.summary.items():
            for band in ("", "_p05", "_p95"):
                if key.endswith(suffix + band) and isinstance(value, dict):
                    columns[key[: -len(suffix + band)] + band] = pd.Series(value, dtype="float64")
        df = pd.DataFrame(columns)
        df.index.name = "fiscal_year"
        return df

    def to_xarray(self) -> "xarray.Dataset":  # noqa: F821
        """The daily tables as an xarray Dataset (``pip install "./python[xarray]"``):
        each office column a variable over ``rep x date x office``, each national
        column one over ``rep x date``, each with its ``units`` attribute; the summary
        as the Dataset's attributes (its scalar values) and the scenario as run as
        ``scenario_text``. With ``daily="national"``, the national variables alone."""
        import xarray as xr

        parts = []
        if self._daily is not None:
            office_cols = [
                c for c in self._daily.columns if c not in ("rep", "date", "office") and not c.startswith("national_")
            ]
            parts.append(self._daily.set_index(["rep", "date", "office"])[office_cols].to_xarray())
        parts.append(self.national.set_index(["rep", "date"]).to_xarray())
        ds = xr.merge(parts)
        units = {**self.national.attrs.get("units", {}), **(self._daily.attrs.get("units", {}) if self._daily is not None else {})}
        for name in ds.variables:
            if str(name) in units:
                ds[name].attrs["units"] = units[str(name)]
        ds.attrs = {k: v for k, v in self.summary.items() if isinstance(v, (int, float, str))}
        ds.attrs["scenario_text"] = self.scenario_text
        return ds

    def to_parquet(self, folder: Union[str, "os.PathLike[str]"]) -> None:
        """Writes daily.parquet, national.parquet and reps.parquet (those the run kept)
        into ``folder``, with the command's types (``date`` a date, ``office``
        categorical) and its metadata: provenance (version, scenario fingerprint,
        seed, days, reps) and each column's unit (``unit.<column>``); and
        scenario.toml, the scenario as run."""
        import pyarrow as pa
        import pyarrow.parquet as pq

        os.makedirs(folder, exist_ok=True)
        prov = self.provenance
        meta = {
            "quotasim.version": self.version,
            "quotasim.scenario_sha256": self.fingerprint,
            "quotasim.seed": str(self.seed),
            "quotasim.days": str(prov["days"]),
            "quotasim.reps": str(prov["reps"]),
        }
        tables = (("daily", self._daily), ("national", self._national), ("reps", self.reps))
        for name, df in tables:
            if df is None:
                continue
            frame = df.copy()
            if "date" in frame:
                frame["date"] = frame["date"].dt.date
            table = pa.Table.from_pandas(frame, preserve_index=False)
            if "date" in frame:
                i = table.schema.get_field_index("date")
                table = table.set_column(i, "date", table.column("date").cast(pa.date32()))
            units = {f"unit.{c}": u for c, u in df.attrs.get("units", {}).items()}
            table = table.replace_schema_metadata({**(table.schema.metadata or {}), **meta, **units})
            pq.write_table(table, os.path.join(folder, f"{name}.parquet"), compression="zstd")
        Path(folder, "scenario.toml").write_text(self.scenario_text, encoding="utf-8")

    def to_arrow(self) -> "pyarrow.Table":  # noqa: F821
        """The daily table as a pyarrow Table."""
        import pyarrow as pa

        return pa.Table.from_pandas(self.daily, preserve_index=False)

    def __repr__(self) -> str:
        return (
            f"Result(scenario={self.summary.get('scenario')!r}, days={self.summary.get('days')}, "
            f"arrests_per_day_mean={self.summary.get('arrests_per_day_mean')})"
        )


def run(
    scenario: Optional[ScenarioLike] = None,
    seed: Optional[int] = None,
    days: Optional[int] = None,
    reps: int = 1,
    set: Optional[Mapping[str, float]] = None,
    progress: Any = None,
    daily: Optional[str] = "office",
    bands: Union[str, Sequence[str]] = "all",
) -> Result:
    """Runs a scenario.

    Args:
        scenario: a dict, TOML text or a path; None for the built-in default.
        seed: seed of the random streams; by default the scenario's ``run.seed``, as
            the command's.
        days: days to simulate (default: the scenario's ``run.days``).
        reps: replications, run in parallel.
        set: dotted parameter paths and values written into the scenario and held
            for the whole run (events that set them lose those settings): numbers,
            True/False for a switch, text for a choice (``"detention.over_capacity":
            "hold"``), as the
            ``quotasim sweep --set`` (or an overlay's ``hold``): ``set={"quota.per_office_per_day": 120}``. A
            whole-number parameter takes no fraction.
        progress: True for a progress bar (tqdm where installed), or a callable
            called as ``progress(done_replications, reps)``. Ctrl-C stops between
            replications with KeyboardInterrupt.
        daily: the daily tables to keep, as the command's ``--daily``: ``"office"``
            (both, the default), ``"national"`` (the nation's alone) or None (neither:
            the summary and the table of replications, in memory that does not grow
            with the replications' days; for large ensembles).
        bands: what an ensemble's 5-95 % bands carry, as the command's ``--bands``:
            ``"all"`` (the default), ``"none"``, or names among ``"chance"``,
            ``"costs"`` (unit costs drawn from their ranges), ``"assumptions"`` (the
            scenario's assumption ranges) and ``"model-error"`` (widened by the model's
            own error, as the published figures of the fit window measure it), as a
            list or comma-separated. ``summary["bands_carry"]`` says what they carried.

    Raises:
        ScenarioError: the scenario is not valid.
    """
    reps, seed, days = _whole("reps", reps), _whole("seed", seed), _whole("days", days)
    kept = "none" if daily is None else daily
    if not isinstance(kept, str):
        raise ScenarioError(f"error: daily = {daily!r}: one of \"office\", \"national\" or None", key="daily")
    if isinstance(bands, str):
        band_list = bands
    elif isinstance(bands, (list, tuple)) and all(isinstance(b, str) for b in bands):
        band_list = ",".join(bands)
    else:
        raise ScenarioError(f"error: bands = {bands!r}: a name or a list of names", key="bands")
    kind, origin, text = _held_text(_source(scenario), set)
    bar = _Progress(progress, reps, what="replications")
    try:
        summary, office, national, reps_cols, as_run = _quotasim.run(
            kind, origin, text, seed, days, reps, _fixed(set), bar, kept, band_list
        )
    finally:
        bar.close()
    summary = json.loads(summary)
    prov = {
        "version": summary.get("quotasim_version", __version__),
        "seed": summary.get("seed"),
        "scenario_sha256": summary.get("scenario_sha256"),
        "days": summary.get("days"),
        "reps": summary.get("replications", 1),
    }
    return Result(
        summary,
        None if office is None else _frame(office, prov),
        None if national is None else _frame(national, prov),
        _frame(reps_cols, prov),
        as_run,
        kept,
    )


def scenario_text(scenario: Optional[ScenarioLike] = None) -> str:
    """A scenario as whole TOML text, as ``quotasim scenario show`` prints it: an
    overlay (a dict is one) merged onto its bases, with comments and sources; checked
    first. Write it to a file to run it with the ``quotasim`` command."""
    return _quotasim.scenario_text(*_source(scenario))


def _ranges(vary: Vary) -> list:
    out = []
    for path, spec in vary.items():
        spec = tuple(spec)
        if len(spec) not in (2, 3):
            raise ScenarioError(
                f"error: vary {path}: expected (lo, hi) or (lo, hi, steps), got {spec!r}"
            )
        steps = int(spec[2]) if len(spec) == 3 else 5
        out.append((path, float(spec[0]), float(spec[1]), steps))
    return out


class _Progress:
    """``progress=``: True for a bar (tqdm where installed, else a line on stderr), a
    callable called as ``progress(done, total)``, or None/False for nothing."""

    def __init__(self, progress: Any, total: int, done: int = 0, what: str = "points"):
        self.call = None
        self.bar = None
        if callable(progress):
            self.call = progress
        elif progress:
            try:
                from tqdm.auto import tqdm

                self.bar = tqdm(total=total, initial=done, unit=what[:-1])
            except ImportError:
                self.call = lambda d, n: print(f"quotasim: {d}/{n} {what}", file=sys.stderr, flush=True)
        self.done, self.total = done, total

    def __call__(self, done: int, total: int) -> None:
        if self.bar is not None:
            if total != self.total:  # a bound that is known only as the work goes
                self.bar.total = total
            self.bar.update(done - self.done)
        elif self.call is not None:
            self.call(done, total)
        self.done, self.total = done, total

    def close(self) -> None:
        if self.bar is not None:
            self.bar.close()


# Points of sweeps interrupted in this process, by request: a re-run with the same
# arguments runs only the rest. At most a few requests are kept. With ``out=`` the
# folder keeps them instead, across processes (quotasim/_folder.py).
_UNFINISHED: Dict[Tuple, Dict[int, pd.DataFrame]] = {}


def _run_points(kind, origin, text, ranges, points, reps, seed, days, fixed, progress, out=None):
    """Runs the points a few at a time, the GIL released for each batch: between batches
    Ctrl-C raises KeyboardInterrupt (what finished is kept for a re-run: in this
    process, or in ``out``) and the progress is reported."""
    from . import _folder

    units: Dict[str, str] = {}
    if out is not None:
        req = _folder.request(kind, origin, text, ranges, points, reps, seed, days, fixed)
        parts, units = _folder.open_folder(out, req)
        done: Dict[int, pd.DataFrame] = {}
        for part in parts:
            for point, rows in part.groupby("point", sort=False):
                done[int(point)] = rows
        key = None
    else:
        key = (kind, origin, text, tuple(map(tuple, ranges)), tuple((i, tuple(v)) for i, v in points), reps, seed, days, tuple(fixed))
        done = _UNFINISHED.setdefault(key, {})
        while len(_UNFINISHED) > 4:
            _UNFINISHED.pop(next(iter(_UNFINISHED)))
    todo = [p for p in points if p[0] not in done]
    bar = _Progress(progress, len(points), len(points) - len(todo))
    batch = max(1, 2 * (os.cpu_count() or 1))
    try:
        for i in range(0, len(todo), batch):
            part = _frame(_quotasim.run_points(kind, origin, text, ranges, todo[i : i + batch], reps, seed, days, fixed))
            units = part.attrs["units"]
            if out is not None:
                _folder.write_part(out, part, units)
            for point, rows in part.groupby("point", sort=False):
                done[int(point)] = rows
            bar(len(done), len(points))
    finally:
        bar.close()
    if key is not None:
        _UNFINISHED.pop(key, None)
    return _folder.combine([done[i] for i, _ in points], units)


def _held_text(source: Tuple[str, str, str], set: Optional[Mapping[str, Any]]) -> Tuple[str, str, str]:
    """The scenario with the text values of ``set=`` (a choice, such as
    ``{"detention.over_capacity": "hold"}``) written in and held for the whole run; the
    numbers and switches of ``set=`` go through :func:`_fixed`."""
    texts = [(k, v) for k, v in (set or {}).items() if isinstance(v, str)]
    if not texts:
        return source
    kind, origin, text = source
    return ("toml", origin, _quotasim.with_text_values(kind, origin, text, texts))


def _fixed(set: Optional[Mapping[str, float]]) -> list:
    """The (path, value) pairs of ``set=``: numbers, and switches as True or False (1 or
    0); anything else names its key."""
    out = []
    for k, v in (set or {}).items():
        if isinstance(v, str):
            continue  # a choice: written into the scenario's text (_held_text)
        if not hasattr(v, "__float__"):
            raise ScenarioError(
                f"error: set {k} = {v!r}: a number is required (True/False for a switch, text for a choice)", key=k
            )
        if isinstance(v, bool) and not _quotasim.is_switch(k):
            raise ScenarioError(
                f"error: set {k} = {v!r}: not a switch; True and False are for switches, give it a number",
                key=k,
            )
        out.append((k, float(v)))
    return out


def sweep(
    scenario: Optional[ScenarioLike] = None,
    vary: Optional[Vary] = None,
    design: str = "grid",
    samples: int = 64,
    reps: int = 1,
    seed: Optional[int] = None,
    days: Optional[int] = None,
    set: Optional[Mapping[str, float]] = None,
    progress: Any = None,
    out: Optional[Union[str, "os.PathLike[str]"]] = None,
) -> pd.DataFrame:
    """Runs a design of parameter points, as ``quotasim sweep`` does.

    Args:
        scenario: a dict, TOML text or a path; None for the built-in default.
        vary: dotted parameter path -> (lo, hi) or (lo, hi, steps).
        design: "grid", "lhs" or "sobol" (Saltelli's design, in SALib's order).
        samples: points of an lhs design, base samples of a sobol one.
        reps: replications at every point (the same seeds at every point).
        seed: seed of the runs and of the design; None for the scenario's.
        days: days to simulate.
        set: paths held at one value for the whole run.
        progress: True for a progress bar (tqdm where installed), or a callable
            called as ``progress(done_points, total_points)``.

        out: a folder that keeps each finished batch of points (Parquet parts and the
            request, sweep.json): the same call again, in any process, runs only the
            missing points. A folder that holds a different sweep is refused.
            :func:`quotasim.ray.sweep` writes the same folder.

    Ctrl-C stops between batches of points with KeyboardInterrupt; the points that
    finished are kept (in ``out``, else in this process), and the same call again runs
    only the rest.

    Returns:
        One row per point and replication: ``point``, ``rep``, the varied keys and
        every numeric summary key (counts as whole numbers); ``.attrs["units"]``
        gives each column's unit.
    """
    reps, seed, days = _whole("reps", reps), _whole("seed", seed), _whole("days", days)
    kind, origin, text, ranges, points = _design(scenario, vary, design, samples, seed)
    kind, origin, text = _held_text((kind, origin, text), set)
    return _run_points(kind, origin, text, ranges, points, reps, seed, days, _fixed(set), progress, out)


def _design(scenario, vary, design: str, samples: int, seed: Optional[int]):
    """The scenario's source, the ranges and the numbered points of a sweep's design."""
    if not vary:
        raise ScenarioError("error: vary: name at least one parameter to vary")
    kind, origin, text = _source(scenario)
    ranges = _ranges(vary)
    samples = _whole("samples", samples)
    seed = _whole("seed", seed)
    if seed is None:
        seed = int(json.loads(_quotasim.scenario_json(kind, origin, text))["run"]["seed"])
    points = list(enumerate(_quotasim.design_points(ranges, design, samples, seed)))
    return kind, origin, text, ranges, points


def evaluate(
    scenario: Optional[ScenarioLike],
    paths: Sequence[str],
    points: Sequence[Sequence[float]],
    reps: int = 1,
    seed: Optional[int] = None,
    days: Optional[int] = None,
    set: Optional[Mapping[str, float]] = None,
    progress: Any = None,
) -> pd.DataFrame:
    """Runs given parameter points, such as a design drawn by SALib.

    Args:
        paths: the dotted parameter path of each column of ``points``.
        points: one row per point, one value per path (a list of lists or a 2-D array).

    Returns:
        The same columns as :func:`sweep`, one row per point and replication. A
        whole-number parameter runs at the value rounded, and its column shows that
        value. ``progress`` and Ctrl-C as in :func:`sweep`.
    """
    reps, seed, days = _whole("reps", reps), _whole("seed", seed), _whole("days", days)
    kind, origin, text = _held_text(_source(scenario), set)
    rows = [list(map(float, p)) for p in points]
    if not rows or any(len(r) != len(paths) for r in rows):
        raise ScenarioError(
            f"error: evaluate: points must be a non-empty list of rows of {len(paths)} values, one per path"
        )
    lo = [min(r[j] for r in rows) for j in range(len(paths))]
    hi = [max(r[j] for r in rows) for j in range(len(paths))]
    ranges = [(p, lo[j], hi[j], 1) for j, p in enumerate(paths)]
    return _run_points(kind, origin, text, ranges, list(enumerate(rows)), reps, seed, days, _fixed(set), progress)
