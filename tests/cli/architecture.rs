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
        "src/scaffold.rs",
        "src/config.rs",
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
