//! Python bindings of quotasim: the native module `quotasim._quotasim`.
//!
//! Thin by design: scenarios cross as TOML text or JSON text, results as JSON (the
//! summary, exactly as summary.json) and as columns (lists) that the Python side
//! turns into pandas DataFrames. Every call that runs the model releases the GIL.
//! The Python API (`python/quotasim/__init__.py`) is documented there and in
//! `python/quotasim/_quotasim.pyi`.

mod frame;

use frame::Frame;
use pyo3::exceptions::PyValueError;
use pyo3::prelude::*;
use pyo3::types::{PyDict, PyList};
use quotasim::ScenarioErrors;
use quotasim::daily::{self, Cell};
use quotasim::overlay;
use quotasim::scenario::{MAX_SEED, Scenario};
use quotasim::summary;
use quotasim::{Plan, Run, ensemble};
use quotasim_request::ensemble::seed_of;
use quotasim_request::{Ensemble, MAX_REPS, RequestError};
use quotasim_sweep::{Design, DesignKind, Range};
use rayon::prelude::*;

/// `quotasim.ScenarioError` (defined in Python, `quotasim/_errors.py`, so that it
/// pickles), with the message and, where known, the file, line and dotted key.
fn raise(message: String, path: Option<String>, line: Option<usize>, key: Option<String>) -> PyErr {
    Python::attach(|py| {
        let made = py
            .import("quotasim._errors")
            .and_then(|m| m.getattr("ScenarioError"))
            .and_then(|class| class.call1((message, path, line, key)));
        match made {
            Ok(err) => PyErr::from_value(err),
            Err(e) => e,
        }
    })
}

/// Bad input with no file or line: an argument.
fn input_error(message: String) -> PyErr {
    raise(message, None, None, None)
}

/// A scenario's problems, as one ScenarioError located at the first.
fn scenario_error(e: ScenarioErrors) -> PyErr {
    let first = e.0.first();
    raise(
        e.to_string(),
        first.map(|f| f.origin.clone()),
        first.and_then(|f| f.line),
        first.and_then(|f| f.key.clone()),
    )
}

/// A thread pool for one call, dropped with it: no thread of quotasim outlives a call,
/// so a process may fork after a run (multiprocessing, EMA Workbench) and the child
/// builds its own.
fn pool() -> PyResult<rayon::ThreadPool> {
    rayon::ThreadPoolBuilder::new().build().map_err(|e| {
        pyo3::exceptions::PyRuntimeError::new_err(format!("cannot start threads: {e}"))
    })
}

/// Runs `ens`'s replications window by window on `pool`, the GIL released for each:
/// `take` is given each finished window's runs (with the GIL still released); between
/// windows, Ctrl-C is honoured (KeyboardInterrupt) and `progress(done, reps)` is called.
fn by_windows<'py>(
    py: Python<'py>,
    pool: &rayon::ThreadPool,
    ens: &Ensemble,
    progress: &Option<Bound<'py, PyAny>>,
    take: &mut (dyn FnMut(Vec<Run>) + Send),
) -> PyResult<()> {
    let (seed, reps) = (ens.seed(), ens.reps());
    let windows: Vec<_> = pool.install(|| ensemble::windows(reps).collect());
    let mut done = 0;
    for w in windows {
        let plan_of = |rep: u32| ens.plan_of(rep);
        done += py.detach(|| {
            let runs = pool.install(|| ensemble::run_window(&plan_of, seed, w, &|_| {}));
            let n = runs.len();
            take(runs);
            n
        });
        py.check_signals()?;
        if let Some(f) = progress {
            f.call1((done, reps))?;
        }
    }
    Ok(())
}

/// A scenario's `base`, read from beside the file (or the working folder for text),
/// else found among the shipped scenarios.
fn read_base(path: &str) -> std::io::Result<String> {
    read_capped(path).or_else(|e| overlay::shipped_reader(path).map_err(|_| e))
}

/// Largest scenario file read (bytes), as for the command.
const MAX_SCENARIO_BYTES: u64 = 1 << 20;

/// A regular file's text, read to at most 1 MiB: a device (/dev/zero) or a pipe is
/// refused before it is opened, so nothing reads without end.
fn read_capped(path: &str) -> std::io::Result<String> {
    use std::io::{Error, ErrorKind, Read};
    let meta = std::fs::metadata(path)?;
    if !meta.is_file() {
        return Err(Error::new(
            ErrorKind::InvalidInput,
            "is not a regular file; a scenario is a TOML file",
        ));
    }
    let mut bytes = Vec::new();
    std::fs::File::open(path)?
        .take(MAX_SCENARIO_BYTES + 1)
        .read_to_end(&mut bytes)?;
    if bytes.len() as u64 > MAX_SCENARIO_BYTES {
        return Err(Error::new(
            ErrorKind::FileTooLarge,
            format!("over {MAX_SCENARIO_BYTES} bytes (1 MiB); a scenario is a few kilobytes"),
        ));
    }
    String::from_utf8(bytes).map_err(|_| Error::new(ErrorKind::InvalidData, "is not UTF-8 text"))
}

/// A scenario from TOML text (`kind = "toml"`, located errors) or JSON text of a dict.
fn parse(kind: &str, origin: &str, text: &str) -> PyResult<Scenario> {
    match kind {
        "toml" => {
            let read = read_base;
            // A dict's text is made here: its lines mean nothing to the reader.
            let unlined = |mut e: ScenarioErrors| {
                if origin == "<dict>" {
                    for err in &mut e.0 {
                        if err.origin == "<dict>" {
                            err.line = None;
                        }
                    }
                }
                scenario_error(e)
            };
            let resolved = overlay::resolve(origin, text, &read).map_err(unlined)?;
            Scenario::from_resolved(&resolved).map_err(unlined)
        }
        "json" => {
            let s: Scenario = serde_json::from_str(text)
                .map_err(|e| input_error(format!("error: {origin}: {e}")))?;
            // The same checks as a file's: validation, then every event applied.
            Plan::new(&s).map_err(scenario_error)?;
            Ok(s)
        }
        other => Err(PyValueError::new_err(format!(
            "unknown scenario kind {other:?}"
        ))),
    }
}

/// A Python value as a TOML value: booleans, whole numbers (int, NumPy integers),
/// reals (float, NumPy floats; NaN and infinities kept, for validation to name them),
/// text, lists (and NumPy arrays) and dicts. `key` names it in errors.
fn toml_value(v: &Bound<'_, PyAny>, key: &str) -> PyResult<toml::Value> {
    use pyo3::types::{PyBool, PyFloat, PyInt, PyString};
    let bad = |what: &str| {
        raise(
            format!("error: <dict>: {key}\n       {what}"),
            None,
            None,
            Some(key.to_string()),
        )
    };
    if v.is_instance_of::<PyBool>() {
        return Ok(toml::Value::Boolean(v.extract()?));
    }
    if v.is_instance_of::<PyString>() {
        return Ok(toml::Value::String(v.extract()?));
    }
    // A datetime.date (an event's date): a TOML date, as a file writes it.
    if v.hasattr("isoformat")? && v.hasattr("toordinal")? && !v.hasattr("hour")? {
        let text: String = v.call_method0("isoformat")?.extract()?;
        return text
            .parse::<toml::value::Datetime>()
            .map(toml::Value::Datetime)
            .map_err(|_| bad(&format!("{text} is not a date")));
    }
    if let Ok(d) = v.cast::<PyDict>() {
        let mut t = toml::Table::new();
        for (k, item) in d.iter() {
            let k: String = k
                .extract()
                .map_err(|_| bad("a key of a scenario is text"))?;
            let path = if key.is_empty() {
                k.clone()
            } else {
                format!("{key}.{k}")
            };
            t.insert(k, toml_value(&item, &path)?);
        }
        return Ok(toml::Value::Table(t));
    }
    if v.is_instance_of::<PyInt>() || v.hasattr("__index__")? && !v.hasattr("tolist")? {
        let i: i64 = v
            .call_method0("__index__")?
            .extract()
            .map_err(|_| bad("a whole number beyond the range of a TOML integer"))?;
        return Ok(toml::Value::Integer(i));
    }
    if v.is_instance_of::<PyFloat>() {
        return Ok(toml::Value::Float(v.extract()?));
    }
    // NumPy scalars and arrays: their Python value.
    if v.hasattr("tolist")? {
        let plain = v.call_method0("tolist")?;
        if !plain.is(v) {
            return toml_value(&plain, key);
        }
    }
    if v.is_instance_of::<PyList>() || v.is_instance_of::<pyo3::types::PyTuple>() {
        return v
            .try_iter()?
            .enumerate()
            .map(|(i, item)| toml_value(&item?, &format!("{key}[{i}]")))
            .collect::<PyResult<Vec<_>>>()
            .map(toml::Value::Array);
    }
    if v.hasattr("__float__")? {
        return Ok(toml::Value::Float(v.call_method0("__float__")?.extract()?));
    }
    Err(bad(&format!(
        "a value of type {} is not a number, text, switch, list or table",
        v.get_type().name()?
    )))
}

/// A dict as scenario TOML text: an overlay of its `base`, or of the built-in default
/// when it names none, so a partial dict holds only what differs.
#[pyfunction]
fn dict_toml(scenario: &Bound<'_, PyDict>) -> PyResult<String> {
    let toml::Value::Table(mut t) = toml_value(scenario.as_any(), "")? else {
        unreachable!("a dict is a table")
    };
    if !t.contains_key("base") {
        t.insert(
            "base".into(),
            toml::Value::String(quotasim::scenario::RUN_DEFAULT_NAME.into()),
        );
    }
    // `base` first, as a file writes it.
    let base = t.remove("base").expect("set above");
    let body = toml::to_string(&t).map_err(|e| input_error(format!("error: <dict>: {e}")))?;
    Ok(format!("base = {base}\n{body}"))
}

/// The built-in default scenario as JSON text.
#[pyfunction]
fn default_scenario_json() -> PyResult<String> {
    let s = Scenario::run_default();
    serde_json::to_string(&s).map_err(|e| PyValueError::new_err(e.to_string()))
}

/// The built-in default scenario as TOML text, merged onto its base, with its comments
/// and sources: a whole scenario.
#[pyfunction]
fn default_scenario_toml() -> String {
    overlay::run_default().text
}

/// Every parameter of a scenario as JSON: path, kind, unit, range, value, meaning.
#[pyfunction]
fn parameters_json(kind: &str, origin: &str, text: &str) -> PyResult<String> {
    let s = parse(kind, origin, text)?;
    serde_json::to_string(&s.parameter_values()).map_err(|e| PyValueError::new_err(e.to_string()))
}

/// Runs two scenarios with the same seeds; returns their paired differences as JSON
/// (quotasim::compare, as the command's compare.csv). `fixed` (`set=`) is held in
/// both. Window by window, the GIL released for each: between windows, Ctrl-C is
/// honoured and `progress(done, total)` is called (total: both scenarios' runs).
#[pyfunction]
#[pyo3(signature = (a, b, seed=None, days=None, reps=10, fixed=Vec::new(), progress=None))]
#[allow(clippy::too_many_arguments)]
fn compare<'py>(
    py: Python<'py>,
    a: (String, String, String),
    b: (String, String, String),
    seed: Option<u64>,
    days: Option<u32>,
    reps: u32,
    fixed: Vec<(String, f64)>,
    progress: Option<Bound<'py, PyAny>>,
) -> PyResult<String> {
    let scenario = |s: &(String, String, String)| held(parse(&s.0, &s.1, &s.2)?, &fixed, &[]);
    let plan_a = Plan::with_days(&scenario(&a)?, days).map_err(scenario_error)?;
    let plan_b = Plan::with_days(&scenario(&b)?, days).map_err(scenario_error)?;
    // Both with A's seed, by the rules of every ensemble (quotasim-request).
    let a = Ensemble::new(plan_a, seed, Some(reps), MAX_REPS).map_err(request_error)?;
    let b = Ensemble::new(plan_b, Some(a.seed()), Some(reps), MAX_REPS).map_err(request_error)?;
    let pool = pool()?;
    let windows: Vec<_> = pool.install(|| ensemble::windows(reps).collect());
    let mut runs: [Vec<Run>; 2] = [Vec::new(), Vec::new()];
    for w in windows {
        for (side, ens) in [&a, &b].into_iter().enumerate() {
            let plan_of = |rep: u32| ens.plan_of(rep);
            let seed = ens.seed();
            let done = py.detach(|| {
                pool.install(|| ensemble::run_window(&plan_of, seed, w.clone(), &|_| {}))
            });
            runs[side].extend(done);
            py.check_signals()?;
            if let Some(f) = &progress {
                f.call1((runs[0].len() + runs[1].len(), 2 * reps))?;
            }
        }
    }
    let [runs_a, runs_b] = runs;
    let rows = py.detach(|| quotasim::compare::differences(&runs_a, &runs_b));
    serde_json::to_string(&rows).map_err(|e| PyValueError::new_err(e.to_string()))
}

/// A scenario's replications scored against published figures, as `quotasim backtest`
/// does (docs/calibration.md, "Backtest"): JSON with `scores` (one row per figure the
/// run covers: metric, window, observed, sd, model mean and 5-95 % band, z, inside,
/// source), `verdict`, and `sum_of_squares` with its Monte Carlo error `sum_of_squares_se`
/// (null for one replication). `observed`: (origin, TOML text) of an observations file;
/// every window must lie within the run. Window by window, as `run`: Ctrl-C is honoured
/// and `progress(done, reps)` is called.
#[pyfunction]
#[pyo3(signature = (scenario, observed, seed=None, days=None, reps=10, fixed=Vec::new(), progress=None))]
#[allow(clippy::too_many_arguments)]
fn backtest<'py>(
    py: Python<'py>,
    scenario: (String, String, String),
    observed: (String, String),
    seed: Option<u64>,
    days: Option<u32>,
    reps: u32,
    fixed: Vec<(String, f64)>,
    progress: Option<Bound<'py, PyAny>>,
) -> PyResult<String> {
    use quotasim_calibrate::observed::{Figures, Observations, backtest_verdict};
    let s = held(parse(&scenario.0, &scenario.1, &scenario.2)?, &fixed, &[])?;
    let plan = Plan::with_days(&s, days).map_err(scenario_error)?;
    let observations = Observations::from_toml(&observed.0, &observed.1).map_err(scenario_error)?;
    let ens = Ensemble::new(plan, seed, Some(reps), MAX_REPS).map_err(request_error)?;
    let plan = ens.plan();
    // Windows and summary keys are checked before the runs.
    observations
        .check_against(&observed.0, &observed.1, plan)
        .map_err(scenario_error)?;
    let mut figures = Figures::new(observations);
    by_windows(py, &pool()?, &ens, &progress, &mut |runs| {
        for run in &runs {
            figures.add(plan, run);
        }
    })?;
    let (sum, se) = figures.sum_of_squares();
    let out = serde_json::json!({
        "scores": figures.scores(),
        "verdict": backtest_verdict(&figures),
        "sum_of_squares": sum,
        "sum_of_squares_se": se,
    });
    serde_json::to_string(&out).map_err(|e| PyValueError::new_err(e.to_string()))
}

/// What each group of a scenario's events did (docs/attribution.md): JSON rows of
/// metric, group, label, contribution with its 5-95 % band, its share of the change, the
/// total change and the counterfactual's and the scenario's values. `groups`: (origin,
/// TOML text) of a grouping, None for the shipped one; `posterior`: (origin, TOML text)
/// of a calibration's fit, each replication then running its own draw.
#[pyfunction]
#[pyo3(signature = (scenario, groups=None, seed=None, days=None, reps=4, metrics=Vec::new(), posterior=None))]
#[allow(clippy::too_many_arguments)]
fn attribute(
    py: Python<'_>,
    scenario: (String, String, String),
    groups: Option<(String, String)>,
    seed: Option<u64>,
    days: Option<u32>,
    reps: u32,
    metrics: Vec<String>,
    posterior: Option<(String, String)>,
) -> PyResult<String> {
    use quotasim::attribution::{DEFAULT_GROUPING_NAME, DEFAULT_GROUPING_TOML, Grouping};
    use quotasim_request::attribute::{AttributeError, Attribution};
    let s = parse(&scenario.0, &scenario.1, &scenario.2)?;
    let (gorigin, gtext) = groups.unwrap_or((
        DEFAULT_GROUPING_NAME.to_string(),
        DEFAULT_GROUPING_TOML.to_string(),
    ));
    let grouping = Grouping::from_toml(&gorigin, &gtext).map_err(scenario_error)?;
    let words = |e: AttributeError| match e {
        AttributeError::Unowned(problems) => input_error(format!(
            "error: groups: every setting of the events must belong to one group:\n{}",
            problems
                .iter()
                .map(|p| format!("  {} ({}): {}", p.path, p.value, p.message))
                .collect::<Vec<_>>()
                .join("\n")
        )),
        AttributeError::Metric(m) => raise(
            format!(
                "error: metrics: {m:?} is not a numeric summary key (docs/outputs.md lists them)"
            ),
            None,
            None,
            Some(m),
        ),
        AttributeError::Request(e) => request_error(e),
        AttributeError::Scenario(e) => scenario_error(e),
        e @ AttributeError::DrawEvents { .. } => input_error(format!("error: posterior: {e}")),
    };
    let mut a =
        Attribution::new(s.clone(), days, grouping, metrics, seed, Some(reps)).map_err(words)?;
    if let Some((origin, text)) = posterior {
        // Replication r runs draw r with the request's seed, as `quotasim attribute --posterior`.
        let fit = quotasim_calibrate::Fit::from_toml(&origin, &text)
            .map_err(|e| input_error(e.to_string()))?;
        use quotasim_request::posterior::Draws;
        let draws = Draws::new(&fit, &s, a.seed(), a.reps()).map_err(|e| {
            input_error(format!(
                "error: posterior: {}",
                Draws::not_applying(&origin, &s, &e)
            ))
        })?;
        // A parameter the scenario sets apart from the fit keeps its value, as the
        // command's note says.
        for note in draws.kept_notes(&origin, &s) {
            let note = std::ffi::CString::new(note).unwrap_or_default();
            let category = py.get_type::<pyo3::exceptions::PyUserWarning>();
            PyErr::warn(py, category.as_any(), &note, 1)?;
        }
        a = a.with_draws(draws.scenarios).map_err(words)?;
    }
    let pool = pool()?;
    let results = py
        .detach(|| pool.install(|| a.run(&|_| {})))
        .map_err(words)?;
    let mut rows = Vec::new();
    for r in &results {
        let groups = a.groups().groups.iter();
        for ((g, c), share) in groups.zip(&r.contributions).zip(&r.shares) {
            let finite = |x: f64| x.is_finite().then_some(x);
            rows.push(serde_json::json!({
                "metric": r.metric,
                "group": g.name,
                "label": g.label,
                "contribution": c.0,
                "p05": c.1,
                "p95": c.2,
                "share_of_change": finite(share.0),
                "share_of_change_p05": finite(share.1),
                "share_of_change_p95": finite(share.2),
                "total_change": r.change.0,
                "counterfactual": r.counterfactual.0,
                "scenario": r.scenario.0,
            }));
        }
    }
    serde_json::to_string(&rows).map_err(|e| PyValueError::new_err(e.to_string()))
}

/// A request error in Python's words (its keyword arguments).
fn request_error(e: RequestError) -> PyErr {
    input_error(match e {
        RequestError::Reps { value, max } => format!("reps = {value}: must lie in [1, {max}]"),
        RequestError::Seed { value, max } => format!(
            "seed = {value}: must lie in [0, {max}] (a seed is written back as a TOML integer)"
        ),
        RequestError::Draws { plans, reps } => format!("{plans} draws for reps = {reps}"),
        e @ RequestError::Assumptions { .. } => e.to_string(),
        e @ RequestError::Bands { .. } => format!("bands: {e}"),
    })
}

fn check_seed(seed: Option<u64>) -> PyResult<()> {
    match seed {
        Some(s) if s > MAX_SEED => Err(input_error(format!(
            "seed = {s}: must lie in [0, {MAX_SEED}] (a seed is written back as a TOML integer)"
        ))),
        _ => Ok(()),
    }
}

/// Whether a dotted path is a switch (true or false) in the registry.
#[pyfunction]
fn is_switch(path: &str) -> bool {
    quotasim::parameters::is_switch(path)
}

/// A scenario as whole TOML text: an overlay (a dict is one) merged onto its bases,
/// comments and sources kept; checked first, so only a valid scenario is written.
#[pyfunction]
fn scenario_text(kind: &str, origin: &str, text: &str) -> PyResult<String> {
    parse(kind, origin, text)?;
    Ok(overlay::resolve(origin, text, &read_base)
        .map_err(scenario_error)?
        .text)
}

/// A scenario with text values (a choice, such as `detention.over_capacity = "hold"`)
/// written in at their paths and held for the whole run, as `set=` holds numbers: the
/// whole scenario's text (an overlay merged onto its bases), edited, comments kept.
/// Checked: a value the parameter does not allow is a located error.
#[pyfunction]
fn with_text_values(
    kind: &str,
    origin: &str,
    text: &str,
    values: Vec<(String, String)>,
) -> PyResult<String> {
    parse(kind, origin, text)?;
    let whole = overlay::resolve(origin, text, &read_base)
        .map_err(scenario_error)?
        .text;
    let mut doc = quotasim::edit::Editor::open(&whole, "# quotasim: set=")
        .map_err(|e| input_error(format!("error: {origin}: {e}")))?;
    for (path, value) in &values {
        if quotasim::parameters::find(path).is_none() {
            return Err(raise(
                format!(
                    "error: set {path} = {value:?}: not a parameter (quotasim.parameters() lists them)"
                ),
                None,
                None,
                Some(path.clone()),
            ));
        }
        doc.set_text(path, value).map_err(|e| {
            raise(
                format!("error: set {path}: {e}"),
                None,
                None,
                Some(path.clone()),
            )
        })?;
    }
    doc.hold(&values.iter().map(|(p, _)| p.clone()).collect::<Vec<_>>());
    let edited = doc.finish("values of set=");
    // The edited scenario is checked as any: a value a choice does not allow is named.
    parse("toml", origin, &edited)?;
    Ok(edited)
}

/// Parses and checks a scenario; returns it as JSON text.
#[pyfunction]
fn scenario_json(kind: &str, origin: &str, text: &str) -> PyResult<String> {
    let s = parse(kind, origin, text)?;
    serde_json::to_string(&s).map_err(|e| PyValueError::new_err(e.to_string()))
}

/// The table of replications ([`summary::reps_table`]).
fn reps_frame(summaries: &[(u32, quotasim::Summary)]) -> Frame {
    let refs: Vec<(u32, &quotasim::Summary)> = summaries.iter().map(|(r, s)| (*r, s)).collect();
    Frame::of(summary::reps_table(&refs))
}

/// Which daily tables a run hands back: both (`"office"`), the nation's alone
/// (`"national"`) or neither (`"none"`: the summaries alone, memory that does not grow
/// with the days or the offices).
#[derive(Clone, Copy, PartialEq)]
enum Daily {
    Office,
    National,
    None,
}

impl Daily {
    fn parse(s: &str) -> PyResult<Daily> {
        match s {
            "office" => Ok(Daily::Office),
            "national" => Ok(Daily::National),
            "none" => Ok(Daily::None),
            other => Err(raise(
                format!(
                    "error: daily = {other:?}: one of \"office\" (both tables), \"national\" or None"
                ),
                None,
                None,
                Some("daily".into()),
            )),
        }
    }
}

/// A run's outputs for Python: the summary (JSON), the office table (or None), the
/// national table (or None), the table of replications, and the scenario exactly as
/// run (scenario.toml's text).
type RunOutputs<'py> = (
    String,
    Option<Bound<'py, PyDict>>,
    Option<Bound<'py, PyDict>>,
    Bound<'py, PyDict>,
    String,
);

/// Runs a scenario. Replications stream: as each window of them finishes, their daily
/// rows are appended to typed columns (or dropped, with `daily="none"`) and only their
/// summaries are kept.
#[pyfunction]
#[pyo3(signature = (kind, origin, text, seed=None, days=None, reps=1, fixed=Vec::new(), progress=None, daily="office", bands="all"))]
#[allow(clippy::too_many_arguments)]
fn run<'py>(
    py: Python<'py>,
    kind: &str,
    origin: &str,
    text: &str,
    seed: Option<u64>,
    days: Option<u32>,
    reps: u32,
    fixed: Vec<(String, f64)>,
    progress: Option<Bound<'py, PyAny>>,
    daily: &str,
    bands: &str,
) -> PyResult<RunOutputs<'py>> {
    let daily = Daily::parse(daily)?;
    let bands = quotasim_request::Bands::parse(bands).map_err(request_error)?;
    let s = held(parse(kind, origin, text)?, &fixed, &[])?;
    let plan = Plan::with_days(&s, days).map_err(scenario_error)?;
    // The rules of every front's run (quotasim-request): seed, replications, costs,
    // what the bands carry.
    let ens = Ensemble::new(plan, seed, Some(reps), MAX_REPS)
        .map_err(request_error)?
        .with_bands(bands);
    let (plan, seed) = (ens.plan(), ens.seed());
    let pool = pool()?;
    let all = daily::daily_columns();
    let national_columns: Vec<_> = all
        .iter()
        .filter(|c| c.name == "rep" || c.name == "date" || c.name.starts_with("national_"))
        .cloned()
        .collect();
    let mut office = (daily == Daily::Office).then(|| Frame::new(&all));
    let mut national = (daily != Daily::None).then(|| Frame::new(&national_columns));
    let mut summaries: Vec<(u32, quotasim::Summary)> = Vec::with_capacity(reps as usize);
    // The published figures inside the run, for the model's own error (a few numbers
    // a replication).
    let mut figures = quotasim_calibrate::observed::Figures::shipped_within(plan);
    // Window by window, the GIL released for each (Ctrl-C and progress between).
    by_windows(py, &pool, &ens, &progress, &mut |done| {
        for mut run in done {
            if let Some(f) = office.as_mut() {
                f.add(
                    daily::daily_table(&run.daily, plan)
                        .into_iter()
                        .map(|(_, c)| c),
                );
            }
            if let Some(f) = national.as_mut() {
                f.add(
                    daily::national_table(&run.daily, plan)
                        .into_iter()
                        .map(|(_, c)| c),
                );
            }
            figures.add(plan, &run);
            summaries.push((run.rep, std::mem::take(&mut run.summary)));
        }
    })?;
    let mut summary = match &summaries[..] {
        [(_, one)] => one.clone(),
        _ => ensemble::combine(&summaries.iter().map(|(_, s)| s).collect::<Vec<_>>()),
    };
    ens.finish(&mut summary, Some(&figures));
    let json = serde_json::to_string(&summary).map_err(|e| PyValueError::new_err(e.to_string()))?;
    let scenario = plan.effective_scenario(seed).to_toml();
    Ok((
        json,
        office.map(|f| f.into_py(py)).transpose()?,
        national.map(|f| f.into_py(py)).transpose()?,
        reps_frame(&summaries).into_py(py)?,
        scenario,
    ))
}

/// Runs `work` on a thread of its own while this (the main) thread watches. `work` is
/// given `report`, which records its latest progress and answers `Break` once it should
/// stop. Every 50 ms the watcher calls `progress(*latest)` if it changed (and once more
/// at the end); on Ctrl-C, or an error raised by `progress`, it asks `work` to stop and
/// returns that error (KeyboardInterrupt for Ctrl-C) once `work` has returned.
fn watched<'py, T, P>(
    py: Python<'py>,
    progress: &Option<Bound<'py, PyAny>>,
    work: impl FnOnce(&(dyn Fn(P) -> std::ops::ControlFlow<()> + Sync)) -> T + Send,
) -> PyResult<T>
where
    T: Send,
    P: Copy + PartialEq + Send + pyo3::call::PyCallArgs<'py>,
{
    use std::ops::ControlFlow;
    use std::sync::Mutex;
    use std::sync::atomic::{AtomicBool, Ordering};

    let stop = AtomicBool::new(false);
    let latest: Mutex<Option<P>> = Mutex::new(None);
    let report = |p: P| {
        if let Ok(mut l) = latest.lock() {
            *l = Some(p);
        }
        if stop.load(Ordering::Relaxed) {
            ControlFlow::Break(())
        } else {
            ControlFlow::Continue(())
        }
    };
    let (done, interrupt) = std::thread::scope(|scope| {
        let task = scope.spawn(|| work(&report));
        let mut interrupt: Option<PyErr> = None;
        let mut shown: Option<P> = None;
        let mut show = |interrupt: &mut Option<PyErr>| {
            let now = latest.lock().ok().and_then(|l| *l);
            if let (Some(f), Some(p)) = (progress, now)
                && shown != Some(p)
            {
                shown = Some(p);
                if let Err(e) = f.call1(p) {
                    stop.store(true, Ordering::Relaxed);
                    *interrupt = Some(e);
                }
            }
        };
        while !task.is_finished() {
            py.detach(|| std::thread::sleep(std::time::Duration::from_millis(50)));
            if interrupt.is_some() {
                continue;
            }
            if let Err(e) = py.check_signals() {
                stop.store(true, Ordering::Relaxed);
                interrupt = Some(e);
                continue;
            }
            show(&mut interrupt);
        }
        // The last progress, if the work ended between two looks.
        if interrupt.is_none() {
            show(&mut interrupt);
        }
        (task.join(), interrupt)
    });
    if let Some(e) = interrupt {
        return Err(e);
    }
    done.map_err(|_| PyValueError::new_err("the work panicked"))
}

/// What it would take (docs/costs.md, "Solve"): the least-cost levers that meet a
/// target, as `quotasim solve` finds them. `target` is `KEY>=VALUE` or `KEY<=VALUE`;
/// each lever is `PATH=LO..HI`. The search runs on a thread of its own while this one
/// watches: it calls `progress(evaluations, at most)` as it goes, and on Ctrl-C stops
/// the search and raises KeyboardInterrupt. Returns the solution as JSON (solve.json).
#[pyfunction]
#[pyo3(signature = (kind, origin, text, target, levers, days=None, reps=1, seed=None, progress=None))]
#[allow(clippy::too_many_arguments)]
fn solve<'py>(
    py: Python<'py>,
    kind: &str,
    origin: &str,
    text: &str,
    target: &str,
    levers: Vec<String>,
    days: Option<u32>,
    reps: u32,
    seed: Option<u64>,
    progress: Option<Bound<'py, PyAny>>,
) -> PyResult<String> {
    let scenario = parse(kind, origin, text)?;
    Plan::with_days(&scenario, days).map_err(scenario_error)?;
    // A solve error in Python's words: the argument it is about, then its text.
    let solve_error = |e: quotasim_solve::SolveError| {
        use quotasim_solve::{Argument, SolveError as E};
        let arg = match e.argument() {
            Some(Argument::Target) => "target ",
            Some(Argument::Lever) => "levers ",
            None => "",
        };
        // The key the message names: the target's summary key, or the lever's path.
        let key = match &e {
            E::TargetKey { key } => Some(key.clone()),
            E::TargetForm { .. } | E::TargetValue { .. } | E::TargetWindow { .. } => {
                Some("target".to_string())
            }
            E::LeverForm { text, .. } | E::LeverOrder { text } | E::LeverValue { text, .. } => {
                text.split('=').next().map(|p| p.trim().to_string())
            }
            E::NoLever => Some("levers".to_string()),
            E::Setting(_)
            | E::Plan(_)
            | E::NoValue { .. }
            | E::NoValueInWindow { .. }
            | E::Interrupted => None,
        };
        raise(format!("error: {arg}{e}"), None, None, key)
    };
    let target = quotasim_solve::Target::parse(target).map_err(solve_error)?;
    let levers = levers
        .iter()
        .map(|l| quotasim_solve::Lever::parse(l).map_err(solve_error))
        .collect::<PyResult<Vec<_>>>()?;
    quotasim_request::ensemble::reps_of(Some(reps), quotasim_solve::MAX_SEEDS)
        .map_err(request_error)?;
    let problem = quotasim_solve::SolveProblem {
        scenario: &scenario,
        target,
        levers,
        days,
        seeds: reps,
        seed: seed_of(&scenario, seed).map_err(request_error)?,
    };
    let pool = pool()?;
    let solution = watched(py, &progress, |report| {
        pool.install(|| quotasim_solve::solve(&problem, &|done, most| report((done, most))))
    })?
    .map_err(solve_error)?;
    serde_json::to_string(&solution).map_err(|e| PyValueError::new_err(e.to_string()))
}

/// Calibrates a scenario to a targets file (docs/calibration.md). The search runs on a
/// thread of its own while this (the main) thread watches: it calls `progress(
/// evaluations, best objective)` as the search goes, and on Ctrl-C asks the search to
/// stop, then raises KeyboardInterrupt. Returns (fit.toml, fitted.toml, fit-report.md)
/// as text. A targets file naming `calibration.observed` needs that file's origin and
/// text (`observed`), read by the Python side.
#[pyfunction]
#[pyo3(signature = (kind, origin, text, targets_origin, targets_text, progress=None, observed=None))]
#[allow(clippy::too_many_arguments)]
fn calibrate<'py>(
    py: Python<'py>,
    kind: &str,
    origin: &str,
    text: &str,
    targets_origin: &str,
    targets_text: &str,
    progress: Option<Bound<'py, PyAny>>,
    observed: Option<(String, String)>,
) -> PyResult<(String, String, String)> {
    use quotasim_request::calibrate::{CalibrateError, Calibration};
    // A calibration error in Python's words.
    let calibrate_error = |e: CalibrateError| match e {
        CalibrateError::Input(e) => scenario_error(e),
        CalibrateError::Request(e) => request_error(e),
        CalibrateError::Search { .. }
        | CalibrateError::Edit(_)
        | CalibrateError::Text(_)
        | CalibrateError::Origin { .. }
        | CalibrateError::NothingBefore { .. } => input_error(format!("error: {e}")),
    };
    let scenario = parse(kind, origin, text)?;
    // An overlay (a dict is one) is fitted as the whole it resolves to.
    let whole = overlay::resolve(origin, text, &read_base)
        .map_err(scenario_error)?
        .text;
    let pool = pool()?;
    let mut calibration = pool
        .install(|| Calibration::new(scenario, whole, targets_origin, targets_text))
        .map_err(calibrate_error)?;
    match (calibration.observed_name(), observed) {
        (None, _) => {}
        (Some(name), None) => {
            return Err(pyo3::exceptions::PyValueError::new_err(format!(
                "{targets_origin}: calibration.observed = {name:?} needs the observations file's text"
            )));
        }
        (Some(_), Some((o_origin, o_text))) => {
            pool.install(|| calibration.with_observations(&o_origin, &o_text))
                .map_err(calibrate_error)?;
        }
    }
    let done = watched(py, &progress, |report| {
        // Ctrl-C abandons the fit (KeyboardInterrupt), as before.
        pool.install(|| {
            calibration.run(&|p| {
                report((p.evaluations, p.best)).map_break(|()| quotasim_calibrate::Stop::Abandon)
            })
        })
    })?
    .map_err(calibrate_error)?;
    Ok((done.fit_toml, done.fitted, done.report))
}

/// The problems of a sweep's keys, in the words of the Python call: each key named by
/// the argument that gave it (`vary=` or `set=`).
fn check_error(problems: Vec<quotasim_sweep::CheckError>, ranges: &[Range]) -> PyErr {
    let arg = |path: &str| {
        if ranges.iter().any(|r| r.path == path) {
            "vary"
        } else {
            "set"
        }
    };
    let first = problems.first().map(|e| e.path().to_string());
    let text = problems
        .iter()
        .map(|e| format!("error: {}= {e}", arg(e.path())))
        .collect::<Vec<_>>()
        .join("\n");
    raise(text, None, None, first)
}

/// `s` with the `set=` values written in and held for the whole run (as `--set`).
fn held(s: Scenario, fixed: &[(String, f64)], rs: &[Range]) -> PyResult<Scenario> {
    if fixed.is_empty() {
        return Ok(s);
    }
    quotasim_sweep::held(&s, fixed, rs, None).map_err(|p| check_error(p, rs))
}

/// A point's index, its values and its replications' runs.
type PointRuns = (usize, Vec<f64>, Vec<Run>);

fn ranges(vary: Vec<(String, f64, f64, u32)>) -> Vec<Range> {
    vary.into_iter()
        .map(|(path, lo, hi, steps)| Range {
            path,
            lo,
            hi,
            steps,
        })
        .collect()
}

/// The points of a design: a list of lists, one value per varied key.
#[pyfunction]
#[pyo3(signature = (vary, design="grid", samples=64, seed=0))]
fn design_points(
    vary: Vec<(String, f64, f64, u32)>,
    design: &str,
    samples: u32,
    seed: u64,
) -> PyResult<Vec<Vec<f64>>> {
    let kind = DesignKind::parse(design).map_err(|e| input_error(e.to_string()))?;
    for r in &vary {
        if r.1 > r.2 || !r.1.is_finite() || !r.2.is_finite() {
            return Err(input_error(format!(
                "vary {}: lo {} must be finite and at most hi {}",
                r.0, r.1, r.2
            )));
        }
    }
    Ok(Design::new(kind, ranges(vary), samples, seed)
        .map_err(|e| input_error(e.to_string()))?
        .points)
}

/// Runs the given points (index, values) with `reps` replications each (the same
/// seeds at every point), in parallel; returns columns: point, rep, the varied keys
/// and every numeric summary key, in point and replication order.
#[pyfunction]
#[pyo3(signature = (kind, origin, text, vary, points, reps=1, seed=None, days=None, fixed=Vec::new()))]
#[allow(clippy::too_many_arguments)]
fn run_points<'py>(
    py: Python<'py>,
    kind: &str,
    origin: &str,
    text: &str,
    vary: Vec<(String, f64, f64, u32)>,
    points: Vec<(usize, Vec<f64>)>,
    reps: u32,
    seed: Option<u64>,
    days: Option<u32>,
    fixed: Vec<(String, f64)>,
) -> PyResult<Bound<'py, PyDict>> {
    check_seed(seed)?;
    let s = parse(kind, origin, text)?;
    let rs = ranges(vary);
    let base = quotasim_sweep::held(&s, &fixed, &rs, days).map_err(|p| check_error(p, &rs))?;
    if let Some(bad) = points.iter().find(|(_, v)| v.len() != rs.len()) {
        return Err(PyValueError::new_err(format!(
            "point {} has {} values for {} varied keys",
            bad.0,
            bad.1.len(),
            rs.len()
        )));
    }
    Plan::with_days(&base, days).map_err(scenario_error)?;
    let seed = seed_of(&s, seed).map_err(request_error)?;
    let pool = pool()?;
    let results: Result<Vec<PointRuns>, String> = py.detach(|| {
        pool.install(|| {
            points
                .par_iter()
                .map(|(i, values)| {
                    let runs =
                        quotasim_sweep::run_point(&base, &fixed, &rs, values, days, seed, reps)
                            .map_err(|e| e.to_string())?;
                    Ok((*i, values.clone(), runs))
                })
                .collect()
        })
    });
    let mut results = results.map_err(input_error)?;
    results.sort_by_key(|r| r.0);
    // point, rep, the varied values, then every numeric summary key (counts whole,
    // as in the table of replications).
    let summaries: Vec<(u32, &quotasim::Summary)> = results
        .iter()
        .flat_map(|(_, _, runs)| runs.iter().map(|r| (r.rep, &r.summary)))
        .collect();
    let mut outputs = summary::reps_table(&summaries).into_iter();
    let rep = outputs
        .next()
        .expect("the table of replications starts with rep");
    let mut table = vec![
        (
            daily::Column {
                name: "point".into(),
                kind: daily::ColumnKind::Int,
                unit: "index",
                doc: "design point".into(),
            },
            results
                .iter()
                .flat_map(|(i, _, runs)| runs.iter().map(|_| Cell::Int(*i as i64)))
                .collect(),
        ),
        rep,
    ];
    for (j, r) in rs.iter().enumerate() {
        let param = quotasim::parameters::find(&r.path);
        // A whole-number parameter ran at the value rounded: show that value.
        let whole = param.is_some_and(|p| p.kind == quotasim::parameters::ParamKind::Count);
        let cells = results
            .iter()
            .flat_map(|(_, values, runs)| {
                let v = if whole { values[j].round() } else { values[j] };
                runs.iter().map(move |_| Cell::Float(v))
            })
            .collect();
        let column = daily::Column {
            name: r.path.clone(),
            kind: daily::ColumnKind::Float,
            unit: param.map_or("", |p| p.unit),
            doc: String::new(),
        };
        table.push((column, cells));
    }
    table.extend(outputs);
    Frame::of(table).into_py(py)
}

#[pymodule]
fn _quotasim(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add("__version__", env!("CARGO_PKG_VERSION"))?;
    m.add_function(wrap_pyfunction!(solve, m)?)?;
    m.add_function(wrap_pyfunction!(default_scenario_json, m)?)?;
    m.add_function(wrap_pyfunction!(default_scenario_toml, m)?)?;
    m.add_function(wrap_pyfunction!(scenario_json, m)?)?;
    m.add_function(wrap_pyfunction!(scenario_text, m)?)?;
    m.add_function(wrap_pyfunction!(with_text_values, m)?)?;
    m.add_function(wrap_pyfunction!(is_switch, m)?)?;
    m.add_function(wrap_pyfunction!(parameters_json, m)?)?;
    m.add_function(wrap_pyfunction!(dict_toml, m)?)?;
    m.add_function(wrap_pyfunction!(calibrate, m)?)?;
    m.add_function(wrap_pyfunction!(compare, m)?)?;
    m.add_function(wrap_pyfunction!(backtest, m)?)?;
    m.add_function(wrap_pyfunction!(attribute, m)?)?;
    m.add_function(wrap_pyfunction!(run, m)?)?;
    m.add_function(wrap_pyfunction!(design_points, m)?)?;
    m.add_function(wrap_pyfunction!(run_points, m)?)?;
    Ok(())
}
