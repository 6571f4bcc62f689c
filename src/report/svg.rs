//! Inline SVG charts for the HTML pages: pure functions from numbers and labels to SVG text
//! (inline in HTML, so without an `xmlns`: the pages name no URL).
//! Every label is escaped, coordinates are written with one decimal (so the same data gives the
//! same bytes), colours are presentation attributes (never `style`, which the pages' CSP
//! refuses), and each chart has a `<title>`, `role="img"` and an `aria-label`.

use std::fmt::Write as _;

use super::html::esc;

/// One named series and its colour.
#[derive(Debug, Clone)]
pub struct Series<'a> {
    pub name: &'a str,
    pub color: &'a str,
    pub values: Vec<f64>,
}

const WIDTH: f64 = 720.0;
const HEIGHT: f64 = 260.0;
const LEFT: f64 = 48.0;
const RIGHT: f64 = 16.0;
const TOP: f64 = 16.0;
const BOTTOM: f64 = 56.0;

/// A number as SVG coordinates are written: one decimal, no `-0.0`.
pub fn num(value: f64) -> String {
    let rounded = (value * 10.0).round() / 10.0;
    if rounded == 0.0 {
        "0".into()
    } else if rounded.fract() == 0.0 {
        format!("{rounded:.0}")
    } else {
        format!("{rounded:.1}")
    }
}

fn open(out: &mut String, width: f64, height: f64, title: &str, class: &str) {
    let _ = write!(
        out,
        "<svg class=\"chart {class}\" viewBox=\"0 0 {} {}\" role=\"img\" aria-label=\"{}\"><title>{}</title>",
        num(width),
        num(height),
        esc(title),
        esc(title)
    );
}

/// The largest value, at least 1, rounded up to a "nice" axis maximum.
fn axis_max(max: f64) -> f64 {
    let max = max.max(1.0);
    let magnitude = 10f64.powf(max.log10().floor());
    for step in [1.0, 2.0, 2.5, 5.0, 10.0] {
        if step * magnitude >= max {
            return step * magnitude;
        }
    }
    10.0 * magnitude
}

/// x of point `i` of `n`, over `[left, left + width]`; one point spans the whole width.
fn x_of(i: usize, n: usize, left: f64, width: f64) -> f64 {
    if n <= 1 {
        left + width / 2.0
    } else {
        left + width * i as f64 / (n - 1) as f64
    }
}

/// Axes, the y maximum and the x labels (at most about eight, first and last always).
fn axes(out: &mut String, labels: &[String], max: f64, width: f64, height: f64) {
    let plot_w = width - LEFT - RIGHT;
    let bottom = height - BOTTOM;
    let _ = write!(
        out,
        "<g class=\"axis\" stroke=\"#5b6475\" stroke-width=\"1\"><line x1=\"{l}\" y1=\"{t}\" x2=\"{l}\" y2=\"{b}\"/><line x1=\"{l}\" y1=\"{b}\" x2=\"{r}\" y2=\"{b}\"/></g>",
        l = num(LEFT),
        t = num(TOP),
        b = num(bottom),
        r = num(width - RIGHT)
    );
    let _ = write!(
        out,
        "<g font-size=\"11\" fill=\"#5b6475\"><text x=\"{}\" y=\"{}\" text-anchor=\"end\">{}</text><text x=\"{}\" y=\"{}\" text-anchor=\"end\">0</text>",
        num(LEFT - 4.0),
        num(TOP + 4.0),
        num(max),
        num(LEFT - 4.0),
        num(bottom)
    );
    let n = labels.len();
    let every = n.div_ceil(8).max(1);
    for (i, label) in labels.iter().enumerate() {
        if i % every != 0 && i + 1 != n {
            continue;
        }
        let _ = write!(
            out,
            "<text x=\"{}\" y=\"{}\" text-anchor=\"middle\">{}</text>",
            num(x_of(i, n, LEFT, plot_w)),
            num(bottom + 16.0),
            esc(label)
        );
    }
    out.push_str("</g>");
}

fn legend(out: &mut String, series: &[Series], height: f64) {
    out.push_str("<g class=\"legend\" font-size=\"12\" fill=\"#1d2330\">");
    let mut x = LEFT;
    for s in series {
        let _ = write!(
            out,
            "<rect x=\"{}\" y=\"{}\" width=\"10\" height=\"10\" fill=\"{}\"/><text x=\"{}\" y=\"{}\">{}</text>",
            num(x),
            num(height - 20.0),
            esc(s.color),
            num(x + 14.0),
            num(height - 11.0),
            esc(s.name)
        );
        x += 24.0 + 7.0 * s.name.chars().count() as f64;
    }
    out.push_str("</g>");
}

/// Stacked areas, the first series at the bottom.
pub fn stacked_area(title: &str, labels: &[String], series: &[Series]) -> String {
    let n = labels.len();
    let totals: Vec<f64> = (0..n)
        .map(|i| {
            series
                .iter()
                .map(|s| s.values.get(i).copied().unwrap_or(0.0))
                .sum()
        })
        .collect();
    let max = axis_max(totals.iter().copied().fold(0.0, f64::max));
    let mut out = String::new();
    open(&mut out, WIDTH, HEIGHT, title, "stacked-area");
    axes(&mut out, labels, max, WIDTH, HEIGHT);
    let plot_w = WIDTH - LEFT - RIGHT;
    let plot_h = HEIGHT - TOP - BOTTOM;
    let y = |v: f64| HEIGHT - BOTTOM - plot_h * v / max;
    // One run draws a band across the whole width, so that a single point is still visible.
    let xs: Vec<f64> = if n <= 1 {
        vec![LEFT, WIDTH - RIGHT]
    } else {
        (0..n).map(|i| x_of(i, n, LEFT, plot_w)).collect()
    };
    let at = |values: &[f64], i: usize| -> f64 {
        let index = if n <= 1 { 0 } else { i };
        values.get(index).copied().unwrap_or(0.0)
    };
    let mut base = vec![0.0; xs.len()];
    for s in series {
        let top: Vec<f64> = base
            .iter()
            .enumerate()
            .map(|(i, b)| b + at(&s.values, i))
            .collect();
        if top.iter().zip(&base).all(|(t, b)| t == b) {
            continue;
        }
        let mut d = String::new();
        for (i, x) in xs.iter().enumerate() {
            let _ = write!(
                d,
                "{}{} {} ",
                if i == 0 { "M" } else { "L" },
                num(*x),
                num(y(top[i]))
            );
        }
        for (i, x) in xs.iter().enumerate().rev() {
            let _ = write!(d, "L{} {} ", num(*x), num(y(base[i])));
        }
        d.push('Z');
        let _ = write!(
            out,
            "<path class=\"mark\" d=\"{d}\" fill=\"{}\" fill-opacity=\"0.85\" stroke=\"{}\"><title>{}</title></path>",
            esc(s.color),
            esc(s.color),
            esc(s.name)
        );
        base = top;
    }
    legend(&mut out, series, HEIGHT);
    out.push_str("</svg>");
    out
}

/// Lines (with a dot per point, so that one run is a visible mark).
pub fn line_chart(title: &str, labels: &[String], series: &[Series]) -> String {
    line_chart_sized(title, labels, series, WIDTH, HEIGHT, true)
}

/// A small line chart without legend (small multiples).
pub fn small_line_chart(title: &str, labels: &[String], series: &Series) -> String {
    line_chart_sized(
        title,
        labels,
        std::slice::from_ref(series),
        260.0,
        140.0,
        false,
    )
}

fn line_chart_sized(
    title: &str,
    labels: &[String],
    series: &[Series],
    width: f64,
    height: f64,
    with_legend: bool,
) -> String {
    let n = labels.len();
    let max = axis_max(
        series
            .iter()
            .flat_map(|s| s.values.iter().copied())
            .fold(0.0, f64::max),
    );
    let mut out = String::new();
    open(
        &mut out,
        width,
        height,
        title,
        if with_legend { "line" } else { "small" },
    );
    let shown_labels: Vec<String> = if with_legend {
        labels.to_vec()
    } else {
        // Small multiples show only the first and last dates.
        labels
            .iter()
            .enumerate()
            .map(|(i, l)| {
                if i == 0 || i + 1 == n {
                    l.clone()
                } else {
                    String::new()
                }
            })
            .collect()
    };
    axes(&mut out, &shown_labels, max, width, height);
    let plot_w = width - LEFT - RIGHT;
    let plot_h = height - TOP - BOTTOM;
    let y = |v: f64| height - BOTTOM - plot_h * v / max;
    for s in series {
        let points: Vec<(f64, f64)> = s
            .values
            .iter()
            .enumerate()
            .map(|(i, v)| (x_of(i, n, LEFT, plot_w), y(*v)))
            .collect();
        if points.len() > 1 {
            let d = points
                .iter()
                .enumerate()
                .map(|(i, (x, y))| {
                    format!("{}{} {}", if i == 0 { "M" } else { "L" }, num(*x), num(*y))
                })
                .collect::<Vec<_>>()
                .join(" ");
            let _ = write!(
                out,
                "<path class=\"mark\" d=\"{d}\" fill=\"none\" stroke=\"{}\" stroke-width=\"2\"/>",
                esc(s.color)
            );
        }
        for ((x, y), v) in points.iter().zip(&s.values) {
            let _ = write!(
                out,
                "<circle class=\"mark\" cx=\"{}\" cy=\"{}\" r=\"3\" fill=\"{}\"><title>{}: {}</title></circle>",
                num(*x),
                num(*y),
                esc(s.color),
                esc(s.name),
                num(*v)
            );
        }
    }
    if with_legend {
        legend(&mut out, series, height);
    }
    out.push_str("</svg>");
    out
}

/// Grouped vertical bars: one group per label, one bar per series.
pub fn grouped_bars(title: &str, labels: &[String], series: &[Series]) -> String {
    let n = labels.len().max(1);
    let max = axis_max(
        series
            .iter()
            .flat_map(|s| s.values.iter().copied())
            .fold(0.0, f64::max),
    );
    let mut out = String::new();
    open(&mut out, WIDTH, HEIGHT, title, "bars");
    let plot_w = WIDTH - LEFT - RIGHT;
    let plot_h = HEIGHT - TOP - BOTTOM;
    let group_w = plot_w / n as f64;
    // Labels centred under each group rather than on the line chart's points.
    let _ = write!(
        out,
        "<g class=\"axis\" stroke=\"#5b6475\" stroke-width=\"1\"><line x1=\"{l}\" y1=\"{t}\" x2=\"{l}\" y2=\"{b}\"/><line x1=\"{l}\" y1=\"{b}\" x2=\"{r}\" y2=\"{b}\"/></g><g font-size=\"11\" fill=\"#5b6475\"><text x=\"{lt}\" y=\"{tt}\" text-anchor=\"end\">{max}</text>",
        l = num(LEFT),
        t = num(TOP),
        b = num(HEIGHT - BOTTOM),
        r = num(WIDTH - RIGHT),
        lt = num(LEFT - 4.0),
        tt = num(TOP + 4.0),
        max = num(max)
    );
    let every = labels.len().div_ceil(8).max(1);
    for (i, label) in labels.iter().enumerate() {
        if i % every == 0 || i + 1 == labels.len() {
            let _ = write!(
                out,
                "<text x=\"{}\" y=\"{}\" text-anchor=\"middle\">{}</text>",
                num(LEFT + group_w * (i as f64 + 0.5)),
                num(HEIGHT - BOTTOM + 16.0),
                esc(label)
            );
        }
    }
    out.push_str("</g>");
    let bar_w = (group_w * 0.8) / series.len().max(1) as f64;
    for (g, _) in labels.iter().enumerate() {
        for (k, s) in series.iter().enumerate() {
            let value = s.values.get(g).copied().unwrap_or(0.0);
            if value <= 0.0 {
                continue;
            }
            let h = plot_h * value / max;
            let _ = write!(
                out,
                "<rect class=\"mark\" x=\"{}\" y=\"{}\" width=\"{}\" height=\"{}\" fill=\"{}\"><title>{} {}: {}</title></rect>",
                num(LEFT + group_w * g as f64 + group_w * 0.1 + bar_w * k as f64),
                num(HEIGHT - BOTTOM - h),
                num(bar_w),
                num(h),
                esc(s.color),
                esc(&labels[g]),
                esc(s.name),
                num(value)
            );
        }
    }
    legend(&mut out, series, HEIGHT);
    out.push_str("</svg>");
    out
}

/// One horizontal stacked bar (parts of a whole) with its legend and counts.
pub fn stacked_bar(title: &str, parts: &[(&str, &str, usize)]) -> String {
    let width = 720.0;
    let height = 64.0;
    let total: usize = parts.iter().map(|p| p.2).sum();
    let mut out = String::new();
    open(&mut out, width, height, title, "stacked-bar");
    let bar_w = width - 2.0;
    let mut x = 1.0;
    for (name, color, count) in parts {
        if *count == 0 || total == 0 {
            continue;
        }
        let w = bar_w * *count as f64 / total as f64;
        let _ = write!(
            out,
            "<rect class=\"mark\" x=\"{}\" y=\"4\" width=\"{}\" height=\"24\" fill=\"{}\"><title>{}: {count}</title></rect>",
            num(x),
            num(w),
            esc(color),
            esc(name)
        );
        x += w;
    }
    out.push_str("<g font-size=\"12\" fill=\"#1d2330\">");
    let mut lx = 1.0;
    for (name, color, count) in parts {
        let label = format!("{name}: {count}");
        let _ = write!(
            out,
            "<rect x=\"{}\" y=\"40\" width=\"10\" height=\"10\" fill=\"{}\"/><text x=\"{}\" y=\"49\">{}</text>",
            num(lx),
            esc(color),
            num(lx + 14.0),
            esc(&label)
        );
        lx += 28.0 + 7.0 * label.chars().count() as f64;
    }
    out.push_str("</g></svg>");
    out
}

/// Horizontal bars, one per labelled value (per control: its findings).
pub fn horizontal_bars(title: &str, rows: &[(String, f64)], color: &str) -> String {
    let label_w = 170.0;
    let width = 720.0;
    let row_h = 18.0;
    let height = (rows.len().max(1) as f64) * row_h + 8.0;
    let max = axis_max(rows.iter().map(|r| r.1).fold(0.0, f64::max));
    let mut out = String::new();
    open(&mut out, width, height, title, "hbars");
    out.push_str("<g font-size=\"11\" fill=\"#1d2330\">");
    let plot_w = width - label_w - 48.0;
    for (i, (label, value)) in rows.iter().enumerate() {
        let y = 4.0 + row_h * i as f64;
        let _ = write!(
            out,
            "<text x=\"{}\" y=\"{}\" text-anchor=\"end\">{}</text>",
            num(label_w - 6.0),
            num(y + 12.0),
            esc(label)
        );
        let w = plot_w * value / max;
        if *value > 0.0 {
            let _ = write!(
                out,
                "<rect class=\"mark\" x=\"{}\" y=\"{}\" width=\"{}\" height=\"{}\" fill=\"{}\"><title>{}: {}</title></rect>",
                num(label_w),
                num(y + 2.0),
                num(w.max(1.0)),
                num(row_h - 6.0),
                esc(color),
                esc(label),
                num(*value)
            );
        }
        let _ = write!(
            out,
            "<text x=\"{}\" y=\"{}\">{}</text>",
            num(label_w + w + 4.0),
            num(y + 12.0),
            num(*value)
        );
    }
    out.push_str("</g></svg>");
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_are_written_with_one_decimal_at_most() {
        assert_eq!(num(1.0), "1");
        assert_eq!(num(1.26), "1.3");
        assert_eq!(num(-0.01), "0");
        assert_eq!(num(120.0), "120");
    }

    #[test]
    fn axis_maxima_are_round() {
        assert_eq!(axis_max(0.0), 1.0);
        assert_eq!(axis_max(7.0), 10.0);
        assert_eq!(axis_max(98.0), 100.0);
        assert_eq!(axis_max(180.0), 200.0);
        assert_eq!(axis_max(230.0), 250.0);
    }

    #[test]
    fn labels_are_escaped() {
        let chart = line_chart(
            "<b>&",
            &["<x>".to_string()],
            &[Series {
                name: "\"a\"",
                color: "#000",
                values: vec![1.0],
            }],
        );
        assert!(chart.contains("<title>&lt;b&gt;&amp;</title>"));
        assert!(chart.contains("&lt;x&gt;"));
        assert!(chart.contains("&quot;a&quot;"));
        assert!(chart.contains("<circle class=\"mark\""));
    }
}
