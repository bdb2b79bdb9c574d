//! Chart render time and size: `cargo bench --bench chart [-- --out DIR]`.
//!
//! Renders a 12-week trend and a three-statement result many times and prints the median and
//! slowest render and the PNG size of each; `--out DIR` also writes both images there. The
//! first render, which registers the font, is timed on its own.

#![allow(clippy::unwrap_used, clippy::expect_used)] // A measurement that cannot run stops with its reason.

use std::time::{Duration, Instant};

use bridgebot::chart::{self, ChartError, Png, StatementBar, WeekPoint};

const RUNS: usize = 50;
/// How the bot words a withheld week on the default config.
const WITHHELD: &str = "withheld (fewer than 3 answers)";

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let args: Vec<String> = std::env::args().collect();
    let out = args
        .iter()
        .position(|arg| arg == "--out")
        .and_then(|at| args.get(at + 1))
        .map(std::path::PathBuf::from);

    let weeks = twelve_weeks()?;
    let bars = three_statements();
    let first = Instant::now();
    chart::trend(&weeks, WITHHELD)?;
    println!(
        "first render (font registration included): {:?}",
        first.elapsed()
    );

    let trend = measure("trend, 12 weeks", || chart::trend(&weeks, WITHHELD))?;
    let result = measure("result, 3 statements", || chart::result(&bars))?;
    if let Some(dir) = out {
        std::fs::create_dir_all(&dir)?;
        std::fs::write(dir.join("trend.png"), &trend.bytes)?;
        std::fs::write(dir.join("result.png"), &result.bytes)?;
        println!("wrote trend.png and result.png to {}", dir.display());
    }
    Ok(())
}

fn measure(name: &str, render: impl Fn() -> Result<Png, ChartError>) -> Result<Png, ChartError> {
    let mut times: Vec<Duration> = Vec::with_capacity(RUNS);
    let mut png = render()?;
    for _ in 0..RUNS {
        let start = Instant::now();
        png = render()?;
        times.push(start.elapsed());
    }
    times.sort();
    println!(
        "{name}: {}x{} px, {} bytes ({:.1} KB); render median {:.1} ms, max {:.1} ms over {RUNS} runs",
        png.width,
        png.height,
        png.bytes.len(),
        png.bytes.len() as f64 / 1024.0,
        times[RUNS / 2].as_secs_f64() * 1000.0,
        times[RUNS - 1].as_secs_f64() * 1000.0,
    );
    Ok(png)
}

/// Twelve weeks with a withheld week, a week with only one side asked and a focus chosen.
fn twelve_weeks() -> Result<Vec<WeekPoint>, jiff::Error> {
    let leading = [3.2, 3.4, 3.1, 0.0, 3.6, 3.8, 3.7, 4.0, 3.9, 4.1, 4.0, 4.2];
    let managing = [2.8, 2.9, 3.3, 0.0, 3.0, 0.0, 3.4, 3.2, 3.5, 3.3, 3.7, 3.6];
    let first = jiff::civil::date(2026, 9, 7);
    (0..12)
        .map(|week| {
            Ok(WeekPoint {
                week: first.checked_add(jiff::Span::new().weeks(week as i64))?,
                leading: Some(leading[week]).filter(|s| *s > 0.0),
                managing: Some(managing[week]).filter(|s| *s > 0.0),
                focus: week == 6,
            })
        })
        .collect()
}

fn three_statements() -> Vec<StatementBar> {
    [
        ("I knew what was expected of me this week", [0, 1, 2, 4, 1]),
        (
            "I could see how my work connects to where we are going",
            [1, 0, 3, 3, 1],
        ),
        (
            "My work sat waiting this week for a decision someone else had to make",
            [2, 3, 2, 1, 0],
        ),
    ]
    .into_iter()
    .map(|(label, counts)| {
        let total: u32 = counts.iter().sum();
        let sum: u32 = counts.iter().zip(1..).map(|(c, s)| c * s).sum();
        StatementBar {
            label: label.to_string(),
            average: f64::from(sum) / f64::from(total),
            counts,
            reversed: label.starts_with("My work sat waiting"),
        }
    })
    .collect()
}
