//! paas's deploy policy on top of the Kubernetes primitives: release records and the deploy
//! lock (and, next, the pipeline plan → build → push → apply → wait).
//!
//! Not yet wired to a command: `paas up` will use it.

pub mod apply;
pub mod diff;
pub mod history;
pub mod lock;
pub mod pipeline;
pub mod release;
pub mod status;
