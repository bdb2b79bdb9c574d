//! The trend: leading and managing scores week by week.
//!
//! The x axis is the calendar: each week sits at its distance from the first, so weeks without
//! a pulse (paused, or not set up yet) stay as empty space instead of being closed up, and no
//! line is drawn across them. A week whose results were withheld is hatched and named in the
//! legend with the words the text uses, so it never reads as a low week. Under the week labels
//! the year is written where the weeks shown begin and wherever they cross into a new one.

use plotters::element::DashedPathElement;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};

use super::axis::Ticked;
use super::canvas::Area;
use super::font::text;
use super::style::{self, GRID, HATCH, INK, LEADING, MANAGING, MUTED, PAPER};
use super::{ChartError, WeekPoint};

/// Square enough that a phone showing it about 340 pixels wide keeps the text readable.
pub const WIDTH: u32 = 640;
pub const HEIGHT: u32 = 640;

/// The title and the two legend lines above the plot.
const HEADER: u32 = 150;
/// Under the plot: the week labels and the year line.
const X_LABELS: u32 = 84;
/// Week labels under the x axis at most; more weeks label every n-th.
const MAX_WEEK_LABELS: usize = 5;
const MARKER: u32 = 8;
const LINE: u32 = 4;
/// The dashed line down a week the lead chose a focus in.
const FOCUS_LINE: u32 = 3;
/// Pixels between the hatch lines of a withheld week.
const HATCH_GAP: i32 = 10;

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

/// Each point's place on the calendar axis: whole weeks since the first point's week.
/// Points come oldest first; one that does not (or a date jiff cannot count to) keeps the
/// place after the previous one.
pub fn calendar(points: &[WeekPoint]) -> Vec<i64> {
    let Some(first) = points.first().map(|p| p.week) else {
        return Vec::new();
    };
    let mut places: Vec<i64> = Vec::with_capacity(points.len());
    for point in points {
        let days = first
            .until(point.week)
            .map(|span| i64::from(span.get_days()))
            .unwrap_or(0);
        let after = places.last().map_or(0, |last| last + 1);
        let place = days.div_euclid(7);
        places.push(if places.is_empty() || place >= after {
            place
        } else {
            after
        });
    }
    places
}

pub fn draw(points: &[WeekPoint], withheld: &str, area: &Area) -> Result<(), ChartError> {
    area.fill(&PAPER)?;
    let (header, body) = area.split_vertically(HEADER);
    draw_header(&header, withheld, points.iter().any(|p| p.focus))?;

    let places = calendar(points);
    let span = places.last().map_or(1, |last| last + 1);
    let x_range = Ticked::new(-0.5..span as f64 - 0.5, label_weeks(points, &places));
    let y_range = Ticked::new(0.7..5.3, vec![1.0, 2.0, 3.0, 4.0, 5.0]);
    let mut chart = ChartBuilder::on(&body)
        .margin_left(8)
        .margin_right(44)
        .margin_bottom(8)
        .x_label_area_size(X_LABELS)
        .y_label_area_size(44)
        .build_cartesian_2d(x_range, y_range)?;
    let week_label = |x: &f64| week_label(points, &places, *x);
    chart
        .configure_mesh()
        .disable_x_mesh()
        .light_line_style(GRID)
        .bold_line_style(GRID)
        .axis_style(MUTED)
        .x_label_formatter(&week_label)
        .y_label_formatter(&|y| format!("{y:.0}"))
        .label_style(text(style::SMALL, INK))
        .draw()?;

    for (point, &place) in points.iter().zip(&places) {
        if point.leading.is_none() && point.managing.is_none() {
            let x = place as f64;
            let top_left = chart.backend_coord(&(x - 0.5, 5.3));
            let bottom_right = chart.backend_coord(&(x + 0.5, 0.7));
            hatch(area, top_left, bottom_right)?;
        }
    }
    for (point, &place) in points.iter().zip(&places) {
        if point.focus {
            let x = place as f64;
            chart.draw_series(DashedLineSeries::new(
                [(x, 0.7), (x, 5.3)],
                10,
                8,
                MUTED.stroke_width(FOCUS_LINE),
            ))?;
        }
    }
    for series in [Series::Leading, Series::Managing] {
        for run in runs(points, &places, series) {
            let style = series.colour().stroke_width(LINE);
            match series {
                Series::Leading => {
                    chart.draw_series(LineSeries::new(run.iter().copied(), style))?;
                    chart.draw_series(
                        run.iter()
                            .map(|&at| Circle::new(at, MARKER, series.colour().filled())),
                    )?;
                }
                Series::Managing => {
                    chart.draw_series(DashedLineSeries::new(run.iter().copied(), 14, 8, style))?;
                    chart.draw_series(run.iter().map(|&at| {
                        TriangleMarker::new(at, MARKER + 3, series.colour().filled())
                    }))?;
                }
            }
        }
    }
    let years_at = chart.backend_coord(&(0.0, 0.7)).1 + X_LABELS as i32 / 2 + 8;
    for (x, year) in year_marks(points, &places) {
        let (px, _) = chart.backend_coord(&x);
        area.draw(&Text::new(
            year.to_string(),
            (px, years_at),
            text(style::SMALL, MUTED).pos(Pos::new(HPos::Center, VPos::Top)),
        ))?;
    }
    if points.is_empty() {
        let (width, height) = body.dim_in_pixel();
        body.draw(&Text::new(
            "No weeks yet",
            (width as i32 / 2, height as i32 / 2),
            text(style::LABEL, MUTED).pos(Pos::new(HPos::Center, VPos::Center)),
        ))?;
    }
    Ok(())
}

/// Diagonal lines across the rectangle from `(x0, y0)` to `(x1, y1)`, in pixels.
fn hatch(area: &Area, (x0, y0): (i32, i32), (x1, y1): (i32, i32)) -> Result<(), ChartError> {
    let mut sum = x0 + y0;
    while sum <= x1 + y1 {
        let from = x0.max(sum - y1);
        let to = x1.min(sum - y0);
        if from <= to {
            area.draw(&PathElement::new(
                [(from, sum - from), (to, sum - to)],
                HATCH.stroke_width(2),
            ))?;
        }
        sum += HATCH_GAP;
    }
    Ok(())
}

/// The title, then the legend: the two series on one line (drawn by hand so it shows even when
/// a series has no point), and the withheld week's hatching with the words the text uses.
fn draw_header(header: &Area, withheld: &str, focus: bool) -> Result<(), ChartError> {
    header.draw(&Text::new(
        "Team pulse, week by week",
        (16, 12),
        text(style::TITLE, INK),
    ))?;
    let y = 82;
    let mut x = 16;
    for series in [Series::Leading, Series::Managing] {
        let colour = series.colour();
        let sample = [(x, y), (x + 48, y)];
        match series {
            Series::Leading => {
                header.draw(&PathElement::new(sample, colour.stroke_width(LINE)))?;
                header.draw(&Circle::new((x + 24, y), MARKER, colour.filled()))?;
            }
            Series::Managing => {
                header.draw(&DashedPathElement::new(
                    sample,
                    14,
                    8,
                    colour.stroke_width(LINE),
                ))?;
                header.draw(&TriangleMarker::new(
                    (x + 24, y),
                    MARKER + 3,
                    colour.filled(),
                ))?;
            }
        }
        header.draw(&Text::new(
            series.name(),
            (x + 58, y),
            text(style::LABEL, INK).pos(Pos::new(HPos::Left, VPos::Center)),
        ))?;
        x += 230;
    }
    if focus {
        header.draw(&DashedPathElement::new(
            [(x + 8, y - 22), (x + 8, y + 22)],
            10,
            8,
            MUTED.stroke_width(FOCUS_LINE),
        ))?;
        header.draw(&Text::new(
            "focus",
            (x + 20, y),
            text(style::SMALL, INK).pos(Pos::new(HPos::Left, VPos::Center)),
        ))?;
    }
    let y = 124;
    hatch(header, (16, y - 12), (64, y + 12))?;
    header.draw(&Rectangle::new([(16, y - 12), (64, y + 12)], GRID))?;
    header.draw(&Text::new(
        withheld.to_string(),
        (74, y),
        text(style::SMALL, INK).pos(Pos::new(HPos::Left, VPos::Center)),
    ))?;
    Ok(())
}

/// Runs of weeks in a row on the calendar that have a score on this side, as (place, score):
/// a missing score or a week without a pulse ends a run.
fn runs(points: &[WeekPoint], places: &[i64], series: Series) -> Vec<Vec<(f64, f64)>> {
    let mut runs = Vec::new();
    let mut current: Vec<(f64, f64)> = Vec::new();
    let mut previous: Option<i64> = None;
    for (point, &place) in points.iter().zip(places) {
        let follows = previous.is_some_and(|before| place == before + 1);
        if !follows && !current.is_empty() {
            runs.push(std::mem::take(&mut current));
        }
        match series.score(point) {
            Some(score) => current.push((place as f64, score)),
            None if current.is_empty() => {}
            None => runs.push(std::mem::take(&mut current)),
        }
        previous = Some(place);
    }
    if !current.is_empty() {
        runs.push(current);
    }
    runs
}

/// Which weeks get a label: the latest and the first of each new year, then others with a
/// pulse, none closer than an even share of the calendar to another (so about
/// [`MAX_WEEK_LABELS`] in all).
fn label_weeks(points: &[WeekPoint], places: &[i64]) -> Vec<f64> {
    let Some(&last) = places.last() else {
        return Vec::new();
    };
    let span = usize::try_from(last + 1).unwrap_or(1);
    let step = i64::try_from(span.div_ceil(MAX_WEEK_LABELS).max(1)).unwrap_or(1);
    let mut labelled: Vec<i64> = vec![last];
    for pair in points.iter().zip(places).collect::<Vec<_>>().windows(2) {
        let [(before, _), (point, &place)] = pair else {
            continue;
        };
        if point.week.year() != before.week.year() && !labelled.contains(&place) {
            labelled.push(place);
        }
    }
    for &place in places.iter().rev() {
        if labelled.iter().all(|&other| (other - place).abs() >= step) {
            labelled.push(place);
        }
    }
    labelled.sort_unstable();
    labelled.into_iter().map(|place| place as f64).collect()
}

fn week_label(points: &[WeekPoint], places: &[i64], x: f64) -> String {
    let place = x.round();
    if (x - place).abs() > 0.01 {
        return String::new();
    }
    places
        .iter()
        .position(|&p| p as f64 == place)
        .and_then(|index| points.get(index))
        .map(|point| point.week.strftime("%b %-d").to_string())
        .unwrap_or_default()
}

/// Where a year is written under the labels: at the first labelled week, and at the first
/// labelled week of each later year.
fn year_marks(points: &[WeekPoint], places: &[i64]) -> Vec<((f64, f64), i16)> {
    let mut marks = Vec::new();
    let mut year = None;
    for x in label_weeks(points, places) {
        let Some(point) = places
            .iter()
            .position(|&p| p as f64 == x)
            .and_then(|index| points.get(index))
        else {
            continue;
        };
        if year != Some(point.week.year()) {
            year = Some(point.week.year());
            marks.push(((x, 0.7), point.week.year()));
        }
    }
    marks
}

#[cfg(test)]
mod tests {
    use super::*;

    fn week_of(date: jiff::civil::Date, leading: Option<f64>) -> WeekPoint {
        WeekPoint {
            week: date,
            leading,
            managing: None,
            focus: false,
        }
    }

    fn weeks_from(start: jiff::civil::Date, offsets: &[i64]) -> Vec<WeekPoint> {
        offsets
            .iter()
            .map(|&n| week_of(start + jiff::Span::new().weeks(n), Some(3.0)))
            .collect()
    }

    #[test]
    fn a_missing_score_breaks_the_line() {
        let mut points = weeks_from(jiff::civil::date(2026, 1, 5), &[0, 1, 2, 3, 4]);
        points[2].leading = None;
        points[4].leading = None;
        let places = calendar(&points);
        assert_eq!(
            runs(&points, &places, Series::Leading),
            vec![vec![(0.0, 3.0), (1.0, 3.0)], vec![(3.0, 3.0)]]
        );
        assert!(runs(&points, &places, Series::Managing).is_empty());
    }

    #[test]
    fn weeks_without_a_pulse_keep_their_place_and_break_the_line() {
        // Two weeks paused between the second and the third pulse.
        let points = weeks_from(jiff::civil::date(2026, 12, 7), &[0, 1, 4, 5]);
        let places = calendar(&points);
        assert_eq!(places, vec![0, 1, 4, 5]);
        assert_eq!(
            runs(&points, &places, Series::Leading),
            vec![vec![(0.0, 3.0), (1.0, 3.0)], vec![(4.0, 3.0), (5.0, 3.0)]]
        );
    }

    #[test]
    fn many_weeks_label_a_few_ending_on_the_latest() {
        assert_eq!(label_weeks(&[], &[]), Vec::<f64>::new());
        let offsets: Vec<i64> = (0..52).collect();
        let year = weeks_from(jiff::civil::date(2026, 1, 5), &offsets);
        let labelled = label_weeks(&year, &calendar(&year));
        assert!(labelled.len() <= MAX_WEEK_LABELS, "{labelled:?}");
        assert_eq!(labelled.last(), Some(&51.0));
        // Only weeks with a pulse are labelled, and the first of a new year always is.
        let gappy = weeks_from(jiff::civil::date(2026, 12, 7), &[0, 1, 4, 5, 6, 7, 8, 9]);
        let places = calendar(&gappy);
        let labelled = label_weeks(&gappy, &places);
        assert!(labelled.iter().all(|x| places.contains(&(*x as i64))));
        assert!(labelled.contains(&4.0), "Jan 4, 2027: {labelled:?}");
    }

    #[test]
    fn week_labels_are_short_dates_and_the_year_shows_where_weeks_cross_one() {
        let points = weeks_from(jiff::civil::date(2026, 12, 14), &[0, 1, 2, 3, 4, 5]);
        let places = calendar(&points);
        assert_eq!(week_label(&points, &places, 0.0), "Dec 14");
        assert_eq!(week_label(&points, &places, 0.5), "");
        assert_eq!(week_label(&points, &places, 9.0), "");
        let years: Vec<i16> = year_marks(&points, &places)
            .into_iter()
            .map(|(_, year)| year)
            .collect();
        assert_eq!(years, vec![2026, 2027]);
        let one_year = weeks_from(jiff::civil::date(2026, 3, 2), &[0, 1, 2]);
        assert_eq!(year_marks(&one_year, &calendar(&one_year)).len(), 1);
    }
}
