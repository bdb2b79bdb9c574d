//! The content the bot answers with right now, and how it is reloaded.
//!
//! One value owns the loaded content and where it came from, so the commands, the scheduler,
//! the keeper and the signal handler all hold the same thing and reload it the same way. A
//! reload swaps the content atomically: whoever took a snapshot before keeps answering from
//! it, whoever asks next gets the new one.

use std::fmt;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use arc_swap::ArcSwap;
use tracing::info;

use crate::content::Content;
use crate::diag::Diagnostics;

/// Where content comes from: the copy compiled into the binary, or a folder.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Origin {
    Bundled,
    Folder(PathBuf),
}

impl Origin {
    /// Where content comes from: `[content] dir`, or the bundled copy when it is unset.
    pub fn of(dir: Option<&Path>) -> Origin {
        dir.map_or(Origin::Bundled, |dir| Origin::Folder(dir.to_path_buf()))
    }

    /// A short label, for logs and `bridgebot check`: "bundled" or the folder.
    pub fn label(&self) -> String {
        match self {
            Origin::Bundled => "bundled".into(),
            Origin::Folder(dir) => dir.display().to_string(),
        }
    }
}

/// In a sentence: "the bundled copy", or the folder.
impl fmt::Display for Origin {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Origin::Bundled => f.write_str("the bundled copy"),
            Origin::Folder(dir) => write!(f, "{}", dir.display()),
        }
    }
}

/// What a successful reload loaded.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Reloaded {
    pub from: String,
    pub contrasts: usize,
    pub traits: usize,
    pub tips: usize,
}

/// The content in use, swapped as a whole on reload.
#[derive(Debug)]
pub struct LiveContent {
    current: ArcSwap<Content>,
    origin: Origin,
    /// Counts reloads asked of this process (`/admin reload`, SIGHUP), for passing them on to
    /// the bot's other processes.
    asked: tokio::sync::watch::Sender<u64>,
}

/// Loads content from `origin` and checks that every answer built from it fits Discord's
/// limits.
pub fn load(origin: &Origin) -> Result<Content, Diagnostics> {
    let dir = match origin {
        Origin::Bundled => None,
        Origin::Folder(dir) => Some(dir.as_path()),
    };
    let content = Content::load(dir)?;
    crate::reply::layout::validate(&content)?;
    Ok(content)
}

impl LiveContent {
    /// Loads the content in `dir`, or the bundled copy.
    pub fn load(dir: Option<&Path>) -> Result<LiveContent, Diagnostics> {
        let origin = Origin::of(dir);
        let content = load(&origin)?;
        Ok(LiveContent::new(content, origin))
    }

    /// Content already loaded from `origin`.
    pub fn new(content: Content, origin: Origin) -> LiveContent {
        LiveContent {
            current: ArcSwap::from_pointee(content),
            origin,
            asked: tokio::sync::watch::Sender::new(0),
        }
    }

    /// The bundled content, for tests and previews.
    pub fn bundled() -> Result<LiveContent, Diagnostics> {
        LiveContent::load(None)
    }

    /// The content as loaded now; a reload swaps it without disturbing readers.
    pub fn get(&self) -> Arc<Content> {
        self.current.load_full()
    }

    pub fn origin(&self) -> &Origin {
        &self.origin
    }

    /// Loads the content again from where it came from and swaps it in. On any problem the
    /// running content stays as it was and every problem is returned. Whether it worked or
    /// not, the bot's other processes are told to reload too (see [`LiveContent::asked`]):
    /// each reports its own problems.
    pub fn reload(&self) -> Result<Reloaded, Diagnostics> {
        self.asked.send_modify(|n| *n += 1);
        self.reload_here()
    }

    /// Reloads in this process only: for a reload another process passed on.
    pub fn reload_here(&self) -> Result<Reloaded, Diagnostics> {
        let content = load(&self.origin)?;
        let reloaded = Reloaded {
            from: self.origin.to_string(),
            contrasts: content.contrasts.len(),
            traits: content.traits.len(),
            tips: content.tips.len(),
        };
        self.current.store(Arc::new(content));
        info!(from = %reloaded.from, tips = reloaded.tips, "content reloaded");
        Ok(reloaded)
    }

    /// Changes each time a reload is asked of this process.
    pub fn asked(&self) -> tokio::sync::watch::Receiver<u64> {
        self.asked.subscribe()
    }

    /// Replaces the content with `content` (tests that change content under a running bot).
    pub fn replace(&self, content: Content) {
        self.current.store(Arc::new(content));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_reload_swaps_the_content_and_keeps_old_snapshots() {
        let live = LiveContent::bundled().expect("content");
        let before = live.get();
        let reloaded = live.reload().expect("reloads");
        assert_eq!(reloaded.from, "the bundled copy");
        assert_eq!(reloaded.tips, before.tips.len());
        assert!(
            !Arc::ptr_eq(&before, &live.get()),
            "a new snapshot after the reload"
        );
    }

    #[test]
    fn a_folder_that_breaks_keeps_the_running_content() {
        let dir = tempfile::tempdir().expect("temp dir");
        for file in crate::content::bundled_files() {
            std::fs::write(dir.path().join(&file.name), &file.text).expect("write");
        }
        let live = LiveContent::load(Some(dir.path())).expect("loads");
        let before = live.get();
        std::fs::write(dir.path().join("tips.toml"), "[[tip]]\nid = 3\n").expect("write");
        let problems = live.reload().expect_err("broken");
        assert!(problems.to_string().contains("tips.toml"), "{problems}");
        assert!(Arc::ptr_eq(&before, &live.get()), "the content stayed");
    }
}
