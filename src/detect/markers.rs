//! Marker detection for packs without a built-in detector (company packs).
//!
//! A marker is a path relative to the project root whose file name may hold `*` (any run
//! of characters) and `?` (one character) wildcards: `pom.xml`, `*.war`, `deploy/app.yaml`.
//! The pack matches when any marker names an existing file or folder. Markers are checked
//! directly on the filesystem (they name precise places), not through the walk: a marker
//! inside an ignored folder still counts. Markers that leave the root (`..`, absolute
//! paths) or put wildcards in folder names never match.

use std::path::Path;

use super::{Evidence, Found, Outcome};

/// Describes the markers, for `looked_for` and errors.
pub(crate) fn looked_for(markers: &[String]) -> String {
    if markers.is_empty() {
        return "nothing (no detector and no markers)".to_owned();
    }
    format!("any of {}", list(markers))
}

fn list(markers: &[String]) -> String {
    let list: Vec<String> = markers.iter().map(|marker| format!("`{marker}`")).collect();
    list.join(", ")
}

/// Runs marker detection for `pack`.
pub(crate) fn detect(root: &Path, pack: &str, markers: &[String]) -> Outcome {
    let mut evidence = Vec::new();
    let mut first_marker = None;
    for marker in markers {
        let found = matches(root, marker);
        if !found.is_empty() && first_marker.is_none() {
            first_marker = Some(marker.clone());
        }
        for path in found {
            evidence.push(Evidence::new(
                path,
                format!("marker `{marker}` of pack `{pack}`"),
            ));
        }
    }
    match first_marker {
        Some(marker) => Outcome::Found(Found {
            summary: format!("`{pack}` project (marker `{marker}`)"),
            evidence,
            values: std::collections::BTreeMap::new(),
            app_name: None,
            project: None,
            jexus_site_config: false,
            warnings: Vec::new(),
        }),
        None => Outcome::NotFound {
            reason: format!("found none of its markers: {}", list(markers)),
        },
    }
}

/// Returns the relative paths matching one marker, sorted.
fn matches(root: &Path, marker: &str) -> Vec<String> {
    let marker = marker.trim().trim_start_matches("./");
    if marker.is_empty() || marker.starts_with('/') || marker.contains('\\') {
        return Vec::new();
    }
    let (dir, pattern) = marker.rsplit_once('/').unwrap_or(("", marker));
    if dir
        .split('/')
        .any(|part| part == ".." || part == "." || part.contains(['*', '?']))
        || pattern.is_empty()
        || pattern == ".."
    {
        return Vec::new();
    }
    let prefix = if dir.is_empty() {
        String::new()
    } else {
        format!("{dir}/")
    };
    if !pattern.contains(['*', '?']) {
        return if fs_err::symlink_metadata(root.join(marker)).is_ok() {
            vec![format!("{prefix}{pattern}")]
        } else {
            Vec::new()
        };
    }
    let Ok(entries) = fs_err::read_dir(root.join(dir)) else {
        return Vec::new();
    };
    let mut found: Vec<String> = entries
        .filter_map(Result::ok)
        .filter_map(|entry| entry.file_name().to_str().map(str::to_owned))
        .filter(|name| glob(pattern.as_bytes(), name.as_bytes()))
        .map(|name| format!("{prefix}{name}"))
        .collect();
    found.sort();
    found
}

/// Matches a file name against a pattern with `*` and `?`.
fn glob(pattern: &[u8], name: &[u8]) -> bool {
    let (mut p, mut n) = (0, 0);
    let mut star: Option<(usize, usize)> = None;
    while n < name.len() {
        if p < pattern.len() && (pattern[p] == b'?' || pattern[p] == name[n]) {
            p += 1;
            n += 1;
        } else if p < pattern.len() && pattern[p] == b'*' {
            star = Some((p, n));
            p += 1;
        } else if let Some((star_p, star_n)) = star {
            p = star_p + 1;
            n = star_n + 1;
            star = Some((star_p, star_n + 1));
        } else {
            return false;
        }
    }
    pattern[p..].iter().all(|c| *c == b'*')
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn globs_file_names() {
        assert!(glob(b"*.war", b"shop.war"));
        assert!(glob(b"pom.xml", b"pom.xml"));
        assert!(glob(b"app-?.yaml", b"app-1.yaml"));
        assert!(glob(b"*", b"anything"));
        assert!(glob(b"a*b*c", b"aXbYc"));
        assert!(!glob(b"*.war", b"shop.jar"));
        assert!(!glob(b"app-?.yaml", b"app-12.yaml"));
    }

    #[test]
    fn finds_markers_and_refuses_to_leave_the_root() {
        let dir = tempfile::tempdir().expect("tempdir");
        fs_err::create_dir_all(dir.path().join("deploy")).expect("mkdir");
        fs_err::write(dir.path().join("deploy/b.war"), "").expect("write");
        fs_err::write(dir.path().join("deploy/a.war"), "").expect("write");
        fs_err::write(dir.path().join("pom.xml"), "").expect("write");
        assert_eq!(
            matches(dir.path(), "deploy/*.war"),
            ["deploy/a.war", "deploy/b.war"]
        );
        assert_eq!(matches(dir.path(), "./pom.xml"), ["pom.xml"]);
        assert!(matches(dir.path(), "missing/*.war").is_empty());
        assert!(matches(dir.path(), "../pom.xml").is_empty());
        assert!(matches(dir.path(), "*/b.war").is_empty());
        assert_eq!(
            looked_for(&["pom.xml".to_owned(), "*.war".to_owned()]),
            "any of `pom.xml`, `*.war`"
        );
    }
}
