//! The layering the code relies on: domain modules never print and never see clap, the
//! terminal or the commands; only `ui/` writes to the terminal.

use std::path::Path;

fn sources(dir: &Path, out: &mut Vec<(String, String)>) {
    for entry in fs_err::read_dir(dir).expect("src dir") {
        let path = entry.expect("entry").path();
        if path.is_dir() {
            sources(&path, out);
        } else if path.extension().is_some_and(|e| e == "rs") {
            let rel = path
                .strip_prefix(env!("CARGO_MANIFEST_DIR"))
                .expect("inside")
                .display()
                .to_string();
            out.push((rel, fs_err::read_to_string(&path).expect("read")));
        }
    }
}

#[test]
fn domain_modules_never_print_or_see_the_cli() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut files = Vec::new();
    sources(&root, &mut files);
    let domain = [
        "src/detect/",
        "src/pack/",
        "src/build/",
        "src/registry/",
        "src/kube/",
        "src/deploy/",
        "src/manifests.rs",
        "src/labels.rs",
        "src/scaffold.rs",
        "src/config.rs",
        "src/config/",
        "src/names.rs",
        "src/git.rs",
        "src/process.rs",
        "src/redact.rs",
    ];
    let mut problems = Vec::new();
    for (path, text) in &files {
        let before_tests = text.split("#[cfg(test)]").next().unwrap_or_default();
        let code: String = before_tests
            .lines()
            .filter(|line| !line.trim_start().starts_with("//"))
            .collect::<Vec<_>>()
            .join("\n");
        if domain.iter().any(|d| path.starts_with(d)) {
            for banned in [
                "crate::ui",
                "crate::cli",
                "crate::commands",
                "crate::settings",
                "dialoguer",
                "indicatif",
            ] {
                if code.contains(banned) {
                    problems.push(format!("{path} uses `{banned}`"));
                }
            }
        }
        if !path.starts_with("src/ui/") {
            for banned in [
                "println!",
                "eprintln!",
                "print!(",
                "eprint!(",
                "std::io::stdout",
                "std::io::stderr",
            ] {
                if code.contains(banned) {
                    problems.push(format!("{path} writes to the terminal with `{banned}`"));
                }
            }
        }
        if code.contains("std::fs::") {
            problems.push(format!(
                "{path} uses `std::fs` (use `fs_err`, whose errors name the path)"
            ));
        }
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

#[test]
fn main_stays_thin() {
    let main = fs_err::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("src/main.rs"))
        .expect("main.rs");
    assert!(main.lines().count() <= 30, "src/main.rs grew past 30 lines");
}

/// Returns `path:line: text` for each code line (outside tests and comments) of the sources
/// that contains one of `needles`, except in the files under `home`.
fn lines_with(needles: &[&str], home: &[&str]) -> Vec<String> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut files = Vec::new();
    sources(&root, &mut files);
    let mut found = Vec::new();
    for (path, text) in &files {
        if home.iter().any(|h| path.starts_with(h)) {
            continue;
        }
        let before_tests = text.split("#[cfg(test)]").next().unwrap_or_default();
        for (number, line) in before_tests.lines().enumerate() {
            if line.trim_start().starts_with("//") {
                continue;
            }
            if needles.iter().any(|n| line.contains(n)) {
                found.push(format!("{path}:{}: {}", number + 1, line.trim()));
            }
        }
    }
    found
}

#[test]
fn label_keys_live_in_the_labels_module() {
    // Every label key and the selectors built from them come from `src/labels.rs`, so apply,
    // prune, down, logs, scale, the lock and release records agree on what is the app's.
    let found = lines_with(
        &["paas.dev/", "app.kubernetes.io/", "managed-by", "dev.paas."],
        &["src/labels.rs"],
    );
    assert!(
        found.is_empty(),
        "label keys outside `src/labels.rs` (use its constants and selectors):\n{}",
        found.join("\n")
    );
}

#[test]
fn image_references_have_one_parser() {
    // `registry::reference` cuts and normalises references (`ImageRef`, `split`,
    // `registry_of`, `canonical_registry`); code elsewhere that cuts at `@` or at the last `:`,
    // or spells Docker Hub's host, is a second parser that will disagree with it.
    let found = lines_with(
        &[
            "docker.io\"",
            "split('@')",
            "split_once('@')",
            "rsplit_once('@')",
            "rsplit_once(':')",
        ],
        &["src/registry/reference.rs"],
    );
    assert!(
        found.is_empty(),
        "image references cut by hand (use `crate::registry::reference`):\n{}",
        found.join("\n")
    );
}

/// A project's or a pack's files are read through `crate::files`, which refuses links that
/// leave them; the few reads listed here are of the user's own files or of git metadata.
/// Prompts are asked only through `ui/prompt.rs`.
#[test]
fn files_are_read_and_questions_asked_in_one_place() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut files = Vec::new();
    sources(&root, &mut files);
    // (file, why it may read directly)
    let allowed = [
        ("src/files.rs", "the one reader"),
        (
            "src/git.rs",
            "git metadata; a worktree's lives outside the project",
        ),
        ("src/registry/auth.rs", "the user's Docker config"),
        ("src/config.rs", "the user config, anywhere the user names"),
        ("src/settings.rs", "`/etc/hostname` for the lock holder"),
        (
            "src/scaffold.rs",
            "the files it is about to replace, after refusing links on their way",
        ),
        (
            "src/build/context.rs",
            "the archived files, found by a walk that never follows links",
        ),
        (
            "src/deploy/backup.rs",
            "the dump the user names for `paas restore`, anywhere, and its checksum file",
        ),
        (
            "src/local/store.rs",
            "the local target's releases and passwords in the user's state directory",
        ),
        (
            "src/local/proxy.rs",
            "its replicas' file in its own tmpfs, and `/proc/self/maps`",
        ),
        (
            "src/local/deploy.rs",
            "paas's own executable and libraries, for the front door's image",
        ),
    ];
    let mut problems = Vec::new();
    for (path, text) in &files {
        let code = text.split("#[cfg(test)]").next().unwrap_or_default();
        let reads = ["fs_err::read(", "fs_err::read_to_string(", "File::open("]
            .iter()
            .any(|read| code.contains(read));
        if reads && !allowed.iter().any(|(file, _)| path == file) {
            problems.push(format!("{path} reads a file without `crate::files`"));
        }
        if code.contains("dialoguer") && path != "src/ui/prompt.rs" {
            problems.push(format!("{path} asks a question outside `ui/prompt.rs`"));
        }
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}
