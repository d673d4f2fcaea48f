"""Type stubs of the quotasim package: every public name of ``quotasim.__all__``."""

import os
from typing import Any, Callable, Dict, Mapping, Optional, Sequence, Tuple, Union

import pandas as pd
import pyarrow
import xarray

from ._errors import ScenarioError as ScenarioError

__version__: str

ScenarioLike = Union[Mapping[str, Any], str, os.PathLike[str]]
Vary = Mapping[str, Sequence[float]]
Held = Mapping[str, Union[float, int, bool, str]]
Progress = Union[None, bool, Callable[[int, int], object]]

def default_scenario() -> Dict[str, Any]: ...
def load_scenario(path: Union[str, os.PathLike[str]]) -> Dict[str, Any]: ...
def scenario_text(scenario: Optional[ScenarioLike] = None) -> str: ...
def parameters(scenario: Optional[ScenarioLike] = None) -> pd.DataFrame: ...

class Result:
    summary: Dict[str, Any]
    reps: pd.DataFrame
    scenario_text: str
    version: str
    seed: int
    fingerprint: str
    @property
    def daily(self) -> pd.DataFrame: ...
    @property
    def national(self) -> pd.DataFrame: ...
    @property
    def provenance(self) -> Dict[str, Any]: ...
    @property
    def fiscal_years(self) -> pd.DataFrame: ...
    def to_xarray(self) -> xarray.Dataset: ...
    def to_parquet(self, folder: Union[str, os.PathLike[str]]) -> None: ...
    def to_arrow(self) -> pyarrow.Table: ...

def run(
    scenario: Optional[ScenarioLike] = None,
    seed: Optional[int] = None,
    days: Optional[int] = None,
    reps: int = 1,
    set: Optional[Held] = None,
    progress: Progress = None,
    daily: Optional[str] = "office",
    bands: Union[str, Sequence[str]] = "all",
) -> Result: ...
def compare(
    a: Optional[ScenarioLike],
    b: Optional[ScenarioLike],
    reps: int = 10,
    seed: Optional[int] = None,
    days: Optional[int] = None,
    set: Optional[Held] = None,
    progress: Progress = None,
) -> pd.DataFrame: ...
class Backtest:
    scores: pd.DataFrame
    verdict: str
    sum_of_squares: float
    sum_of_squares_se: Optional[float]
    def __init__(
        self, scores: pd.DataFrame, verdict: str, sum_of_squares: float, sum_of_squares_se: Optional[float]
    ) -> None: ...

def backtest(
    scenario: Optional[ScenarioLike],
    observed: Union[str, os.PathLike[str]],
    reps: int = 10,
    seed: Optional[int] = None,
    days: Optional[int] = None,
    set: Optional[Held] = None,
    progress: Progress = None,
) -> Backtest: ...
def sweep(
    scenario: Optional[ScenarioLike] = None,
    vary: Optional[Vary] = None,
    design: str = "grid",
    samples: int = 64,
    reps: int = 1,
    seed: Optional[int] = None,
    days: Optional[int] = None,
    set: Optional[Held] = None,
    progress: Progress = None,
    out: Optional[Union[str, os.PathLike[str]]] = None,
) -> pd.DataFrame: ...
def evaluate(
    scenario: Optional[ScenarioLike],
    paths: Sequence[str],
    points: Sequence[Sequence[float]],
    reps: int = 1,
    seed: Optional[int] = None,
    days: Optional[int] = None,
    set: Optional[Held] = None,
    progress: Progress = None,
) -> pd.DataFrame: ...
def salib_problem(vary: Vary) -> Dict[str, Any]: ...
def attribute(
    scenario: Optional[ScenarioLike] = None,
    groups: Optional[Union[str, os.PathLike[str]]] = None,
    reps: int = 4,
    seed: Optional[int] = None,
    days: Optional[int] = None,
    metrics: Optional[Sequence[str]] = None,
    posterior: Optional[Union[str, os.PathLike[str]]] = None,
) -> pd.DataFrame: ...
def solve(
    scenario: Optional[ScenarioLike],
    target: str,
    levers: Mapping[str, Tuple[float, float]],
    days: Optional[int] = None,
    reps: int = 1,
    seed: Optional[int] = None,
    progress: Progress = None,
) -> Dict[str, Any]: ...

class Calibration:
    fit_toml: str
    fitted_toml: str
    report: str
    def __init__(self, fit_toml: str, fitted_toml: str, report: str) -> None: ...
    def write(self, folder: Union[str, os.PathLike[str]]) -> None: ...

def calibrate(
    scenario: Optional[ScenarioLike],
    targets: Union[str, os.PathLike[str]],
    progress: Union[None, bool, Callable[[int, float], object]] = None,
) -> Calibration: ...
