//! The report of a sweep: outputs against one varied key with bands, a heat map for a
//! grid of two, Sobol indices as bars.

use std::fmt::Write as _;

use crate::chart::{self, Axes, HeatKey, Line, Size};
use crate::html::{Figure, esc, page};
use crate::run::show;

/// One point of a sweep: its parameter values and, per output key, the values of its
/// replications.
pub struct SweepPoint {
    pub values: Vec<f64>,
    pub outputs: Vec<Vec<f64>>,
}

/// Sobol indices of one output: per varied key (first, first_conf, total, total_conf).
pub struct SweepSobol {
    pub key: String,
    pub indices: Vec<(f64, f64, f64, f64)>,
}

fn mean(v: &[f64]) -> f64 {
    let f: Vec<f64> = v.iter().copied().filter(|x| x.is_finite()).collect();
    if f.is_empty() {
        f64::NAN
    } else {
        f.iter().sum::<f64>() / f.len() as f64
    }
}

fn q(v: &[f64], p: f64) -> f64 {
    let f: Vec<f64> = v.iter().copied().filter(|x| x.is_finite()).collect();
    if f.is_empty() {
        f64::NAN
    } else {
        quotasim::ensemble::quantile(&f, p)
    }
}

fn label_for(key: &str) -> fn(f64) -> String {
    if key.starts_with("share_") || key.contains("_share") || key.contains("attainment") {
        |y| format!("{:.0} %", 100.0 * y)
    } else {
        |y| {
            if y.abs() >= 10.0 {
                crate::run::count_label(y)
            } else {
                format!("{y:.2}")
            }
        }
    }
}

/// The sweep report. `keys` are the varied paths, `outputs` the output keys in the
/// order of each point's `outputs`, `shown` the outputs to chart; `design` names the
/// design; `sobol` holds the indices of a Sobol design.
pub fn sweep_report(
    keys: &[String],
    outputs: &[String],
    shown: &[&str],
    points: &[SweepPoint],
    design: &str,
    grid_steps: &[u32],
    sobol: Option<&[SweepSobol]>,
) -> String {
    let mut figs = Vec::new();
    let reps = points
        .first()
        .and_then(|p| p.outputs.first())
        .map_or(0, |o| o.len());
    let index_of = |k: &str| outputs.iter().position(|o| o == k);
    let x_fmt = |x: f64| {
        if x.abs() >= 100.0 {
            format!("{x:.0}")
        } else {
            let s = format!("{x:.3}");
            s.trim_end_matches('0').trim_end_matches('.').to_string()
        }
    };
    if let Some(sobol) = sobol {
        for s in sobol.iter().filter(|s| shown.contains(&s.key.as_str())) {
            let first: Vec<f64> = s.indices.iter().map(|i| i.0).collect();
            let first_c: Vec<f64> = s.indices.iter().map(|i| i.1).collect();
            let total: Vec<f64> = s.indices.iter().map(|i| i.2).collect();
            let total_c: Vec<f64> = s.indices.iter().map(|i| i.3).collect();
            let top = s
                .indices
                .iter()
                .enumerate()
                .max_by(|a, b| a.1.2.total_cmp(&b.1.2))
                .map(|(j, i)| format!("{} (total index {:.2})", keys[j], i.2))
                .unwrap_or_default();
            figs.push(Figure {
                id: format!("sobol-{}", s.key),
                title: format!("Sobol indices of {}", s.key),
                svg: chart::bars(
                    keys,
                    &[
                        ("first order".into(), first, Some(first_c)),
                        ("total".into(), total, Some(total_c)),
                    ],
                    "share of variance",
                    &|y| format!("{y:.2}"), Size::REPORT,
                ),
                alt: format!("Bar chart of first-order and total Sobol indices of {} for each varied key.", s.key),
                caption: format!(
                    "How much of the variance of {} each varied key explains: alone (first order) and with its interactions (total), with 95 % bootstrap intervals. The largest: {}.",
                    esc(&s.key),
                    esc(&top)
                ),
            });
        }
    } else if keys.len() == 2 && design == "grid" {
        let (n0, n1) = (grid_steps[0] as usize, grid_steps[1] as usize);
        let rows: Vec<String> = (0..n0)
            .rev()
            .map(|i| x_fmt(points[i * n1].values[0]))
            .collect();
        let cols: Vec<String> = (0..n1).map(|j| x_fmt(points[j].values[1])).collect();
        for key in shown {
            let Some(o) = index_of(key) else { continue };
            let mut cells = vec![vec![f64::NAN; n1]; n0];
            let mut max: f64 = 0.0;
            for (i, row) in cells.iter_mut().enumerate() {
                for (j, c) in row.iter_mut().enumerate() {
                    *c = mean(&points[i * n1 + j].outputs[o]);
                    max = max.max(c.abs());
                }
            }
            cells.reverse();
            figs.push(Figure {
                id: format!("heat-{key}"),
                title: format!("{key} over {} and {}", keys[0], keys[1]),
                svg: chart::heat_map(
                    &cells,
                    &rows,
                    &cols,
                    &keys[1],
                    &keys[0],
                    &HeatKey {
                        title: key,
                        max: if max > 0.0 { max } else { 1.0 },
                        show: &|v| show(key, v),
                        missing: "no value (null)",
                    },
                    Size::REPORT,
                ),
                alt: format!("Heat map of {key} over the grid of {} and {}.", keys[0], keys[1]),
                caption: format!(
                    "Mean of {} over {reps} replications at each point of the grid (darker: higher; the darkest is {}).",
                    esc(key),
                    show(key, max)
                ),
            });
        }
    } else {
        for (j, k) in keys.iter().enumerate() {
            let mut order: Vec<usize> = (0..points.len()).collect();
            order.sort_by(|a, b| points[*a].values[j].total_cmp(&points[*b].values[j]));
            for key in shown {
                let Some(o) = index_of(key) else { continue };
                let pts: Vec<(f64, f64)> = order
                    .iter()
                    .map(|&i| (points[i].values[j], mean(&points[i].outputs[o])))
                    .collect();
                let band: Vec<(f64, f64, f64)> = order
                    .iter()
                    .map(|&i| {
                        (
                            points[i].values[j],
                            q(&points[i].outputs[o], 0.05),
                            q(&points[i].outputs[o], 0.95),
                        )
                    })
                    .collect();
                let lo = pts.first().map_or(f64::NAN, |p| p.1);
                let hi = pts.last().map_or(f64::NAN, |p| p.1);
                let y_label = label_for(key);
                figs.push(Figure {
                    id: format!("{key}-vs-{k}"),
                    title: format!("{key} against {k}"),
                    svg: chart::lines(
                        &[],
                        &[Line {
                            label: format!("{key} (mean; band 5-95 %)"),
                            points: pts,
                            band: (reps > 1).then_some(band),
                            dashed: false,
                        }],
                        &Axes {
                            x_desc: k,
                            y_desc: key,
                            x_label: &x_fmt,
                            y_label: &y_label,
                            mark: None,
                        }, Size::REPORT,
                    ),
                    alt: format!("Line chart of {key} against {k}."),
                    caption: format!(
                        "{} at each point of the design, mean over {reps} replications with their 5-95 % band; from {} at {} = {} to {} at {}.",
                        esc(key),
                        show(key, lo),
                        esc(k),
                        x_fmt(points[order[0]].values[j]),
                        show(key, hi),
                        x_fmt(points[*order.last().unwrap_or(&0)].values[j])
                    ),
                });
            }
        }
    }
    let mut table = String::from("<h2 id=\"points\">Points</h2>\n<table>\n<tr><th>point</th>");
    for k in keys {
        let _ = write!(table, "<th>{}</th>", esc(k));
    }
    for key in shown {
        let _ = write!(table, "<th>{}</th>", esc(key));
    }
    table.push_str("</tr>\n");
    for (i, p) in points.iter().enumerate().take(200) {
        let _ = write!(table, "<tr><td>{i}</td>");
        for v in &p.values {
            let _ = write!(table, "<td>{}</td>", x_fmt(*v));
        }
        for key in shown {
            let v = index_of(key).map_or(f64::NAN, |o| mean(&p.outputs[o]));
            let _ = write!(table, "<td>{}</td>", show(key, v));
        }
        table.push_str("</tr>\n");
    }
    table.push_str("</table>\n");
    if points.len() > 200 {
        let _ = writeln!(
            table,
            "<p class=\"note\">First 200 of {} points; all are in results.parquet.</p>",
            points.len()
        );
    }
    let intro = format!(
        "<p>A {design} design of {} point(s) over {}, {reps} replication(s) each, the same seeds at every point.</p>",
        points.len(),
        keys.iter()
            .map(|k| format!("<code>{}</code>", esc(k)))
            .collect::<Vec<_>>()
            .join(", ")
    );
    page("quotasim: sweep", &intro, &figs, &table)
}
