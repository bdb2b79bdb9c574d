//! What a closed pulse's counts say: per statement the average and spread, per side the score,
//! and the change since the week before. Only counts come in; no answer is ever one person's.
//!
//! A statement worded negatively (`reversed`) keeps its counts as answered, so its own average
//! reads the way it was asked; wherever statements are combined or compared (a side's score, the
//! trend, the change since last week, the lowest statement of a week) its answers count the
//! other way round, `s` as `6 - s`, through [`StatementResult::scored`].

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

    /// The same answers counted the other way round: a 1 becomes a 5, a 2 a 4.
    pub fn reversed(&self) -> Counts {
        let mut counts = self.0;
        counts.reverse();
        Counts(counts)
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
    /// The statement is worded negatively: agreeing is the bad outcome.
    pub reversed: bool,
    /// The answers as given, 1 to 5, whichever way the statement is worded.
    pub counts: Counts,
}

impl StatementResult {
    /// The answers as they count toward a score, where higher is always better: as given, or
    /// the other way round for a reversed statement.
    pub fn scored(&self) -> Counts {
        if self.reversed {
            self.counts.reversed()
        } else {
            self.counts
        }
    }

    /// The mean of [`StatementResult::scored`]: what to compare statements by.
    pub fn score(&self) -> Option<f64> {
        self.scored().average()
    }
}

/// The score of one side: the mean over every answer to that side's statements, each counted
/// as scored (a reversed statement's 1 counts as 5).
pub fn side_score(results: &[StatementResult], side: PulseSide) -> Option<f64> {
    let mut all = Counts::default();
    for result in results.iter().filter(|r| r.side == side) {
        for (into, count) in all.0.iter_mut().zip(result.scored().0) {
            *into += count;
        }
    }
    all.average()
}

/// One week of the trend, as the chart draws it: a side without a result (below the
/// minimum) is `None`, a gap.
pub use crate::chart::WeekPoint;

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
                reversed: false,
                counts: Counts([0, 0, 0, 0, 3]),
            },
            StatementResult {
                statement_id: "b".into(),
                side: PulseSide::Leading,
                reversed: false,
                counts: Counts([0, 0, 3, 0, 0]),
            },
            StatementResult {
                statement_id: "c".into(),
                side: PulseSide::Managing,
                reversed: false,
                counts: Counts([3, 0, 0, 0, 0]),
            },
        ];
        assert_eq!(side_score(&results, PulseSide::Leading), Some(4.0));
        assert_eq!(side_score(&results, PulseSide::Managing), Some(1.0));
        // How a change reads is `reply::pulse::change`'s (tested there).
    }

    fn result(side: PulseSide, reversed: bool, counts: [u32; 5]) -> StatementResult {
        StatementResult {
            statement_id: format!("{side:?}-{reversed}"),
            side,
            reversed,
            counts: Counts(counts),
        }
    }

    #[test]
    fn a_reversed_statement_counts_the_other_way_round_in_its_side() {
        // Five members fully agree with "my work sat waiting for a decision": the worst week.
        let waiting = result(PulseSide::Managing, true, [0, 0, 0, 0, 5]);
        assert_eq!(waiting.counts.average(), Some(5.0), "shown as answered");
        assert_eq!(waiting.scored(), Counts([5, 0, 0, 0, 0]));
        assert_eq!(waiting.score(), Some(1.0));
        assert_eq!(
            side_score(std::slice::from_ref(&waiting), PulseSide::Managing),
            Some(1.0)
        );
        // With a positive statement answered 4 by all five: (4 * 5 + 1 * 5) / 10.
        let plan = result(PulseSide::Managing, false, [0, 0, 0, 5, 0]);
        assert_eq!(side_score(&[plan, waiting], PulseSide::Managing), Some(2.5));
        // A 3 stays a 3, and a spread does not depend on the wording.
        let middle = result(PulseSide::Leading, true, [1, 0, 3, 0, 1]);
        assert_eq!(middle.score(), middle.counts.average());
        assert_eq!(middle.scored().spread(), middle.counts.spread());
    }
}
