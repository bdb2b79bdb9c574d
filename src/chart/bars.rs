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

pub const WIDTH: u32 = 640;
/// The title and the legend line.
const HEADER: u32 = 128;
/// The second legend line, drawn when a statement is worded negatively.
const REVERSED_LEGEND: u32 = 44;
/// Lines a statement's label wraps to at most; the last is cut with an ellipsis.
const LABEL_LINES: usize = 3;
const LINE_HEIGHT: u32 = 32;
const BAR_HEIGHT: i32 = 40;
/// Space under a row's bar.
const ROW_GAP: u32 = 28;
const FOOTER: u32 = 12;
const LEFT: i32 = 16;
const BAR_END: i32 = 510;
/// The legend's swatches start here, after their caption.
const LEGEND_X: i32 = 330;
const SWATCH: i32 = 52;
/// A segment narrower than this shows no count.
const MIN_COUNTED: i32 = 30;

/// The height of the header above the rows: one legend line, two with a reversed statement.
fn header(bars: &[StatementBar]) -> u32 {
    if bars.iter().any(|bar| bar.reversed) {
        HEADER + REVERSED_LEGEND
    } else {
        HEADER
    }
}

/// A statement's label in lines of at most `width` pixels, at most [`LABEL_LINES`] of them.
fn wrap(label: &str, width: u32) -> Result<Vec<String>, ChartError> {
    let style = text(style::SMALL, INK);
    let fits = |line: &str| -> Result<bool, ChartError> {
        let (w, _) = style
            .font
            .box_size(line)
            .map_err(|e| ChartError::Draw(e.to_string()))?;
        Ok(w <= width)
    };
    let mut lines: Vec<String> = Vec::new();
    let mut current = String::new();
    for word in label.split_whitespace() {
        let tried = if current.is_empty() {
            word.to_string()
        } else {
            format!("{current} {word}")
        };
        if current.is_empty() || fits(&tried)? {
            current = tried;
        } else {
            lines.push(std::mem::replace(&mut current, word.to_string()));
        }
    }
    if !current.is_empty() {
        lines.push(current);
    }
    if lines.len() > LABEL_LINES {
        let rest = lines.split_off(LABEL_LINES - 1).join(" ");
        lines.push(rest);
    }
    if let Some(last) = lines.last_mut() {
        while !fits(last)? && last.chars().count() > 1 {
            let mut chars: Vec<char> = last.chars().collect();
            if chars.last() == Some(&'…') {
                chars.pop();
            }
            chars.pop();
            *last = chars.into_iter().collect::<String>().trim_end().to_string() + "…";
        }
    }
    Ok(lines)
}

/// Each row's label lines, as drawn.
pub fn labels(bars: &[StatementBar]) -> Result<Vec<Vec<String>>, ChartError> {
    bars.iter()
        .map(|bar| wrap(&row_label(bar), (WIDTH as i32 - 2 * LEFT) as u32))
        .collect()
}

fn row_height(lines: usize) -> u32 {
    LINE_HEIGHT * lines.max(1) as u32 + 8 + BAR_HEIGHT as u32 + ROW_GAP
}

/// The chart's height for rows labelled `labels` (an empty chart keeps one row for its note).
pub fn height(bars: &[StatementBar], labels: &[Vec<String>]) -> u32 {
    let rows: u32 = if labels.is_empty() {
        row_height(1)
    } else {
        labels.iter().map(|lines| row_height(lines.len())).sum()
    };
    header(bars) + rows + FOOTER
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

pub fn draw(bars: &[StatementBar], labels: &[Vec<String>], area: &Area) -> Result<(), ChartError> {
    area.fill(&PAPER)?;
    area.draw(&Text::new(
        "Answers per statement",
        (LEFT, 12),
        text(style::TITLE, INK),
    ))?;
    draw_legend(area, "Answer", 64, false)?;
    if bars.iter().any(|bar| bar.reversed) {
        draw_legend(
            area,
            "When lower is better",
            64 + REVERSED_LEGEND as i32,
            true,
        )?;
    }
    let mut top = header(bars) as i32;
    if bars.is_empty() {
        area.draw(&Text::new(
            "No statements",
            (LEFT, top),
            text(style::LABEL, MUTED),
        ))?;
    }
    for (bar, lines) in bars.iter().zip(labels) {
        draw_row(area, top, bar, lines)?;
        top += row_height(lines.len()) as i32;
    }
    Ok(())
}

/// The five colours from worst to best, numbered with the answer each stands for: 1 to 5, or
/// 5 to 1 on the line for negatively worded statements.
fn draw_legend(area: &Area, caption: &str, y: i32, reversed: bool) -> Result<(), ChartError> {
    let centred = Pos::new(HPos::Center, VPos::Center);
    let height = 34;
    area.draw(&Text::new(
        caption.to_string(),
        (LEGEND_X - 12, y + height / 2),
        text(style::SMALL, MUTED).pos(Pos::new(HPos::Right, VPos::Center)),
    ))?;
    let mut x = LEGEND_X;
    for (position, colour) in SCORES.iter().enumerate() {
        let answer = if reversed { 5 - position } else { position + 1 };
        let corners = [(x, y), (x + SWATCH - 4, y + height)];
        area.draw(&Rectangle::new(corners, colour.filled()))?;
        area.draw(&Rectangle::new(corners, GRID))?;
        area.draw(&Text::new(
            answer.to_string(),
            (x + (SWATCH - 4) / 2, y + height / 2),
            text(style::SMALL, ON_SCORES[position]).pos(centred),
        ))?;
        x += SWATCH;
    }
    Ok(())
}

fn draw_row(area: &Area, top: i32, bar: &StatementBar, lines: &[String]) -> Result<(), ChartError> {
    for (n, line) in lines.iter().enumerate() {
        area.draw(&Text::new(
            line.clone(),
            (LEFT, top + LINE_HEIGHT as i32 * n as i32),
            text(style::SMALL, INK),
        ))?;
    }
    let bar_top = top + LINE_HEIGHT as i32 * lines.len().max(1) as i32 + 8;
    let bar_bottom = bar_top + BAR_HEIGHT;
    let total: u32 = bar.counts.iter().sum();
    let average = if total == 0 {
        "no answers".to_string()
    } else {
        format!("avg {:.1}", bar.average)
    };
    area.draw(&Text::new(
        average,
        (BAR_END + 12, bar_top + BAR_HEIGHT / 2),
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
