//! Checks on the encoded images: a real PNG of the stated size, for any amount of data.

use super::*;

const WITHHELD: &str = "withheld (fewer than 3 answers)";

fn week(index: i64, leading: Option<f64>, managing: Option<f64>) -> WeekPoint {
    WeekPoint {
        week: jiff::civil::date(2026, 1, 5)
            .checked_add(jiff::Span::new().weeks(index))
            .expect("in range"),
        leading,
        managing,
        focus: false,
    }
}

/// `count` weeks of made-up scores, every fifth week withheld.
fn weeks(count: usize) -> Vec<WeekPoint> {
    (0..count)
        .map(|i| {
            let wave = (i as f64 * 0.7).sin();
            if i % 5 == 3 {
                week(i as i64, None, None)
            } else {
                week(i as i64, Some(3.4 + wave), Some(3.0 - 0.8 * wave))
            }
        })
        .collect()
}

/// The width and height a PNG declares, after checking its signature and first chunk.
fn png_size(bytes: &[u8]) -> (u32, u32) {
    assert!(
        bytes.len() > 33,
        "too short for a PNG: {} bytes",
        bytes.len()
    );
    assert_eq!(&bytes[..8], b"\x89PNG\r\n\x1a\n", "PNG signature");
    assert_eq!(&bytes[8..12], &13u32.to_be_bytes(), "IHDR length");
    assert_eq!(&bytes[12..16], b"IHDR", "first chunk is IHDR");
    let read =
        |at: usize| u32::from_be_bytes([bytes[at], bytes[at + 1], bytes[at + 2], bytes[at + 3]]);
    (read(16), read(20))
}

fn assert_valid(png: &Png) {
    assert_eq!(png_size(&png.bytes), (png.width, png.height));
    assert!(
        png.bytes.ends_with(&[0xAE, 0x42, 0x60, 0x82]),
        "ends with IEND"
    );
}

#[test]
fn trend_renders_any_number_of_weeks() {
    for count in [0, 1, 12, 52] {
        let png = trend(&weeks(count), WITHHELD).unwrap_or_else(|e| panic!("{count} weeks: {e}"));
        assert_valid(&png);
        assert_eq!((png.width, png.height), TREND_SIZE, "{count} weeks");
    }
}

#[test]
fn trend_renders_when_every_week_is_withheld() {
    let withheld: Vec<WeekPoint> = (0..12).map(|i| week(i, None, None)).collect();
    assert_valid(&trend(&withheld, WITHHELD).expect("renders"));
}

#[test]
fn twelve_weeks_weigh_under_100_kb() {
    let png = trend(&weeks(12), WITHHELD).expect("renders");
    assert!(png.bytes.len() < 100_000, "{} bytes", png.bytes.len());
}

#[test]
fn a_chart_is_the_same_bytes_every_time() {
    assert_eq!(
        trend(&weeks(12), WITHHELD).expect("renders"),
        trend(&weeks(12), WITHHELD).expect("renders")
    );
}

#[test]
fn a_withheld_week_differs_from_a_low_one() {
    let mut low = weeks(6);
    let mut withheld = low.clone();
    low[2].leading = Some(1.0);
    withheld[2].leading = None;
    assert_ne!(
        trend(&low, WITHHELD).expect("renders"),
        trend(&withheld, WITHHELD).expect("renders")
    );
}

#[test]
fn scores_outside_one_to_five_are_refused() {
    let bad = [week(0, Some(0.0), None)];
    assert!(matches!(trend(&bad, WITHHELD), Err(ChartError::Score(_))));
    let nan = [week(0, None, Some(f64::NAN))];
    assert!(matches!(trend(&nan, WITHHELD), Err(ChartError::Score(_))));
}

fn bar(label: &str, counts: [u32; 5]) -> StatementBar {
    let total: u32 = counts.iter().sum();
    let sum: u32 = counts
        .iter()
        .zip(1..)
        .map(|(count, score)| count * score)
        .sum();
    StatementBar {
        label: label.into(),
        average: if total == 0 {
            0.0
        } else {
            f64::from(sum) / f64::from(total)
        },
        counts,
        reversed: false,
    }
}

#[test]
fn result_grows_with_its_statements() {
    let bars = [
        bar("I knew what was expected of me this week", [0, 1, 2, 4, 1]),
        bar(
            "I could see how my work connects to where the team is going, and I could say it in my own words to someone new",
            [1, 0, 0, 0, 7],
        ),
        bar("Nobody answered this one", [0; 5]),
    ];
    let png = result(&bars).expect("renders");
    assert_valid(&png);
    assert_eq!(png.width, 640);
    let one = result(&bars[..1]).expect("renders");
    assert!(png.height > one.height);
    assert_valid(&result(&[]).expect("renders"));
}

#[test]
fn result_refuses_too_many_statements_and_bad_averages() {
    let many = vec![bar("s", [1, 1, 1, 1, 1]); MAX_BARS + 1];
    assert!(matches!(result(&many), Err(ChartError::TooManyBars { .. })));
    let mut wrong = bar("s", [1, 0, 0, 0, 0]);
    wrong.average = 6.0;
    assert!(matches!(result(&[wrong]), Err(ChartError::Score(_))));
}

#[test]
fn a_negatively_worded_statement_reads_worst_to_best_like_every_other_row() {
    let asked = bar("I knew which tasks were mine", [1, 0, 0, 0, 4]);
    let reversed = StatementBar {
        reversed: true,
        ..bar("My work sat waiting for a decision", [1, 0, 0, 0, 4])
    };
    // As asked, four 5s are the best answers: purple, on the right.
    let first = bars::segments(&asked);
    assert_eq!((first[0].answer, first[0].colour), (1, 0));
    assert_eq!(
        (first[4].answer, first[4].count, first[4].colour),
        (5, 4, 4)
    );
    // Worded negatively, the same four 5s are the worst answers: orange, on the left.
    let turned = bars::segments(&reversed);
    assert_eq!(
        (turned[0].answer, turned[0].count, turned[0].colour),
        (5, 4, 0)
    );
    assert_eq!(
        (turned[4].answer, turned[4].count, turned[4].colour),
        (1, 1, 4)
    );
    assert_eq!(
        bars::row_label(&reversed),
        "My work sat waiting for a decision (lower is better)"
    );
    assert_eq!(bars::row_label(&asked), asked.label);
    // The average beside the bar stays as answered, and the chart grows a legend line.
    let png = result(&[asked.clone(), reversed.clone()]).expect("renders");
    assert_valid(&png);
    let plain = result(&[asked.clone(), asked]).expect("renders");
    assert_eq!(png.height, plain.height + 44, "a second legend line");
    assert!((reversed.average - 4.2).abs() < 1e-9);
}

#[test]
fn a_long_statement_wraps_to_at_most_three_lines_that_fit_and_a_short_one_stays_on_one() {
    font::ensure().expect("the font");
    let long = bar(
        &"a statement that goes on and on ".repeat(8),
        [1, 1, 1, 1, 1],
    );
    let short = bar("Short", [1, 1, 1, 1, 1]);
    let labels = bars::labels(&[long.clone(), short.clone()]).expect("wraps");
    assert_eq!(labels[0].len(), 3, "{:?}", labels[0]);
    assert!(labels[0][2].ends_with('…'), "{:?}", labels[0]);
    assert_eq!(labels[1], vec!["Short".to_string()]);
    let style = font::text(style::SMALL, style::INK);
    for line in &labels[0] {
        let (width, _) = style.font.box_size(line).expect("measured");
        assert!(width <= bars::WIDTH - 32, "{line}: {width}");
    }
    assert!(result(&[long]).expect("renders").height > result(&[short]).expect("renders").height);
}

#[test]
fn a_week_with_a_focus_is_marked_on_the_trend() {
    let plain = weeks(8);
    let mut marked = plain.clone();
    marked[4].focus = true;
    let (plain, marked) = (
        trend(&plain, WITHHELD).expect("plain"),
        trend(&marked, WITHHELD).expect("marked"),
    );
    assert_valid(&marked);
    assert_ne!(
        plain.bytes, marked.bytes,
        "the focus week and its legend are drawn"
    );
}
