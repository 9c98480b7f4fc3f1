//! `paas detect` on every fixture project: text, JSON and the errors.

use crate::paas_snapshot;
use crate::support::TestEnv;

pub(crate) const FIXTURES: [&str; 11] = [
    "dotnet-web",
    "dotnet-sln",
    "aspnet-webforms",
    "jexus-core",
    "static-dist",
    "spa-vite",
    "dotnet-two-web",
    "static-multipage",
    "jekyll-blog",
    "hugo-site",
    "mkdocs-docs",
];

#[test]
fn detect_every_fixture() {
    for fixture in FIXTURES {
        let env = TestEnv::fixture(fixture);
        let output = paas_snapshot!(
            env,
            &mut env.paas().arg("detect"),
            format!("detect_{fixture}")
        );
        let json = env
            .paas()
            .args(["detect", "--output", "json"])
            .output()
            .expect("runs");
        if fixture == "dotnet-two-web" {
            assert_eq!(output.status.code(), Some(2), "ambiguous is a usage error");
            assert!(json.stdout.is_empty());
            continue;
        }
        assert!(output.status.success(), "{fixture}");
        let value: serde_json::Value =
            serde_json::from_slice(&json.stdout).expect("detect --output json is JSON");
        assert!(
            value["pack"].is_string() && value["evidence"].is_array(),
            "{fixture}: {value}"
        );
    }
}

#[test]
fn detect_json_dotnet_sln() {
    let env = TestEnv::fixture("dotnet-sln");
    let output = env
        .paas()
        .args(["detect", "--output", "json"])
        .output()
        .expect("runs");
    let value: serde_json::Value = serde_json::from_slice(&output.stdout).expect("json");
    insta::assert_json_snapshot!("detect_json_dotnet_sln", value);
}

#[test]
fn ambiguous_projects_resolved_with_project_flag() {
    let env = TestEnv::fixture("dotnet-two-web");
    let output = env
        .paas()
        .args(["detect", "--output", "json"])
        .output()
        .expect("runs");
    assert_eq!(output.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(stderr.contains("--project"), "{stderr}");
    let hint = stderr
        .lines()
        .find(|l| l.starts_with("hint:"))
        .expect("a hint");
    let project = hint
        .split('`')
        .nth(1)
        .expect("flag in backticks")
        .trim_start_matches("--project ")
        .to_owned();
    let output = env
        .paas()
        .args(["detect", "--output", "json", "--project", &project])
        .output()
        .expect("runs");
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let value: serde_json::Value = serde_json::from_slice(&output.stdout).expect("json");
    assert_eq!(value["values"]["project"], project.as_str());
}

#[test]
fn generator_sources_without_their_versions_are_refused() {
    let env = TestEnv::fixture("jekyll-pages");
    let output = paas_snapshot!(env, &mut env.paas().arg("detect"), "detect_jekyll-pages");
    assert_eq!(output.status.code(), Some(1));
    let before = env.tree();
    let output = env
        .paas()
        .args(["init", "--yes", "--registry", "registry.example.com/team"])
        .output()
        .expect("runs");
    assert_eq!(output.status.code(), Some(1), "init refuses too");
    assert_eq!(env.tree(), before, "nothing written");
}

#[test]
fn empty_folder_lists_what_was_looked_for() {
    let env = TestEnv::named("empty");
    let output = paas_snapshot!(env, &mut env.paas().arg("detect"), "detect_empty");
    assert_eq!(output.status.code(), Some(1));
    assert!(output.stdout.is_empty());
}

#[test]
fn a_site_one_folder_down_is_named_in_the_hint() {
    // A repository whose site lives in `frontend/` (a Java or PHP project beside it).
    let env = TestEnv::named("repo");
    env.write("pom.xml", "<project/>");
    env.write(
        "frontend/package.json",
        r#"{"name":"site","scripts":{"build":"vite build"},"devDependencies":{"vite":"5.4.0"}}"#,
    );
    let output = paas_snapshot!(env, &mut env.paas().arg("detect"), "detect_site_below");
    assert_eq!(output.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        stderr.contains("`frontend/package.json` (run `paas init frontend`)"),
        "{stderr}"
    );
}

#[test]
fn forced_pack_and_unknown_pack() {
    let env = TestEnv::fixture("static-dist");
    let output = paas_snapshot!(
        env,
        env.paas().args(["detect", "--pack", "rails"]),
        "detect_unknown_pack"
    );
    assert_eq!(output.status.code(), Some(2));
    let output = paas_snapshot!(
        env,
        env.paas().args(["detect", "--pack", "dotnet"]),
        "detect_pack_mismatch"
    );
    assert_eq!(output.status.code(), Some(1));
}

#[test]
fn node_modules_and_git_are_never_walked() {
    let env = TestEnv::named("site");
    env.write("public/index.html", "<h1>hi</h1>\n");
    env.write(
        "node_modules/x/Web/Web.csproj",
        "<Project Sdk=\"Microsoft.NET.Sdk.Web\"></Project>\n",
    );
    env.write(
        ".git/Web.csproj",
        "<Project Sdk=\"Microsoft.NET.Sdk.Web\"></Project>\n",
    );
    env.write(
        "bin/Web.csproj",
        "<Project Sdk=\"Microsoft.NET.Sdk.Web\"></Project>\n",
    );
    let output = env
        .paas()
        .args(["detect", "--output", "json"])
        .output()
        .expect("runs");
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let value: serde_json::Value = serde_json::from_slice(&output.stdout).expect("json");
    assert_eq!(value["pack"], "nginx");
    assert_eq!(value["alternatives"], serde_json::json!([]));
}

/// The .NET fixtures of the framework and build-stage classes: several `TargetFrameworks`,
/// a framework set through `Directory.Build.props` and an import, one that cannot be
/// evaluated, one out of support, and a web app whose publish runs npm.
pub(crate) const DOTNET_FIXTURES: [&str; 5] = [
    "dotnet-multi-tfm",
    "dotnet-props",
    "dotnet-no-tfm",
    "dotnet-eol",
    "dotnet-spa",
];

#[test]
fn detect_dotnet_frameworks_and_spa() {
    for fixture in DOTNET_FIXTURES {
        let env = TestEnv::fixture(fixture);
        let output = paas_snapshot!(
            env,
            &mut env.paas().arg("detect"),
            format!("detect_{fixture}")
        );
        assert!(output.status.success(), "{fixture}");
        let json = env
            .paas()
            .args(["detect", "--output", "json"])
            .output()
            .expect("runs");
        let value: serde_json::Value =
            serde_json::from_slice(&json.stdout).expect("detect --output json is JSON");
        let warned = value["warnings"]
            .as_array()
            .is_some_and(|warnings| !warnings.is_empty());
        // Only a framework that cannot be found or is out of support is a warning.
        assert_eq!(
            warned,
            matches!(fixture, "dotnet-no-tfm" | "dotnet-eol"),
            "{fixture}: {value}"
        );
    }
}

#[test]
fn detect_in_a_subfolder_names_the_files_outside_it() {
    let env = TestEnv::fixture("dotnet-subfolder");
    let output = paas_snapshot!(
        env,
        &mut env.paas().args(["detect", "app"]),
        "detect_dotnet-subfolder_app"
    );
    assert!(output.status.success());
    // What the warning suggests works, and warns no more.
    let output = paas_snapshot!(
        env,
        &mut env
            .paas()
            .args(["detect", "--project", "app/Web/Web.csproj"]),
        "detect_dotnet-subfolder_root"
    );
    assert!(output.status.success());
    assert!(!String::from_utf8_lossy(&output.stdout).contains("warning"));
}
