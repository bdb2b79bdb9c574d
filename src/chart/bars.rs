//! One pulse's result: per statement, a bar split by how many answered 1 to 5, and the
//! average beside it.
//!
//! Colour always means the same thing: orange for the worst answers, purple for the best. A
//! negatively worded statement (`reversed`) is labelled "lower is better" and its bar runs from
//! 5 down to 1, so its 5s, the worst answers, are orange and on the left like every other
//! row's 1s; a second legend line gives the answers in that order.

use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};

use super::canvas::Area;
use super::font::text;
use super::style::{self, GRID, INK, MUTED, ON_SCORES, PAPER, SCORES};
use super::{ChartError, StatementBar};

pub const WIDTH: u32 = 800;
const HEADER: u32 = 56;
/// The second legend line, drawn when a statement is worded negatively.
const REVERSED_LEGEND: u32 = 28;
const ROW: u32 = 64;
const FOOTER: u32 = 12;
const LEFT: i32 = 16;
const BAR_END: i32 = 680;
const BAR_TOP: i32 = 28;
const BAR_HEIGHT: i32 = 24;
/// A segment narrower than this shows no count.
const MIN_COUNTED: i32 = 20;

/// The height of the header above the rows: one legend line, two with a reversed statement.
fn header(bars: &[StatementBar]) -> u32 {
    if bars.iter().any(|bar| bar.reversed) {
        HEADER + REVERSED_LEGEND
    } else {
        HEADER
    }
}

/// The chart's height for `bars` (an empty chart keeps one row for its note).
pub fn height(bars: &[StatementBar]) -> u32 {
    header(bars) + ROW * bars.len().max(1) as u32 + FOOTER
}

/// One piece of a statement's bar, left to right: the answer it counts, how many gave it, and
/// its colour in [`SCORES`] (0 is the worst answer, 4 the best).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Segment {
    pub answer: u8,
    pub count: u32,
    pub colour: usize,
}

/// The pieces of a bar from the worst answer to the best: 1 to 5, or 5 to 1 for a negatively
/// worded statement.
pub fn segments(bar: &StatementBar) -> [Segment; 5] {
    std::array::from_fn(|position| {
        let index = if bar.reversed { 4 - position } else { position };
        Segment {
            answer: index as u8 + 1,
            count: bar.counts[index],
            colour: position,
        }
    })
}

/// A statement's label as its row shows it.
pub fn row_label(bar: &StatementBar) -> String {
    if bar.reversed {
        format!("{} (lower is better)", bar.label)
    } else {
        bar.label.clone()
    }
}

pub fn draw(bars: &[StatementBar], area: &Area) -> Result<(), ChartError> {
    area.fill(&PAPER)?;
    draw_legend(area, "Answer", 14, false)?;
    if bars.iter().any(|bar| bar.reversed) {
        draw_legend(
            area,
            "When lower is better",
            14 + REVERSED_LEGEND as i32,
            true,
        )?;
    }
    area.draw(&Text::new(
        "Answers per statement",
        (LEFT, 16),
        text(style::TITLE, INK),
    ))?;
    let top = header(bars) as i32;
    if bars.is_empty() {
        area.draw(&Text::new(
            "No statements",
            (LEFT, top + BAR_TOP),
            text(style::LABEL, MUTED),
        ))?;
    }
    for (row, bar) in bars.iter().enumerate() {
        draw_row(area, top + ROW as i32 * row as i32, bar)?;
    }
    Ok(())
}

/// The five colours from worst to best, numbered with the answer each stands for: 1 to 5, or
/// 5 to 1 on the line for negatively worded statements.
fn draw_legend(area: &Area, caption: &str, y: i32, reversed: bool) -> Result<(), ChartError> {
    let centred = Pos::new(HPos::Center, VPos::Center);
    let mut x = 520;
    area.draw(&Text::new(
        caption.to_string(),
        (x - 8, y + 11),
        text(style::SMALL, MUTED).pos(Pos::new(HPos::Right, VPos::Center)),
    ))?;
    for (position, colour) in SCORES.iter().enumerate() {
        let answer = if reversed { 5 - position } else { position + 1 };
        area.draw(&Rectangle::new([(x, y), (x + 40, y + 22)], colour.filled()))?;
        area.draw(&Rectangle::new([(x, y), (x + 40, y + 22)], GRID))?;
        area.draw(&Text::new(
            answer.to_string(),
            (x + 20, y + 11),
            text(style::SMALL, ON_SCORES[position]).pos(centred),
        ))?;
        x += 44;
    }
    Ok(())
}

fn draw_row(area: &Area, top: i32, bar: &StatementBar) -> Result<(), ChartError> {
    let label_style = text(style::LABEL, INK);
    let label = fit(
        area,
        &row_label(bar),
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
        for Segment { count, colour, .. } in segments(bar) {
            let start = LEFT + (span * f64::from(answered) / f64::from(total)).round() as i32;
            answered += count;
            let end = LEFT + (span * f64::from(answered) / f64::from(total)).round() as i32;
            if end <= start {
                continue;
            }
            area.draw(&Rectangle::new(
                [(start, bar_top), (end, bar_bottom)],
                SCORES[colour].filled(),
            ))?;
            if end - start >= MIN_COUNTED {
                area.draw(&Text::new(
                    count.to_string(),
                    ((start + end) / 2, bar_top + BAR_HEIGHT / 2),
                    text(style::SMALL, ON_SCORES[colour]).pos(Pos::new(HPos::Center, VPos::Center)),
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
