//! Chart geometry for server-rendered SVG: the template draws what this module measures.
//!
//! Charts are inline SVG, styled by the site's stylesheet through classes (no inline style, so
//! the CSP holds), and each sits beside a data table that carries the same numbers for screen
//! readers and for copying. Bar charts put each label above its bar, so a chart stays legible
//! when a phone shrinks it to a third of its width.

use serde::Serialize;

/// Width of every chart's view box; the stylesheet scales it to the page.
const WIDTH: f64 = 600.0;
const ROW: f64 = 40.0;

#[derive(Debug, Clone, Serialize)]
pub struct Bar {
    pub label: String,
    pub value: String,
    pub label_y: f64,
    pub bar_y: f64,
    pub bar_width: f64,
    pub value_x: f64,
}

/// Horizontal bars, one row per item.
#[derive(Debug, Clone, Serialize)]
pub struct BarChart {
    pub width: f64,
    pub height: f64,
    pub bars: Vec<Bar>,
}

/// Bars for `(label, value, shown value)` rows, scaled to the largest value.
pub fn bars(rows: Vec<(String, i64, String)>) -> BarChart {
    let max = rows.iter().map(|r| r.1).max().unwrap_or(0).max(1) as f64;
    // Leave room after the longest bar for its value.
    let span = WIDTH - 70.0;
    let bars = rows
        .into_iter()
        .enumerate()
        .map(|(i, (label, v, value))| {
            let top = i as f64 * ROW;
            let bar_width = (v.max(0) as f64 / max * span).max(if v > 0 { 2.0 } else { 0.0 });
            Bar {
                label,
                value,
                label_y: top + 14.0,
                bar_y: top + 20.0,
                bar_width: round(bar_width),
                value_x: round(bar_width + 6.0),
            }
        })
        .collect::<Vec<_>>();
    BarChart {
        width: WIDTH,
        height: bars.len() as f64 * ROW + 4.0,
        bars,
    }
}

#[derive(Debug, Clone, Serialize)]
pub struct Column {
    pub label: String,
    pub value: String,
    pub x: f64,
    pub y: f64,
    pub width: f64,
    pub height: f64,
    pub center: f64,
}

/// Columns per period with a cumulative line drawn on the same scale.
#[derive(Debug, Clone, Serialize)]
pub struct ColumnChart {
    pub width: f64,
    pub height: f64,
    pub baseline: f64,
    pub columns: Vec<Column>,
    /// SVG `points` of the cumulative line.
    pub line: String,
    /// (x, y, shown value) of each point of the line.
    pub points: Vec<(f64, f64, String)>,
}

/// Columns for `(label, value, cumulative, shown value, shown cumulative)`.
pub fn columns(rows: Vec<(String, i64, i64, String, String)>) -> ColumnChart {
    let (top, baseline) = (20.0, 220.0);
    let max = rows.iter().map(|r| r.2.max(r.1)).max().unwrap_or(0).max(1) as f64;
    let slot = WIDTH / rows.len().max(1) as f64;
    let scale = |v: i64| (baseline - top) * v.max(0) as f64 / max;
    let mut points = Vec::new();
    let columns = rows
        .into_iter()
        .enumerate()
        .map(|(i, (label, v, cumulative, value, shown_cumulative))| {
            let center = round(slot * (i as f64 + 0.5));
            let height = round(scale(v));
            points.push((
                center,
                round(baseline - scale(cumulative)),
                shown_cumulative,
            ));
            Column {
                label,
                value,
                x: round(center - slot * 0.3),
                y: round(baseline - height),
                width: round(slot * 0.6),
                height,
                center,
            }
        })
        .collect();
    let line = points
        .iter()
        .map(|(x, y, _)| format!("{x},{y}"))
        .collect::<Vec<_>>()
        .join(" ");
    ColumnChart {
        width: WIDTH,
        height: baseline + 30.0,
        baseline,
        columns,
        line,
        points,
    }
}

fn round(v: f64) -> f64 {
    (v * 10.0).round() / 10.0
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_largest_bar_fills_the_span_and_zero_draws_nothing() {
        let c = bars(vec![
            ("a".into(), 10, "10".into()),
            ("b".into(), 5, "5".into()),
            ("c".into(), 0, "0".into()),
        ]);
        assert_eq!(c.bars[0].bar_width, 530.0);
        assert_eq!(c.bars[1].bar_width, 265.0);
        assert_eq!(c.bars[2].bar_width, 0.0);
        assert_eq!(c.height, 124.0);
    }

    #[test]
    fn columns_and_line_share_one_scale() {
        let c = columns(vec![
            ("2021".into(), 2, 2, "2".into(), "2".into()),
            ("2022".into(), 4, 6, "4".into(), "6".into()),
        ]);
        assert_eq!(
            c.points[1].1, 20.0,
            "the cumulative maximum touches the top"
        );
        assert!((c.columns[1].height - 133.3).abs() < 0.1);
        assert_eq!(c.line, "150,153.3 450,20");
    }
}
