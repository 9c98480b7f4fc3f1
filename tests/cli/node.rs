//! Node.js projects on the nginx pack: what `detect` reads (build tool, output folder, Node.js
//! line, package manager, workspace app), every file `init` writes, and the build stage
//! checked without a node image: hadolint, every `COPY` source present in the fixture, and
//! the install and build commands run with the machine's own Node.js.

use std::collections::BTreeMap;
use std::path::Path;
use std::process::Command;

use crate::paas_snapshot;
use crate::support::TestEnv;

/// Fixtures `init` turns into a build stage, with the extra arguments each needs.
const BUILT: &[(&str, &[&str])] = &[
    ("node-vite-outdir", &[]),
    ("node-pnpm-workspace", &["--project", "apps/web"]),
    ("node-docusaurus-berry", &[]),
    ("nextjs-export", &[]),
    ("astro-site", &[]),
    ("sveltekit-static", &[]),
    ("vitepress-docs", &[]),
    ("eleventy-blog", &[]),
    ("gatsby-site", &[]),
    ("node-nx", &[]),
    ("node-turbo", &["--project", "docs"]),
    ("node-webpack4", &[]),
    ("node-nolock", &[]),
    ("spa-angular", &[]),
    ("spa-cra", &[]),
];

/// Fixtures paas refuses or cannot settle alone, with the exit code.
const REFUSED: &[(&str, i32)] = &[
    ("nextjs-server", 1),
    ("node-two-locks", 1),
    ("node-pnpm-workspace", 2),
    ("node-turbo", 2),
];

fn snapshot_name(fixture: &str, args: &[&str]) -> String {
    if args.is_empty() {
        fixture.to_owned()
    } else {
        format!("{fixture}_{}", args.last().unwrap_or(&"").replace('/', "_"))
    }
}

fn init(env: &TestEnv, args: &[&str]) -> std::process::Output {
    env.paas()
        .args(["init", "--yes", "--registry", "registry.example.com/team"])
        .args(args)
        .output()
        .expect("paas runs")
}

/// The files `init` adds: the tree after minus the tree before.
fn written(env: &TestEnv, before: &[(String, String)]) -> BTreeMap<String, String> {
    env.tree()
        .into_iter()
        .filter(|file| !before.contains(file))
        .collect()
}

#[test]
fn node_fixtures_detect_and_init() {
    for (fixture, args) in BUILT {
        let name = snapshot_name(fixture, args);
        let env = TestEnv::fixture(fixture);
        let mut detect = env.paas();
        detect.arg("detect").args(*args);
        let output = paas_snapshot!(env, &mut detect, format!("node_detect_{name}"));
        assert!(output.status.success(), "{name}");
        let before = env.tree();
        let mut command = env.paas();
        command
            .args(["init", "--yes", "--registry", "registry.example.com/team"])
            .args(*args);
        let output = paas_snapshot!(env, &mut command, format!("node_init_{name}"));
        assert!(output.status.success(), "{name}");
        for (path, text) in written(&env, &before) {
            if path == "Dockerfile" || path == ".dockerignore" || path == "paas.toml" {
                insta::assert_snapshot!(format!("node_init_{name}__{path}"), text);
            }
        }
    }
}

#[test]
fn node_refusals_name_the_change_to_make() {
    for (fixture, code) in REFUSED {
        let env = TestEnv::fixture(fixture);
        let before = env.tree();
        let output = paas_snapshot!(
            env,
            env.paas().args(["init", "--yes", "--name", "app"]),
            format!("node_refused_{fixture}")
        );
        assert_eq!(output.status.code(), Some(*code), "{fixture}");
        assert_eq!(env.tree(), before, "{fixture}: nothing written");
    }
}

/// The `COPY` sources of the build stage (the stage before the first `FROM` of nginx).
fn build_stage_copies(dockerfile: &str) -> Vec<String> {
    let stage = dockerfile.split("\nFROM ").nth(1).unwrap_or_default();
    let mut sources = Vec::new();
    for line in stage.lines() {
        let Some(rest) = line.strip_prefix("COPY ") else {
            continue;
        };
        let words: Vec<&str> = rest.split_whitespace().collect();
        if let Some((_, from)) = words.split_last() {
            sources.extend(from.iter().map(|word| (*word).to_owned()));
        }
    }
    sources
}

#[test]
fn every_build_stage_copy_source_is_in_the_fixture_and_hadolint_passes() {
    for (fixture, args) in BUILT {
        let env = TestEnv::fixture(fixture);
        let output = init(&env, args);
        assert!(
            output.status.success(),
            "{fixture}: {}",
            String::from_utf8_lossy(&output.stderr)
        );
        let dockerfile = env.read("Dockerfile");
        let sources = build_stage_copies(&dockerfile);
        assert!(
            sources.iter().any(|source| source == "package.json"),
            "{fixture}: {sources:?}"
        );
        for source in &sources {
            let path = env.project.join(source.trim_end_matches('/'));
            assert!(
                path.exists(),
                "{fixture}: `COPY {source}` but the fixture has no such file\n{dockerfile}"
            );
            if source.ends_with('/') {
                assert!(path.is_dir(), "{fixture}: `{source}` is not a folder");
            }
        }
        crate::lint::lint(&env, fixture);
    }
}

/// npm's download cache, outside the repository, shared between runs.
fn npm_cache() -> std::path::PathBuf {
    let home = std::env::var_os("HOME").map_or_else(|| Path::new("/tmp").to_path_buf(), Into::into);
    home.join(".cache/paas-test/npm")
}

fn node_available() -> bool {
    let found = ["node", "npm"].iter().all(|tool| {
        Command::new(tool)
            .arg("--version")
            .output()
            .is_ok_and(|output| output.status.success())
    });
    if !found {
        assert!(
            std::env::var_os("PAAS_TEST_REQUIRE_TOOLS").is_none(),
            "node and npm are required (PAAS_TEST_REQUIRE_TOOLS is set) but not on PATH"
        );
        skipped("skipped: needs node and npm on PATH to run the build stage's commands");
    }
    found
}

#[expect(
    clippy::print_stderr,
    reason = "the one line that says a test was skipped"
)]
fn skipped(message: &str) {
    eprintln!("{message}");
}

/// Runs the `RUN` lines of the build stage in the project, as the Dockerfile would after
/// each `COPY`, with the machine's node: the folder the nginx stage copies then holds the site.
#[test]
fn vite_build_stage_commands_write_the_folder_nginx_copies() {
    if !node_available() {
        return;
    }
    let env = TestEnv::fixture("node-vite-outdir");
    let output = init(&env, &[]);
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let dockerfile = env.read("Dockerfile");
    let stage = dockerfile.split("\nFROM ").nth(1).expect("a build stage");
    let runs: Vec<&str> = stage
        .lines()
        .filter_map(|line| line.strip_prefix("RUN "))
        .collect();
    assert_eq!(
        runs,
        ["npm ci --no-audit --no-fund", "npm run build"],
        "{dockerfile}"
    );
    for run in runs {
        let status = Command::new("sh")
            .args(["-c", run])
            .current_dir(&env.project)
            .env("npm_config_cache", npm_cache())
            .env("npm_config_update_notifier", "false")
            .output()
            .expect("sh runs");
        assert!(
            status.status.success(),
            "`{run}` failed:\n{}{}",
            String::from_utf8_lossy(&status.stdout),
            String::from_utf8_lossy(&status.stderr)
        );
    }
    let copied = dockerfile
        .lines()
        .find_map(|line| line.strip_prefix("COPY --from=build [\"/src/"))
        .and_then(|rest| rest.split('"').next())
        .expect("the nginx stage copies the build output");
    assert_eq!(copied, "www/", "the folder vite.config.js names");
    let index = env.project.join(copied).join("index.html");
    assert!(index.is_file(), "{} is missing", index.display());
}
