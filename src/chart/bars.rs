//! One pulse's result: per statement, a bar split by how many answered 1 to 5, and the
//! average beside it.

use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};

use super::canvas::Area;
use super::font::text;
use super::style::{self, GRID, INK, MUTED, ON_SCORES, PAPER, SCORES};
use super::{ChartError, StatementBar};

pub const WIDTH: u32 = 800;
const HEADER: u32 = 56;
const ROW: u32 = 64;
const FOOTER: u32 = 12;
const LEFT: i32 = 16;
const BAR_END: i32 = 680;
const BAR_TOP: i32 = 28;
const BAR_HEIGHT: i32 = 24;
/// A segment narrower than this shows no count.
const MIN_COUNTED: i32 = 20;

/// The chart's height for `bars` statements (an empty chart keeps one row for its note).
pub fn height(bars: usize) -> u32 {
    HEADER + ROW * bars.max(1) as u32 + FOOTER
}

pub fn draw(bars: &[StatementBar], area: &Area) -> Result<(), ChartError> {
    area.fill(&PAPER)?;
    draw_header(area)?;
    if bars.is_empty() {
        area.draw(&Text::new(
            "No statements",
            (LEFT, HEADER as i32 + BAR_TOP),
            text(style::LABEL, MUTED),
        ))?;
    }
    for (row, bar) in bars.iter().enumerate() {
        draw_row(area, HEADER as i32 + ROW as i32 * row as i32, bar)?;
    }
    Ok(())
}

fn draw_header(area: &Area) -> Result<(), ChartError> {
    area.draw(&Text::new(
        "Answers per statement",
        (LEFT, 16),
        text(style::TITLE, INK),
    ))?;
    let centred = Pos::new(HPos::Center, VPos::Center);
    let mut x = 520;
    area.draw(&Text::new(
        "Answer",
        (x - 64, 18),
        text(style::SMALL, MUTED),
    ))?;
    for (score, colour) in SCORES.iter().enumerate() {
        area.draw(&Rectangle::new([(x, 14), (x + 40, 36)], colour.filled()))?;
        area.draw(&Rectangle::new([(x, 14), (x + 40, 36)], GRID))?;
        area.draw(&Text::new(
            (score + 1).to_string(),
            (x + 20, 25),
            text(style::SMALL, ON_SCORES[score]).pos(centred),
        ))?;
        x += 44;
    }
    Ok(())
}

fn draw_row(area: &Area, top: i32, bar: &StatementBar) -> Result<(), ChartError> {
    let label_style = text(style::LABEL, INK);
    let label = fit(
        area,
        &bar.label,
        &label_style,
        (WIDTH as i32 - 2 * LEFT) as u32,
    )?;
    area.draw(&Text::new(label, (LEFT, top + 6), label_style))?;

    let bar_top = top + BAR_TOP;
    let bar_bottom = bar_top + BAR_HEIGHT;
    let total: u32 = bar.counts.iter().sum();
    let average = if total == 0 {
        "no answers".to_string()
    } else {
        format!("avg {:.1}", bar.average)
    };
    area.draw(&Text::new(
        average,
        (BAR_END + 14, bar_top + BAR_HEIGHT / 2),
        text(style::LABEL, INK).pos(Pos::new(HPos::Left, VPos::Center)),
    ))?;
    if total > 0 {
        let span = f64::from(BAR_END - LEFT);
        let mut answered = 0;
        for (score, &count) in bar.counts.iter().enumerate() {
            let start = LEFT + (span * f64::from(answered) / f64::from(total)).round() as i32;
            answered += count;
            let end = LEFT + (span * f64::from(answered) / f64::from(total)).round() as i32;
            if end <= start {
                continue;
            }
            area.draw(&Rectangle::new(
                [(start, bar_top), (end, bar_bottom)],
                SCORES[score].filled(),
            ))?;
            if end - start >= MIN_COUNTED {
                area.draw(&Text::new(
                    count.to_string(),
                    ((start + end) / 2, bar_top + BAR_HEIGHT / 2),
                    text(style::SMALL, ON_SCORES[score]).pos(Pos::new(HPos::Center, VPos::Center)),
                ))?;
            }
        }
    }
    area.draw(&Rectangle::new(
        [(LEFT, bar_top), (BAR_END, bar_bottom)],
        GRID,
    ))?;
    Ok(())
}

/// The label, cut with an ellipsis where it would run past `width` pixels.
fn fit(area: &Area, label: &str, style: &TextStyle, width: u32) -> Result<String, ChartError> {
    if area.estimate_text_size(label, style)?.0 <= width {
        return Ok(label.to_string());
    }
    let mut chars: Vec<char> = label.chars().collect();
    while !chars.is_empty() {
        chars.pop();
        let cut: String = chars.iter().collect::<String>().trim_end().to_string() + "…";
        if area.estimate_text_size(&cut, style)?.0 <= width {
            return Ok(cut);
        }
    }
    Ok("…".to_string())
}
