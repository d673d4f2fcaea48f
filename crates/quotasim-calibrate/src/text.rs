//! A fit as text (docs/calibration.md): what `quotasim calibrate` and
//! `quotasim.calibrate()` write, and `run --posterior`'s draws. No I/O: the fronts
//! write the files.
//!
//! Outputs of a calibration, written together into one folder (atomically, as a run's):
//! - `fitted.toml`: the scenario file as given, comments kept, with the fitted values
//!   written in and a header listing each change;
//! - `fit.toml`: the fit, machine-readable; `quotasim run --posterior fit.toml` draws
//!   parameters from it;
//! - `fit-report.md`: the targets with the model's values, spread and error, and the
//!   parameters with their intervals and whether the targets identify them.

use std::fmt::Write as _;

use quotasim::edit::{EditError, Editor};

use crate::fit::Fit;
use crate::targets::{Free, Mode, Targets, round4};

const HEADER_START: &str = "# Fitted by `quotasim calibrate`";

/// The scenario text with the fitted values written in, comments kept
/// ([`quotasim::edit::Editor`]); the header of an earlier fit is replaced. A value set
/// that the file leaves to its base is added to the file.
pub fn fitted_scenario_text(
    text: &str,
    fit: &Fit,
    targets_name: &str,
) -> Result<String, EditError> {
    let mut doc = Editor::open(text, HEADER_START)?;
    for p in &fit.parameters {
        let was = write_value(&mut doc, &p.path, p.mode, p.estimate)?;
        match (p.mode, was) {
            (Mode::Set, Some(old)) => doc.note(format!("{} = {} (was {old})", p.path, p.estimate)),
            (Mode::Set, None) => doc.note(format!(
                "{} = {} (added; the base's {})",
                p.path, p.estimate, p.start
            )),
            (Mode::Scale, _) => doc.note(format!("{} x {} (each value)", p.path, p.estimate)),
        }
    }
    Ok(doc.finish(&format!(
        "to {targets_name} (objective {:.3} -> {:.3}, {} evaluations x {} seeds;\n# see fit.toml and fit-report.md beside this file). Changed:",
        fit.fit.objective_start, fit.fit.objective, fit.fit.evaluations, fit.fit.seeds
    )))
}

/// Whether a fit of `free` can be written into `text`, checked before the search so
/// that a long fit does not end in an error: every scaled table must be in the file
/// (a set value the file leaves out is added).
pub fn check_writable(text: &str, free: &[Free]) -> Result<(), EditError> {
    let mut doc = Editor::open(text, HEADER_START)?;
    for f in free {
        write_value(&mut doc, &f.path, f.mode, 1.0)?;
    }
    Ok(())
}

/// Writes one fitted value: a set value at its path (added where the file leaves it
/// out, `None` returned), or a table's every number scaled. Returns the old value.
fn write_value(
    doc: &mut Editor,
    path: &str,
    mode: Mode,
    estimate: f64,
) -> Result<Option<f64>, EditError> {
    match mode {
        Mode::Set => match doc.set_number(path, |_| round4(estimate)) {
            Ok(old) => Ok(Some(old)),
            Err(EditError::NotInFile { .. }) => {
                doc.put_number(path, round4(estimate))?;
                Ok(None)
            }
            Err(e) => Err(e),
        },
        Mode::Scale => {
            doc.scale_each(path, |x| round4(x * estimate))?;
            Ok(None)
        }
    }
}

/// What the check on fresh replications says of the search's gain (`searched`, on its
/// own seeds).
pub fn check_sentence(c: &crate::fit::Check, searched: f64) -> String {
    let gain = c.gain();
    let verdict = if gain > 2.0 * c.gain_se {
        "more than twice its standard error: the fit is better than the start beyond the seeds' noise"
    } else if gain > -2.0 * c.gain_se {
        "within twice its standard error: what the search gained may be its seeds' noise, not the model's"
    } else {
        "a loss of more than twice its standard error: the search fitted its seeds' noise"
    };
    format!(
        "On {} fresh replications (not the search's): {:.3} at the start, {:.3} at the fit, a gain of {:.3} ± {:.3} (against {:.3} on the search's seeds), {verdict}.",
        c.seeds, c.objective_start, c.objective, gain, c.gain_se, searched
    )
}

/// The fit as a Markdown report.
pub fn report(fit: &Fit, targets: &Targets, targets_name: &str) -> String {
    let f = &fit.fit;
    let mut s = String::new();
    let _ = writeln!(s, "# Calibration of `{}` to `{targets_name}`\n", f.scenario);
    let _ = writeln!(
        s,
        "Method: {}. {} seeds per evaluation (seed {}), {} days per run; {} evaluations, {} simplex iterations; stopped: {}.\n",
        f.method, f.seeds, f.seed, f.days, f.evaluations, f.iterations, f.stopped
    );
    let _ = writeln!(
        s,
        "Objective (sum of squared z): {:.3} at the start, {:.3} at the fit. {}\n",
        f.objective_start,
        f.objective,
        targets.reference().fit_sentence(targets.free.len())
    );
    if let Some(c) = &f.check {
        let _ = writeln!(
            s,
            "{}\n",
            check_sentence(c, f.objective_start - f.objective)
        );
    }
    if f.starts > 1 {
        let ended: Vec<String> = f
            .start_objectives
            .iter()
            .enumerate()
            .map(|(i, x)| {
                let from = if i == 0 {
                    "the scenario's values".to_string()
                } else if f.start_spread < 1.0 {
                    format!("hypercube around them, {} of each range", f.start_spread)
                } else {
                    "hypercube".to_string()
                };
                format!("{} ({from}) {x:.3}", i + 1)
            })
            .collect();
        let _ = writeln!(
            s,
            "Searches from {} starts ended at: {}. The fit is search {}'s best point.\n",
            f.starts,
            ended.join("; "),
            f.chosen_start
        );
    }
    let _ = writeln!(s, "## Targets\n");
    let _ = writeln!(
        s,
        "| key | target | sd | model (mean over seeds) | seeds' sd | seeds' range | error | error % | z | source |"
    );
    let _ = writeln!(s, "|---|---|---|---|---|---|---|---|---|---|");
    for (i, t) in fit.targets.iter().enumerate() {
        let source = targets.describe(i).2;
        let _ = writeln!(
            s,
            "| `{}` | {} | {} | {} | {} | {} .. {} | {} | {:+.1} % | {:+.2} | {} |",
            t.key,
            num(t.value),
            num(t.sd),
            num(t.model),
            num(t.model_seed_sd),
            num(t.model_min),
            num(t.model_max),
            num(t.error),
            100.0 * t.relative_error,
            t.z,
            source
        );
    }
    let _ = writeln!(s, "\n## Parameters\n");
    let _ = writeln!(
        s,
        "| path | mode | bounds | start | fit | 5-95 % posterior | sd / prior sd | identified |"
    );
    let _ = writeln!(s, "|---|---|---|---|---|---|---|---|");
    for p in &fit.parameters {
        let _ = writeln!(
            s,
            "| `{}` | {} | {} .. {}{} | {} | {} | {} .. {} | {:.2} | {} |",
            p.path,
            match p.mode {
                Mode::Set => "set",
                Mode::Scale => "scale",
            },
            num(p.lo),
            num(p.hi),
            if p.log { " (log)" } else { "" },
            num(p.start),
            num(p.estimate),
            num(p.p05),
            num(p.p95),
            p.sd_over_prior,
            if p.identified {
                "yes"
            } else {
                "no: the targets leave it near its prior range"
            }
        );
    }
    s
}

/// A number with four significant figures, without exponent for ordinary sizes.
fn num(x: f64) -> String {
    if !x.is_finite() {
        return "n/a".into();
    }
    let r = round4(x);
    if r.abs() >= 1e-4 || r == 0.0 {
        let s = format!("{r:.6}");
        let s = s.trim_end_matches('0').trim_end_matches('.');
        s.to_string()
    } else {
        format!("{r:e}")
    }
}

/// The posterior draws of a run, one row per replication (posterior.csv).
pub fn posterior_csv(fit: &Fit, draws: &[Vec<f64>]) -> String {
    let mut s = String::from("rep");
    for p in &fit.parameters {
        s.push(',');
        s.push_str(&p.path);
    }
    s.push('\n');
    for (rep, d) in draws.iter().enumerate() {
        s.push_str(&rep.to_string());
        for x in d {
            let _ = write!(s, ",{x}");
        }
        s.push('\n');
    }
    s
}
