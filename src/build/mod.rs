//! Building images through the Docker Engine API (bollard), from a build context filtered on
//! the client with Docker's `.dockerignore` semantics.
//!
//! Not yet wired to a command: `paas up` will use it.

pub mod context;
