//! Options several commands share: the run's days, seed and replications, and the
//! output folder.

use std::path::PathBuf;

use crate::failure::Failure;
use crate::output;

/// The options every command that runs the model takes, declared once.
#[derive(clap::Args, Clone)]
pub(crate) struct RunOptions {
    /// Replications (default: 1; `compare`: 10; `attribute`: 4). Replications run in parallel; summaries
    /// then give the mean with _p05 and _p95.
    #[arg(long, value_parser = clap::value_parser!(u32).range(1..=10_000))]
    pub(crate) reps: Option<u32>,
    /// Seed of the random streams (default: the scenario's run.seed), 0 to 2^63 - 1.
    #[arg(long, value_parser = clap::value_parser!(u64).range(0..=quotasim::scenario::MAX_SEED))]
    pub(crate) seed: Option<u64>,
    /// Days to simulate (default: the scenario's run.days); events after the end do not happen.
    #[arg(long, value_parser = clap::value_parser!(u32).range(1..=i64::from(quotasim::scenario::MAX_DAYS)))]
    pub(crate) days: Option<u32>,
    #[command(flatten)]
    pub(crate) out: OutOptions,
    /// Print no progress bar.
    #[arg(long)]
    pub(crate) quiet: bool,
}

/// Where a command writes, declared once.
#[derive(clap::Args, Clone)]
pub(crate) struct OutOptions {
    /// Output folder (default: under runs/, named after the scenario). It is replaced
    /// whole, so it must be new, empty or an earlier quotasim output folder; checked
    /// and locked before the work starts.
    #[arg(long)]
    pub(crate) out: Option<PathBuf>,
    /// Replace --out even if it holds files quotasim did not write (they are deleted).
    #[arg(long)]
    pub(crate) force: bool,
}

impl OutOptions {
    /// The output folder (`default`, made safe as a folder name, under runs/ when
    /// --out is not given), claimed before any simulation starts.
    pub(crate) fn claim(&self, default: &str) -> Result<output::OutDir, Failure> {
        let out = self
            .out
            .clone()
            .unwrap_or_else(|| PathBuf::from("runs").join(folder_name(default)));
        output::claim(&out, self.force)
            .map_err(|e| Failure::Input(format!("error: --out {}: {e}", out.display())))
    }
}

impl RunOptions {
    pub(crate) fn reps_or(&self, default: u32) -> u32 {
        self.reps.unwrap_or(default)
    }
}

/// `name` as one folder name: letters, digits, `.`, `_` and `-` kept, anything else
/// (a path separator among them) written `-`, no leading dot. Scenario names with a
/// separator or `..` are refused at their line before this; this keeps every default
/// folder under runs/ whatever reaches it.
pub(crate) fn folder_name(name: &str) -> String {
    let safe: String = name
        .chars()
        .map(|c| {
            if c.is_alphanumeric() || matches!(c, '.' | '_' | '-') {
                c
            } else {
                '-'
            }
        })
        .collect();
    let safe = safe.trim_start_matches(['.', '-']);
    if safe.is_empty() {
        "scenario".into()
    } else {
        safe.into()
    }
}
