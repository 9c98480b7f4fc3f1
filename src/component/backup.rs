//! What a component's dump is, told from its first bytes, and the small formats around a backup
//! file: its default name, its checksum file (`sha256sum` format, beside the dump) and the number
//! a verification prints. The catalog's [`BackupSpec`] says how each kind dumps and restores;
//! running it is [`crate::deploy::backup`].

use std::fmt::Write as _;

use k8s_openapi::jiff::Timestamp;

use super::catalog::{BackupSpec, Catalog, Kind};

/// How many bytes of a file are read to tell what kind of dump it is.
pub const HEAD_LEN: usize = 16;

/// Why a file is not a dump the component can take.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum DumpError {
    /// The file is a dump of another kind.
    #[error("`{file}` is {found}, not {expected}")]
    WrongKind {
        /// The file.
        file: String,
        /// What it is (the other kind's format).
        found: String,
        /// What the component takes.
        expected: String,
    },
    /// The file is no dump paas knows.
    #[error("`{file}` is not {expected}: it does not start as one")]
    NotADump {
        /// The file.
        file: String,
        /// What the component takes.
        expected: String,
    },
}

/// Returns the magic bytes of a spec (`magic` is hex; the catalog checks it on load).
#[must_use]
pub fn magic(spec: &BackupSpec) -> Vec<u8> {
    (0..spec.magic.len() / 2)
        .filter_map(|i| u8::from_str_radix(spec.magic.get(2 * i..2 * i + 2)?, 16).ok())
        .collect()
}

/// Whether `magic` is a valid `magic` value: non-empty hex, two digits a byte, at most
/// [`HEAD_LEN`] bytes.
#[must_use]
pub fn valid_magic(magic: &str) -> bool {
    !magic.is_empty()
        && magic.len().is_multiple_of(2)
        && magic.len() <= 2 * HEAD_LEN
        && magic.bytes().all(|b| b.is_ascii_hexdigit())
}

/// Checks that `head` (the first bytes of `file`) starts a dump of `kind`; when it does not, the
/// error names the kind whose dump it is, if any.
pub fn check_head(
    head: &[u8],
    file: &str,
    kind: &Kind,
    catalog: &Catalog,
) -> Result<(), DumpError> {
    let Some(spec) = &kind.manifest.backup else {
        return Ok(());
    };
    if head.starts_with(&magic(spec)) {
        return Ok(());
    }
    let other = catalog.kinds().iter().find_map(|k| {
        k.manifest
            .backup
            .as_ref()
            .filter(|s| head.starts_with(&magic(s)))
    });
    Err(match other {
        Some(found) => DumpError::WrongKind {
            file: file.to_owned(),
            found: found.format.clone(),
            expected: spec.format.clone(),
        },
        None => DumpError::NotADump {
            file: file.to_owned(),
            expected: spec.format.clone(),
        },
    })
}

/// The default file of a backup: `<app>-<name>-<UTC time>.<extension>` (`shop-db-20261202T150405Z.pgdump`).
#[must_use]
pub fn default_file(app: &str, name: &str, spec: &BackupSpec, now: Timestamp) -> String {
    let time = now.strftime("%Y%m%dT%H%M%SZ");
    format!("{app}-{name}-{time}.{}", spec.extension)
}

/// The checksum file of `file`: `<file>.sha256`.
#[must_use]
pub fn checksum_path(file: &std::path::Path) -> std::path::PathBuf {
    let mut name = file.as_os_str().to_owned();
    name.push(".sha256");
    std::path::PathBuf::from(name)
}

/// The line of a checksum file, as `sha256sum` writes it (`sha256sum -c` checks it).
#[must_use]
pub fn checksum_line(sha256: &[u8], file_name: &str) -> String {
    let mut line = hex(sha256);
    let _ = writeln!(line, "  {file_name}");
    line
}

/// The digest a checksum file holds (its first word, 64 hex digits), lower-case.
#[must_use]
pub fn parse_checksum(text: &str) -> Option<String> {
    let word = text.split_whitespace().next()?;
    (word.len() == 64 && word.bytes().all(|b| b.is_ascii_hexdigit()))
        .then(|| word.to_ascii_lowercase())
}

/// The number a verification script printed (its last non-empty line; `(integer) 3` as
/// redis-cli prints it on a terminal is read too).
#[must_use]
pub fn parse_count(output: &str) -> Option<u64> {
    let line = output.lines().rev().find(|l| !l.trim().is_empty())?;
    line.trim()
        .trim_start_matches("(integer)")
        .trim()
        .parse()
        .ok()
}

/// Lower-case hex.
#[must_use]
pub fn hex(bytes: &[u8]) -> String {
    bytes.iter().fold(String::new(), |mut out, b| {
        let _ = write!(out, "{b:02x}");
        out
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn catalog() -> Catalog {
        Catalog::load(&[]).expect("the bundled catalog")
    }

    #[test]
    fn every_bundled_kind_has_a_backup_with_a_valid_magic() {
        let catalog = catalog();
        for kind in catalog.kinds() {
            let spec = kind.manifest.backup.as_ref().expect("a backup");
            assert!(valid_magic(&spec.magic), "{}", kind.manifest.kind);
            assert!(!magic(spec).is_empty());
        }
        let redis = catalog.get("redis").expect("redis");
        assert_eq!(
            magic(redis.manifest.backup.as_ref().expect("spec")),
            b"REDIS"
        );
    }

    #[test]
    fn a_dump_is_told_by_its_first_bytes() {
        let catalog = catalog();
        let redis = catalog.get("redis").expect("redis");
        let postgres = catalog.get("postgres").expect("postgres");
        assert_eq!(
            check_head(b"REDIS0011\xfa", "a.rdb", redis, &catalog),
            Ok(())
        );
        assert_eq!(
            check_head(b"PGDMP\x01\x0e", "a.pgdump", postgres, &catalog),
            Ok(())
        );
        assert_eq!(
            check_head(b"PGDMP\x01\x0e", "db.pgdump", redis, &catalog),
            Err(DumpError::WrongKind {
                file: "db.pgdump".into(),
                found: "a PostgreSQL custom-format dump (pg_dump -Fc)".into(),
                expected: "a Redis RDB snapshot (redis-cli --rdb)".into(),
            })
        );
        let mongo = [0x6d, 0xe2, 0x99, 0x81, 0, 0];
        let err = check_head(&mongo, "m.archive", postgres, &catalog).unwrap_err();
        assert!(err.to_string().contains("is a MongoDB archive"), "{err}");
        let err = check_head(b"-- SQL dump\n", "x.sql", postgres, &catalog).unwrap_err();
        assert_eq!(
            err.to_string(),
            "`x.sql` is not a PostgreSQL custom-format dump (pg_dump -Fc): it does not start as one"
        );
        assert!(check_head(b"", "empty", redis, &catalog).is_err());
    }

    #[test]
    fn checksum_files_are_sha256sum_lines() {
        let digest = [0xab_u8; 32];
        let line = checksum_line(&digest, "db.pgdump");
        assert_eq!(line, format!("{}  db.pgdump\n", "ab".repeat(32)));
        assert_eq!(parse_checksum(&line), Some("ab".repeat(32)));
        assert_eq!(parse_checksum("nothing"), None);
        assert_eq!(parse_checksum(""), None);
    }

    #[test]
    fn counts_are_read_from_the_last_line() {
        assert_eq!(parse_count("3\n"), Some(3));
        assert_eq!(parse_count("(integer) 12\n\n"), Some(12));
        assert_eq!(parse_count("warning\n 7 \n"), Some(7));
        assert_eq!(parse_count("ERR"), None);
        assert_eq!(parse_count(""), None);
    }

    #[test]
    fn default_files_are_named_after_the_app_component_and_time() {
        let catalog = catalog();
        let spec = catalog
            .get("postgres")
            .expect("postgres")
            .manifest
            .backup
            .clone()
            .expect("spec");
        let now: Timestamp = "2026-12-02T15:04:05Z".parse().expect("time");
        assert_eq!(
            default_file("shop", "db", &spec, now),
            "shop-db-20261202T150405Z.pgdump"
        );
    }
}
