//! A request to stop (Ctrl-C), seen by every stage of a deploy.
//!
//! Once [`Interrupt::on_ctrl_c`] listens, Ctrl-C no longer kills the process: each stage
//! decides what stopping means. A build or push is abandoned (dropping the request makes the
//! engine cancel it) and nothing reaches the cluster; applying is never cut in half; a wait
//! stops and leaves what was applied.

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};

use tokio::sync::Notify;

/// Shared by every clone; requested once, requested for good.
#[derive(Debug, Clone, Default)]
pub struct Interrupt {
    state: Arc<State>,
}

#[derive(Debug, Default)]
struct State {
    requested: AtomicBool,
    notify: Notify,
}

impl Interrupt {
    /// An interrupt nobody requests until [`Interrupt::request`].
    #[must_use]
    pub fn new() -> Self {
        Self::default()
    }

    /// Listens for Ctrl-C (SIGINT) from now on. Needs a Tokio runtime.
    #[must_use]
    pub fn on_ctrl_c() -> Self {
        let interrupt = Self::new();
        let listener = interrupt.clone();
        tokio::spawn(async move {
            if tokio::signal::ctrl_c().await.is_ok() {
                listener.request();
            }
        });
        interrupt
    }

    /// Asks every stage to stop.
    pub fn request(&self) {
        self.state.requested.store(true, Ordering::SeqCst);
        self.state.notify.notify_waiters();
    }

    /// Returns whether stopping was asked for.
    #[must_use]
    pub fn requested(&self) -> bool {
        self.state.requested.load(Ordering::SeqCst)
    }

    /// Resolves when stopping is asked for (at once if it was).
    pub async fn wait(&self) {
        loop {
            let notified = self.state.notify.notified();
            if self.requested() {
                return;
            }
            notified.await;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn a_request_reaches_waiters_before_and_after() {
        let interrupt = Interrupt::new();
        let waiter = interrupt.clone();
        let task = tokio::spawn(async move { waiter.wait().await });
        tokio::task::yield_now().await;
        assert!(!interrupt.requested());
        interrupt.request();
        task.await.unwrap();
        // Later waiters return at once.
        interrupt.wait().await;
        assert!(interrupt.requested());
    }
}
