//! # quotasim-report — self-contained HTML reports with SVG charts
//!
//! Pure rendering: results in, one HTML string out (inline SVG drawn by plotters, a
//! few lines of CSS, no script and nothing fetched over the network). The command
//! writes it as `report.html` beside a run's, a sweep's or a comparison's outputs.
//!
//! Every chart is a `<figure>` holding an `<svg role="img">` with a text alternative
//! and a plain-language `<figcaption>`. Numbers in captions that come from the summary
//! are marked `<span data-key="KEY" data-value="VALUE">`, so a test can check them
//! against summary.json.

mod backtest;
pub mod chart;
mod html;
mod run;
pub mod series;
mod solve;
mod sweep;

pub use backtest::{Band, Daily, Mark, ScoreRow, backtest_figures, backtest_report, charted_count};
pub use chart::Size;
pub use html::{Figure, accessible, esc, page};
pub use run::{
    compare_figures, compare_report, fit_window, run_figures, run_report, show as show_value,
    thousands, window_note,
};
pub use series::Series;
pub use solve::{SolveStep, solve_report};
pub use sweep::{SweepPoint, SweepSobol, sweep_report};
