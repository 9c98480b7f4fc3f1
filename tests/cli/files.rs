//! Files paas reads from a project (`paas.toml`, the templates under `deploy/`, the
//! Dockerfile, the files detection reads) and from a company pack folder are refused when a
//! symbolic link takes them outside (exit 2, the link and where it leads, a hint), and no
//! error ever shows a line of the file outside. Each case links to a file holding a
//! sentinel line, as a hostile repository could link to `~/.ssh/id_rsa`, and checks that
//! the sentinel appears in no output of any command. Links that stay inside are followed.

use std::os::unix::fs::symlink;
use std::path::PathBuf;

use crate::paas_snapshot;
use crate::support::TestEnv;

/// The line of the file outside the project; no output may contain it.
const SENTINEL: &str = "root:x:0:0:SENTINEL-7f3a9c:/root:/bin/bash";

/// A `passwd`-like file outside the project (beside it, in the test's temp folder), made to
/// look like each format paas parses: TOML, YAML, a template, JSON, a Dockerfile.
fn outside_file(env: &TestEnv, name: &str) -> PathBuf {
    let dir = env.temp.path().join("outside");
    fs_err::create_dir_all(&dir).expect("dir");
    let path = dir.join(name);
    fs_err::write(
        &path,
        format!("{SENTINEL}\n[app]\nname = \"{{{{ broken\"\n{{% if %}}\n{SENTINEL}\n"),
    )
    .expect("write");
    path
}

/// A static site with its files written by `paas init`.
fn project() -> TestEnv {
    let env = TestEnv::fixture("static-dist");
    let output = env
        .paas()
        .args([
            "init",
            "--yes",
            "--name",
            "web",
            "--registry",
            "127.0.0.1:5000/files",
        ])
        .output()
        .expect("runs");
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    env
}

/// Every command that reads the project. The cluster commands reach no cluster: the test
/// environment has no kubeconfig.
const COMMANDS: &[&[&str]] = &[
    &["render"],
    &["diff"],
    &["up"],
    &["up", "--dry-run"],
    &["status"],
    &["history"],
    &["logs"],
    &["scale", "2"],
    &["rollback"],
    &["down"],
    &["detect"],
    &["init", "--yes", "--force"],
];

/// Runs every command in `COMMANDS`; returns (command, exit code) of each, and fails on the
/// first output that shows the sentinel.
fn run_everything(env: &TestEnv) -> Vec<(String, Option<i32>)> {
    let mut codes = Vec::new();
    for args in COMMANDS {
        let output = env.paas().args(*args).output().expect("runs");
        let all = format!(
            "{}{}",
            String::from_utf8_lossy(&output.stdout),
            String::from_utf8_lossy(&output.stderr)
        );
        assert!(
            !all.contains("SENTINEL"),
            "`paas {}` showed the file outside the project:\n{all}",
            args.join(" ")
        );
        codes.push((args.join(" "), output.status.code()));
    }
    codes
}

#[test]
fn a_project_file_linked_outside_is_refused() {
    let env = project();
    let outside = outside_file(&env, "passwd");
    fs_err::remove_file(env.project.join("paas.toml")).expect("rm");
    symlink(&outside, env.project.join("paas.toml")).expect("symlink");
    paas_snapshot!(env, env.paas().arg("render"), "files_paas_toml_outside");
    let codes = run_everything(&env);
    // Every command that reads `paas.toml` stops there, as a configuration error. `detect`
    // and `init` do not read it.
    for (command, code) in codes {
        if command == "detect" || command.starts_with("init") {
            continue;
        }
        assert_eq!(code, Some(2), "`paas {command}`");
    }
}

#[test]
fn a_template_linked_outside_is_refused() {
    let env = project();
    let outside = outside_file(&env, "deployment.yaml");
    fs_err::remove_file(env.project.join("deploy/deployment.yaml")).expect("rm");
    symlink(&outside, env.project.join("deploy/deployment.yaml")).expect("symlink");
    paas_snapshot!(env, env.paas().arg("render"), "files_template_outside");
    run_everything(&env);

    // A whole `deploy/` folder linked outside: the folder is named as the link.
    let env = project();
    let dir = env.temp.path().join("outside-deploy");
    fs_err::create_dir_all(&dir).expect("dir");
    fs_err::rename(outside_file(&env, "x"), dir.join("deployment.yaml")).expect("mv");
    fs_err::remove_dir_all(env.project.join("deploy")).expect("rm");
    symlink(&dir, env.project.join("deploy")).expect("symlink");
    paas_snapshot!(env, env.paas().arg("render"), "files_deploy_dir_outside");
    run_everything(&env);
}

#[test]
fn a_dockerfile_linked_outside_is_refused_before_any_work() {
    let env = project();
    let outside = outside_file(&env, "Dockerfile");
    fs_err::remove_file(env.project.join("Dockerfile")).expect("rm");
    symlink(&outside, env.project.join("Dockerfile")).expect("symlink");
    // No cluster, no engine: the refusal comes first.
    let output = paas_snapshot!(
        env,
        env.paas()
            .arg("up")
            .env("KUBECONFIG", "/nonexistent")
            .env("DOCKER_HOST", "tcp://127.0.0.1:1"),
        "files_dockerfile_outside"
    );
    assert_eq!(output.status.code(), Some(2));
    run_everything(&env);
}

/// Detection walks the project without following links, so a linked `package.json` is not
/// read at all: the project is detected from its other files, and nothing of the file outside
/// reaches the output or the files `init` writes.
#[test]
fn detection_never_reads_a_file_linked_outside() {
    let env = TestEnv::fixture("spa-vite");
    let outside = outside_file(&env, "package.json");
    fs_err::remove_file(env.project.join("package.json")).expect("rm");
    symlink(&outside, env.project.join("package.json")).expect("symlink");
    let output = paas_snapshot!(env, env.paas().arg("detect"), "files_detect_outside");
    assert_eq!(output.status.code(), Some(0));
    let output = env
        .paas()
        .args(["init", "--yes", "--name", "web"])
        .output()
        .expect("runs");
    assert!(!String::from_utf8_lossy(&output.stderr).contains("SENTINEL"));
    for (path, text) in env.tree() {
        if path != "package.json" {
            assert!(!text.contains("SENTINEL"), "{path}");
        }
    }
}

#[test]
fn a_company_pack_linked_outside_its_folder_is_refused() {
    let env = TestEnv::new();
    let outside = env.temp.path().join("elsewhere/evil");
    fs_err::create_dir_all(&outside).expect("dir");
    fs_err::write(
        outside.join("pack.toml"),
        format!("{SENTINEL}\nname = \"evil\"\n"),
    )
    .expect("pack.toml");
    let packs = env.temp.path().join("packs");
    fs_err::create_dir_all(&packs).expect("dir");
    symlink(&outside, packs.join("evil")).expect("symlink");
    let output = paas_snapshot!(
        env,
        env.paas()
            .args(["packs", "list", "--pack-path"])
            .arg(&packs),
        "files_pack_outside"
    );
    assert_eq!(output.status.code(), Some(2));

    // A file of a pack linked outside, the pack folder itself being real.
    let env = TestEnv::new();
    let packs = env.temp.path().join("packs");
    fs_err::create_dir_all(packs.join("evil")).expect("dir");
    fs_err::write(packs.join("evil/pack.toml"), "name = \"evil\"\n").expect("pack.toml");
    symlink(
        outside_file(&env, "secret"),
        packs.join("evil/Dockerfile.tmpl"),
    )
    .expect("symlink");
    let output = env
        .paas()
        .args(["packs", "list", "--pack-path"])
        .arg(&packs)
        .output()
        .expect("runs");
    assert_eq!(output.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(stderr.contains("evil/Dockerfile.tmpl"), "{stderr}");
    assert!(!stderr.contains("SENTINEL"), "{stderr}");
}

#[test]
fn links_that_stay_inside_are_followed() {
    let env = project();
    fs_err::create_dir_all(env.project.join("config")).expect("dir");
    fs_err::rename(
        env.project.join("paas.toml"),
        env.project.join("config/paas.toml"),
    )
    .expect("mv");
    symlink("config/paas.toml", env.project.join("paas.toml")).expect("symlink");
    fs_err::rename(
        env.project.join("deploy/service.yaml"),
        env.project.join("config/service.yaml"),
    )
    .expect("mv");
    symlink(
        "../config/service.yaml",
        env.project.join("deploy/service.yaml"),
    )
    .expect("symlink");
    let output = env.paas().arg("render").output().expect("runs");
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    assert!(String::from_utf8_lossy(&output.stdout).contains("kind: Service"));
}

/// The user config can be any file (`--config`, `PAAS_CONFIG`): its parse errors give the
/// line and column, never the line itself.
#[test]
fn a_user_config_error_quotes_no_line() {
    let env = TestEnv::new();
    let outside = outside_file(&env, "config.toml");
    let output = paas_snapshot!(
        env,
        env.paas().args(["packs", "list", "--config"]).arg(&outside),
        "files_user_config_unquoted"
    );
    assert_eq!(output.status.code(), Some(2));
}
