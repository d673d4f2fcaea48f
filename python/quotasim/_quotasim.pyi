"""Type stubs of the native module (crates/quotasim-py)."""

from typing import Callable, Dict, List, Optional, Sequence, Tuple

__version__: str

def default_scenario_json() -> str: ...
def default_scenario_toml() -> str: ...
def scenario_json(kind: str, origin: str, text: str) -> str: ...
def is_switch(path: str) -> bool: ...
def scenario_text(kind: str, origin: str, text: str) -> str: ...
def with_text_values(kind: str, origin: str, text: str, values: List[Tuple[str, str]]) -> str: ...
def parameters_json(kind: str, origin: str, text: str) -> str: ...
def compare(
    a: Tuple[str, str, str],
    b: Tuple[str, str, str],
    seed: Optional[int] = None,
    days: Optional[int] = None,
    reps: int = 10,
    fixed: List[Tuple[str, float]] = ...,
    progress: Optional[Callable[[int, int], None]] = None,
) -> str: ...
def backtest(
    scenario: Tuple[str, str, str],
    observed: Tuple[str, str],
    seed: Optional[int] = None,
    days: Optional[int] = None,
    reps: int = 10,
    fixed: List[Tuple[str, float]] = ...,
    progress: Optional[Callable[[int, int], None]] = None,
) -> str: ...
def attribute(
    scenario: Tuple[str, str, str],
    groups: Optional[Tuple[str, str]] = None,
    seed: Optional[int] = None,
    days: Optional[int] = None,
    reps: int = 4,
    metrics: List[str] = ...,
    posterior: Optional[Tuple[str, str]] = None,
) -> str: ...
def dict_toml(scenario: Dict) -> str: ...
def calibrate(
    kind: str,
    origin: str,
    text: str,
    targets_origin: str,
    targets_text: str,
    progress: Optional[Callable[[int, float], None]] = None,
    observed: Optional[Tuple[str, str]] = None,
) -> Tuple[str, str, str]: ...
def run(
    kind: str,
    origin: str,
    text: str,
    seed: Optional[int] = None,
    days: Optional[int] = None,
    reps: int = 1,
    fixed: Sequence[Tuple[str, float]] = ...,
    progress: Optional[Callable[[int, int], None]] = None,
    daily: str = "office",
    bands: str = "all",
) -> Tuple[str, Dict[str, List], Dict[str, List]]: ...
def design_points(
    vary: Sequence[Tuple[str, float, float, int]],
    design: str = "grid",
    samples: int = 64,
    seed: int = 0,
) -> List[List[float]]: ...
def run_points(
    kind: str,
    origin: str,
    text: str,
    vary: Sequence[Tuple[str, float, float, int]],
    points: Sequence[Tuple[int, Sequence[float]]],
    reps: int = 1,
    seed: Optional[int] = None,
    days: Optional[int] = None,
    fixed: Sequence[Tuple[str, float]] = ...,
) -> Dict[str, List]: ...
