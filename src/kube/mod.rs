//! Kubernetes primitives: the client, rollout status and the diagnosis of failing pods.
//!
//! Not yet wired to a command: `paas up` will use it.
