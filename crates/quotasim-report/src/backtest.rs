//! The backtest page: the model's national daily series with their 5-95 % bands, the
//! published figures laid over them, a score table and a plain-language verdict.

use std::fmt::Write as _;

use quotasim::Plan;
use quotasim::engine::Run;
use quotasim_observed::{Metric, Observations};

use crate::chart::{self, Axes, Line, Size};
use crate::html::{Figure, esc, page};
use crate::run::{count_label, date_label};

/// A daily series over replications: mean and 5-95 % band, one value a day.
#[derive(Debug, Clone, Default)]
pub struct Band {
    pub mean: Vec<f64>,
    pub p05: Vec<f64>,
    pub p95: Vec<f64>,
}

impl Band {
    /// The band of a series given per replication, per day (every replication as long
    /// as the first).
    pub fn over(per_rep: &[Vec<f64>]) -> Band {
        let days = per_rep.first().map_or(0, Vec::len);
        let mut b = Band::default();
        for day in 0..days {
            let v: Vec<f64> = per_rep.iter().map(|r| r[day]).collect();
            b.mean.push(v.iter().sum::<f64>() / v.len() as f64);
            b.p05.push(quotasim::ensemble::quantile(&v, 0.05));
            b.p95.push(quotasim::ensemble::quantile(&v, 0.95));
        }
        b
    }
}

/// A published figure drawn over its window: a value (lo = hi) or a range.
#[derive(Debug, Clone)]
pub struct Mark {
    pub from_day: f64,
    pub to_day: f64,
    pub lo: f64,
    pub hi: f64,
}

/// One chart: model series (label, band), fixed reference lines (label, one value a
/// day) and the figures observed of it, in labelled groups.
struct Panel<'a> {
    pub id: &'a str,
    pub title: &'a str,
    pub y_desc: &'a str,
    pub percent: bool,
    pub model: Vec<(String, &'a Band)>,
    pub reference: Vec<(String, Vec<f64>)>,
    pub marks: Vec<(String, Vec<Mark>)>,
    pub caption: String,
}

/// One row of the score table, already as text.
pub struct ScoreRow {
    pub metric: String,
    pub window: String,
    pub observed: String,
    pub model: String,
    pub z: f64,
    pub inside: bool,
    pub source: String,
}

fn points(v: &[f64]) -> Vec<(f64, f64)> {
    v.iter().enumerate().map(|(d, &y)| (d as f64, y)).collect()
}

/// The national daily series the backtest's charts show, one value a day, for one
/// replication.
#[derive(Debug, Clone, Default)]
pub struct Daily {
    pub arrests: Vec<f64>,
    /// Arrests not made in jails (targeted, collateral and community).
    pub at_large: Vec<f64>,
    pub share_other: Vec<f64>,
    pub share_convicted: Vec<f64>,
    pub detained: Vec<f64>,
    pub removals: Vec<f64>,
}

impl Daily {
    /// The series of one replication's run.
    pub fn of(plan: &Plan, run: &Run) -> Daily {
        let mut d = Daily::default();
        for rows in run.daily.chunks(plan.offices.len()) {
            let arrests: f64 = rows.iter().map(|r| f64::from(r.arrests())).sum();
            let other: f64 = rows.iter().map(|r| f64::from(r.arrests_by_class[4])).sum();
            let conv: f64 = rows
                .iter()
                .map(|r| f64::from(r.arrests_by_class[..3].iter().sum::<u32>()))
                .sum();
            let outside_jails: f64 = rows
                .iter()
                .map(|r| f64::from(r.arrests_outside_jails()))
                .sum();
            let share = |x: f64| if arrests > 0.0 { x / arrests } else { 0.0 };
            d.arrests.push(arrests);
            d.at_large.push(outside_jails);
            d.share_other.push(share(other));
            d.share_convicted.push(share(conv));
            d.detained.push(rows[0].national_detained as f64);
            d.removals.push(rows[0].national_removals as f64);
        }
        d
    }
}

/// The published figures of `metric` with a window, as marks on the run's days (the
/// windows lie within the run: `Observations::check_against` checks it for the command,
/// and the dashboard keeps only those that do).
fn marks_of(
    plan: &Plan,
    observations: &Observations,
    label: &str,
    metric: Metric,
) -> (String, Vec<Mark>) {
    let start = plan.scenario.run.start_date;
    let list = observations
        .list
        .iter()
        .filter(|o| o.metric == metric)
        .filter_map(|o| {
            let (a, b) = (o.from?, o.to?);
            let (lo, hi) = match (o.value, o.min, o.max) {
                (Some(v), _, _) => (v, v),
                (None, lo, hi) => (lo.or(hi)?, hi.or(lo)?),
            };
            Some(Mark {
                from_day: start.days_until(a) as f64,
                to_day: start.days_until(b) as f64,
                lo,
                hi,
            })
        })
        .collect();
    (label.to_string(), list)
}

/// The kinds of published figure the backtest's charts draw.
const CHARTED: [Metric; 7] = [
    Metric::ArrestsPerDay,
    Metric::AtLargeArrestsPerDay,
    Metric::ShareOther,
    Metric::ShareConvicted,
    Metric::Detained,
    Metric::RemovalsPerDay,
    Metric::RemovalsFromDetentionPerDay,
];

/// How many of `observations` the backtest's charts draw (those of a charted kind, with
/// dates).
pub fn charted_count(observations: &Observations) -> usize {
    observations
        .list
        .iter()
        .filter(|o| CHARTED.contains(&o.metric) && o.from.is_some() && o.to.is_some())
        .count()
}

/// The backtest's charts: arrests a day, who is arrested, the detained against funded
/// and contracted beds, removals a day; the model's mean and band over `series` (one
/// per replication), the published figures of `observations` drawn over their windows.
pub fn backtest_figures(
    plan: &Plan,
    observations: &Observations,
    series: &[Daily],
    size: Size,
) -> Vec<Figure> {
    let marks = |label: &str, metric: Metric| marks_of(plan, observations, label, metric);
    let of = |f: &dyn Fn(&Daily) -> &Vec<f64>| {
        Band::over(&series.iter().map(|d| f(d).clone()).collect::<Vec<_>>())
    };
    let (arrests, at_large, other, convicted, detained, removals) = (
        of(&|d| &d.arrests),
        of(&|d| &d.at_large),
        of(&|d| &d.share_other),
        of(&|d| &d.share_convicted),
        of(&|d| &d.detained),
        of(&|d| &d.removals),
    );
    let segment_value = |f: &dyn Fn(&quotasim::scenario::Scenario) -> f64| -> Vec<f64> {
        (0..plan.days)
            .map(|d| f(&plan.segments[plan.segment_index(d)].scenario))
            .collect()
    };
    let panels = vec![
        Panel {
            id: "arrests",
            title: "Arrests a day",
            y_desc: "arrests a day",
            percent: false,
            model: vec![
                ("model".into(), &arrests),
                ("model: at large (not in jails)".into(), &at_large),
            ],
            reference: vec![],
            marks: vec![
                marks("observed", Metric::ArrestsPerDay),
                marks("observed: at large", Metric::AtLargeArrestsPerDay),
            ],
            caption: "The model's national arrests a day, and those of them not made in jails (at large: targeted, collateral and community); published figures drawn over their windows (a range as a band).".into(),
        },
        Panel {
            id: "criminality",
            title: "Who is arrested",
            y_desc: "share of arrests",
            percent: true,
            model: vec![
                ("neither conviction nor charge".into(), &other),
                ("convicted".into(), &convicted),
            ],
            reference: vec![],
            marks: vec![
                marks("observed: neither", Metric::ShareOther),
                marks("observed: convicted", Metric::ShareConvicted),
            ],
            caption: "Shares of the day's arrests with neither conviction nor pending charge, and with a conviction; published shares over their windows.".into(),
        },
        Panel {
            id: "detained",
            title: "Detained at midnight",
            y_desc: "persons",
            percent: false,
            model: vec![("model".into(), &detained)],
            reference: vec![
                ("funded beds".into(), segment_value(&|s| s.detention.beds as f64)),
                (
                    "contracted beds".into(),
                    segment_value(&|s| quotasim::detention::contracted_beds(&s.detention) as f64),
                ),
            ],
            marks: vec![marks("observed", Metric::Detained)],
            caption: "Everyone detained at midnight, against funded and contracted beds; published counts and monthly means.".into(),
        },
        Panel {
            id: "removals",
            title: "Removals a day",
            y_desc: "removals a day",
            percent: false,
            model: vec![("model".into(), &removals)],
            reference: vec![],
            marks: vec![
                marks("ICE removals", Metric::RemovalsPerDay),
                marks(
                    "released from detention for removal",
                    Metric::RemovalsFromDetentionPerDay,
                ),
            ],
            caption: "Removals a day: docket members, people booked in by other agencies, and people never held in ICE detention; published ICE removals, and book-outs of detention for removal (which leave out people never held), over their windows.".into(),
        },
    ];
    panel_figures(plan, series.len(), &panels, size)
}

fn panel_figures(plan: &Plan, reps: usize, panels: &[Panel], size: Size) -> Vec<Figure> {
    let date = date_label(plan);
    let pct = |y: f64| format!("{:.0} %", y * 100.0);
    panels
        .iter()
        // A chart with no published figure inside the run would show the model alone.
        .filter(|p| p.marks.iter().any(|(_, m)| !m.is_empty()))
        .map(|p| {
            let mut lines: Vec<Line> = p
                .model
                .iter()
                .map(|(label, b)| Line {
                    label: label.clone(),
                    points: points(&b.mean),
                    band: (reps > 1).then(|| {
                        b.p05
                            .iter()
                            .zip(&b.p95)
                            .enumerate()
                            .map(|(d, (&lo, &hi))| (d as f64, lo, hi))
                            .collect()
                    }),
                    dashed: false,
                })
                .collect();
            for (label, v) in &p.reference {
                lines.push(Line {
                    label: label.clone(),
                    points: points(v),
                    band: None,
                    dashed: true,
                });
            }
            for (group, m) in p.marks.iter().flat_map(|(g, ms)| {
                ms.iter()
                    .enumerate()
                    .map(move |(i, m)| (if i == 0 { g.clone() } else { String::new() }, m))
            }) {
                lines.push(Line {
                    label: group,
                    points: vec![
                        (m.from_day, (m.lo + m.hi) / 2.0),
                        (m.to_day, (m.lo + m.hi) / 2.0),
                    ],
                    band: Some(vec![(m.from_day, m.lo, m.hi), (m.to_day, m.lo, m.hi)]),
                    dashed: false,
                });
            }
            let y_label: &dyn Fn(f64) -> String = if p.percent { &pct } else { &count_label };
            let svg = chart::lines(
                &[],
                &lines,
                &Axes {
                    x_desc: "date",
                    y_desc: p.y_desc,
                    x_label: &date,
                    y_label,
                    mark: None,
                },
                size,
            );
            Figure {
                id: p.id.to_string(),
                title: p.title.to_string(),
                svg,
                alt: format!(
                    "{}: {}, and {} published figures over their windows",
                    p.title,
                    if reps > 1 {
                        format!(
                            "the model's daily mean with its 5-95 % band over {reps} replications"
                        )
                    } else {
                        "the model's daily series (one replication)".to_string()
                    },
                    p.marks.iter().map(|(_, m)| m.len()).sum::<usize>()
                ),
                caption: p.caption.clone(),
            }
        })
        .collect()
}

/// The whole page: the backtest's charts ([`backtest_figures`]), the score table and
/// the verdict.
pub fn backtest_report(
    plan: &Plan,
    observed_file: &str,
    reps: u32,
    figures: &[Figure],
    rows: &[ScoreRow],
    verdict: &str,
) -> String {
    let mut table = String::from(
        "<h2 id=\"scores\">Scores</h2>\n<table>\n<thead><tr><th>metric</th><th>window</th><th>observed</th><th>model mean [5-95 %]</th><th>z</th><th>inside the band</th><th>source</th></tr></thead>\n<tbody>\n",
    );
    for r in rows {
        let _ = writeln!(
            table,
            "<tr><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{:+.2}</td><td>{}</td><td>{}</td></tr>",
            esc(&r.metric),
            esc(&r.window),
            esc(&r.observed),
            esc(&r.model),
            r.z,
            if r.inside { "yes" } else { "no" },
            esc(&r.source)
        );
    }
    table.push_str("</tbody>\n</table>\n");
    let intro = format!(
        "<p>Scenario <b>{}</b> ({} replications, from {}) set beside the published figures of <code>{}</code>. z is the model's mean less the figure, over the figure's stated sd (0 inside a published range).</p>\n<p><b>Verdict.</b> {}</p>\n",
        esc(&plan.scenario.run.name),
        reps,
        plan.scenario.run.start_date,
        esc(observed_file),
        esc(verdict)
    );
    page(
        &format!("Backtest: {}", plan.scenario.run.name),
        &intro,
        figures,
        &table,
    )
}
