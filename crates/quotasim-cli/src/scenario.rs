//! `quotasim scenario show | check | params`: the scenario file and its parameters.

use std::path::{Path, PathBuf};

use clap::Subcommand;
use quotasim::Plan;
use quotasim::overlay::{self};

use crate::failure::Failure;
use crate::input::{load_scenario, read_scenario_text, resolve_scenario};
use crate::memory::check_memory;
use crate::report;

#[derive(Subcommand)]
pub(crate) enum ScenarioCmd {
    /// Print a scenario as TOML with its comments and sources: the built-in default
    /// (merged onto its base, ready to copy and edit) when no file is given.
    Show {
        /// Scenario file; omit for the built-in default.
        file: Option<PathBuf>,
        /// Print the file merged onto its chain of bases (`base = ...`): the whole
        /// scenario, which runs on its own.
        #[arg(long)]
        resolved: bool,
    },
    /// Validate a scenario file; prints every problem with its file, line and key.
    Check { file: PathBuf },
    /// List every parameter: path, unit, range, kind, the value in a scenario (the
    /// built-in default when no file is given) and its meaning.
    Params {
        /// Scenario file whose values are listed; omit for the built-in default.
        file: Option<PathBuf>,
        /// Print docs/parameters.md (the registry as a Markdown table) instead.
        #[arg(long)]
        markdown: bool,
    },
}

pub(crate) fn cmd_show(file: Option<&Path>, resolved: bool) -> Result<(), Failure> {
    match file {
        None => print!("{}", overlay::run_default().text),
        Some(p) if resolved => {
            let (r, _) = load_scenario(Some(p))?;
            print!("{}", r.text);
        }
        Some(p) => print!("{}", read_scenario_text(p)?),
    }
    Ok(())
}

pub(crate) fn cmd_check(file: &Path) -> Result<(), Failure> {
    let resolved = resolve_scenario(Some(file))?;
    let plan = Plan::from_resolved(&resolved, None)?;
    let s = &plan.scenario;
    let bases = if resolved.has_base() {
        let names: Vec<&str> = resolved.files[1..]
            .iter()
            .map(|(o, _)| o.as_str())
            .collect();
        format!(" on base {}", names.join(", then "))
    } else {
        String::new()
    };
    // A scenario that no run could hold here is refused, as `run` would refuse it.
    let need = check_memory(&plan, 1)?;
    println!(
        "{}: valid scenario \"{}\"{bases}: {} days from {}, {} offices, {} parameter change(s) from events",
        file.display(),
        s.run.name,
        s.run.days,
        s.run.start_date,
        plan.offices.len(),
        plan.segments.len() - 1
    );
    println!(
        "projected peak memory of one run: about {} MB",
        need.div_ceil(1 << 20)
    );
    Ok(())
}

pub(crate) fn cmd_params(file: Option<&Path>, markdown: bool) -> Result<(), Failure> {
    if markdown {
        print!("{}", quotasim::reference::markdown());
        return Ok(());
    }
    let (_, scenario) = load_scenario(file)?;
    print!("{}", report::parameters_table(&scenario));
    Ok(())
}
