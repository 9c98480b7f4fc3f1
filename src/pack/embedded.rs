//! The repository's `packs/` folder, compiled into the binary.

use include_dir::{Dir, include_dir};

/// Every bundled pack, plus `_standard/` (the standard manifests).
pub(crate) static PACKS: Dir<'static> = include_dir!("$CARGO_MANIFEST_DIR/packs");
