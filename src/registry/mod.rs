//! Image references, registry credentials from the Docker config, pushing and reading digests.
//!
//! Not yet wired to a command: `paas up` will use it.
