//! Charts the bot attaches as PNG images: the pulse trend and one pulse's result.
//!
//! Pure drawing: data in, PNG bytes out, no Discord and no database. The font is compiled
//! into the binary and nothing asks the system for fonts, so a chart comes out the same
//! pixels on every machine. Colours are the Okabe-Ito and ColorBrewer PuOr palettes, which
//! stay apart for colour-blind readers, and each series also has its own line and marker.

mod axis;
mod bars;
mod canvas;
mod font;
mod line;
mod style;

use jiff::civil::Date;

/// The file name a chart is attached under.
pub const CHART_FILE: &str = "pulse.png";

/// The size of a trend chart, whatever the number of weeks.
pub const TREND_SIZE: (u32, u32) = (line::WIDTH, line::HEIGHT);

/// Statements one result chart draws at most.
pub const MAX_BARS: usize = 25;

/// One week of the trend. A score is 1.0 to 5.0; `None` is a week whose results were
/// withheld (too few answers) or that had no statement on that side, drawn as a gap.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct WeekPoint {
    pub week: Date,
    pub leading: Option<f64>,
    pub managing: Option<f64>,
    /// The lead chose a focus from this week's result: the chart marks the week, so a lead
    /// sees whether the lines moved after it.
    pub focus: bool,
}

/// One statement of a closed pulse: its label, the average answer (1.0 to 5.0) and how many
/// answered 1, 2, 3, 4 and 5, all as answered. `reversed` marks a negatively worded statement,
/// where a low answer is the good one: its row is labelled "lower is better" and drawn from 5
/// down to 1, so that in every row the colour of the worst answers is on the left.
#[derive(Debug, Clone, PartialEq)]
pub struct StatementBar {
    pub label: String,
    pub average: f64,
    pub counts: [u32; 5],
    pub reversed: bool,
}

/// An encoded PNG image.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Png {
    pub bytes: Vec<u8>,
    pub width: u32,
    pub height: u32,
}

/// Why a chart could not be drawn.
#[derive(Debug, thiserror::Error)]
pub enum ChartError {
    #[error("the chart font compiled into the binary could not be read")]
    Font,
    #[error("a score of {0} is outside 1 to 5")]
    Score(f64),
    #[error("{count} statements are more than one chart draws ({MAX_BARS})")]
    TooManyBars { count: usize },
    #[error("drawing the chart failed: {0}")]
    Draw(String),
    #[error("encoding the chart as PNG failed: {0}")]
    Encode(#[from] png::EncodingError),
}

/// The leading and managing scores week by week, oldest first, as a line chart on a calendar
/// axis: a week without a pulse is an empty place, a missing score breaks its line, and a
/// week with neither score is hatched and named in the legend by `withheld` (the words the
/// text beside the chart uses for it).
pub fn trend(points: &[WeekPoint], withheld: &str) -> Result<Png, ChartError> {
    for point in points {
        for score in [point.leading, point.managing].into_iter().flatten() {
            check_score(score)?;
        }
    }
    canvas::render(line::WIDTH, line::HEIGHT, |area| {
        line::draw(points, withheld, area)
    })
}

/// One pulse's statements: for each, how the answers spread over 1 to 5 and their average.
/// A statement nobody answered is drawn as an empty bar, and its average is not read.
pub fn result(bars: &[StatementBar]) -> Result<Png, ChartError> {
    if bars.len() > MAX_BARS {
        return Err(ChartError::TooManyBars { count: bars.len() });
    }
    for bar in bars {
        if bar.counts.iter().any(|&count| count > 0) {
            check_score(bar.average)?;
        }
    }
    font::ensure()?;
    let labels = bars::labels(bars)?;
    canvas::render(bars::WIDTH, bars::height(bars, &labels), |area| {
        bars::draw(bars, &labels, area)
    })
}

fn check_score(score: f64) -> Result<(), ChartError> {
    if (1.0..=5.0).contains(&score) {
        Ok(())
    } else {
        Err(ChartError::Score(score))
    }
}

#[cfg(test)]
mod tests;
