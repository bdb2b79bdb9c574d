//! One run per key at a time, with whatever is asked meanwhile folded into one more run.
//!
//! The pulse post's count is edited after every answer; during a rush, editing once per
//! answer would queue edits behind Discord's rate limit for no gain, since only the latest
//! count matters. The run under way notices it was asked again and runs once more.

use std::collections::HashMap;
use std::hash::Hash;
use std::sync::{Mutex, PoisonError};

/// Keys with a run under way, and whether they were asked again meanwhile.
#[derive(Debug, Default)]
pub struct Coalesce<K> {
    running: Mutex<HashMap<K, bool>>,
}

impl<K: Eq + Hash> Coalesce<K> {
    pub fn new() -> Coalesce<K> {
        Coalesce {
            running: Mutex::new(HashMap::new()),
        }
    }

    /// `true`: the caller runs now. `false`: a run is under way and will run once more.
    pub fn begin(&self, key: K) -> bool {
        let mut running = self.running.lock().unwrap_or_else(PoisonError::into_inner);
        match running.get_mut(&key) {
            Some(asked_again) => {
                *asked_again = true;
                false
            }
            None => {
                running.insert(key, false);
                true
            }
        }
    }

    /// Called when a run ends: `true` when it was asked again meanwhile (run once more),
    /// `false` when the key is free again.
    pub fn again(&self, key: K) -> bool {
        let mut running = self.running.lock().unwrap_or_else(PoisonError::into_inner);
        match running.get_mut(&key) {
            Some(asked_again) if *asked_again => {
                *asked_again = false;
                true
            }
            _ => {
                running.remove(&key);
                false
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn asks_during_a_run_fold_into_one_more_run() {
        let edits = Coalesce::new();
        assert!(edits.begin(1));
        assert!(!edits.begin(1), "a run is under way");
        assert!(!edits.begin(1));
        assert!(edits.begin(2), "another key runs on its own");
        assert!(edits.again(1), "asked twice meanwhile: one more run");
        assert!(!edits.again(1), "nothing asked since: free");
        assert!(edits.begin(1), "free keys run at once");
        assert!(!edits.again(1));
        assert!(!edits.again(2));
    }
}
