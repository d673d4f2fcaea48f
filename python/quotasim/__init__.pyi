"""Type stubs of the quotasim package."""

import os
from typing import Any, Dict, Mapping, Optional, Sequence, Union

import pandas as pd
import pyarrow

from ._errors import ScenarioError as ScenarioError

__version__: str

ScenarioLike = Union[Mapping[str, Any], str, os.PathLike[str]]
Vary = Mapping[str, Sequence[float]]

def default_scenario() -> Dict[str, Any]: ...
def load_scenario(path: Union[str, os.PathLike[str]]) -> Dict[str, Any]: ...

class Result:
    summary: Dict[str, Any]
    daily: pd.DataFrame
    reps: pd.DataFrame
    def to_arrow(self) -> pyarrow.Table: ...

def run(
    scenario: Optional[ScenarioLike] = None,
    seed: Optional[int] = None,
    days: Optional[int] = None,
    reps: int = 1,
    set: Optional[Mapping[str, float]] = None,
    progress: Any = None,
) -> Result: ...
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
) -> pd.DataFrame: ...
def evaluate(
    scenario: Optional[ScenarioLike],
    paths: Sequence[str],
    points: Sequence[Sequence[float]],
    reps: int = 1,
    seed: Optional[int] = None,
    days: Optional[int] = None,
    set: Optional[Mapping[str, float]] = None,
    progress: Any = None,
) -> pd.DataFrame: ...
def parameters(scenario: Optional[ScenarioLike] = ...) -> pd.DataFrame: ...
def compare(
    a: ScenarioLike,
    b: ScenarioLike,
    reps: int = ...,
    seed: Optional[int] = ...,
    days: Optional[int] = ...,
) -> pd.DataFrame: ...
def attribute(
    scenario: Optional[ScenarioLike] = ...,
    groups: Optional[Union[str, os.PathLike[str]]] = ...,
    reps: int = ...,
    seed: Optional[int] = ...,
    days: Optional[int] = ...,
    metrics: Optional[Sequence[str]] = ...,
) -> pd.DataFrame: ...
class Calibration:
    fit_toml: str
    fitted_toml: str
    report: str
    def write(self, folder: Union[str, os.PathLike[str]]) -> None: ...
def calibrate(
    scenario: Optional[ScenarioLike],
    targets: Union[str, os.PathLike[str]],
    progress: Any = ...,
) -> Calibration: ...
def salib_problem(vary: Vary) -> Dict[str, Any]: ...
