//! The report of a run (`report.html` beside summary.json), and of a comparison.

use std::fmt::Write as _;

use quotasim::quota::national_target;
use quotasim::summary::{Stat, Summary};
use quotasim::{Agency, Channel, Plan};

use crate::chart::{self, Axes, HeatKey, Line, Size};
use crate::html::{Figure, esc, num_span, page};
use crate::series::{Day, Series};

/// A number as shown: shares as percentages, large numbers with thousands separators.
pub fn show(key: &str, v: f64) -> String {
    if !v.is_finite() {
        return "n/a".into();
    }
    // The declared kind of a labelled key; by its name for the others (by office...).
    let share = match quotasim::summary::key_info(key) {
        Some(info) => info.kind == quotasim::summary::KeyKind::Share,
        None => key.starts_with("share_") || key.contains("_share") || key.contains("attainment"),
    };
    if share {
        format!("{:.1} %", 100.0 * v)
    } else if v.abs() >= 100.0 || v.fract() == 0.0 {
        thousands(v.round())
    } else {
        format!("{v:.2}")
    }
}

/// `v` whole, with commas between thousands.
/// A whole number with a comma between thousands: 3,579,270.
pub fn thousands(v: f64) -> String {
    let neg = v < 0.0;
    let digits = format!("{:.0}", v.abs());
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i) % 3 == 0 {
            out.push(',');
        }
        out.push(c);
    }
    if neg { format!("-{out}") } else { out }
}

fn n(s: &Summary, key: &str) -> Option<String> {
    s.num(key).map(|v| num_span(key, v, show(key, v)))
}

fn n_or(s: &Summary, key: &str) -> String {
    n(s, key).unwrap_or_else(|| "n/a".into())
}

/// Mean and 5-95 % band over replications of each day.
fn band(series: &[Vec<f64>]) -> (Vec<f64>, Vec<(f64, f64)>) {
    let b = crate::Band::over(series);
    (b.mean, b.p05.into_iter().zip(b.p95).collect())
}

fn line(label: &str, mean: &[f64], band: Option<&[(f64, f64)]>) -> Line {
    Line {
        label: label.into(),
        points: mean
            .iter()
            .enumerate()
            .map(|(d, y)| (d as f64, *y))
            .collect(),
        band: band.map(|b| {
            b.iter()
                .enumerate()
                .map(|(d, (lo, hi))| (d as f64, *lo, *hi))
                .collect()
        }),
        dashed: false,
    }
}

fn cumulative(v: &[f64]) -> Vec<f64> {
    v.iter()
        .scan(0.0, |acc, x| {
            *acc += x;
            Some(*acc)
        })
        .collect()
}

pub(crate) fn date_label(plan: &Plan) -> impl Fn(f64) -> String + '_ {
    move |x: f64| {
        if x < 0.0 {
            return String::new();
        }
        plan.date(x.round() as u32).to_string()
    }
}

/// An axis label for a count: 1.2B, 3.4M, 56k, 12.5k or 789. Thousands get a decimal
/// when they are not whole, so ticks 2,500 apart never share a label.
pub(crate) fn count_label(y: f64) -> String {
    if y.abs() >= 1e9 {
        format!("{:.1}B", y / 1e9)
    } else if y.abs() >= 1e6 {
        format!("{:.1}M", y / 1e6)
    } else if y.abs() >= 1e4 {
        let k = y / 1e3;
        if k.fract().abs() < 1e-9 {
            format!("{k:.0}k")
        } else {
            format!("{k:.1}k")
        }
    } else {
        format!("{y:.0}")
    }
}

/// Where the run's fitted part ends and its prediction starts (`run.fitted_through`),
/// in words; None when nothing in the run was fitted.
pub fn fit_window(plan: &Plan) -> Option<String> {
    let run = &plan.scenario.run;
    let through = run.fitted_through?;
    let last = run.start_date.plus_days(plan.days - 1);
    Some(if through >= last {
        format!("fitted to outcomes through {through}: the whole run lies within the fit's window")
    } else if through < run.start_date {
        format!("a prediction throughout (fitted to outcomes through {through})")
    } else {
        let first = through.plus_days(1);
        let days = (last.0 - first.0).num_days() + 1;
        format!(
            "fitted to outcomes through {through}; {first} .. {last} ({days} days) is a prediction"
        )
    })
}

/// What a run covers, for a reader: "Modelled, 2025-01-20 .. 2026-12-31 (711 days);
/// fitted to outcomes through 2026-01-31; 2026-02-01 .. 2026-12-31 (334 days) is a
/// prediction."
pub fn window_note(plan: &Plan) -> String {
    let run = &plan.scenario.run;
    let last = run.start_date.plus_days(plan.days - 1);
    let fit = fit_window(plan)
        .map(|f| format!("; {f}"))
        .unwrap_or_default();
    format!(
        "Modelled, {} .. {last} ({} days){fit}.",
        run.start_date, plan.days
    )
}

/// Where a run that goes past its fit's window (`run.fitted_through`) starts to
/// predict: the day's index and the mark's label. None when the run has no fitted part
/// or no predicted one.
pub fn fit_mark(plan: &Plan) -> Option<(f64, String)> {
    let run = &plan.scenario.run;
    let first = run.fitted_through?.plus_days(1);
    let day = (first.0 - run.start_date.0).num_days();
    (day > 0 && day < i64::from(plan.days))
        .then(|| (day as f64, format!("prediction from {first}")))
}

fn pct_label(y: f64) -> String {
    format!("{:.0} %", 100.0 * y)
}

fn bands_note(series: &Series) -> String {
    let reps = series.len();
    if reps > 1 {
        let of = if series.added > reps {
            format!(
                " (the first {reps} of the run's {}; the summary covers all)",
                series.added
            )
        } else {
            String::new()
        };
        format!(" Shaded bands: 5-95 % over {reps} replications{of}; lines: their mean.")
    } else {
        String::new()
    }
}

/// The charts of a run's report, in order, with their captions and text alternatives,
/// drawn at `size`.
pub fn run_figures(plan: &Plan, series: &Series, s: &Summary, size: Size) -> Vec<Figure> {
    let fit_mark = fit_mark(plan);
    let mark = fit_mark.as_ref().map(|(x, t)| (*x, t.as_str()));
    let days = plan.days as usize;
    let reps = series.len();
    let with_band = reps > 1;
    let date = date_label(plan);
    let mut figs = Vec::new();

    // 1. Arrests a day by criminality, with the quota.
    let class =
        |cs: &'static [usize]| move |d: &Day| cs.iter().map(|&c| d.by_class[c]).sum::<f64>();
    let conv = band(&series.per_day(days, &class(&[0, 1, 2]))).0;
    let pend = band(&series.per_day(days, &class(&[3]))).0;
    let (total, total_band) = band(&series.per_day(days, &Day::arrests));
    let layer = |label: &str, v: Vec<f64>| line(label, &v, None);
    let conv_pend: Vec<f64> = conv.iter().zip(&pend).map(|(a, b)| a + b).collect();
    let stacked = vec![
        layer("convicted", conv.clone()),
        layer("pending charges", conv_pend),
        layer("neither (no record)", total.clone()),
    ];
    let mut lines = Vec::new();
    if with_band {
        lines.push(line("all arrests, 5-95 %", &total, Some(&total_band)));
    }
    let target: Vec<f64> = (0..days as u32).map(|d| national_target(plan, d)).collect();
    if target.iter().any(|t| *t > 0.0) {
        let mut l = line("national target", &target, None);
        l.dashed = true;
        lines.push(l);
    }
    let mut cap = format!(
        "Arrests each day, stacked by criminality (ICE's categories). Over the run: {} a day",
        n_or(s, "arrests_per_day_mean")
    );
    if let Some(a) = n(s, "quota_attainment") {
        let _ = write!(
            cap,
            ", against a mean national target of {} a day (attainment {a})",
            n_or(s, "quota_national_per_day_mean")
        );
    }
    if let (Some(t), Some(Stat::Text(since))) = (
        n(s, "quota_national_per_day_in_force"),
        s.get("quota_in_force_since"),
    ) {
        let _ = write!(
            cap,
            "; under the target in force at the end, {t} a day from {}, {} a day, {} of it",
            esc(since),
            n_or(s, "arrests_per_day_under_target_in_force"),
            n_or(s, "quota_attainment_in_force")
        );
    }
    let _ = write!(
        cap,
        ". {} of arrests were of people with neither conviction nor charge; {} arrests of people with no record per arrest of a convicted person.{}",
        n_or(s, "share_other"),
        n_or(s, "other_per_convicted"),
        bands_note(series)
    );
    figs.push(Figure {
        id: "arrests".into(),
        title: "Daily arrests by criminality, with the quota".into(),
        svg: chart::lines(
            &stacked,
            &lines,
            &Axes {
                x_desc: "date",
                y_desc: "arrests per day",
                x_label: &date,
                y_label: &count_label,
                mark,
            }, size,
        ),
        alt: format!(
            "Stacked area chart of daily arrests by criminality over {days} days, with the national target as a dashed line."
        ),
        caption: cap,
    });

    // 2. Channel mix, week by week.
    let weeks = days.div_ceil(7).max(1);
    let by_channel: Vec<Vec<f64>> = (0..Channel::COUNT)
        .map(|c| band(&series.per_day(days, &move |d: &Day| d.by_channel[c])).0)
        .collect();
    let weekly = |v: &[f64]| -> Vec<f64> {
        (0..weeks)
            .map(|w| v[w * 7..((w + 1) * 7).min(days)].iter().sum())
            .collect()
    };
    let wk: Vec<Vec<f64>> = by_channel.iter().map(|v| weekly(v)).collect();
    let wtotal: Vec<f64> = (0..weeks).map(|w| wk.iter().map(|c| c[w]).sum()).collect();
    let names = ["custodial", "at-large", "collateral", "community"];
    let mut acc = vec![0.0; weeks];
    let mut layers = Vec::new();
    for (c, name) in names.iter().enumerate() {
        for w in 0..weeks {
            acc[w] += if wtotal[w] > 0.0 {
                wk[c][w] / wtotal[w]
            } else {
                0.0
            };
        }
        layers.push(Line {
            label: (*name).into(),
            points: acc
                .iter()
                .enumerate()
                .map(|(w, y)| ((w * 7) as f64, *y))
                .collect(),
            band: None,
            dashed: false,
        });
    }
    figs.push(Figure {
        id: "channels".into(),
        title: "Arrests by channel, week by week".into(),
        svg: chart::lines(
            &layers,
            &[],
            &Axes {
                x_desc: "week starting",
                y_desc: "share of the week's arrests",
                x_label: &date,
                y_label: &pct_label,
                mark,
            }, size,
        ),
        alt: "Stacked area chart of the weekly share of arrests by channel: custodial, at-large, collateral, community.".into(),
        caption: format!(
            "Each week's arrests split by channel (stacked to 100 %). Over the run: custodial transfers from jails {}, targeted at-large {}, collateral {}, community or worksite operations {}.",
            n_or(s, "share_custodial"),
            n_or(s, "share_at_large"),
            n_or(s, "share_collateral"),
            n_or(s, "share_community")
        ),
    });

    // 3. Quota attainment by office and week.
    let n_off = plan.offices.len();
    let (arrests, quota) = (&series.office_week_arrests, &series.office_week_target);
    let cells: Vec<Vec<f64>> = (0..n_off)
        .map(|o| {
            (0..weeks)
                .map(|w| {
                    if quota[o][w] > 0.0 {
                        arrests[o][w] / quota[o][w]
                    } else {
                        f64::NAN
                    }
                })
                .collect()
        })
        .collect();
    let codes: Vec<String> = plan.offices.iter().map(|o| o.code.clone()).collect();
    let cols: Vec<String> = (0..weeks)
        .map(|w| plan.date((w * 7) as u32).to_string())
        .collect();
    let mut cap = "Each office's arrests over its quota, week by week, counting only the week's days under a quota (grey: no quota that week; white: none made; darkest: the quota met or beaten).".to_string();
    if let Some(m) = n(s, "offices_missing_quota_share") {
        let _ = write!(cap, " {m} of offices with a quota missed it over the run");
        if let (Some(Stat::Text(o)), Some(Stat::Text(d))) = (
            s.get("first_office_missing_quota"),
            s.get("first_miss_date"),
        ) {
            let _ = write!(cap, "; {} was first to fall short, on {}", esc(o), esc(d));
        }
        cap.push('.');
    }
    figs.push(Figure {
        id: "attainment".into(),
        title: "Quota attainment by office and week".into(),
        svg: chart::heat_map(
            &cells,
            &codes,
            &cols,
            "week starting",
            "field office",
            &HeatKey {
                title: "arrests over the quota, days under a quota",
                max: 1.0,
                show: &|v| format!("{:.0} %", v * 100.0),
                missing: "no quota",
            },
            size,
        ),
        alt: "Heat map of quota attainment: one row per field office, one column per week.".into(),
        caption: cap,
    });

    // 4. Hours by agency.
    let agencies: Vec<String> = Agency::ALL.iter().map(|a| a.key().to_uppercase()).collect();
    let avail = series.hours_available.to_vec();
    let used = series.hours_used.to_vec();
    let to_m = |v: Vec<f64>| v.into_iter().map(|x| x / 1e6).collect::<Vec<_>>();
    figs.push(Figure {
        id: "hours".into(),
        title: "Agent-hours by agency: available and spent on arrests".into(),
        svg: chart::bars(
            &agencies,
            &[
                ("available".into(), to_m(avail), None),
                ("spent on arrests".into(), to_m(used), None),
            ],
            "agent-hours (millions)",
            &|y| format!("{y:.1}"), size,
        ),
        alt: "Bar chart of agent-hours available and spent on arrests, by agency.".into(),
        caption: format!(
            "Agent-hours over the run by agency. Hours of agencies other than ERO are taken from their own missions: {} agent-hours in all, {} of them HSI's, equal to {} HSI criminal arrests forgone.",
            n_or(s, "hours_diverted_total"),
            n_or(s, "hsi_hours_diverted"),
            n_or(s, "hsi_own_output_forgone")
        ),
    });

    // 5. Detained against beds.
    let (det, det_band) = band(&series.per_day(days, &|d| d.detained));
    let beds: Vec<f64> = band(&series.per_day(days, &|d| d.beds)).0;
    let mut bl = line("funded beds", &beds, None);
    bl.dashed = true;
    figs.push(Figure {
        id: "detention".into(),
        title: "Detained population against funded beds".into(),
        svg: chart::lines(
            &[],
            &[line("detained at midnight", &det, with_band.then_some(&det_band[..])), bl],
            &Axes {
                x_desc: "date",
                y_desc: "persons",
                x_label: &date,
                y_label: &count_label,
                mark,
            }, size,
        ),
        alt: "Line chart of the number detained each day and the funded beds.".into(),
        caption: format!(
            "Everyone detained at midnight (docket members and people booked in by other agencies) against funded beds. {} detained at the end, {} of them with a conviction; peak {}; {} arrests released at book-in for lack of beds.{}",
            n_or(s, "detained_at_end"),
            n_or(s, "detained_convicted_share_at_end"),
            n_or(s, "peak_detained"),
            n_or(s, "released_over_capacity_total"),
            bands_note(series)
        ),
    });

    // 6. Cumulative removals against one million.
    let cum: Vec<Vec<f64>> = series
        .per_day(days, &|d| d.removals)
        .iter()
        .map(|v| cumulative(v))
        .collect();
    let (cm, cb) = band(&cum);
    let mut million = line("one million", &vec![1e6; days], None);
    million.dashed = true;
    let mut cap = format!(
        "Removals since the start, against a line at one million. {} removals over the run, {} a year at this pace",
        n_or(s, "removals_total"),
        n_or(s, "removals_per_year")
    );
    match n(s, "days_to_one_million_removals") {
        Some(d) => {
            let _ = write!(
                cap,
                "; a million would take {d} days at the run's mean pace"
            );
        }
        None => cap.push('.'),
    }
    if let Some(day) = s.num("one_million_removals_day")
        && day.is_finite()
        && (0.0..36_500.0).contains(&day)
    {
        let when = plan.scenario.run.start_date.plus_days(day as u32);
        let how = if day < days as f64 {
            "in the run"
        } else {
            "after the run, at the pace of its last year"
        };
        let _ = write!(cap, "; the millionth removal comes on {when} ({how}).");
    } else if s.num("days_to_one_million_removals").is_some() {
        cap.push('.');
    }
    cap.push_str(&bands_note(series));
    figs.push(Figure {
        id: "removals".into(),
        title: "Cumulative removals against one million".into(),
        svg: chart::lines(
            &[],
            &[
                line("removals to date", &cm, with_band.then_some(&cb[..])),
                million,
            ],
            &Axes {
                x_desc: "date",
                y_desc: "removals",
                x_label: &date,
                y_label: &count_label,
                mark,
            },
            size,
        ),
        alt: "Line chart of cumulative removals, with a dashed line at one million.".into(),
        caption: cap,
    });

    // 7. Costs a day by component, stacked.
    if s.num("cost_per_year").is_some_and(|c| c > 0.0) {
        let labels = [
            "detention",
            "alternatives to detention",
            "removal",
            "ICE officers",
            "deputized agents",
            "287(g) reimbursement",
            "immigration courts",
        ];
        let mut acc = vec![0.0; days];
        let mut layers = Vec::new();
        for (i, label) in labels.iter().enumerate() {
            let mean = band(&series.per_day(days, &move |d: &Day| d.costs[i] / 1e6)).0;
            for (a, m) in acc.iter_mut().zip(&mean) {
                *a += m;
            }
            layers.push(line(label, &acc, None));
        }
        figs.push(Figure {
            id: "costs".into(),
            title: "What a day costs, by component".into(),
            svg: chart::lines(
                &layers,
                &[],
                &Axes {
                    x_desc: "date",
                    y_desc: "US dollars a day (millions)",
                    x_label: &date,
                    y_label: &|y| format!("{y:.0}"),
                    mark,
                }, size,
            ),
            alt: "Stacked area chart of the cost of each day by component: detention, alternatives to detention, removal, ICE officers, deputized agents, 287(g) reimbursement, immigration courts.".into(),
            caption: format!(
                "Each day's cost, stacked by component (the axis in millions of US dollars a day; docs/costs.md); the spikes are the signing bonuses of a month's recruits. A year at the run's mean, in US dollars: {} in all; detention {}, removal {}, ICE officers {}. Per arrest {}, per removal {}, per detained day {} US dollars.{}",
                n_or(s, "cost_per_year"),
                n_or(s, "cost_detention_per_year"),
                n_or(s, "cost_removal_per_year"),
                n_or(s, "cost_officers_per_year"),
                n_or(s, "cost_per_arrest"),
                n_or(s, "cost_per_removal"),
                n_or(s, "cost_per_detained_day"),
                if reps > 1 { " Lines: the mean over replications." } else { "" }
            ),
        });
    }

    // 8. ICE's multi-year money left, by account.
    if series
        .per_rep
        .iter()
        .any(|r| r.iter().any(|d| d.budget_left != [0.0; 2]))
    {
        let accounts = quotasim::budget::ACCOUNTS;
        let lines: Vec<Line> = accounts
            .iter()
            .enumerate()
            .map(|(k, name)| {
                let (m, b) = band(&series.per_day(days, &move |d: &Day| d.budget_left[k] / 1e9));
                line(
                    &format!("{name} money left"),
                    &m,
                    with_band.then_some(&b[..]),
                )
            })
            .collect();
        let start = plan.scenario.run.start_date;
        let runs_out = |name: &str| match s.num(&format!("budget_{name}_runs_out_day")) {
            Some(d) if d.is_finite() && (0.0..36_500.0).contains(&d) => {
                start.plus_days(d as u32).to_string()
            }
            _ => "not in sight (nothing drawn at the end)".to_string(),
        };
        let mut cap = format!(
            "The money appropriated to ICE for several years (the 2025 act's from 2025-07-04, the Secure America Act's from 2026-06-10) less what the simulated costs drew from it beyond the yearly appropriation, in billions of US dollars (docs/model.md 7.19). On the last day: detention {} US dollars, enforcement {}. The day it runs out (after the run, at the pace of its last 90 days): detention {}, enforcement {}.",
            n_or(s, "budget_detention_left_end"),
            n_or(s, "budget_enforcement_left_end"),
            runs_out(accounts[0]),
            runs_out(accounts[1]),
        );
        cap.push_str(" The model costs beds at the bed rate and not the building of facilities, so what is left is an upper bound; a balance below 0 (a shortfall) is drawn at 0.");
        cap.push_str(&bands_note(series));
        figs.push(Figure {
            id: "budget".into(),
            title: "ICE's multi-year money left, by account".into(),
            svg: chart::lines(
                &[],
                &lines,
                &Axes {
                    x_desc: "date",
                    y_desc: "US dollars (billions)",
                    x_label: &date,
                    y_label: &|y| format!("{y:.0}"),
                    mark,
                },
                size,
            ),
            alt: "Line chart of the multi-year money left for detention and for enforcement over the run.".into(),
            caption: cap,
        });
    }
    figs
}

fn summary_table(s: &Summary, reps: usize) -> String {
    let mut t =
        String::from("<h2 id=\"summary\">Summary</h2>\n<table>\n<tr><th>key</th><th>value</th>");
    if reps > 1 {
        t.push_str("<th>5 %</th><th>95 %</th>");
    }
    t.push_str("</tr>\n");
    for key in quotasim::summary::HEADLINE_KEYS {
        let cell = |k: &str| s.num(k).map_or("n/a".into(), |v| show(key, v));
        let _ = write!(t, "<tr><td>{key}</td><td>{}</td>", cell(key));
        if reps > 1 {
            let _ = write!(
                t,
                "<td>{}</td><td>{}</td>",
                cell(&format!("{key}_p05")),
                cell(&format!("{key}_p95"))
            );
        }
        t.push_str("</tr>\n");
    }
    t.push_str("</table>\n");
    t
}

/// The report of a run: its charts (six of the model, one of costs, one of the money left) with captions and the summary table.
/// `observed`: the backtest's charts of the published figures that fall inside the run
/// ([`crate::backtest_figures`]), drawn after the model's own, and how many figures
/// they hold; none when no figure falls inside.
pub fn run_report(
    plan: &Plan,
    series: &Series,
    summary: &Summary,
    observed: Option<(&[Figure], usize, &str)>,
) -> String {
    let reps = series.len();
    let mut intro = format!(
        "<p>Scenario <b>{}</b>, from {} for {} days, seed {}, {} replication(s). Charts show the mean over replications{}; every number is in summary.json and every series in daily.csv.",
        esc(&plan.scenario.run.name),
        plan.scenario.run.start_date,
        plan.days,
        series.seed,
        reps,
        if reps > 1 { " with 5-95 % bands" } else { "" }
    );
    if let (Some(through), Some((_, label))) = (plan.scenario.run.fitted_through, fit_mark(plan)) {
        let _ = write!(
            intro,
            " The model's parameters were fitted to outcomes through {through}; the dashed vertical line marks the {label}: what the charts show after it was not fitted to anything that happened then."
        );
    }
    if let Some(Stat::Text(carry)) = summary.get("bands_carry")
        && reps > 1
    {
        let _ = write!(intro, " The bands carry {}.", esc(carry));
    }
    intro.push_str("</p>");
    let mut figures = run_figures(plan, series, summary, Size::REPORT);
    if let Some((charts, count, file)) = observed {
        let _ = write!(
            intro,
            "<p><b>What happened, beside the model.</b> The last {} charts lay the {count} published figures whose dates fall inside this run ({}) over the model's daily series: a mark labelled <i>observed</i> is what was published, over the dates it covers (a range where it gives one); the line is the model.</p>",
            charts.len(),
            esc(file)
        );
        figures.extend(charts.iter().map(|f| Figure {
            id: format!("observed-{}", f.id),
            title: format!("{}: observed and modelled", f.title),
            ..f.clone()
        }));
    }
    page(
        &format!("quotasim: {}", plan.scenario.run.title()),
        &intro,
        &figures,
        &summary_table(summary, reps),
    )
}

/// The report of `quotasim compare`: the two runs overlaid, and the table of
/// differences (HTML, made by the caller).
pub fn compare_report(a: (&Plan, &Series), b: (&Plan, &Series), table: &str) -> String {
    let (pa, pb) = (a.0, b.0);
    let intro = format!(
        "<p>A = <b>{}</b>, B = <b>{}</b>; both run with the same seeds and replications, so their difference is paired. The table gives B - A for every numeric summary key, with its 5-95 % interval over replications.</p>",
        esc(&pa.scenario.run.name),
        esc(&pb.scenario.run.name)
    );
    page(
        "quotasim: comparison",
        &intro,
        &compare_figures(a, b, Size::REPORT),
        table,
    )
}

/// The charts of a comparison: runs A and B overlaid (each with 5-95 % bands when it
/// has several replications), over the days both cover.
pub fn compare_figures(a: (&Plan, &Series), b: (&Plan, &Series), size: Size) -> Vec<Figure> {
    let (pa, ra) = a;
    let (pb, rb) = b;
    let days = pa.days.min(pb.days) as usize;
    let date = date_label(pa);
    let name_a = format!("A: {}", pa.scenario.run.name);
    let name_b = format!("B: {}", pb.scenario.run.name);
    let pair = |f: &dyn Fn(&Day) -> f64, cum: bool| {
        let mut out = Vec::new();
        for (name, s) in [(&name_a, ra), (&name_b, rb)] {
            let mut series = s.per_day(days, f);
            if cum {
                series = series.iter().map(|v| cumulative(v)).collect();
            }
            let (m, bnd) = band(&series);
            out.push(line(name, &m, (s.len() > 1).then_some(&bnd[..])));
        }
        out
    };
    let axes = |y: &'static str, pct: bool| Axes {
        x_desc: "day (dates of A)",
        y_desc: y,
        x_label: &date,
        y_label: if pct { &pct_label } else { &count_label },
        mark: None,
    };
    vec![
        Figure {
            id: "arrests".into(),
            title: "Arrests a day, A and B".into(),
            svg: chart::lines(&[], &pair(&Day::arrests, false), &axes("arrests per day", false), size),
            alt: "Line chart of daily arrests in scenarios A and B.".into(),
            caption: "Daily arrests in both scenarios, run with the same seeds (bands: 5-95 % over replications).".into(),
        },
        Figure {
            id: "no-record".into(),
            title: "Arrests of people with no record, A and B".into(),
            svg: chart::lines(&[], &pair(&|d| d.by_class[4], false), &axes("arrests per day", false), size),
            alt: "Line chart of daily arrests of people with neither conviction nor charge, A and B.".into(),
            caption: "Daily arrests of people with neither conviction nor charge.".into(),
        },
        Figure {
            id: "detention".into(),
            title: "Detained, A and B".into(),
            svg: chart::lines(&[], &pair(&|d| d.detained, false), &axes("persons", false), size),
            alt: "Line chart of the detained population in A and B.".into(),
            caption: "Everyone detained at midnight.".into(),
        },
        Figure {
            id: "removals".into(),
            title: "Cumulative removals, A and B".into(),
            svg: chart::lines(&[], &pair(&|d| d.removals, true), &axes("removals", false), size),
            alt: "Line chart of cumulative removals in A and B.".into(),
            caption: "Removals since the start.".into(),
        },
    ]
}

#[cfg(test)]
mod tests {
    use super::count_label;

    #[test]
    fn neighbouring_ticks_never_share_an_axis_label() {
        assert_eq!(count_label(1_500.0), "1500");
        assert_eq!(count_label(2_000.0), "2000");
        assert_eq!(count_label(12_500.0), "12.5k");
        assert_eq!(count_label(15_000.0), "15k");
        assert_eq!(count_label(-17_500.0), "-17.5k");
        assert_eq!(count_label(2_500_000.0), "2.5M");
        let ticks: Vec<String> = (0..=8)
            .map(|i| count_label(f64::from(i) * 2_500.0))
            .collect();
        let mut unique = ticks.clone();
        unique.dedup();
        assert_eq!(unique, ticks);
    }
}
