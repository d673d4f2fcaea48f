//! `solve.html`: the search path of `quotasim solve` and the resource that bound at
//! each step.

use std::fmt::Write as _;

use crate::chart::{self, Axes, Line, Size};
use crate::html::{Figure, esc, page};

/// One evaluated setting, as the report draws it.
pub struct SolveStep {
    pub stage: String,
    pub values: Vec<f64>,
    pub metric: f64,
    pub cost_per_year: f64,
    pub meets: bool,
    pub binding: Option<String>,
}

/// The report: a verdict, the target and cost along the search, and the path's table.
pub fn solve_report(
    scenario: &str,
    target: &str,
    levers: &[String],
    verdict: &str,
    steps: &[SolveStep],
) -> String {
    let pts = |f: &dyn Fn(&SolveStep) -> f64| -> Vec<(f64, f64)> {
        steps
            .iter()
            .enumerate()
            .map(|(i, s)| ((i + 1) as f64, f(s)))
            .collect()
    };
    let line = |label: &str, points: Vec<(f64, f64)>| Line {
        label: label.into(),
        points,
        band: None,
        dashed: false,
    };
    let big = crate::run::count_label;
    let x = |v: f64| format!("{v:.0}");
    let figures = vec![
        Figure {
            id: "target".into(),
            title: "The target key along the search".into(),
            svg: chart::lines(
                &[],
                &[line("target key (mean over seeds)", pts(&|s| s.metric))],
                &Axes {
                    x_desc: "evaluation",
                    y_desc: "target key",
                    x_label: &x,
                    y_label: &big,
                    mark: None,
                },
                Size::REPORT,
            ),
            alt: "Line chart of the target key at each evaluation of the search.".into(),
            caption: format!(
                "{target}: the key's mean over the common seeds at each setting tried, in order."
            ),
        },
        Figure {
            id: "cost".into(),
            title: "Cost a year along the search".into(),
            svg: chart::lines(
                &[],
                &[line("cost a year (USD)", pts(&|s| s.cost_per_year))],
                &Axes {
                    x_desc: "evaluation",
                    y_desc: "US dollars a year",
                    x_label: &x,
                    y_label: &big,
                    mark: None,
                },
                Size::REPORT,
            ),
            alt: "Line chart of the cost a year at each evaluation of the search.".into(),
            caption: "The mean cost a year (docs/costs.md) of each setting tried.".into(),
        },
    ];
    let mut t = String::from(
        "<h2 id=\"path\">The search, step by step</h2>\n<div style=\"overflow-x:auto\">\n<table>\n<tr><th>#</th><th>stage</th>",
    );
    for l in levers {
        let _ = write!(t, "<th>{}</th>", esc(l));
    }
    t.push_str("<th>target key</th><th>cost a year (USD)</th><th>meets</th><th>lever raised (binding)</th></tr>\n");
    for (i, s) in steps.iter().enumerate() {
        let _ = write!(t, "<tr><td>{}</td><td>{}</td>", i + 1, esc(&s.stage));
        for v in &s.values {
            let _ = write!(t, "<td>{}</td>", big_exact(*v));
        }
        let _ = writeln!(
            t,
            "<td>{}</td><td>{}</td><td>{}</td><td>{}</td></tr>",
            big_exact(s.metric),
            big_exact(s.cost_per_year),
            if s.meets { "yes" } else { "no" },
            esc(s.binding.as_deref().unwrap_or(""))
        );
    }
    t.push_str("</table>\n</div>\n");
    let intro = format!(
        "<p>Scenario <b>{}</b>; target <b>{}</b>; levers {}.</p>\n<p><b>Verdict.</b> {}</p>",
        esc(scenario),
        esc(target),
        esc(&levers.join(", ")),
        esc(verdict)
    );
    page(&format!("Solve: {scenario}"), &intro, &figures, &t)
}

fn big_exact(v: f64) -> String {
    if v.abs() >= 100.0 {
        crate::run::thousands(v)
    } else {
        format!("{v:.3}")
    }
}
