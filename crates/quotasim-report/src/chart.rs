//! Chart primitives: SVG drawn by plotters (no fonts needed: the SVG backend writes
//! text as `<text>`, the browser renders it).

use std::ops::Range;

use plotters::coord::Shift;
use plotters::coord::types::RangedCoordf64;
use plotters::prelude::*;

type Chart<'a, 'b> = ChartContext<'a, SVGBackend<'b>, Cartesian2d<RangedCoordf64, RangedCoordf64>>;

/// The size a chart is drawn at, in the units it is shown in (CSS pixels when the SVG
/// is shown at its own width), and its text size. The dashboard draws for the width of
/// its column, so that text keeps its size on a phone; the reports draw at
/// [`Size::REPORT`].
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Size {
    pub width: u32,
    pub height: u32,
    /// Text size of labels, legends and axis descriptions, in plotters' units: its SVG
    /// backend writes `font-size` as this over 1.24, so 14 shows as 11.3 px.
    pub font: f64,
}

impl Size {
    /// The reports' charts: 860 x 340, text at 11.3 px.
    pub const REPORT: Size = Size {
        width: W,
        height: H,
        font: 14.0,
    };

    /// A chart for a column `width` CSS pixels wide (clamped to 300..=1400), its height
    /// in proportion (at least 240), text at 11.3 px.
    pub fn for_width(width: u32) -> Size {
        let width = width.clamp(300, 1400);
        Size {
            width,
            height: (width * 2 / 5).max(240),
            font: 14.0,
        }
    }

    /// About how many axis labels fit along `pixels` at this text size.
    fn labels_along(&self, pixels: u32, wide: f64) -> usize {
        ((f64::from(pixels) / (self.font * wide)) as usize).max(2)
    }

    fn text(&self) -> TextStyle<'static> {
        ("sans-serif", self.font).into_text_style(&(self.width, self.height))
    }
}

/// The frame every chart shares: white, a margin, room for the axis labels.
fn frame<'a, 'b>(
    root: &'a DrawingArea<SVGBackend<'b>, Shift>,
    size: Size,
    x: Range<f64>,
    y: Range<f64>,
) -> Option<Chart<'a, 'b>> {
    let _ = root.fill(&WHITE);
    ChartBuilder::on(root)
        .margin(12)
        .x_label_area_size((size.font * 3.6) as u32)
        .y_label_area_size((size.font * 6.0) as u32)
        .build_cartesian_2d(x, y)
        .ok()
}

/// The share of the plot's height that a legend of `labels` entries takes at its top:
/// the y axis of a chart with its legend in an upper corner is raised by it, so that no
/// data reaches the legend's box (legends sit outside the data). At most 0.6.
fn legend_share(labels: usize, size: Size) -> f64 {
    if labels == 0 {
        return 0.0;
    }
    // The plot: the chart less its margins (12 each side) and the x labels' area.
    legend_need(labels, size).clamp(0.0, 0.6)
}

/// The share of the plot a legend of `labels` entries needs, before any cap.
fn legend_need(labels: usize, size: Size) -> f64 {
    let plot = f64::from(size.height) - 24.0 - size.font * 3.6;
    (labels as f64 * size.font * 1.35 + 16.0) / plot.max(1.0)
}

impl Size {
    /// This size, made taller where a legend of `labels` entries would take more than
    /// half the plot's height (many series on a phone's narrow chart), so that the
    /// legend fits above the data with at least half the plot left for it.
    fn fitting_legend(self, labels: usize) -> Size {
        if labels == 0 || legend_need(labels, self) <= 0.5 {
            return self;
        }
        let legend = labels as f64 * self.font * 1.35 + 16.0;
        let height = (2.0 * legend + 24.0 + self.font * 3.6).ceil() as u32;
        Size {
            height: height.max(self.height),
            ..self
        }
    }
}

/// The legend of the labelled series, in a light box at `at`.
fn legend<'a, 'b: 'a>(chart: &mut Chart<'a, 'b>, size: Size, at: SeriesLabelPosition) {
    let _ = chart
        .configure_series_labels()
        .label_font(size.text())
        .position(at)
        .background_style(WHITE.mix(0.85))
        .border_style(BLACK.mix(0.3))
        .draw();
}

/// A series colour, from a small palette that stays distinct in grey scale.
pub fn colour(i: usize) -> RGBColor {
    const P: [RGBColor; 8] = [
        RGBColor(31, 119, 180),
        RGBColor(255, 127, 14),
        RGBColor(44, 160, 44),
        RGBColor(214, 39, 40),
        RGBColor(148, 103, 189),
        RGBColor(140, 86, 75),
        RGBColor(227, 119, 194),
        RGBColor(127, 127, 127),
    ];
    P[i % P.len()]
}

/// `c` moved towards white by `t` (0: unchanged, 1: white).
pub fn lighten(c: RGBColor, t: f64) -> RGBColor {
    let f = |v: u8| (f64::from(v) + (255.0 - f64::from(v)) * t).round() as u8;
    RGBColor(f(c.0), f(c.1), f(c.2))
}

/// A line, optionally with a band (lo, hi) around it. A line with an empty label
/// continues the one before it: the same colour, and no entry of its own in the legend
/// (for pieces of one series drawn apart, such as observations over their windows).
pub struct Line {
    pub label: String,
    pub points: Vec<(f64, f64)>,
    pub band: Option<Vec<(f64, f64, f64)>>,
    pub dashed: bool,
}

/// Axis descriptions and size.
pub struct Axes<'a> {
    pub x_desc: &'a str,
    pub y_desc: &'a str,
    pub x_label: &'a dyn Fn(f64) -> String,
    pub y_label: &'a dyn Fn(f64) -> String,
    /// A day to mark with a thin vertical line and a label written from it to the
    /// right, such as the first day a run predicts rather than fits (`None`: no mark).
    pub mark: Option<(f64, &'a str)>,
}

pub const W: u32 = 860;
pub const H: u32 = 340;

/// The largest magnitude an axis spans. Values beyond it (an observation of 1e308 is
/// finite, and accepted) are drawn off the chart rather than stretch the axis: the
/// chart library's tick search does not end on an axis near the largest float.
pub const AXIS_LIMIT: f64 = 1e15;

/// `x` within +-[`AXIS_LIMIT`].
fn on_axis(x: f64) -> f64 {
    x.clamp(-AXIS_LIMIT, AXIS_LIMIT)
}

fn bounds<'l>(lines: impl Iterator<Item = &'l Line>, stacked_top: f64) -> (f64, f64, f64) {
    let mut x0 = f64::INFINITY;
    let mut x1 = f64::NEG_INFINITY;
    let mut y1: f64 = stacked_top;
    for l in lines {
        for &(x, y) in &l.points {
            x0 = x0.min(x);
            x1 = x1.max(x);
            y1 = y1.max(y);
        }
        if let Some(b) = &l.band {
            for &(_, _, hi) in b {
                y1 = y1.max(hi);
            }
        }
    }
    if !x0.is_finite() {
        (x0, x1) = (0.0, 1.0);
    }
    if x1 <= x0 {
        x1 = x0 + 1.0;
    }
    if y1.is_nan() || y1 <= 0.0 {
        y1 = 1.0;
    }
    let (x0, x1) = (on_axis(x0), on_axis(x1));
    let x1 = if x1 <= x0 { x0 + 1.0 } else { x1 };
    (x0, x1, on_axis(y1 * 1.08))
}

/// Lines with bands, and stacked areas under them (each area's points are the
/// cumulative top of that layer, drawn from the largest down).
pub fn lines(stacked: &[Line], lines: &[Line], axes: &Axes, size: Size) -> String {
    let svg = lines_svg(stacked, lines, axes, size);
    with_data(svg, &lines_csv(stacked, lines, axes))
}

/// A chart's data as CSV, long: one row per series and point, with the point's x as
/// its axis writes it (a date on a dated axis), the value and, where the series has a
/// band, its 5-95 % bounds; the units in the header.
fn lines_csv(stacked: &[Line], lines: &[Line], axes: &Axes) -> String {
    let unit = axes.y_desc.replace(',', ";");
    let x_name = axes.x_desc.replace(',', ";");
    let mut csv = format!("series,{x_name},value ({unit}),p05 ({unit}),p95 ({unit})\n");
    let mut label = String::new();
    for l in stacked.iter().chain(lines) {
        // Marks of one group share the label of their first (the legend's).
        if !l.label.is_empty() {
            label = l.label.replace(['"', ','], " ");
        }
        for (i, &(x, y)) in l.points.iter().enumerate() {
            let band = l
                .band
                .as_ref()
                .and_then(|b| b.get(i))
                .map_or((String::new(), String::new()), |&(_, lo, hi)| {
                    (lo.to_string(), hi.to_string())
                });
            csv.push_str(&format!(
                "{label},{},{y},{},{}\n",
                (axes.x_label)(x).replace(',', " "),
                band.0,
                band.1
            ));
        }
    }
    csv
}

/// The SVG with its data (CSV) as its `<metadata>`, for a reader's download: escaped
/// as XML text, so the chart is drawn as before.
fn with_data(svg: String, csv: &str) -> String {
    let Some(open) = svg
        .find("<svg")
        .and_then(|i| svg[i..].find('>').map(|j| i + j + 1))
    else {
        return svg;
    };
    let text = csv
        .replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;");
    format!(
        "{}\n<metadata data-format=\"text/csv\">{text}</metadata>{}",
        &svg[..open],
        &svg[open..]
    )
}

fn lines_svg(stacked: &[Line], lines: &[Line], axes: &Axes, size: Size) -> String {
    let top = stacked
        .iter()
        .flat_map(|l| l.points.iter().map(|p| p.1))
        .fold(0.0, f64::max);
    let (x0, x1, y1) = bounds(stacked.iter().chain(lines), top);
    let labels = stacked.len() + lines.iter().filter(|l| !l.label.is_empty()).count();
    let size = size.fitting_legend(labels);
    let y1 = on_axis(y1 / (1.0 - legend_share(labels, size)));
    let mut svg = String::new();
    {
        let root = SVGBackend::with_string(&mut svg, (size.width, size.height)).into_drawing_area();
        let Some(mut chart) = frame(&root, size, x0..x1, 0f64..y1) else {
            return svg_error(size);
        };
        let _ = chart
            .configure_mesh()
            .x_desc(axes.x_desc)
            .y_desc(axes.y_desc)
            .label_style(size.text())
            .axis_desc_style(size.text())
            .x_label_formatter(&|x: &f64| (axes.x_label)(*x))
            .y_label_formatter(&|y: &f64| (axes.y_label)(*y))
            .x_labels(size.labels_along(size.width, 7.0).min(8))
            .y_labels(6)
            .light_line_style(WHITE.mix(0.0))
            .draw();
        // Stacked layers: the top of each layer is given; draw the highest first.
        for (i, l) in stacked.iter().enumerate().rev() {
            let c = colour(i);
            // Opaque fills: translucent layers drawn over each other would blend.
            let fill = lighten(c, 0.45);
            if let Ok(a) = chart.draw_series(
                AreaSeries::new(l.points.iter().copied(), 0.0, fill.filled()).border_style(c),
            ) {
                a.label(l.label.clone()).legend(move |(x, y)| {
                    Rectangle::new([(x, y - 5), (x + 12, y + 5)], c.filled())
                });
            }
        }
        let mut previous = colour(stacked.len());
        // Dashed reference lines: black, then greys, so that two stay apart.
        let mut dashed = 0;
        for (i, l) in lines.iter().enumerate() {
            let c = if l.label.is_empty() {
                previous
            } else if l.dashed {
                dashed += 1;
                [BLACK, RGBColor(120, 120, 120), RGBColor(170, 170, 170)][(dashed - 1) % 3]
            } else {
                colour(i + stacked.len())
            };
            previous = c;
            if let Some(b) = &l.band {
                let mut poly: Vec<(f64, f64)> = b.iter().map(|&(x, _, hi)| (x, hi)).collect();
                poly.extend(b.iter().rev().map(|&(x, lo, _)| (x, lo)));
                let _ = chart.draw_series(std::iter::once(Polygon::new(poly, c.mix(0.2).filled())));
            }
            let style = ShapeStyle::from(&c).stroke_width(2);
            let drawn = if l.dashed {
                chart.draw_series(DashedLineSeries::new(l.points.iter().copied(), 6, 4, style))
            } else {
                chart.draw_series(LineSeries::new(l.points.iter().copied(), style))
            };
            if let Ok(a) = drawn
                && !l.label.is_empty()
            {
                a.label(l.label.clone()).legend(move |(x, y)| {
                    PathElement::new(
                        vec![(x, y), (x + 14, y)],
                        ShapeStyle::from(&c).stroke_width(2),
                    )
                });
            }
        }
        if let Some((x, label)) = axes.mark
            && x > x0
            && x < x1
        {
            let grey = RGBColor(90, 90, 90);
            let _ = chart.draw_series(DashedLineSeries::new(
                [(x, 0.0), (x, y1)],
                4,
                3,
                ShapeStyle::from(&grey).stroke_width(1),
            ));
            let _ = chart.draw_series(std::iter::once(
                EmptyElement::at((x, y1))
                    + Text::new(label.to_string(), (5, 4), size.text().color(&grey)),
            ));
        }
        legend(&mut chart, size, SeriesLabelPosition::UpperLeft);
        let _ = root.present();
    }
    svg
}

/// How a heat map's colours read, drawn as a key under it: what the colours measure,
/// the value at the darkest end (higher values are drawn as dark), how a value is
/// written, and what a cell with no value (NaN) means. Zero is white; no value is grey.
pub struct HeatKey<'a> {
    pub title: &'a str,
    pub max: f64,
    pub show: &'a dyn Fn(f64) -> String,
    pub missing: &'a str,
}

/// The grey of a heat-map cell with no value: apart from every shade of the scale.
const NO_VALUE: RGBColor = RGBColor(200, 200, 200);

fn heat_shade(t: f64) -> RGBColor {
    RGBColor(
        (255.0 - t * 247.0) as u8,
        (255.0 - t * 207.0) as u8,
        (255.0 - t * 148.0) as u8,
    )
}

/// A heat map: `cells[r][c]` with a label on every row and dated columns; values from
/// 0 (white) to `key.max` (dark blue), cells with no value grey, and the key below.
pub fn heat_map(
    cells: &[Vec<f64>],
    rows: &[String],
    cols: &[String],
    x_desc: &str,
    y_desc: &str,
    key: &HeatKey,
    size: Size,
) -> String {
    let nr = cells.len().max(1);
    let nc = cells.first().map_or(1, |r| r.len().max(1));
    let row_h = size.font + 4.0;
    // The key's entries, laid out in lines that fit the width: five steps of the scale
    // and no value, each a swatch and its text.
    let f = size.font;
    let sw = (f * 1.4) as i32;
    let mut entries: Vec<(RGBColor, String)> = [0.0, 0.25, 0.5, 0.75, 1.0]
        .iter()
        .map(|&t| {
            let shown = (key.show)(t * key.max);
            let label = if t == 1.0 {
                format!("{shown} or more")
            } else {
                shown
            };
            (heat_shade(t), label)
        })
        .collect();
    entries.push((NO_VALUE, key.missing.to_string()));
    let left = (f * 1.0) as i32;
    let line_h = sw + 6;
    let mut placed = Vec::new();
    let (mut x, mut line) = (left, 0);
    for (colour, label) in entries {
        let w = sw + 4 + (label.chars().count() as f64 * f * 0.6) as i32 + 12;
        if x + w > size.width as i32 && x > left {
            (x, line) = (left, line + 1);
        }
        placed.push((x, line, colour, label));
        x += w;
    }
    let key_h = (f * 1.6) as u32 + (line + 1) as u32 * line_h as u32 + 4;
    let mut svg = String::new();
    {
        let x_area = (f * 3.6) as u32;
        let height = size
            .height
            .max(24 + (row_h * nr as f64) as u32 + x_area + key_h);
        let root = SVGBackend::with_string(&mut svg, (size.width, height)).into_drawing_area();
        let _ = root.fill(&WHITE);
        let (top, bottom) = root.split_vertically(height - key_h);
        // Rows centred on whole numbers, so that every row has a label of its own.
        let Some(mut chart) = frame(&top, size, 0f64..nc as f64, -0.5..nr as f64 - 0.5) else {
            return svg_error(size);
        };
        let row_label = |y: &f64| {
            let i = y.round();
            if (y - i).abs() > 0.01 || i < 0.0 {
                return String::new();
            }
            rows.get(nr.saturating_sub(1).saturating_sub(i as usize))
                .cloned()
                .unwrap_or_default()
        };
        let col_label = |x: &f64| cols.get(x.floor() as usize).cloned().unwrap_or_default();
        let _ = chart
            .configure_mesh()
            .disable_mesh()
            .x_desc(x_desc)
            .y_desc(y_desc)
            .label_style(size.text())
            .axis_desc_style(size.text())
            .x_labels(nc.min(size.labels_along(size.width, 7.0)).min(13))
            .y_labels(nr + 1)
            .x_label_formatter(&col_label)
            .y_label_formatter(&row_label)
            .draw();
        let _ = chart.draw_series(cells.iter().enumerate().flat_map(|(r, row)| {
            let y = (nr - 1 - r) as f64;
            row.iter().enumerate().map(move |(c, v)| {
                let fill = if v.is_finite() {
                    heat_shade((v / key.max).clamp(0.0, 1.0))
                } else {
                    NO_VALUE
                };
                Rectangle::new(
                    [(c as f64, y - 0.5), (c as f64 + 1.0, y + 0.5)],
                    fill.filled(),
                )
            })
        }));
        let text = size.text();
        let top_y = (f * 1.6) as i32;
        let _ = bottom.draw(&Text::new(key.title.to_string(), (left, 2), text.clone()));
        for (x, line, colour, label) in placed {
            let y = top_y + line * line_h;
            let _ = bottom.draw(&Rectangle::new([(x, y), (x + sw, y + sw)], colour.filled()));
            let _ = bottom.draw(&Rectangle::new([(x, y), (x + sw, y + sw)], BLACK.mix(0.4)));
            let _ = bottom.draw(&Text::new(
                label,
                (x + sw + 4, y + (f * 0.2) as i32),
                text.clone(),
            ));
        }
        let _ = root.present();
    }
    svg
}

/// The mesh of a chart of categories: each label under the middle of its unit of x
/// (category i spans i..i+1), no vertical grid lines.
fn category_mesh(
    chart: &mut Chart,
    labels: &[String],
    size: Size,
    y_desc: &str,
    y_label: &dyn Fn(f64) -> String,
) {
    let label = |x: &f64| {
        let i = x.floor() as usize;
        if (x - i as f64 - 0.5).abs() < 0.26 {
            labels.get(i).cloned().unwrap_or_default()
        } else {
            String::new()
        }
    };
    let _ = chart
        .configure_mesh()
        .disable_x_mesh()
        .label_style(size.text())
        .axis_desc_style(size.text())
        .x_labels(labels.len().max(1) * 2 + 1)
        .x_label_formatter(&label)
        .y_desc(y_desc)
        .y_label_formatter(&|y: &f64| y_label(*y))
        .draw();
}

/// One series of bars: its label, a value per group, optional error half-widths.
pub type BarSeries = (String, Vec<f64>, Option<Vec<f64>>);

/// Grouped bars: for each group label, one bar per series, with optional error half-widths.
pub fn bars(
    groups: &[String],
    series: &[BarSeries],
    y_desc: &str,
    y_label: &dyn Fn(f64) -> String,
    size: Size,
) -> String {
    let unit = y_desc.replace(',', ";");
    let mut csv = format!("series,group,value ({unit}),half-width ({unit})\n");
    for (label, values, errors) in series {
        for (g, v) in groups.iter().zip(values) {
            let e = errors
                .as_ref()
                .and_then(|e| e.get(groups.iter().position(|x| x == g)?))
                .map_or(String::new(), f64::to_string);
            csv.push_str(&format!(
                "{},{},{v},{e}\n",
                label.replace(['"', ','], " "),
                g.replace(',', " ")
            ));
        }
    }
    with_data(bars_svg(groups, series, y_desc, y_label, size), &csv)
}

fn bars_svg(
    groups: &[String],
    series: &[BarSeries],
    y_desc: &str,
    y_label: &dyn Fn(f64) -> String,
    size: Size,
) -> String {
    let ng = groups.len().max(1);
    let ns = series.len().max(1);
    let y1 = series
        .iter()
        .flat_map(|(_, v, e)| {
            v.iter()
                .enumerate()
                .map(move |(i, x)| x + e.as_ref().map_or(0.0, |e| e[i]))
        })
        .filter(|x| x.is_finite())
        .fold(0.0, f64::max)
        .clamp(1e-9, AXIS_LIMIT)
        * 1.12;
    let size = size.fitting_legend(series.len());
    let y1 = on_axis(y1 / (1.0 - legend_share(series.len(), size)));
    let mut svg = String::new();
    {
        let root = SVGBackend::with_string(&mut svg, (size.width, size.height)).into_drawing_area();
        let Some(mut chart) = frame(&root, size, 0f64..ng as f64, 0f64..y1) else {
            return svg_error(size);
        };
        category_mesh(&mut chart, groups, size, y_desc, y_label);
        let width = 0.8 / ns as f64;
        for (s, (label, values, errors)) in series.iter().enumerate() {
            let c = colour(s);
            let rects = values
                .iter()
                .enumerate()
                .filter(|(_, v)| v.is_finite())
                .map(|(g, v)| {
                    let x = g as f64 + 0.1 + s as f64 * width;
                    Rectangle::new([(x, 0.0), (x + width * 0.9, v.max(0.0))], c.filled())
                });
            if let Ok(a) = chart.draw_series(rects) {
                a.label(label.clone()).legend(move |(x, y)| {
                    Rectangle::new([(x, y - 5), (x + 12, y + 5)], c.filled())
                });
            }
            if let Some(errors) = errors {
                let _ = chart.draw_series(
                    values
                        .iter()
                        .zip(errors)
                        .enumerate()
                        .filter(|(_, (v, e))| v.is_finite() && e.is_finite())
                        .map(|(g, (v, e))| {
                            let x = g as f64 + 0.1 + s as f64 * width + width * 0.45;
                            PathElement::new(
                                vec![(x, (v - e).max(0.0)), (x, v + e)],
                                BLACK.stroke_width(1),
                            )
                        }),
                );
            }
        }
        legend(&mut chart, size, SeriesLabelPosition::UpperRight);
        let _ = root.present();
    }
    svg
}

/// A waterfall: a bar from 0 to `start`, then one floating bar per step (from the
/// running total to the total plus the step; rises dark, falls light), with an error
/// whisker where a half-width is given, then a bar from 0 to `end`. Labels name the
/// bars in order (start, steps, end).
pub fn waterfall(
    labels: &[String],
    start: f64,
    steps: &[(f64, Option<(f64, f64)>)],
    end: f64,
    y_desc: &str,
    y_label: &dyn Fn(f64) -> String,
    size: Size,
) -> String {
    let n = steps.len() + 2;
    let mut tops = vec![0.0, start, end];
    let mut total = start;
    for (v, band) in steps {
        tops.push(total);
        tops.push(total + v);
        if let Some((lo, hi)) = band {
            tops.push(total + lo);
            tops.push(total + hi);
        }
        total += v;
    }
    let finite = tops.iter().copied().filter(|x| x.is_finite());
    let lo = finite.clone().fold(0.0, f64::min).max(-AXIS_LIMIT);
    let hi = finite.fold(0.0, f64::max).min(AXIS_LIMIT);
    let pad = (hi - lo).max(1e-9) * 0.08;
    let (y0, y1) = (if lo < 0.0 { lo - pad } else { 0.0 }, hi + pad);
    let mut svg = String::new();
    {
        let root = SVGBackend::with_string(&mut svg, (size.width, size.height)).into_drawing_area();
        let Some(mut chart) = frame(&root, size, 0f64..n as f64, y0..y1) else {
            return svg_error(size);
        };
        category_mesh(&mut chart, labels, size, y_desc, y_label);
        let grey = RGBColor(120, 120, 120);
        let bar = |i: usize, a: f64, b: f64, c: RGBColor| {
            Rectangle::new(
                [(i as f64 + 0.15, a.min(b)), (i as f64 + 0.85, a.max(b))],
                c.filled(),
            )
        };
        let _ = chart.draw_series([bar(0, 0.0, start, grey), bar(n - 1, 0.0, end, grey)]);
        let mut total = start;
        for (i, (v, band)) in steps.iter().enumerate() {
            let c = if *v >= 0.0 {
                colour(0)
            } else {
                lighten(colour(0), 0.55)
            };
            let _ = chart.draw_series(std::iter::once(bar(i + 1, total, total + v, c)));
            if let Some((lo, hi)) = band {
                let x = i as f64 + 1.5;
                let _ = chart.draw_series(std::iter::once(PathElement::new(
                    vec![(x, total + lo), (x, total + hi)],
                    BLACK.stroke_width(1),
                )));
            }
            total += v;
        }
        let _ = root.present();
    }
    svg
}

fn svg_error(size: Size) -> String {
    format!(
        "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{}\" height=\"40\"><text x=\"10\" y=\"25\">chart could not be drawn</text></svg>",
        size.width
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_value_near_the_largest_float_is_drawn_on_a_bounded_axis() {
        for y in [9e307, 1e308, f64::MAX, 5e15] {
            let line = Line {
                label: "observed".into(),
                points: vec![(0.0, 1.0), (1.0, y)],
                band: None,
                dashed: false,
            };
            let axes = Axes {
                x_desc: "day",
                y_desc: "persons",
                x_label: &|x| format!("{x}"),
                y_label: &|y| format!("{y}"),
                mark: None,
            };
            let svg = lines(&[], &[line], &axes, Size::REPORT);
            assert!(svg.contains("observed"), "{y:e}: no chart");
            let svg = bars(
                &["a".into()],
                &[("b".into(), vec![y], None)],
                "persons",
                &|y| format!("{y}"),
                Size::REPORT,
            );
            assert!(svg.contains("<svg"), "{y:e}: no bars");
        }
    }

    /// `n` labelled lines, each rising from 10 to 100.
    fn rising(n: usize) -> Vec<Line> {
        (0..n)
            .map(|i| Line {
                label: format!("series {i}"),
                points: vec![(0.0, 10.0), (1.0, 100.0)],
                band: None,
                dashed: false,
            })
            .collect()
    }

    #[test]
    fn legends_sit_above_the_data() {
        // Five labelled series on a phone's chart and on the report's: the highest
        // value lies below the legend's box at the top of the plot.
        for size in [Size::for_width(390), Size::REPORT] {
            let share = legend_share(5, size);
            let plot = f64::from(size.height) - 24.0 - size.font * 3.6;
            assert!(
                share * plot >= 5.0 * size.font * 1.3,
                "{share} of {plot} px"
            );
            let (_, _, y1) = bounds(rising(5).iter(), 0.0);
            let raised = on_axis(y1 / (1.0 - share));
            assert!(100.0 <= raised * (1.0 - share) + 1e-9);
        }
        assert_eq!(legend_share(0, Size::REPORT), 0.0);
        assert!(legend_share(40, Size::for_width(300)) <= 0.6);
    }

    #[test]
    fn a_narrow_chart_with_many_series_grows_taller_so_its_legend_fits_above_the_data() {
        // Seven series on a phone's chart (the costs): the legend would need more than
        // the 0.6 cap; the chart grows until it needs half the plot.
        let phone = Size::for_width(350);
        assert!(legend_need(7, phone) > 0.6, "{}", legend_need(7, phone));
        let taller = phone.fitting_legend(7);
        assert!(taller.height > phone.height);
        assert!(
            (legend_need(7, taller) - 0.5).abs() < 0.01,
            "{}",
            legend_need(7, taller)
        );
        // Few series, or a report's chart: unchanged.
        assert_eq!(phone.fitting_legend(2), phone);
        assert_eq!(Size::REPORT.fitting_legend(5), Size::REPORT);
        let lines = rising(7);
        let axes = Axes {
            x_desc: "day",
            y_desc: "value",
            x_label: &|x| format!("{x}"),
            y_label: &|y| format!("{y}"),
            mark: None,
        };
        let svg = lines_svg(&[], &lines, &axes, phone);
        assert!(
            svg.contains(&format!("height=\"{}\"", taller.height)),
            "{}",
            &svg[..200]
        );
    }

    #[test]
    fn a_chart_carries_its_data_as_csv_with_units_in_its_metadata() {
        let line = Line {
            label: "model, mean".into(),
            points: vec![(0.0, 10.0), (1.0, 12.5), (2.0, 11.0)],
            band: Some(vec![(0.0, 9.0, 11.0), (1.0, 12.0, 13.0), (2.0, 10.0, 12.0)]),
            dashed: false,
        };
        let axes = Axes {
            x_desc: "date",
            y_desc: "arrests per day",
            x_label: &|x| format!("2025-01-{:02}", 20 + x as u32),
            y_label: &|y| format!("{y}"),
            mark: None,
        };
        let svg = lines(&[], &[line], &axes, Size::REPORT);
        let csv = svg
            .split("<metadata data-format=\"text/csv\">")
            .nth(1)
            .and_then(|rest| rest.split("</metadata>").next())
            .expect("the data is in the SVG");
        let rows: Vec<&str> = csv.lines().collect();
        assert_eq!(
            rows[0],
            "series,date,value (arrests per day),p05 (arrests per day),p95 (arrests per day)"
        );
        assert_eq!(rows[2], "model  mean,2025-01-21,12.5,12,13");
        assert_eq!(rows.len(), 4);
        // The chart itself is drawn as before, after the data.
        assert!(svg.contains("<polyline") || svg.contains("<path"));
        let bars = bars(
            &["ERO".into(), "HSI".into()],
            &[("hours".into(), vec![3.0, 4.0], Some(vec![0.5, 1.0]))],
            "hours",
            &|y| format!("{y}"),
            Size::REPORT,
        );
        assert!(bars.contains(
            "series,group,value (hours),half-width (hours)\nhours,ERO,3,0.5\nhours,HSI,4,1\n"
        ));
    }

    #[test]
    fn a_heat_map_labels_every_row_and_keys_no_value_apart_from_zero() {
        let rows: Vec<String> = (0..25).map(|i| format!("R{i:02}")).collect();
        let cols: Vec<String> = (0..10).map(|i| format!("C{i}")).collect();
        let mut cells = vec![vec![0.5; 10]; 25];
        cells[0][0] = f64::NAN;
        cells[1][0] = 0.0;
        let key = HeatKey {
            title: "attainment",
            max: 1.0,
            show: &|v| format!("{:.0} %", v * 100.0),
            missing: "no quota",
        };
        for size in [Size::REPORT, Size::for_width(360)] {
            let svg = heat_map(&cells, &rows, &cols, "week", "office", &key, size);
            let texts: Vec<&str> = svg
                .split("</text>")
                .filter_map(|t| t.rsplit_once('>').map(|(_, x)| x.trim()))
                .collect();
            for r in &rows {
                assert!(texts.contains(&r.as_str()), "{r} at {size:?}");
            }
            for label in ["no quota", "0 %", "100 % or more", "attainment"] {
                assert!(texts.contains(&label), "{label} at {size:?}");
            }
            // No value is grey; zero is white.
            assert!(svg.contains("fill=\"#C8C8C8\""), "grey at {size:?}");
            assert!(svg.contains("fill=\"#FFFFFF\""), "white at {size:?}");
            assert!(svg.contains(&format!("width=\"{}\"", size.width)));
        }
    }
}
