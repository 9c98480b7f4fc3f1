//! paas's deploy policy on top of the Kubernetes primitives: the `up` pipeline (build → push →
//! apply → wait), release records and the deploy lock, and the commands that keep an app
//! running (status, history, scale, rollback, down).

pub mod apply;
pub mod backup;
pub mod components;
pub mod diff;
pub mod down;
pub mod events;
pub mod history;
pub mod interrupt;
pub mod lock;
pub mod major;
pub mod pipeline;
pub mod promote;
pub mod release;
pub mod remove;
pub mod rollback;
pub mod scale;
pub mod secrets;
pub mod status;
