//! The trend: leading and managing scores week by week.
//!
//! Weeks are evenly spaced by their order; a missing score breaks its line, and a week with
//! neither score is shaded, so a withheld week never reads as a low one.

use plotters::element::DashedPathElement;
use plotters::prelude::*;

use super::axis::Ticked;
use super::canvas::Area;
use super::font::text;
use super::style::{self, GRID, INK, LEADING, MANAGING, MUTED, PAPER, WITHHELD};
use super::{ChartError, WeekPoint};

pub const WIDTH: u32 = 800;
pub const HEIGHT: u32 = 400;

/// Week labels under the x axis at most; more weeks label every n-th.
const MAX_WEEK_LABELS: usize = 12;
const MARKER: u32 = 5;

#[derive(Clone, Copy)]
enum Series {
    Leading,
    Managing,
}

impl Series {
    fn name(self) -> &'static str {
        match self {
            Series::Leading => "Leading",
            Series::Managing => "Managing",
        }
    }

    fn colour(self) -> RGBColor {
        match self {
            Series::Leading => LEADING,
            Series::Managing => MANAGING,
        }
    }

    fn score(self, point: &WeekPoint) -> Option<f64> {
        match self {
            Series::Leading => point.leading,
            Series::Managing => point.managing,
        }
    }
}

pub fn draw(points: &[WeekPoint], area: &Area) -> Result<(), ChartError> {
    area.fill(&PAPER)?;
    let (header, body) = area.split_vertically(48);
    draw_header(&header)?;

    let last = points.len().max(1) as f64 - 0.5;
    let x_range = Ticked::new(-0.5..last, label_weeks(points.len()));
    let y_range = Ticked::new(0.7..5.3, vec![1.0, 2.0, 3.0, 4.0, 5.0]);
    let mut chart = ChartBuilder::on(&body)
        .margin_left(16)
        .margin_right(24)
        .margin_bottom(8)
        .x_label_area_size(32)
        .y_label_area_size(52)
        .build_cartesian_2d(x_range, y_range)?;
    let week_label = |x: &f64| week_label(points, *x);
    chart
        .configure_mesh()
        .disable_x_mesh()
        .light_line_style(GRID)
        .bold_line_style(GRID)
        .axis_style(MUTED)
        .x_label_formatter(&week_label)
        .y_label_formatter(&|y| format!("{y:.0}"))
        .y_desc("Score, 1 to 5")
        .label_style(text(style::SMALL, INK))
        .axis_desc_style(text(style::SMALL, MUTED))
        .draw()?;

    chart.draw_series(
        points
            .iter()
            .enumerate()
            .filter(|(_, point)| point.leading.is_none() && point.managing.is_none())
            .map(|(week, _)| {
                let x = week as f64;
                Rectangle::new([(x - 0.5, 0.7), (x + 0.5, 5.3)], WITHHELD.filled())
            }),
    )?;
    for series in [Series::Leading, Series::Managing] {
        for run in runs(points, series) {
            let style = series.colour().stroke_width(3);
            match series {
                Series::Leading => {
                    chart.draw_series(LineSeries::new(run.iter().copied(), style))?;
                    chart.draw_series(
                        run.iter()
                            .map(|&at| Circle::new(at, MARKER, series.colour().filled())),
                    )?;
                }
                Series::Managing => {
                    chart.draw_series(DashedLineSeries::new(run.iter().copied(), 10, 6, style))?;
                    chart.draw_series(run.iter().map(|&at| {
                        TriangleMarker::new(at, MARKER + 2, series.colour().filled())
                    }))?;
                }
            }
        }
    }
    if points.is_empty() {
        let (width, height) = body.dim_in_pixel();
        body.draw(&Text::new(
            "No weeks yet",
            (width as i32 / 2 - 40, height as i32 / 2 - 10),
            text(style::LABEL, MUTED),
        ))?;
    }
    Ok(())
}

/// The title on the left, the legend on the right (drawn by hand so it shows even when a
/// series has no point).
fn draw_header(header: &Area) -> Result<(), ChartError> {
    header.draw(&Text::new(
        "Team pulse, week by week",
        (16, 14),
        text(style::TITLE, INK),
    ))?;
    let y = 24;
    let mut x = 372;
    for series in [Series::Leading, Series::Managing] {
        let colour = series.colour();
        let sample = [(x, y), (x + 36, y)];
        match series {
            Series::Leading => {
                header.draw(&PathElement::new(sample, colour.stroke_width(3)))?;
                header.draw(&Circle::new((x + 18, y), MARKER, colour.filled()))?;
            }
            Series::Managing => {
                header.draw(&DashedPathElement::new(
                    sample,
                    10,
                    6,
                    colour.stroke_width(3),
                ))?;
                header.draw(&TriangleMarker::new(
                    (x + 18, y),
                    MARKER + 2,
                    colour.filled(),
                ))?;
            }
        }
        header.draw(&Text::new(
            series.name(),
            (x + 44, y - 8),
            text(style::LABEL, INK),
        ))?;
        x += 132;
    }
    header.draw(&Rectangle::new(
        [(x, y - 8), (x + 16, y + 8)],
        WITHHELD.filled(),
    ))?;
    header.draw(&Text::new(
        "No result",
        (x + 22, y - 8),
        text(style::LABEL, INK),
    ))?;
    Ok(())
}

/// Runs of consecutive weeks that have a score on this side, as (week index, score).
fn runs(points: &[WeekPoint], series: Series) -> Vec<Vec<(f64, f64)>> {
    let mut runs = Vec::new();
    let mut current = Vec::new();
    for (week, point) in points.iter().enumerate() {
        match series.score(point) {
            Some(score) => current.push((week as f64, score)),
            None if current.is_empty() => {}
            None => runs.push(std::mem::take(&mut current)),
        }
    }
    if !current.is_empty() {
        runs.push(current);
    }
    runs
}

/// Which weeks get a label: every week up to [`MAX_WEEK_LABELS`], else every n-th from the
/// last (the latest week is always labelled).
fn label_weeks(weeks: usize) -> Vec<f64> {
    let step = weeks.div_ceil(MAX_WEEK_LABELS).max(1);
    let mut labelled: Vec<f64> = (0..weeks).rev().step_by(step).map(|w| w as f64).collect();
    labelled.reverse();
    labelled
}

fn week_label(points: &[WeekPoint], x: f64) -> String {
    let index = x.round();
    if index < 0.0 || (x - index).abs() > 0.01 {
        return String::new();
    }
    points
        .get(index as usize)
        .map(|point| point.week.strftime("%b %-d").to_string())
        .unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn week(leading: Option<f64>) -> WeekPoint {
        WeekPoint {
            week: jiff::civil::date(2026, 1, 5),
            leading,
            managing: None,
        }
    }

    #[test]
    fn a_missing_score_breaks_the_line() {
        let points = [
            week(Some(3.0)),
            week(Some(3.5)),
            week(None),
            week(Some(4.0)),
            week(None),
        ];
        assert_eq!(
            runs(&points, Series::Leading),
            vec![vec![(0.0, 3.0), (1.0, 3.5)], vec![(3.0, 4.0)]]
        );
        assert!(runs(&points, Series::Managing).is_empty());
    }

    #[test]
    fn many_weeks_label_every_nth_ending_on_the_latest() {
        assert_eq!(label_weeks(0), Vec::<f64>::new());
        assert_eq!(label_weeks(12).len(), 12);
        let year = label_weeks(52);
        assert!(year.len() <= MAX_WEEK_LABELS, "{year:?}");
        assert_eq!(year.last(), Some(&51.0));
    }

    #[test]
    fn week_labels_are_short_dates() {
        let points = [week(None)];
        assert_eq!(week_label(&points, 0.0), "Jan 5");
        assert_eq!(week_label(&points, 0.5), "");
        assert_eq!(week_label(&points, 1.0), "");
    }
}
