//! Inline SVG charts: no script, no web font, no network, so the report opens anywhere and
//! prints as it shows.
//!
//! Each function takes plain, already-labelled data and returns one `<svg>` element sized by
//! its `viewBox` (it scales to the page width). Text that came from the contract is escaped
//! here, because templates insert the SVG unescaped.

use std::fmt::Write;

use pacta_core::html;

/// Colours of the verdicts (also used by the page's CSS).
pub mod colour {
    /// Met.
    pub const MET: &str = "#2e7d32";
    /// Missed.
    pub const MISSED: &str = "#ef6c00";
    /// Below minimum.
    pub const BELOW: &str = "#c62828";
    /// Excused or no data.
    pub const NEUTRAL: &str = "#9e9e9e";
    /// Lines and bars without a verdict.
    pub const INK: &str = "#1f4e79";
    /// Light fills (bands).
    pub const BAND: &str = "#cfe3f5";
    /// Grid lines.
    pub const GRID: &str = "#e6e6e6";
}

/// The colour of a status key from [`crate::labels::status_key`].
pub fn status_colour(key: &str) -> &'static str {
    match key {
        "met" => colour::MET,
        "missed" => colour::MISSED,
        "below" => colour::BELOW,
        _ => colour::NEUTRAL,
    }
}

/// Round tick values covering `[lo, hi]`: steps of 1, 2 or 5 × 10ⁿ, about `n` of them.
pub fn nice_ticks(lo: f64, hi: f64, n: usize) -> Vec<f64> {
    if !lo.is_finite() || !hi.is_finite() {
        return vec![0.0];
    }
    let (lo, hi) = if hi - lo < 1e-9 {
        (lo - 1.0, hi + 1.0)
    } else {
        (lo, hi)
    };
    let raw = (hi - lo) / n.max(1) as f64;
    let mag = 10f64.powf(raw.log10().floor());
    let step = [1.0, 2.0, 5.0, 10.0]
        .iter()
        .map(|m| m * mag)
        .find(|s| *s >= raw)
        .unwrap_or(10.0 * mag);
    let start = (lo / step).floor() * step;
    let mut ticks = Vec::new();
    let mut v = start;
    while v <= hi + step * 1e-9 && ticks.len() < 50 {
        ticks.push(if v.abs() < step * 1e-9 { 0.0 } else { v });
        v += step;
    }
    if ticks.last().is_some_and(|l| *l < hi - step * 1e-9) {
        ticks.push(v);
    }
    ticks
}

fn tick_label(v: f64, step: f64, group: &dyn Fn(f64, usize) -> String) -> String {
    let places = if step >= 1.0 || step == 0.0 {
        0
    } else {
        (-step.log10().floor()) as usize
    };
    group(v, places)
}

fn open(out: &mut String, w: u32, h: u32, title: &str) {
    let t = html::escape(title);
    let _ = write!(
        out,
        r##"<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {w} {h}" width="100%" role="img" aria-label="{t}" font-family="system-ui, -apple-system, 'Segoe UI', sans-serif" font-size="13"><title>{t}</title>"##
    );
}

/// One day of an SLA's daily series.
#[derive(Debug, Clone)]
pub struct DailyPoint {
    /// Axis label (day of month).
    pub label: String,
    /// The day's value; `None` = no contacts that day.
    pub value: Option<f64>,
}

/// The daily series of one SLA against its target (and minimum).
pub struct DailyChart<'a> {
    /// Chart title (SLA id and name).
    pub title: &'a str,
    /// Points in day order.
    pub points: &'a [DailyPoint],
    /// Target in force.
    pub target: Option<f64>,
    /// Minimum level.
    pub minimum: Option<f64>,
    /// Direction: a day at or above (below) the target meets it.
    pub higher_is_better: bool,
    /// Unit suffix on the axis, e.g. `%` or `s`.
    pub unit: &'a str,
    /// Label of the target line.
    pub target_label: &'a str,
    /// Label of the minimum line.
    pub minimum_label: &'a str,
    /// Title of the horizontal axis (`Day of month`).
    pub x_title: &'a str,
    /// Title of the vertical axis (the metric and its unit).
    pub y_title: &'a str,
    /// Point colour legend: met, below target, below minimum (in that order); empty labels
    /// are left out (a chart without a target has none).
    pub legend: [&'a str; 3],
    /// Index of the first day whose value is provisional (shaded and labelled), if any.
    pub provisional_from: Option<usize>,
    /// Label of the provisional shading.
    pub provisional_label: &'a str,
}

/// A row of colour keys under a chart: (colour, label) swatches from `x` at height `y`.
fn legend(out: &mut String, x: f64, y: f64, items: &[(&str, &str)]) {
    let mut at = x;
    // An empty label means the chart has no such colour (a chart without a target).
    for (fill, label) in items.iter().filter(|(_, l)| !l.is_empty()) {
        let _ = write!(
            out,
            r##"<rect x="{at:.1}" y="{:.1}" width="11" height="11" rx="2" fill="{fill}" stroke="#999" stroke-width="0.5"/><text x="{:.1}" y="{y:.1}" fill="#333" font-size="12">{}</text>"##,
            y - 10.0,
            at + 15.0,
            html::escape(label)
        );
        at += 15.0 + 6.8 * label.chars().count() as f64 + 14.0;
    }
}

/// A vertical axis title, rotated, centred on the plot's height.
fn y_axis_title(out: &mut String, x: f64, top: f64, plot_h: f64, title: &str) {
    let cy = top + plot_h / 2.0;
    let _ = write!(
        out,
        r##"<text x="{x:.1}" y="{cy:.1}" text-anchor="middle" fill="#555" transform="rotate(-90 {x:.1} {cy:.1})">{}</text>"##,
        html::escape(title)
    );
}

/// Service level (or any SLA metric) by day against its target.
pub fn daily(chart: &DailyChart<'_>, group: &dyn Fn(f64, usize) -> String) -> String {
    const W: u32 = 560;
    const H: u32 = 300;
    let (left, right, top, bottom) = (66.0, 12.0, 44.0, 64.0);
    let plot_w = f64::from(W) - left - right;
    let plot_h = f64::from(H) - top - bottom;
    let values: Vec<f64> = chart.points.iter().filter_map(|p| p.value).collect();
    let mut lo = values.iter().copied().fold(f64::INFINITY, f64::min);
    let mut hi = values.iter().copied().fold(f64::NEG_INFINITY, f64::max);
    for v in [chart.target, chart.minimum].into_iter().flatten() {
        lo = lo.min(v);
        hi = hi.max(v);
    }
    if !lo.is_finite() {
        (lo, hi) = (0.0, 100.0);
    }
    let pad = ((hi - lo) * 0.08).max(0.5);
    let (mut lo, mut hi) = (lo - pad, hi + pad);
    if chart.unit == "%" {
        lo = lo.max(0.0);
        hi = hi.min(100.0);
    } else {
        lo = lo.max(0.0);
    }
    let ticks = nice_ticks(lo, hi, 4);
    let lo = ticks.first().copied().unwrap_or(lo).min(lo);
    let hi = ticks.last().copied().unwrap_or(hi).max(hi);
    let step = if ticks.len() > 1 {
        ticks[1] - ticks[0]
    } else {
        1.0
    };
    let y = |v: f64| top + plot_h - (v - lo) / (hi - lo) * plot_h;
    let n = chart.points.len().max(1);
    let x = |i: usize| left + (i as f64 + 0.5) * plot_w / n as f64;

    let mut out = String::new();
    open(&mut out, W, H, chart.title);
    let _ = write!(
        out,
        r##"<text x="8" y="16" font-weight="600" font-size="14">{}</text>"##,
        html::escape(chart.title)
    );
    if let Some(from) = chart.provisional_from.filter(|f| *f < n) {
        let x0 = left + from as f64 * plot_w / n as f64;
        let _ = write!(
            out,
            r##"<rect x="{x0:.1}" y="{top}" width="{:.1}" height="{plot_h:.1}" fill="#fff3cd"/><text x="{:.1}" y="{:.1}" text-anchor="end" fill="#8a6d00" font-style="italic">{}</text>"##,
            left + plot_w - x0,
            left + plot_w - 3.0,
            top + 14.0,
            html::escape(chart.provisional_label)
        );
    }
    y_axis_title(&mut out, 16.0, top, plot_h, chart.y_title);
    let _ = write!(
        out,
        r##"<text x="{:.1}" y="{:.1}" text-anchor="middle" fill="#555">{}</text>"##,
        left + plot_w / 2.0,
        f64::from(H) - bottom + 34.0,
        html::escape(chart.x_title)
    );
    legend(
        &mut out,
        8.0,
        f64::from(H) - 8.0,
        &[
            (colour::MET, chart.legend[0]),
            (colour::MISSED, chart.legend[1]),
            (colour::BELOW, chart.legend[2]),
        ],
    );
    for t in &ticks {
        let ty = y(*t);
        let _ = write!(
            out,
            r##"<line x1="{left}" x2="{:.1}" y1="{ty:.1}" y2="{ty:.1}" stroke="{}"/><text x="{:.1}" y="{:.1}" text-anchor="end" fill="#555">{}{}</text>"##,
            left + plot_w,
            colour::GRID,
            left - 6.0,
            ty + 4.0,
            tick_label(*t, step, group),
            html::escape(chart.unit)
        );
    }
    let label_every = n.div_ceil(16).max(1);
    for (i, p) in chart.points.iter().enumerate() {
        if i % label_every == 0 {
            let _ = write!(
                out,
                r##"<text x="{:.1}" y="{:.1}" text-anchor="middle" fill="#555">{}</text>"##,
                x(i),
                f64::from(H) - bottom + 16.0,
                html::escape(&p.label)
            );
        }
    }
    let mut legend_x = left + plot_w;
    for (level, dash, label) in [
        (chart.minimum, "2 3", chart.minimum_label),
        (chart.target, "6 4", chart.target_label),
    ] {
        if let Some(v) = level {
            let ly = y(v);
            let _ = write!(
                out,
                r##"<line x1="{left}" x2="{:.1}" y1="{ly:.1}" y2="{ly:.1}" stroke="#333" stroke-dasharray="{dash}"/>"##,
                left + plot_w
            );
            let text = format!(
                "{label} {}{}",
                group(v, if v.fract() == 0.0 { 0 } else { 2 }),
                chart.unit
            );
            let _ = write!(
                out,
                r##"<line x1="{:.1}" x2="{legend_x:.1}" y1="32" y2="32" stroke="#333" stroke-dasharray="{dash}"/><text x="{:.1}" y="36" text-anchor="end" fill="#333">{}</text>"##,
                legend_x - 22.0,
                legend_x - 26.0,
                html::escape(&text)
            );
            legend_x -= 7.5 * text.chars().count() as f64 + 44.0;
        }
    }
    // The line breaks on days without data rather than drawing through them.
    let mut path = String::new();
    let mut pen_down = false;
    for (i, p) in chart.points.iter().enumerate() {
        match p.value {
            Some(v) => {
                let _ = write!(
                    path,
                    "{}{:.1},{:.1} ",
                    if pen_down { "L" } else { "M" },
                    x(i),
                    y(v)
                );
                pen_down = true;
            }
            None => pen_down = false,
        }
    }
    if !path.is_empty() {
        let _ = write!(
            out,
            r##"<path d="{}" fill="none" stroke="{}" stroke-width="1.6"/>"##,
            path.trim_end(),
            colour::INK
        );
    }
    for (i, p) in chart.points.iter().enumerate() {
        if let Some(v) = p.value {
            let meets = |level: f64| {
                if chart.higher_is_better {
                    v >= level
                } else {
                    v <= level
                }
            };
            let fill = match (chart.target, chart.minimum) {
                (Some(t), _) if meets(t) => colour::MET,
                (Some(_), Some(m)) if !meets(m) => colour::BELOW,
                (Some(_), _) => colour::MISSED,
                (None, _) => colour::INK,
            };
            let _ = write!(
                out,
                r##"<circle cx="{:.1}" cy="{:.1}" r="3" fill="{fill}"><title>{}: {}{}</title></circle>"##,
                x(i),
                y(v),
                html::escape(&p.label),
                group(v, 2),
                html::escape(chart.unit)
            );
        }
    }
    out.push_str("</svg>");
    out
}

/// One day's share of an interval SLA's intervals at target.
#[derive(Debug, Clone, PartialEq)]
pub struct ShareBar {
    /// Axis label (day of month).
    pub label: String,
    /// Intervals with data that day.
    pub with_data: u64,
    /// Of which meeting the target.
    pub met: u64,
}

impl ShareBar {
    /// The share at target, percent; `None` for a day without data.
    pub fn share(&self) -> Option<f64> {
        (self.with_data > 0).then(|| self.met as f64 * 100.0 / self.with_data as f64)
    }
}

/// Texts of the share-at-target chart.
pub struct ShareChart<'a> {
    /// Chart title.
    pub title: &'a str,
    /// Days in order.
    pub bars: &'a [ShareBar],
    /// The share of periods the contract requires, percent.
    pub required: f64,
    /// Label of the required line (`required`).
    pub required_label: &'a str,
    /// Horizontal axis title.
    pub x_title: &'a str,
    /// Vertical axis title.
    pub y_title: &'a str,
    /// Legend: at or above the required share, below it.
    pub legend: [&'a str; 2],
}

/// The share of each day's intervals that met the target (what a per-interval verdict
/// counts), against the share the contract requires.
pub fn share_at_target(chart: &ShareChart<'_>, group: &dyn Fn(f64, usize) -> String) -> String {
    const W: u32 = 560;
    const H: u32 = 300;
    let (left, right, top, bottom) = (66.0, 12.0, 44.0, 64.0);
    let plot_w = f64::from(W) - left - right;
    let plot_h = f64::from(H) - top - bottom;
    let y = |v: f64| top + plot_h - v / 100.0 * plot_h;
    let n = chart.bars.len().max(1);
    let slot = plot_w / n as f64;
    let mut out = String::new();
    open(&mut out, W, H, chart.title);
    let _ = write!(
        out,
        r##"<text x="8" y="16" font-weight="600" font-size="14">{}</text>"##,
        html::escape(chart.title)
    );
    for t in [0.0, 25.0, 50.0, 75.0, 100.0] {
        let ty = y(t);
        let _ = write!(
            out,
            r##"<line x1="{left}" x2="{:.1}" y1="{ty:.1}" y2="{ty:.1}" stroke="{}"/><text x="{:.1}" y="{:.1}" text-anchor="end" fill="#555">{}%</text>"##,
            left + plot_w,
            colour::GRID,
            left - 6.0,
            ty + 4.0,
            group(t, 0)
        );
    }
    let label_every = n.div_ceil(16).max(1);
    for (i, b) in chart.bars.iter().enumerate() {
        let cx = left + slot * (i as f64 + 0.5);
        if let Some(share) = b.share() {
            let fill = if share >= chart.required {
                colour::MET
            } else {
                colour::MISSED
            };
            let _ = write!(
                out,
                r##"<rect x="{:.1}" y="{:.1}" width="{:.1}" height="{:.1}" fill="{fill}"><title>{}: {} / {} ({}%)</title></rect>"##,
                cx - slot * 0.35,
                y(share),
                slot * 0.7,
                (y(0.0) - y(share)).max(0.5),
                html::escape(&b.label),
                group(b.met as f64, 0),
                group(b.with_data as f64, 0),
                group(share, 1)
            );
        }
        if i % label_every == 0 {
            let _ = write!(
                out,
                r##"<text x="{cx:.1}" y="{:.1}" text-anchor="middle" fill="#555">{}</text>"##,
                f64::from(H) - bottom + 16.0,
                html::escape(&b.label)
            );
        }
    }
    let ry = y(chart.required);
    let text = format!("{} {}%", chart.required_label, group(chart.required, 0));
    let _ = write!(
        out,
        r##"<line x1="{left}" x2="{:.1}" y1="{ry:.1}" y2="{ry:.1}" stroke="#333" stroke-dasharray="6 4"/><line x1="{:.1}" x2="{:.1}" y1="32" y2="32" stroke="#333" stroke-dasharray="6 4"/><text x="{:.1}" y="36" text-anchor="end" fill="#333">{}</text>"##,
        left + plot_w,
        left + plot_w - 22.0,
        left + plot_w,
        left + plot_w - 26.0,
        html::escape(&text)
    );
    y_axis_title(&mut out, 16.0, top, plot_h, chart.y_title);
    let _ = write!(
        out,
        r##"<text x="{:.1}" y="{:.1}" text-anchor="middle" fill="#555">{}</text>"##,
        left + plot_w / 2.0,
        f64::from(H) - bottom + 34.0,
        html::escape(chart.x_title)
    );
    legend(
        &mut out,
        8.0,
        f64::from(H) - 8.0,
        &[
            (colour::MET, chart.legend[0]),
            (colour::MISSED, chart.legend[1]),
        ],
    );
    out.push_str("</svg>");
    out
}

/// One cell of the interval heatmap.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Cell {
    /// Met the target.
    Met,
    /// Below target, at or above the minimum.
    Missed,
    /// Below the minimum.
    Below,
}

/// Texts of the heatmap.
pub struct Heatmap<'a> {
    /// Chart title.
    pub title: &'a str,
    /// Row labels (days).
    pub days: &'a [String],
    /// Column labels (interval start times).
    pub times: &'a [String],
    /// `cells[day][time]`, `None` without data.
    pub cells: &'a [Vec<Option<Cell>>],
    /// Horizontal axis title.
    pub x_title: &'a str,
    /// Vertical axis title.
    pub y_title: &'a str,
    /// Legend: met, missed, below minimum, no data.
    pub legend: [&'a str; 4],
}

/// Days down, intervals across: each interval coloured by how it fared against the target.
pub fn heatmap(chart: &Heatmap<'_>) -> String {
    let cols = chart.times.len().max(1);
    let rows = chart.days.len().max(1);
    let (left, top) = (58.0, 62.0);
    let cell_w = (1000.0 - left - 10.0) / cols as f64;
    let cell_h = 13.0;
    let w = 1000u32;
    let h = (top + cell_h * rows as f64 + 58.0).ceil() as u32;
    let mut out = String::new();
    open(&mut out, w, h, chart.title);
    let _ = write!(
        out,
        r##"<text x="8" y="16" font-weight="600" font-size="14">{}</text>"##,
        html::escape(chart.title)
    );
    let _ = write!(
        out,
        r##"<text x="{:.1}" y="34" text-anchor="middle" fill="#555">{}</text>"##,
        left + cell_w * cols as f64 / 2.0,
        html::escape(chart.x_title)
    );
    let time_every = cols.div_ceil(12).max(1);
    for (j, t) in chart.times.iter().enumerate() {
        if j % time_every == 0 {
            let _ = write!(
                out,
                r##"<text x="{:.1}" y="{:.1}" fill="#555">{}</text>"##,
                left + cell_w * j as f64,
                top - 8.0,
                html::escape(t)
            );
        }
    }
    y_axis_title(&mut out, 14.0, top, cell_h * rows as f64, chart.y_title);
    for (i, (day, row)) in chart.days.iter().zip(chart.cells).enumerate() {
        let ry = top + cell_h * i as f64;
        if i % 2 == 0 {
            let _ = write!(
                out,
                r##"<text x="{:.1}" y="{:.1}" text-anchor="end" fill="#555" font-size="11">{}</text>"##,
                left - 6.0,
                ry + cell_h - 3.0,
                html::escape(day)
            );
        }
        for (j, c) in row.iter().enumerate() {
            let fill = match c {
                Some(Cell::Met) => colour::MET,
                Some(Cell::Missed) => colour::MISSED,
                Some(Cell::Below) => colour::BELOW,
                None => "#eeeeee",
            };
            let _ = write!(
                out,
                r##"<rect x="{:.1}" y="{:.1}" width="{:.1}" height="{:.1}" fill="{fill}"/>"##,
                left + cell_w * j as f64 + 0.5,
                ry + 0.5,
                (cell_w - 1.0).max(0.5),
                cell_h - 1.0
            );
        }
    }
    legend(
        &mut out,
        left,
        f64::from(h) - 14.0,
        &[
            (colour::MET, chart.legend[0]),
            (colour::MISSED, chart.legend[1]),
            (colour::BELOW, chart.legend[2]),
            ("#eeeeee", chart.legend[3]),
        ],
    );
    out.push_str("</svg>");
    out
}

/// One service's month volume against its forecast band.
#[derive(Debug, Clone)]
pub struct VolumeBar {
    /// Service id.
    pub label: String,
    /// Contacts offered.
    pub offered: f64,
    /// Forecast.
    pub forecast: Option<f64>,
    /// Flex band, low and high.
    pub band: Option<(f64, f64)>,
}

/// Horizontal bars of offered volume over the shaded flex band, with the forecast marked;
/// `x_title` names the axis and `legend` is (offered, offered outside the band, forecast,
/// flex band).
pub fn volume(
    bars: &[VolumeBar],
    title: &str,
    x_title: &str,
    legend_labels: [&str; 4],
    group: &dyn Fn(f64, usize) -> String,
) -> String {
    const W: u32 = 640;
    let row_h = 34.0;
    let (left, right, top, bottom) = (110.0, 60.0, 12.0, 62.0);
    let h = (top + bottom + row_h * bars.len().max(1) as f64).ceil() as u32;
    let plot_w = f64::from(W) - left - right;
    let hi = bars
        .iter()
        .flat_map(|b| [Some(b.offered), b.forecast, b.band.map(|(_, h)| h)])
        .flatten()
        .fold(1.0, f64::max);
    let ticks = nice_ticks(0.0, hi * 1.05, 5);
    let hi = ticks.last().copied().unwrap_or(hi).max(hi);
    let x = |v: f64| left + v / hi * plot_w;
    let mut out = String::new();
    open(&mut out, W, h, title);
    let axis_y = f64::from(h) - bottom;
    for t in &ticks {
        let tx = x(*t);
        let _ = write!(
            out,
            r##"<line x1="{tx:.1}" x2="{tx:.1}" y1="{top}" y2="{axis_y:.1}" stroke="{}"/><text x="{tx:.1}" y="{:.1}" text-anchor="middle" fill="#555">{}</text>"##,
            colour::GRID,
            axis_y + 16.0,
            group(*t, 0)
        );
    }
    let _ = write!(
        out,
        r##"<text x="{:.1}" y="{:.1}" text-anchor="middle" fill="#555">{}</text>"##,
        left + plot_w / 2.0,
        axis_y + 33.0,
        html::escape(x_title)
    );
    legend(
        &mut out,
        8.0,
        f64::from(h) - 6.0,
        &[
            (colour::INK, legend_labels[0]),
            (colour::MISSED, legend_labels[1]),
            ("#111111", legend_labels[2]),
            (colour::BAND, legend_labels[3]),
        ],
    );
    for (i, b) in bars.iter().enumerate() {
        let ry = top + row_h * i as f64;
        let _ = write!(
            out,
            r##"<text x="{:.1}" y="{:.1}" text-anchor="end">{}</text>"##,
            left - 8.0,
            ry + row_h / 2.0 + 4.0,
            html::escape(&b.label)
        );
        if let Some((lo, hi_band)) = b.band {
            let _ = write!(
                out,
                r##"<rect x="{:.1}" y="{:.1}" width="{:.1}" height="{:.1}" fill="{}"/>"##,
                x(lo),
                ry + 4.0,
                (x(hi_band) - x(lo)).max(1.0),
                row_h - 8.0,
                colour::BAND
            );
        }
        let outside = b
            .band
            .is_some_and(|(lo, h)| b.offered > h || b.offered < lo);
        let fill = if outside { colour::MISSED } else { colour::INK };
        let _ = write!(
            out,
            r##"<rect x="{left}" y="{:.1}" width="{:.1}" height="{:.1}" fill="{fill}"><title>{}: {}</title></rect>"##,
            ry + 11.0,
            (x(b.offered) - left).max(0.5),
            row_h - 22.0,
            html::escape(&b.label),
            group(b.offered, 0)
        );
        let _ = write!(
            out,
            r##"<text x="{:.1}" y="{:.1}" fill="#333">{}</text>"##,
            x(b.offered) + 4.0,
            ry + row_h / 2.0 + 4.0,
            group(b.offered, 0)
        );
        if let Some(f) = b.forecast {
            let fx = x(f);
            let _ = write!(
                out,
                r##"<line x1="{fx:.1}" x2="{fx:.1}" y1="{:.1}" y2="{:.1}" stroke="#111" stroke-width="2"/>"##,
                ry + 2.0,
                ry + row_h - 2.0
            );
        }
    }
    out.push_str("</svg>");
    out
}

/// How a waterfall bar moves the running total.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Step {
    /// Adds to the running total.
    Up,
    /// Subtracts from it.
    Down,
    /// A total drawn from zero (the running total must equal it).
    Total,
}

/// One bar of the credit waterfall.
#[derive(Debug, Clone)]
pub struct WaterfallBar {
    /// Axis label.
    pub label: String,
    /// Size (positive; [`Step`] says which way it moves).
    pub amount: f64,
    /// The bar's role.
    pub step: Step,
    /// Formatted amount for the bar's label.
    pub text: String,
}

/// The credit waterfall: per-SLA credits up, caps and earn-backs down, the net at the end;
/// `y_title` names the amounts' axis and `legend` is (credit, reduction, net).
pub fn waterfall(
    bars: &[WaterfallBar],
    title: &str,
    y_title: &str,
    legend_labels: [&str; 3],
    group: &dyn Fn(f64, usize) -> String,
) -> String {
    const W: u32 = 640;
    const H: u32 = 280;
    let (left, right, top, bottom) = (80.0, 10.0, 20.0, 64.0);
    let plot_w = f64::from(W) - left - right;
    let plot_h = f64::from(H) - top - bottom;
    // Running totals, to size the axis (the net can be negative when bonuses exceed credits).
    let mut run = 0.0f64;
    let mut spans = Vec::with_capacity(bars.len());
    for b in bars {
        let (from, to) = match b.step {
            Step::Up => (run, run + b.amount),
            Step::Down => (run, run - b.amount),
            Step::Total => (0.0, b.amount),
        };
        run = to;
        spans.push((from, to));
    }
    let lo = spans.iter().flat_map(|(a, b)| [*a, *b]).fold(0.0, f64::min);
    let hi = spans.iter().flat_map(|(a, b)| [*a, *b]).fold(0.0, f64::max);
    let hi = if hi - lo < 1e-9 { lo + 1.0 } else { hi };
    let ticks = nice_ticks(lo, hi, 4);
    let lo = ticks.first().copied().unwrap_or(lo).min(lo);
    let hi = ticks.last().copied().unwrap_or(hi).max(hi);
    let y = |v: f64| top + plot_h - (v - lo) / (hi - lo) * plot_h;
    let n = bars.len().max(1) as f64;
    let slot = plot_w / n;
    let bar_w = (slot * 0.62).min(70.0);

    let mut out = String::new();
    open(&mut out, W, H, title);
    y_axis_title(&mut out, 14.0, top, plot_h, y_title);
    legend(
        &mut out,
        8.0,
        f64::from(H) - 6.0,
        &[
            (colour::MISSED, legend_labels[0]),
            (colour::MET, legend_labels[1]),
            (colour::INK, legend_labels[2]),
        ],
    );
    for t in &ticks {
        let ty = y(*t);
        let _ = write!(
            out,
            r##"<line x1="{left}" x2="{:.1}" y1="{ty:.1}" y2="{ty:.1}" stroke="{}"/><text x="{:.1}" y="{:.1}" text-anchor="end" fill="#555">{}</text>"##,
            left + plot_w,
            if t.abs() < 1e-12 {
                "#999"
            } else {
                colour::GRID
            },
            left - 6.0,
            ty + 4.0,
            group(*t, 0)
        );
    }
    for (i, (b, (from, to))) in bars.iter().zip(&spans).enumerate() {
        let cx = left + slot * (i as f64 + 0.5);
        let (y0, y1) = (y(from.max(*to)), y(from.min(*to)));
        let fill = match b.step {
            Step::Up => colour::MISSED,
            Step::Down => colour::MET,
            Step::Total => colour::INK,
        };
        let _ = write!(
            out,
            r##"<rect x="{:.1}" y="{y0:.1}" width="{bar_w:.1}" height="{:.1}" fill="{fill}"><title>{}: {}</title></rect>"##,
            cx - bar_w / 2.0,
            (y1 - y0).max(1.0),
            html::escape(&b.label),
            html::escape(&b.text)
        );
        let _ = write!(
            out,
            r##"<text x="{cx:.1}" y="{:.1}" text-anchor="middle" fill="#333">{}</text>"##,
            y0 - 4.0,
            html::escape(&b.text)
        );
        if i + 1 < bars.len() && bars[i + 1].step != Step::Total {
            let _ = write!(
                out,
                r##"<line x1="{:.1}" x2="{:.1}" y1="{:.1}" y2="{:.1}" stroke="#777" stroke-dasharray="2 2"/>"##,
                cx + bar_w / 2.0,
                cx + slot - bar_w / 2.0,
                y(*to),
                y(*to)
            );
        }
        // Horizontal labels, broken at `-` or spaces into at most two lines that fit the slot.
        let max_chars = ((slot / 6.0).floor() as usize).max(4);
        for (k, line) in label_lines(&b.label, max_chars).iter().enumerate() {
            let _ = write!(
                out,
                r##"<text x="{cx:.1}" y="{:.1}" text-anchor="middle" fill="#333">{}</text>"##,
                f64::from(H) - bottom + 16.0 + 13.0 * k as f64,
                html::escape(line)
            );
        }
    }
    out.push_str("</svg>");
    out
}

/// Splits a label into at most two lines of about `max` characters, at `-`, `_` or spaces
/// where possible, shortening the second line with `…` when it still does not fit.
pub fn label_lines(label: &str, max: usize) -> Vec<String> {
    let chars: Vec<char> = label.chars().collect();
    if chars.len() <= max {
        return vec![label.to_string()];
    }
    let cut = chars[..=max.min(chars.len() - 1)]
        .iter()
        .rposition(|c| matches!(c, '-' | '_' | ' '))
        .filter(|&i| i > 0)
        .map_or(max, |i| i + 1);
    let first: String = chars[..cut]
        .iter()
        .collect::<String>()
        .trim_end()
        .to_string();
    let rest: Vec<char> = chars[cut..].to_vec();
    let second: String = if rest.len() > max {
        rest[..max.saturating_sub(1)].iter().collect::<String>() + "…"
    } else {
        rest.iter().collect()
    };
    vec![first, second.trim_start().to_string()]
}

/// One SLA's row in the history grid: a status key per month (`None` = not settled).
#[derive(Debug, Clone)]
pub struct HistoryRow {
    /// SLA id.
    pub label: String,
    /// (status key, tooltip, text shown in the cell) per month.
    pub cells: Vec<Option<(String, String, String)>>,
}

/// The symbol a history cell shows for a status key, so the grid reads without colour.
pub fn status_symbol(key: &str) -> &'static str {
    match key {
        "met" => "✓",
        "missed" => "✗",
        "below" => "▼",
        _ => "–",
    }
}

/// The scorecard history: SLAs down, settled months across, one coloured cell per verdict
/// with its symbol and text, the month's credit underneath and a legend of the colours
/// (`legend`: met, missed, below minimum, excused, not settled).
pub fn history(
    months: &[String],
    rows: &[HistoryRow],
    credits: &[String],
    title: &str,
    credit_label: &str,
    legend_labels: [&str; 5],
) -> String {
    let cell_w = 84.0;
    let cell_h = 24.0;
    let left = 140.0;
    let top = 24.0;
    let w = (left + cell_w * months.len().max(1) as f64 + 8.0)
        .max(720.0)
        .ceil() as u32;
    let h = (top + cell_h * (rows.len() + 1) as f64 + 36.0).ceil() as u32;
    let mut out = String::new();
    open(&mut out, w, h, title);
    for (j, m) in months.iter().enumerate() {
        let _ = write!(
            out,
            r##"<text x="{:.1}" y="15" text-anchor="middle" fill="#333">{}</text>"##,
            left + cell_w * (j as f64 + 0.5),
            html::escape(m)
        );
    }
    for (i, r) in rows.iter().enumerate() {
        let ry = top + cell_h * i as f64;
        let _ = write!(
            out,
            r##"<text x="{:.1}" y="{:.1}" text-anchor="end">{}</text>"##,
            left - 8.0,
            ry + cell_h / 2.0 + 4.0,
            html::escape(&r.label)
        );
        for (j, c) in r.cells.iter().enumerate() {
            let cx = left + cell_w * j as f64;
            match c {
                Some((key, tip, text)) => {
                    let _ = write!(
                        out,
                        r##"<rect x="{:.1}" y="{:.1}" width="{:.1}" height="{:.1}" rx="3" fill="{}"><title>{}</title></rect><text x="{:.1}" y="{:.1}" text-anchor="middle" fill="#fff" font-weight="600">{} {}</text>"##,
                        cx + 2.0,
                        ry + 2.0,
                        cell_w - 4.0,
                        cell_h - 4.0,
                        status_colour(key),
                        html::escape(tip),
                        cx + cell_w / 2.0,
                        ry + cell_h / 2.0 + 5.0,
                        status_symbol(key),
                        html::escape(text)
                    );
                }
                None => {
                    let _ = write!(
                        out,
                        r##"<rect x="{:.1}" y="{:.1}" width="{:.1}" height="{:.1}" rx="3" fill="none" stroke="#ccc"/>"##,
                        cx + 2.0,
                        ry + 2.0,
                        cell_w - 4.0,
                        cell_h - 4.0
                    );
                }
            }
        }
    }
    let ry = top + cell_h * rows.len() as f64;
    let _ = write!(
        out,
        r##"<text x="{:.1}" y="{:.1}" text-anchor="end" font-weight="600">{}</text>"##,
        left - 8.0,
        ry + cell_h / 2.0 + 4.0,
        html::escape(credit_label)
    );
    for (j, c) in credits.iter().enumerate() {
        let _ = write!(
            out,
            r##"<text x="{:.1}" y="{:.1}" text-anchor="middle" fill="#333">{}</text>"##,
            left + cell_w * (j as f64 + 0.5),
            ry + cell_h / 2.0 + 4.0,
            html::escape(c)
        );
    }
    let [met, missed, below, excused, unsettled] = legend_labels;
    let items: Vec<(String, &str)> = [
        ("met", met),
        ("missed", missed),
        ("below", below),
        ("excused", excused),
    ]
    .iter()
    .map(|(k, l)| (format!("{} {l}", status_symbol(k)), status_colour(k)))
    .collect();
    let mut swatches: Vec<(&str, &str)> = items.iter().map(|(l, c)| (*c, l.as_str())).collect();
    swatches.push(("#ffffff", unsettled));
    let ly = f64::from(h) - 10.0;
    legend(&mut out, 8.0, ly, &swatches);
    out.push_str("</svg>");
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn plain(v: f64, p: usize) -> String {
        format!("{v:.p$}")
    }

    #[test]
    fn ticks_are_round_and_cover_the_range() {
        assert_eq!(
            nice_ticks(0.0, 100.0, 5),
            vec![0.0, 20.0, 40.0, 60.0, 80.0, 100.0]
        );
        let t = nice_ticks(72.3, 91.8, 4);
        assert!(t[0] <= 72.3 && *t.last().unwrap_or(&0.0) >= 91.8, "{t:?}");
        assert_eq!(t[1] - t[0], 5.0);
        let t = nice_ticks(-1500.0, 4200.0, 4);
        assert!(t.contains(&0.0), "{t:?}");
        assert!(nice_ticks(5.0, 5.0, 4).len() >= 2);
    }

    #[test]
    fn daily_chart_colours_days_by_verdict_and_escapes_titles() {
        let points = vec![
            DailyPoint {
                label: "1".into(),
                value: Some(85.0),
            },
            DailyPoint {
                label: "2".into(),
                value: Some(75.0),
            },
            DailyPoint {
                label: "3".into(),
                value: None,
            },
            DailyPoint {
                label: "4".into(),
                value: Some(60.0),
            },
        ];
        let svg = daily(
            &DailyChart {
                title: "SL <voice>",
                points: &points,
                target: Some(80.0),
                minimum: Some(70.0),
                higher_is_better: true,
                unit: "%",
                target_label: "target",
                minimum_label: "minimum",
                x_title: "Day of month",
                y_title: "Service level (%)",
                legend: ["met", "below target", "below minimum"],
                provisional_from: None,
                provisional_label: "provisional",
            },
            &plain,
        );
        assert!(svg.starts_with("<svg") && svg.ends_with("</svg>"));
        assert!(svg.contains("SL &lt;voice&gt;") && !svg.contains("<voice>"));
        // One point of each verdict, plus one legend swatch of each colour.
        assert_eq!(svg.matches(colour::MET).count(), 2);
        assert_eq!(svg.matches(colour::MISSED).count(), 2);
        assert_eq!(svg.matches(colour::BELOW).count(), 2);
        assert!(svg.contains(">Day of month<") && svg.contains("rotate(-90"));
        // The day without data breaks the line: two sub-paths.
        let d = svg.split("<path d=\"").nth(1).unwrap_or_default();
        let d = d.split('"').next().unwrap_or_default();
        assert_eq!(d.matches('M').count(), 2, "{d}");
    }

    #[test]
    fn waterfall_runs_to_the_total() {
        let bars = vec![
            WaterfallBar {
                label: "SL".into(),
                amount: 3000.0,
                step: Step::Up,
                text: "3000".into(),
            },
            WaterfallBar {
                label: "caps".into(),
                amount: 1000.0,
                step: Step::Down,
                text: "-1000".into(),
            },
            WaterfallBar {
                label: "net".into(),
                amount: 2000.0,
                step: Step::Total,
                text: "2000".into(),
            },
        ];
        let svg = waterfall(
            &bars,
            "credits",
            "USD",
            ["credit", "reduction", "net"],
            &plain,
        );
        // Three bars and three legend swatches.
        assert_eq!(svg.matches("<rect").count(), 6);
        assert!(svg.contains(">USD<") && svg.contains(">reduction<"));
        // The cap bar starts where the SL bar ends: both share the same top edge.
        // The legend's three swatches come first; then the bars.
        let ys: Vec<&str> = svg
            .split("<rect ")
            .skip(1 + 3)
            .map(|r| {
                r.split("y=\"")
                    .nth(1)
                    .unwrap_or_default()
                    .split('"')
                    .next()
                    .unwrap_or_default()
            })
            .collect();
        assert_eq!(ys[0], ys[1]);
    }

    #[test]
    fn long_labels_break_at_separators() {
        assert_eq!(label_lines("CSAT", 10), vec!["CSAT"]);
        assert_eq!(
            label_lines("SL-CHAT-INTERVAL", 10),
            vec!["SL-CHAT-", "INTERVAL"]
        );
        assert_eq!(
            label_lines("Earn-back ABCDEFGHIJKLMNOP", 10),
            vec!["Earn-back", "ABCDEFGHI…"]
        );
    }

    #[test]
    fn history_marks_unsettled_months() {
        let rows = vec![HistoryRow {
            label: "SL".into(),
            cells: vec![
                Some(("met".into(), "met".into(), String::new())),
                None,
                Some(("below".into(), "below".into(), "1,200".into())),
            ],
        }];
        let svg = history(
            &["a".into(), "b".into(), "c".into()],
            &rows,
            &["0".into(), "".into(), "5".into()],
            "h",
            "credit",
            ["met", "missed", "below minimum", "excused", "not settled"],
        );
        assert!(svg.contains(colour::MET) && svg.contains(colour::BELOW));
        assert!(svg.contains(r##"fill="none" stroke="#ccc""##));
        // Cells carry their symbol and value; the legend names every colour.
        assert!(svg.contains(">▼ 1,200<"), "{svg}");
        for l in [
            "✓ met",
            "✗ missed",
            "▼ below minimum",
            "– excused",
            "not settled",
        ] {
            assert!(svg.contains(&format!(">{l}<")), "legend {l} missing");
        }
    }

    #[test]
    fn share_bars_are_shares_of_intervals_with_data() {
        let b = ShareBar {
            label: "1".into(),
            with_data: 48,
            met: 36,
        };
        assert_eq!(b.share(), Some(75.0));
        let none = ShareBar {
            label: "2".into(),
            with_data: 0,
            met: 0,
        };
        assert_eq!(none.share(), None);
        let svg = share_at_target(
            &ShareChart {
                title: "t",
                bars: &[b, none],
                required: 90.0,
                required_label: "required",
                x_title: "day",
                y_title: "share",
                legend: ["ok", "short"],
            },
            &plain,
        );
        // One bar (the day without data draws none), below the required share: orange.
        assert_eq!(svg.matches("<title>1: 36 / 48 (75.0%)</title>").count(), 1);
        assert!(svg.contains(&format!(r##"fill="{}"><title>1:"##, colour::MISSED)));
        assert!(svg.contains(">required 90%<"));
    }
}
