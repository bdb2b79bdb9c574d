//! The skeleton both background tasks run on: the scheduler (what is posted when) and the poll
//! keeper (which poll closes when).
//!
//! Each is one tokio task owning a time-ordered queue of keys, at most one job per key at a
//! time, and a command channel. It sleeps until the earliest instant in the queue (on the
//! injected clock), a command, or the end of a job; it never scans on a timer. A job that
//! panics is logged with its key and its key is freed, so one bad server never stops the
//! others or wedges its own next run.
//!
//! Beside it, [`off_runtime`]: CPU-bound work (drawing a chart takes milliseconds) runs on
//! tokio's blocking threads, so the runtime's few worker threads keep answering meanwhile.

use std::cmp::Reverse;
use std::collections::{BinaryHeap, HashMap, HashSet};
use std::fmt::Debug;
use std::future::Future;
use std::hash::Hash;

use jiff::Timestamp;
use tokio::sync::mpsc;
use tokio::task::{Id, JoinSet};
use tokio_util::sync::CancellationToken;
use tracing::error;

use crate::clock::SharedClock;

/// Work handed to [`off_runtime`] never ran: the runtime was shutting down.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[error("the bot was shutting down before the work could run")]
pub struct Abandoned;

/// Runs `work` on tokio's blocking threads and waits for it. A panic in `work` goes on in the
/// caller, as if `work` had run there (a job that panics is logged and planned anew).
pub async fn off_runtime<T: Send + 'static>(
    work: impl FnOnce() -> T + Send + 'static,
) -> Result<T, Abandoned> {
    match tokio::task::spawn_blocking(work).await {
        Ok(done) => Ok(done),
        Err(error) => match error.try_into_panic() {
            Ok(panic) => std::panic::resume_unwind(panic),
            Err(_) => Err(Abandoned),
        },
    }
}

/// Events a task keeps for slow listeners before the oldest are dropped.
pub const EVENT_BUFFER: usize = 4096;

/// A time-ordered queue of keys, with the jobs running for them.
///
/// Every key has a generation: planning a key again makes its earlier entries stale, so they
/// are skipped when they come up instead of being searched for and removed.
pub struct DueQueue<K> {
    heap: BinaryHeap<Reverse<(Timestamp, K, u64)>>,
    generation: HashMap<K, u64>,
    busy: HashSet<K>,
    jobs: JoinSet<()>,
    running: HashMap<Id, K>,
    /// What the task is called in logs.
    name: &'static str,
}

impl<K> DueQueue<K>
where
    K: Copy + Eq + Hash + Ord + Debug + Send + 'static,
{
    pub fn new(name: &'static str) -> DueQueue<K> {
        DueQueue {
            heap: BinaryHeap::new(),
            generation: HashMap::new(),
            busy: HashSet::new(),
            jobs: JoinSet::new(),
            running: HashMap::new(),
            name,
        }
    }

    /// Makes every earlier plan of `key` stale.
    pub fn forget(&mut self, key: K) {
        *self.generation.entry(key).or_default() += 1;
    }

    /// Plans `key` for `at`, replacing any earlier plan.
    pub fn plan(&mut self, key: K, at: Timestamp) {
        self.forget(key);
        let generation = self.generation.get(&key).copied().unwrap_or_default();
        self.heap.push(Reverse((at, key, generation)));
    }

    /// Whether a job is running for `key`.
    pub fn is_busy(&self, key: K) -> bool {
        self.busy.contains(&key)
    }

    /// Whether any job is running.
    pub fn has_jobs(&self) -> bool {
        !self.jobs.is_empty()
    }

    /// The earliest planned instant, stale plans included (waking for one costs a look).
    pub fn next_at(&self) -> Option<Timestamp> {
        self.heap.peek().map(|Reverse((at, _, _))| *at)
    }

    /// Takes the keys due by `now` whose plan is current and which have no job running.
    pub fn take_due(&mut self, now: Timestamp) -> Vec<K> {
        let mut due = Vec::new();
        while let Some(Reverse((at, key, generation))) = self.heap.peek().copied() {
            if at > now {
                break;
            }
            self.heap.pop();
            if self.generation.get(&key) == Some(&generation) && !self.busy.contains(&key) {
                due.push(key);
            }
        }
        due
    }

    /// Runs `job` for `key` unless one is running already; `false` then.
    pub fn start(&mut self, key: K, job: impl Future<Output = ()> + Send + 'static) -> bool {
        if !self.busy.insert(key) {
            return false;
        }
        let handle = self.jobs.spawn(job);
        self.running.insert(handle.id(), key);
        true
    }

    /// Waits for the next job to end and frees its key. A job that panicked is logged at
    /// error level with its key. Never resolves while no job runs.
    pub async fn finished(&mut self) -> K {
        loop {
            let Some(ended) = self.jobs.join_next_with_id().await else {
                std::future::pending::<()>().await;
                continue;
            };
            let id = match &ended {
                Ok((id, ())) => *id,
                Err(error) => error.id(),
            };
            let Some(key) = self.running.remove(&id) else {
                continue;
            };
            self.busy.remove(&key);
            if let Err(error) = ended {
                if error.is_panic() {
                    error!(
                        task = self.name,
                        ?key,
                        "a job panicked; its key is free again and it is planned anew"
                    );
                }
            }
            return key;
        }
    }

    /// Waits for every running job to end.
    pub async fn drain(&mut self) {
        while self.has_jobs() {
            self.finished().await;
        }
    }
}

/// What a task built on [`run`] does with its queue.
pub trait Worker: Send + 'static {
    type Key: Copy + Eq + Hash + Ord + Debug + Send + Sync + 'static;
    type Command: Send + 'static;

    /// A command arrived.
    fn command(
        &mut self,
        queue: &mut DueQueue<Self::Key>,
        command: Self::Command,
    ) -> impl Future<Output = ()> + Send;

    /// A key's job ended (or panicked): plan what comes next for it.
    fn finished(
        &mut self,
        queue: &mut DueQueue<Self::Key>,
        key: Self::Key,
    ) -> impl Future<Output = ()> + Send;

    /// A key came due: start its job.
    fn due(&mut self, queue: &mut DueQueue<Self::Key>, key: Self::Key);
}

/// A command to a task, or the request to stop.
pub enum Control<C> {
    Do(C),
    /// Start nothing new, end the jobs waiting to retry, let requests under way finish.
    Shutdown,
}

/// Runs a worker until it is told to stop (or every sender is gone); then raises `stop` for
/// its jobs and waits for them.
pub async fn run<W: Worker>(
    mut worker: W,
    mut queue: DueQueue<W::Key>,
    clock: SharedClock,
    mut commands: mpsc::UnboundedReceiver<Control<W::Command>>,
    stop: CancellationToken,
) {
    loop {
        let next = queue.next_at();
        let sleep = next.map(|at| clock.sleep_until(at));
        tokio::select! {
            command = commands.recv() => match command {
                Some(Control::Do(command)) => worker.command(&mut queue, command).await,
                Some(Control::Shutdown) | None => break,
            },
            key = queue.finished(), if queue.has_jobs() => worker.finished(&mut queue, key).await,
            () = async { if let Some(sleep) = sleep { sleep.await } }, if next.is_some() => {
                for key in queue.take_due(clock.now()) {
                    worker.due(&mut queue, key);
                }
            }
        }
    }
    stop.cancel();
    queue.drain().await;
}

#[cfg(test)]
mod tests {
    use std::time::Duration;

    use super::*;

    fn at(second: i64) -> Timestamp {
        Timestamp::from_second(second).expect("ts")
    }

    #[test]
    fn a_key_planned_again_comes_due_once_at_its_new_time() {
        let mut queue: DueQueue<u64> = DueQueue::new("test");
        queue.plan(1, at(10));
        queue.plan(1, at(20));
        queue.plan(2, at(15));
        assert_eq!(
            queue.take_due(at(12)),
            Vec::<u64>::new(),
            "the first plan is stale"
        );
        assert_eq!(queue.take_due(at(20)), vec![2, 1]);
        assert_eq!(queue.take_due(at(30)), Vec::<u64>::new());
    }

    #[tokio::test]
    async fn work_off_the_runtime_returns_its_value_and_its_panic() {
        assert_eq!(off_runtime(|| 6 * 7).await, Ok(42));
        let panicked = tokio::spawn(off_runtime(|| -> u32 { panic!("drawing failed") })).await;
        assert!(panicked.is_err_and(|e| e.is_panic()));
    }

    #[tokio::test]
    async fn a_panicking_job_frees_its_key() {
        let mut queue: DueQueue<u64> = DueQueue::new("test");
        assert!(queue.start(7, async { panic!("a job that panics") }));
        assert!(queue.is_busy(7));
        let freed = tokio::time::timeout(Duration::from_secs(5), queue.finished())
            .await
            .expect("the job ends");
        assert_eq!(freed, 7);
        assert!(!queue.is_busy(7));
        assert!(queue.start(7, async {}), "the key takes a new job");
    }

    #[tokio::test]
    async fn one_job_per_key_at_a_time() {
        let mut queue: DueQueue<u64> = DueQueue::new("test");
        let (release, wait) = tokio::sync::oneshot::channel::<()>();
        assert!(queue.start(1, async {
            let _ = wait.await;
        }));
        assert!(!queue.start(1, async {}), "busy");
        queue.plan(1, at(0));
        assert!(
            queue.take_due(at(1)).is_empty(),
            "a busy key is not handed out"
        );
        let _ = release.send(());
        tokio::time::timeout(Duration::from_secs(5), queue.drain())
            .await
            .expect("drains");
        assert!(queue.start(1, async {}));
    }
}

/// The longest wait before a key whose job failed on the database is tried again.
pub const SETBACK_CAP: std::time::Duration = std::time::Duration::from_secs(60);

/// Keys whose last job or planning failed on the database (a lost connection, a server
/// restarting), with how many times in a row and when to try again. A task plans such a key
/// again after a growing wait of at most [`SETBACK_CAP`] instead of dropping it until the next
/// start, so what is owed is still delivered once the database answers again. Running a job
/// again is safe: each reads what is already done before doing anything.
#[derive(Debug)]
pub struct Setbacks<K>(std::sync::Arc<std::sync::Mutex<HashMap<K, (u32, Timestamp)>>>);

impl<K> Clone for Setbacks<K> {
    fn clone(&self) -> Self {
        Setbacks(self.0.clone())
    }
}

impl<K> Default for Setbacks<K> {
    fn default() -> Self {
        Setbacks(std::sync::Arc::default())
    }
}

impl<K: Copy + Eq + Hash> Setbacks<K> {
    /// Records a failure of `key` at `now`; returns when to try it again.
    pub fn failed(&self, key: K, now: Timestamp) -> Timestamp {
        let Ok(mut failures) = self.0.lock() else {
            return now;
        };
        let attempt = failures.get(&key).map_or(0, |(count, _)| *count);
        let wait = crate::retry::backoff(attempt, SETBACK_CAP, &mut rand::rng());
        let wait = jiff::SignedDuration::try_from(wait).unwrap_or(jiff::SignedDuration::MAX);
        let at = now.saturating_add(wait).unwrap_or(Timestamp::MAX);
        failures.insert(key, (attempt.saturating_add(1), at));
        at
    }

    /// Forgets `key`'s failures (its last job succeeded).
    pub fn cleared(&self, key: K) {
        if let Ok(mut failures) = self.0.lock() {
            failures.remove(&key);
        }
    }

    /// When to try `key` again, if its last attempt failed.
    pub fn retry_at(&self, key: K) -> Option<Timestamp> {
        self.0
            .lock()
            .ok()
            .and_then(|failures| failures.get(&key).map(|(_, at)| *at))
    }
}
