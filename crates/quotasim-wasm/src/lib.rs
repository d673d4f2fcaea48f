//! The quotasim engine for the browser: a thin wasm-bindgen layer over the core
//! library and the report's SVG charts, run by the dashboard's Web Worker
//! (`web/src/worker.js`).
//!
//! Everything crosses as text: scenarios as TOML, results as JSON. The summary in a
//! result is serialized exactly as the command's summary.json, and a run parses the
//! same TOML text the page offers for download, so `quotasim run` on that file gives
//! the same numbers.
//!
//! Built by `scripts/build-web.sh` for `wasm32-unknown-unknown`; the functions are
//! plain Rust as well, so the native tests exercise them.

pub mod levers;

use std::cell::RefCell;

use quotasim::overlay;
use quotasim::scenario::Scenario;
use quotasim::{Plan, Run, ensemble};
use quotasim_observed::Figures;
use quotasim_report::{
    Daily, Figure, Series, Size, accessible, backtest_figures, compare_figures, run_figures,
};
use serde::Serialize;
use serde_json::json;
use wasm_bindgen::prelude::*;

/// The shipped scenarios, in the order of the page's drop-down (the default first):
/// the model's own list.
pub const SCENARIOS: &[(&str, &str)] = overlay::SHIPPED;

/// A shipped scenario merged onto its base: the whole text the page edits, runs and
/// offers for download (a download runs on its own, with no base beside it).
fn shipped_text(file: &str, text: &str) -> Result<String, String> {
    overlay::resolve(file, text, &overlay::shipped_reader)
        .map(|r| r.text)
        .map_err(|e| e.to_string())
}

thread_local! {
    /// The page's progress callback during a run. The model's progress hook must be
    /// `Sync` (replications may run on several threads natively); in the browser there
    /// is one thread, and the hook reaches the JavaScript function through here.
    static PROGRESS: RefCell<Option<(js_sys::Function, f64)>> = const { RefCell::new(None) };
}

/// Sets the total the page's progress counts to, once the run is planned: days times
/// replications (twice that when comparing). Nothing when no callback is installed
/// (native calls).
fn progress_total(total: u64) {
    PROGRESS.with(|p| {
        if let Some((_, t)) = &mut *p.borrow_mut() {
            *t = total as f64;
        }
    });
}

fn report_progress(done: u64) {
    PROGRESS.with(|p| {
        if let Some((f, total)) = &*p.borrow() {
            // A failing callback must not stop the model; the page only loses a tick.
            let _ = f.call2(
                &JsValue::NULL,
                &JsValue::from(done as f64),
                &JsValue::from(*total),
            );
        }
    });
}

/// Installed when the module loads: a panic (a bug, never bad input) shows its message
/// in the browser's console instead of only "unreachable".
#[wasm_bindgen(start)]
pub fn start() {
    console_error_panic_hook::set_once();
}

fn error(e: impl ToString) -> JsError {
    JsError::new(&e.to_string())
}

/// The shipped scenarios as JSON: `[{"file", "name", "title", "toml"}]`.
#[wasm_bindgen]
pub fn scenarios() -> Result<String, JsError> {
    let list: Vec<_> = SCENARIOS
        .iter()
        .map(|(file, text)| {
            let whole = shipped_text(file, text).map_err(error)?;
            let s = Scenario::from_toml(file, &whole).map_err(error)?;
            Ok(json!({ "file": file, "name": s.run.name, "title": s.run.title(), "toml": whole }))
        })
        .collect::<Result<_, JsError>>()?;
    Ok(serde_json::to_string(&list)?)
}

/// A scenario's run settings and levers as JSON (`levers::describe`), for the page's
/// controls.
#[wasm_bindgen]
pub fn describe(text: &str, origin: &str) -> Result<String, JsError> {
    let s = Scenario::from_toml(origin, text).map_err(error)?;
    let mut shown = levers::describe(&s).map_err(error)?;
    // A track whose low end this scenario cannot run with starts where it can.
    for l in &mut shown {
        l.runs_from = levers::runs_from(text, origin, &s, l);
    }
    let plan = Plan::new(&s).map_err(error)?;
    let offices: Vec<_> = plan
        .offices
        .iter()
        .map(|o| json!({ "code": o.code, "name": o.name, "noncitizens": o.noncitizen_population }))
        .collect();
    Ok(serde_json::to_string(&json!({
        "name": s.run.name,
        "start_date": s.run.start_date.to_string(),
        "days": s.run.days,
        "seed": s.run.seed,
        "levers": shown,
        "offices": offices,
        "keys": quotasim::summary::KEYS,
    }))?)
}

#[derive(Serialize)]
struct Chart {
    id: String,
    title: String,
    svg: String,
    alt: String,
    caption: String,
}

/// The published figures of 2025 that a run is set beside, when their windows lie in
/// it (docs/calibration.md, "Backtest").
pub use quotasim_observed::SHIPPED as OBSERVED;

/// What happened beside the model: the backtest's charts and its one-line score, over
/// the published figures whose window lies within the run.
#[derive(Serialize)]
struct Observed {
    /// The figures scored.
    count: usize,
    verdict: String,
    file: &'static str,
    figures: Vec<Chart>,
    /// The latest figure of each kind beside the model's for its dates (the headline's
    /// "what was published").
    latest: Vec<quotasim_observed::Score>,
}

#[derive(Serialize)]
struct RunOut<'a> {
    /// What the run covers, and where its fit ends and its prediction starts.
    window: String,
    summary: &'a quotasim::Summary,
    figures: Vec<Chart>,
    /// None when no published figure's window lies within the run.
    observed: Option<Observed>,
}

#[derive(Serialize)]
struct CompareOut<'a> {
    a: &'a quotasim::Summary,
    b: &'a quotasim::Summary,
    /// B - A for every numeric key, paired by replication (as `quotasim compare`).
    differences: Vec<quotasim::compare::Difference>,
    figures: Vec<Chart>,
}

fn charts(figures: Vec<Figure>) -> Vec<Chart> {
    figures
        .into_iter()
        .map(|f| Chart {
            svg: accessible(&f.svg, &f.alt),
            id: f.id,
            title: f.title,
            alt: f.alt,
            caption: f.caption,
        })
        .collect()
}

/// Most replications the page runs (it runs on one thread).
pub const PAGE_MAX_REPS: u32 = 20;

/// Replications 0..`reps` of `plan` with its seed, by the rules of every front
/// (quotasim-request: an ensemble draws its unit costs), progress counted from
/// `offset` of `total` replication-days; also the ensemble, which notes in a summary
/// what its bands carry.
fn replicate(
    plan: &Plan,
    reps: u32,
    offset: u64,
    total: u64,
) -> Result<(Vec<Run>, quotasim_request::Ensemble), String> {
    let ens = quotasim_request::Ensemble::new(plan.clone(), None, Some(reps), PAGE_MAX_REPS)
        .map_err(page_request_error)?;
    let runs = ens.run_all(&|done| {
        if done % 5 == 0 || done == total {
            report_progress(offset + done);
        }
    });
    Ok((runs, ens))
}

/// A request error in the page's words.
fn page_request_error(e: quotasim_request::RequestError) -> String {
    use quotasim_request::RequestError as E;
    match e {
        E::Reps { value, max } => format!("replications {value}: allowed 1..={max} in the page"),
        E::Seed { value, max } => format!("seed {value}: allowed 0..={max}"),
        E::Draws { plans, reps } => format!("{plans} draws for {reps} replications"),
        e @ E::Assumptions { .. } => e.to_string(),
        e @ E::Bands { .. } => e.to_string(),
    }
}

/// The page's run: the settings written into the scenario text ([`levers::apply`]),
/// then replications 0..`reps` of it with its seed and days, as `quotasim run FILE
/// --reps REPS` does on the edited text; with `compare`, the shipped text with only the
/// page's seed and days beside it, as `quotasim compare` does. The edited text is
/// checked and planned once. Returns the edited text (the page's download) and the
/// result as JSON: `{"summary", "figures", "observed"}`, or with `compare`
/// `{"a", "b", "differences", "figures"}`. Progress goes to the page's callback when
/// [`run`] installed one.
pub fn run_settings(
    text: &str,
    origin: &str,
    settings: &levers::Settings,
    reps: u32,
    compare: bool,
    width: u32,
) -> Result<(String, String), String> {
    check_reps(reps)?;
    let (edited, plan_b) = levers::apply_planned(text, origin, settings)?;
    let size = Size::for_width(width);
    let out = if compare {
        let only_run = levers::Settings {
            seed: settings.seed,
            days: settings.days,
            ..levers::Settings::default()
        };
        let (_, plan_a) = levers::apply_planned(text, origin, &only_run)?;
        compare_plans(&plan_a, &plan_b, reps, size)?
    } else {
        run_plan(&plan_b, reps, size)?
    };
    Ok((edited, out))
}

/// The published figures inside the run's dates with each replication's figure for
/// them.
fn figures_of(plan: &Plan, runs: &[Run]) -> Figures {
    let mut figures = Figures::shipped_within(plan);
    for r in runs {
        figures.add(plan, r);
    }
    figures
}

fn observed(
    plan: &Plan,
    runs: &[Run],
    figures: &Figures,
    size: Size,
) -> Result<Option<Observed>, String> {
    if figures.observations.list.is_empty() {
        return Ok(None);
    }
    let scores = figures.scores();
    let series: Vec<Daily> = runs.iter().map(|r| Daily::of(plan, r)).collect();
    let observations = &figures.observations;
    Ok(Some(Observed {
        count: scores.len(),
        verdict: format!(
            "{} {}",
            quotasim_observed::verdict_plain(&scores),
            figures.reference().plain_sentence()
        ),
        file: OBSERVED.0,
        figures: charts(backtest_figures(plan, observations, &series, size)),
        latest: quotasim_observed::latest_of_each(&scores)
            .into_iter()
            .cloned()
            .collect(),
    }))
}

fn run_plan(plan: &Plan, reps: u32, size: Size) -> Result<String, String> {
    let total = u64::from(plan.days) * u64::from(reps);
    progress_total(total);
    let (runs, ens) = replicate(plan, reps, 0, total)?;
    let mut summary = ensemble::summary_of(&runs);
    // As `quotasim run`: bands widened by the model's own error where measured.
    let published = figures_of(plan, &runs);
    ens.finish(&mut summary, Some(&published));
    let figures = charts(run_figures(plan, &Series::of(plan, &runs), &summary, size));
    let observed = observed(plan, &runs, &published, size)?;
    // Serialized from the structs, not through `serde_json::Value`, so the summary's
    // keys keep summary.json's order.
    serde_json::to_string(&RunOut {
        window: quotasim_report::window_note(plan),
        summary: &summary,
        figures,
        observed,
    })
    .map_err(|e| e.to_string())
}

/// Runs `plan_a` and `plan_b` with the same seeds (those of `plan_b`) and days, as
/// `quotasim compare` does. JSON: `{"a", "b", "differences", "figures"}`, with the two
/// summaries.
fn compare_plans(plan_a: &Plan, plan_b: &Plan, reps: u32, size: Size) -> Result<String, String> {
    let total = 2 * u64::from(plan_b.days) * u64::from(reps);
    progress_total(total);
    let (runs_a, _) = replicate(plan_a, reps, 0, total)?;
    let (runs_b, _) = replicate(plan_b, reps, total / 2, total)?;
    // The charts' legends tell the two runs apart by name; the summaries keep the
    // scenario's own name (the downloaded file's run gives B's summary exactly).
    let named = |plan: &Plan, how: &str| {
        let mut p = plan.clone();
        p.scenario.run.name = format!("{} {how}", plan.scenario.run.name);
        p
    };
    let figures = charts(compare_figures(
        (&named(plan_a, "as shipped"), &Series::of(plan_a, &runs_a)),
        (
            &named(plan_b, "with your levers"),
            &Series::of(plan_b, &runs_b),
        ),
        size,
    ));
    serde_json::to_string(&CompareOut {
        a: &ensemble::summary_of(&runs_a),
        b: &ensemble::summary_of(&runs_b),
        differences: quotasim::compare::differences(&runs_a, &runs_b),
        figures,
    })
    .map_err(|e| e.to_string())
}

fn check_reps(reps: u32) -> Result<(), String> {
    quotasim_request::ensemble::reps_of(Some(reps), PAGE_MAX_REPS)
        .map(|_| ())
        .map_err(page_request_error)
}

/// Calls `f` with the page's progress callback installed for its duration; the total
/// is set once the run is planned ([`progress_total`]).
fn with_progress<T>(progress: &js_sys::Function, f: impl FnOnce() -> T) -> T {
    PROGRESS.with(|p| *p.borrow_mut() = Some((progress.clone(), 0.0)));
    let out = f();
    PROGRESS.with(|p| *p.borrow_mut() = None);
    out
}

/// [`run_settings`] for the page, `settings` as JSON of [`levers::Settings`], with
/// `progress(done, total)` called as days complete; the charts are drawn for a column
/// `width` CSS pixels wide. Returns `[edited text, result JSON]`.
#[wasm_bindgen]
pub fn run(
    text: &str,
    origin: &str,
    settings: &str,
    reps: u32,
    compare: bool,
    width: u32,
    progress: &js_sys::Function,
) -> Result<js_sys::Array, JsError> {
    let settings: levers::Settings =
        serde_json::from_str(settings).map_err(|e| error(format!("settings: {e}")))?;
    let (edited, out) = with_progress(progress, || {
        run_settings(text, origin, &settings, reps, compare, width)
    })
    .map_err(error)?;
    Ok(js_sys::Array::of2(&edited.into(), &out.into()))
}

/// "What would it take": the least-cost setting of `levers` (JSON list of
/// `"PATH=LO..HI"`) that meets `target` (`"KEY>=VALUE"` or `"KEY<=VALUE"`), as
/// `quotasim solve` finds it, on one seed (the scenario's) over the scenario's days.
/// JSON: the solution (quotasim_solve::Solution). `progress(done, at most)` is called
/// after each evaluation.
pub fn solve_text(
    text: &str,
    origin: &str,
    target: &str,
    levers: &str,
    progress: &dyn Fn(usize, usize),
) -> Result<String, String> {
    let scenario = Scenario::from_toml(origin, text).map_err(|e| e.to_string())?;
    let specs: Vec<String> = serde_json::from_str(levers).map_err(|e| format!("levers: {e}"))?;
    // A solve error in the page's words: the field it is about, then its text.
    let solve_error = |e: quotasim_solve::SolveError| {
        use quotasim_solve::Argument;
        let field = match e.argument() {
            Some(Argument::Target) => "target ",
            Some(Argument::Lever) => "lever ",
            None => "",
        };
        format!("{field}{e}")
    };
    let problem = quotasim_solve::SolveProblem {
        scenario: &scenario,
        target: quotasim_solve::Target::parse(target).map_err(solve_error)?,
        levers: specs
            .iter()
            .map(|l| quotasim_solve::Lever::parse(l).map_err(solve_error))
            .collect::<Result<_, _>>()?,
        days: None,
        seeds: 1,
        // The scenario's own seed, by the rule every front follows.
        seed: quotasim_request::ensemble::seed_of(&scenario, None).map_err(page_request_error)?,
    };
    let solution = quotasim_solve::solve(&problem, &|done, most| {
        progress(done, most);
        std::ops::ControlFlow::Continue(())
    })
    .map_err(solve_error)?;
    serde_json::to_string(&solution).map_err(|e| e.to_string())
}

/// [`solve_text`] for the page.
#[wasm_bindgen]
pub fn solve(
    text: &str,
    origin: &str,
    target: &str,
    levers: &str,
    progress: &js_sys::Function,
) -> Result<String, JsError> {
    solve_text(text, origin, target, levers, &|done, most| {
        let _ = progress.call2(
            &JsValue::NULL,
            &JsValue::from(done as f64),
            &JsValue::from(most as f64),
        );
    })
    .map_err(error)
}

/// Most replications of the page's live split (each is four runs).
pub const SPLIT_MAX_REPS: u32 = 4;

/// "What the quota did", live: the page's scenario (levers applied) split between the
/// quota and everything else ([`quotasim::attribution::QUOTA_SPLIT_TOML`]) by exact
/// Shapley values over the four subsets, each run with the same seeds, as `quotasim
/// attribute --groups scenarios/groups-quota-vs-rest.toml` does. JSON of the shape of
/// the page's precomputed attribution: `command`, `groups` (name, label) and `metrics`
/// (metric, counterfactual, scenario, change and each group's contribution as
/// [mean, p05, p95]). `progress(done, total)` counts runs.
pub fn split_text(
    text: &str,
    origin: &str,
    reps: u32,
    progress: &(dyn Fn(u64, u64) + Sync),
) -> Result<String, String> {
    use quotasim::attribution::{Grouping, QUOTA_SPLIT_NAME, QUOTA_SPLIT_TOML};
    use quotasim_request::attribute::{AttributeError, Attribution};
    let scenario = Scenario::from_toml(origin, text).map_err(|e| e.to_string())?;
    let reps = quotasim_request::ensemble::reps_of(Some(reps), SPLIT_MAX_REPS)
        .map_err(page_request_error)?;
    let grouping =
        Grouping::from_toml(QUOTA_SPLIT_NAME, QUOTA_SPLIT_TOML).map_err(|e| e.to_string())?;
    let words = |e: AttributeError| match e {
        AttributeError::Unowned(p) => format!(
            "the split cannot own {} setting(s) of the events: {}",
            p.len(),
            p.iter()
                .map(|p| p.path.as_str())
                .collect::<Vec<_>>()
                .join(", ")
        ),
        e => e.to_string(),
    };
    let request =
        Attribution::new(scenario, None, grouping, Vec::new(), None, Some(reps)).map_err(words)?;
    let total = request.runs();
    let results = request.run(&|done| progress(done, total)).map_err(words)?;
    let band = |b: (f64, f64, f64)| [b.0, b.1, b.2];
    serde_json::to_string(&json!({
        "command": format!(
            "the page's live split ({} replication(s) of {} days, {QUOTA_SPLIT_NAME})",
            request.reps(),
            request.plan_with(0).map_err(|e| e.to_string())?.days
        ),
        "groups": request.groups().groups.iter()
            .map(|g| json!({"name": g.name, "label": g.label}))
            .collect::<Vec<_>>(),
        "metrics": results.iter().map(|r| json!({
            "metric": r.metric,
            "counterfactual": r.counterfactual.0,
            "scenario": r.scenario.0,
            "change": band(r.change),
            "contributions": r.contributions.iter().map(|c| band(*c)).collect::<Vec<_>>(),
            "shares": r.shares.iter().map(|c| band(*c)).collect::<Vec<_>>(),
        })).collect::<Vec<_>>(),
    }))
    .map_err(|e| e.to_string())
}

thread_local! {
    /// The page's progress callback during a split (the page runs on one thread; the
    /// request layer asks for a callback it could share between threads).
    static SPLIT_PROGRESS: RefCell<Option<js_sys::Function>> = const { RefCell::new(None) };
}

/// [`split_text`] for the page.
#[wasm_bindgen]
pub fn split(
    text: &str,
    origin: &str,
    reps: u32,
    progress: &js_sys::Function,
) -> Result<String, JsError> {
    SPLIT_PROGRESS.with(|p| *p.borrow_mut() = Some(progress.clone()));
    let out = split_text(text, origin, reps, &|done, total| {
        SPLIT_PROGRESS.with(|p| {
            if let Some(f) = &*p.borrow() {
                let _ = f.call2(
                    &JsValue::NULL,
                    &JsValue::from(done as f64),
                    &JsValue::from(total as f64),
                );
            }
        })
    });
    SPLIT_PROGRESS.with(|p| *p.borrow_mut() = None);
    out.map_err(error)
}

#[cfg(test)]
mod tests {
    use super::*;
    use quotasim::scenario::NATIONAL_DEFAULT_NAME;
    use quotasim_observed::Metric;

    fn default_text() -> String {
        quotasim::overlay::national_default().text
    }

    /// The page's run of the default with only `seed` and `days` set: the edited text
    /// and the result.
    fn page_run(seed: u64, days: u32, reps: u32) -> (String, serde_json::Value) {
        let settings = levers::Settings {
            seed: Some(seed),
            days: Some(days),
            ..levers::Settings::default()
        };
        let (text, out) = run_settings(
            &default_text(),
            NATIONAL_DEFAULT_NAME,
            &settings,
            reps,
            false,
            860,
        )
        .unwrap();
        assert_eq!(
            text,
            levers::apply(&default_text(), NATIONAL_DEFAULT_NAME, &settings).unwrap()
        );
        (text, serde_json::from_str(&out).unwrap())
    }

    #[test]
    fn every_track_start_is_where_the_edited_text_starts_to_run() {
        // The search runs on the typed scenario; the file the page writes must agree:
        // at the track's start it runs, one step below it does not.
        let mut tracks = 0;
        for (file, _) in quotasim::overlay::SHIPPED {
            let text = quotasim::overlay::shipped_reader(file).unwrap();
            let whole = quotasim::overlay::resolve(file, &text, &quotasim::overlay::shipped_reader)
                .unwrap()
                .text;
            let s = Scenario::from_toml(file, &whole).unwrap();
            for l in levers::describe(&s).unwrap() {
                let Some((from, _)) = levers::runs_from(&whole, file, &s, &l) else {
                    continue;
                };
                let levers::ControlKind::Number { step, .. } = l.lever.kind else {
                    panic!("only a number has a track")
                };
                let at = |v: f64| {
                    let settings = levers::Settings {
                        levers: [(l.lever.id.to_string(), levers::Setting::Number(v))].into(),
                        ..levers::Settings::default()
                    };
                    levers::apply_planned(&whole, file, &settings)
                };
                assert!(at(from).is_ok(), "{file} {}: {from}", l.lever.id);
                assert!(at(from - step).is_err(), "{file} {}: {from}", l.lever.id);
                tracks += 1;
            }
        }
        // The 2025 fit and the default surge officers: ERO's track starts above 0.
        assert!(tracks >= 2, "{tracks} tracks checked");
    }

    #[test]
    fn a_lever_track_starts_where_the_scenario_runs_and_says_why() {
        // The shipped 2025 fit surges officers to Minneapolis: below twice the surge,
        // ERO officers cannot run; the track starts at the smallest value that does.
        let whole = quotasim::overlay::run_default().text;
        let s = Scenario::from_toml(quotasim::scenario::RUN_DEFAULT_NAME, &whole).unwrap();
        let shown = levers::describe(&s).unwrap();
        let ero = shown
            .iter()
            .find(|l| l.lever.id == "capacity.agencies.ero.agents")
            .unwrap();
        let (from, why) = levers::runs_from(&whole, quotasim::scenario::RUN_DEFAULT_NAME, &s, ero)
            .expect("the track's low end does not run");
        assert!(
            why.contains("half of capacity.agencies.ero.agents"),
            "{why}"
        );
        let at = |v: f64| {
            let settings = levers::Settings {
                levers: [(ero.lever.id.to_string(), levers::Setting::Number(v))].into(),
                ..levers::Settings::default()
            };
            levers::apply_planned(&whole, quotasim::scenario::RUN_DEFAULT_NAME, &settings)
        };
        assert!(at(from).is_ok());
        assert!(
            at(from - 100.0).is_err(),
            "{from} is not the smallest on the track"
        );
        // A lever whose whole track runs has none.
        let quota = shown
            .iter()
            .find(|l| l.lever.id == "quota.per_office_per_day")
            .unwrap();
        assert_eq!(
            levers::runs_from(&whole, quotasim::scenario::RUN_DEFAULT_NAME, &s, quota),
            None
        );
    }

    #[test]
    fn the_live_split_of_the_quota_and_the_rest_adds_up_to_the_change() {
        let (text, _) = page_run(11, 30, 1);
        let seen = std::sync::atomic::AtomicU64::new(0);
        let out = split_text(&text, NATIONAL_DEFAULT_NAME, 2, &|done, total| {
            assert_eq!(total, 8);
            seen.store(done, std::sync::atomic::Ordering::Relaxed);
        })
        .unwrap();
        assert_eq!(seen.into_inner(), 8);
        let v: serde_json::Value = serde_json::from_str(&out).unwrap();
        assert_eq!(v["groups"][0]["name"], "quota");
        assert_eq!(v["groups"][1]["name"], "rest");
        let m = v["metrics"]
            .as_array()
            .unwrap()
            .iter()
            .find(|m| m["metric"] == "arrests_per_day_mean")
            .unwrap();
        let change = m["change"][0].as_f64().unwrap();
        let parts: f64 = (0..2)
            .map(|g| m["contributions"][g][0].as_f64().unwrap())
            .sum();
        assert!(
            (parts - change).abs() < 1e-6 * change.abs().max(1.0),
            "{parts} vs {change}"
        );
        // 30 days from 2025-01-20: the quota of 2025-01-26 already raises arrests.
        assert!(m["contributions"][0][0].as_f64().unwrap() > 0.0, "{m}");
        // Each group's share of the change, as the request layer gives it.
        let share = m["shares"][0][0].as_f64().unwrap();
        let quota = m["contributions"][0][0].as_f64().unwrap();
        assert!((share - quota / change).abs() < 1e-12, "{m}");
        assert!(split_text(&text, NATIONAL_DEFAULT_NAME, 5, &|_, _| {}).is_err());
    }

    #[test]
    fn page_run_summary_is_the_commands_summary() {
        // A short run of the default: the page's JSON summary holds exactly the values
        // of the core's summary (the command writes the same serialization).
        let (text, out) = page_run(11, 20, 1);
        let s = Scenario::from_toml("x", &text).unwrap();
        let plan = Plan::new(&s).unwrap();
        let mut direct = quotasim::run(&plan, 11, 0).summary;
        // As every front, the page notes what its bands carry: none, for one run.
        quotasim_request::Ensemble::new(plan, Some(11), Some(1), 20)
            .unwrap()
            .note_bands(&mut direct);
        assert_eq!(out["summary"], serde_json::to_value(&direct).unwrap());
        assert_eq!(out["figures"].as_array().unwrap().len(), 7);
        assert!(
            out["figures"][0]["svg"]
                .as_str()
                .unwrap()
                .contains("role=\"img\"")
        );
    }

    #[test]
    fn the_pages_run_is_the_request_layers_run() {
        // As every front (quotasim-request): three replications draw their unit costs.
        let (text, out) = page_run(5, 12, 3);
        let plan = Plan::new(&Scenario::from_toml("x", &text).unwrap()).unwrap();
        let ens = quotasim_request::Ensemble::new(plan, None, Some(3), 20).unwrap();
        let runs = ens.run_all(&|_| {});
        let mut direct = ensemble::summary_of(&runs);
        ens.finish(&mut direct, Some(&figures_of(ens.plan(), &runs)));
        assert_eq!(out["summary"], serde_json::to_value(&direct).unwrap());
        let band = (
            out["summary"]["cost_per_year_p05"].as_f64().unwrap(),
            out["summary"]["cost_per_year_p95"].as_f64().unwrap(),
        );
        assert!(band.0 < band.1, "{band:?}");
    }

    #[test]
    fn page_compare_runs_the_shipped_scenario_with_the_pages_seed_and_days_beside_the_levers() {
        // As `quotasim compare`: A is the shipped text with only the seed and days of
        // the page, B the text with the levers too; both with B's seeds.
        let mut settings = levers::Settings {
            seed: Some(5),
            days: Some(15),
            ..levers::Settings::default()
        };
        settings.levers.insert(
            "quota.per_office_per_day".into(),
            levers::Setting::Number(20.0),
        );
        let (text, out) = run_settings(
            &default_text(),
            NATIONAL_DEFAULT_NAME,
            &settings,
            2,
            true,
            860,
        )
        .unwrap();
        let out: serde_json::Value = serde_json::from_str(&out).unwrap();
        // By the rules every front shares: two replications draw their unit costs.
        let summary = |text: &str| {
            let plan = Plan::new(&Scenario::from_toml("x", text).unwrap()).unwrap();
            let ens = quotasim_request::Ensemble::new(plan, Some(5), Some(2), 20).unwrap();
            assert!(ens.draws_costs());
            serde_json::to_value(ensemble::summary_of(&ens.run_all(&|_| {}))).unwrap()
        };
        let only_run = levers::Settings {
            levers: Default::default(),
            ..settings.clone()
        };
        let shipped = levers::apply(&default_text(), NATIONAL_DEFAULT_NAME, &only_run).unwrap();
        assert_eq!(out["a"], summary(&shipped));
        assert_eq!(out["b"], summary(&text));
        assert_ne!(out["a"], out["b"]);
        assert!(!out["differences"].as_array().unwrap().is_empty());
        assert!(
            run_settings(&text, NATIONAL_DEFAULT_NAME, &settings, 21, true, 860)
                .unwrap_err()
                .contains("allowed 1..=20")
        );
    }

    #[test]
    fn a_2025_run_is_set_beside_the_published_figures_within_it_and_fy2024_is_not() {
        let run = |file: &str, days: u32| -> serde_json::Value {
            let (_, text) = SCENARIOS.iter().find(|(f, _)| *f == file).unwrap();
            let whole = shipped_text(file, text).unwrap();
            let settings = levers::Settings {
                days: Some(days),
                ..levers::Settings::default()
            };
            let (_, out) = run_settings(&whole, file, &settings, 1, false, 390).unwrap();
            serde_json::from_str(&out).unwrap()
        };
        let fitted = run(quotasim::scenario::RUN_DEFAULT_NAME, 60);
        let obs = &fitted["observed"];
        // The figures whose window ends within the first 60 days (to 2025-03-20).
        let all = quotasim_observed::Observations::from_toml(OBSERVED.0, OBSERVED.1).unwrap();
        let start = quotasim::scenario::Date::parse("2025-01-20").unwrap();
        let expected = all
            .list
            .iter()
            .filter(|o| o.metric != Metric::Summary)
            .filter(|o| {
                o.from.is_some_and(|a| start.days_until(a) >= 0)
                    && o.to.is_some_and(|b| start.days_until(b) < 60)
            })
            .count();
        assert!(expected >= 2, "{expected}");
        assert_eq!(obs["count"], expected);
        // One chart per backtest panel with a figure inside the 60 days (a panel with
        // none would show the model alone), each saying how many it draws.
        let figures = obs["figures"].as_array().unwrap();
        assert!((1..=4).contains(&figures.len()), "{}", figures.len());
        for f in figures {
            let alt = f["alt"].as_str().unwrap();
            assert!(!alt.contains("and 0 published figures"), "{alt}");
        }
        assert!(
            obs["verdict"]
                .as_str()
                .unwrap()
                .contains(&format!("Of the {expected} published figures"))
        );
        // Drawn for a phone's column: 390 wide.
        assert!(
            fitted["figures"][0]["svg"]
                .as_str()
                .unwrap()
                .contains("width=\"390\"")
        );
        let fy2024 = run("scenarios/baseline-fy2024.toml", 30);
        assert!(fy2024["observed"].is_null());
    }

    #[test]
    fn a_solve_in_the_page_reports_each_evaluation_and_refuses_an_unknown_key() {
        let text = quotasim::overlay::national_default().text;
        let calls = std::cell::Cell::new(0);
        let settings = levers::Settings {
            days: Some(30),
            ..levers::Settings::default()
        };
        let text = levers::apply(&text, NATIONAL_DEFAULT_NAME, &settings).unwrap();
        let out = solve_text(
            &text,
            NATIONAL_DEFAULT_NAME,
            "arrests_per_day_mean>=1e9",
            r#"["removal.flights_per_day=5..10"]"#,
            &|_, _| calls.set(calls.get() + 1),
        )
        .unwrap();
        let v: serde_json::Value = serde_json::from_str(&out).unwrap();
        // Out of reach: two corners tried, then a cut of the lever to name what binds.
        assert_eq!(v["feasible"], false);
        assert_eq!(v["evaluations"].as_u64().unwrap() as usize, calls.get());
        assert!(calls.get() >= 2);
        let bad = solve_text(
            &text,
            NATIONAL_DEFAULT_NAME,
            "nonsense>=1",
            r#"["removal.flights_per_day=5..10"]"#,
            &|_, _| {},
        );
        assert!(bad.unwrap_err().contains("not a numeric summary key"));
    }

    #[test]
    fn every_shipped_scenario_takes_every_lever() {
        for (file, text) in SCENARIOS {
            let mut settings = levers::Settings::default();
            for l in levers::LEVERS {
                let v = match l.kind {
                    levers::ControlKind::Switch => levers::Setting::Switch(true),
                    levers::ControlKind::Number { min, max, .. }
                    | levers::ControlKind::JailCooperation { min, max, .. } => {
                        levers::Setting::Number((min + max) / 2.0)
                    }
                };
                settings.levers.insert(l.id.to_string(), v);
            }
            let whole = shipped_text(file, text).unwrap();
            let edited =
                levers::apply(&whole, file, &settings).unwrap_or_else(|e| panic!("{file}: {e}"));
            describe(&edited, file).unwrap_or_else(|e| panic!("{file}: {e:?}"));
        }
    }
}
