//! What a closed pulse's counts say: per statement the average and spread, per side the score,
//! and the change since the week before. Only counts come in; no answer is ever one person's.

use crate::content::PulseSide;

/// How many chose each score (index 0 is score 1) for one statement.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Counts(pub [u32; 5]);

impl Counts {
    pub fn total(&self) -> u32 {
        self.0.iter().sum()
    }

    /// The mean score; `None` with no answers.
    pub fn average(&self) -> Option<f64> {
        let total = self.total();
        (total > 0).then(|| {
            let sum: u32 = self
                .0
                .iter()
                .zip(1u32..)
                .map(|(count, score)| count * score)
                .sum();
            f64::from(sum) / f64::from(total)
        })
    }

    /// The standard deviation of the scores (how far apart the answers are).
    pub fn spread(&self) -> Option<f64> {
        let average = self.average()?;
        let total = f64::from(self.total());
        let squares: f64 = self
            .0
            .iter()
            .zip(1u32..)
            .map(|(count, score)| f64::from(*count) * (f64::from(score) - average).powi(2))
            .sum();
        Some((squares / total).sqrt())
    }
}

/// One statement's result.
#[derive(Debug, Clone, PartialEq)]
pub struct StatementResult {
    pub statement_id: String,
    pub side: PulseSide,
    pub counts: Counts,
}

/// The score of one side: the mean over every answer to that side's statements.
pub fn side_score(results: &[StatementResult], side: PulseSide) -> Option<f64> {
    let mut all = Counts::default();
    for result in results.iter().filter(|r| r.side == side) {
        for (into, count) in all.0.iter_mut().zip(result.counts.0) {
            *into += count;
        }
    }
    all.average()
}

/// One week of the trend, as the chart draws it: a side without a result (below the
/// minimum) is `None`, a gap.
pub use crate::chart::WeekPoint;

/// A number as the result shows it: one decimal.
pub fn one_decimal(value: f64) -> String {
    format!("{value:.1}")
}

/// A change as the result shows it: "+0.4", "-1.0", "no change".
pub fn change(now: f64, before: f64) -> String {
    let delta = now - before;
    if delta.abs() < 0.05 {
        "no change".to_string()
    } else {
        format!("{delta:+.1}")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn average_and_spread_of_counts() {
        // Five answers: 2, 4, 4, 4, 5.
        let counts = Counts([0, 1, 0, 3, 1]);
        assert_eq!(counts.total(), 5);
        assert!((counts.average().expect("some") - 3.8).abs() < 1e-9);
        assert!((counts.spread().expect("some") - 0.979_795_897).abs() < 1e-6);
        assert_eq!(Counts::default().average(), None);
    }

    #[test]
    fn side_scores_pool_every_answer_of_the_side() {
        let results = vec![
            StatementResult {
                statement_id: "a".into(),
                side: PulseSide::Leading,
                counts: Counts([0, 0, 0, 0, 3]),
            },
            StatementResult {
                statement_id: "b".into(),
                side: PulseSide::Leading,
                counts: Counts([0, 0, 3, 0, 0]),
            },
            StatementResult {
                statement_id: "c".into(),
                side: PulseSide::Managing,
                counts: Counts([3, 0, 0, 0, 0]),
            },
        ];
        assert_eq!(side_score(&results, PulseSide::Leading), Some(4.0));
        assert_eq!(side_score(&results, PulseSide::Managing), Some(1.0));
        assert_eq!(change(4.0, 3.6), "+0.4");
        assert_eq!(change(3.0, 3.0), "no change");
    }
}
