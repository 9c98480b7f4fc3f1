//! `paas ci`: the pipeline files (snapshots, actionlint, GitLab's CI schema), the explanation,
//! the refusals, and the GitHub workflow's steps run as shell against the test platform with a
//! namespaced, expiring `ServiceAccount` token made by the printed kubectl commands.

use std::collections::BTreeMap;
use std::path::PathBuf;
use std::process::Command;

use crate::support::platform::{Platform, random_suffix};
use crate::support::{TestEnv, app, paas_binary, run};

/// A project with two environments (prod protected, in its own cluster), a registry that needs
/// a login.
const PROJECT: &str = r#"[app]
name = "shop"
pack = "nginx"
port = 8080

[build]
registry = "registry.example.com/team"

[deploy]
namespace = "shop"

[env.prod]
namespace = "shop-prod"
context = "prod-cluster"
protected = true

[env.staging]
namespace = "shop-staging"
"#;

/// A project with no environment and a local registry.
const SINGLE: &str = r#"[app]
name = "blog"
pack = "nginx"
port = 8080

[build]
registry = "127.0.0.1:5000/team"
"#;

fn project(text: &str) -> TestEnv {
    let env = TestEnv::new();
    env.write("paas.toml", text);
    env
}

/// Runs `paas ci ARGS` in `env`, snapshots what it printed and the file it wrote, and returns
/// the file's text.
fn snapshot(env: &TestEnv, name: &str, args: &[&str]) -> String {
    let mut command = env.paas();
    command.arg("ci").args(args);
    let output = crate::paas_snapshot!(env, &mut command, format!("{name}_output"));
    assert!(output.status.success(), "paas ci {args:?} failed");
    let file = if args.contains(&"gitlab") {
        ".gitlab-ci.yml"
    } else {
        ".github/workflows/paas.yml"
    };
    let text = env.read(file);
    insta::assert_snapshot!(format!("{name}_file"), text);
    text
}

/// Returns actionlint, or `None` (with one line saying why) when it is missing and not required.
fn actionlint() -> Option<PathBuf> {
    let found = Command::new("actionlint")
        .arg("-version")
        .output()
        .is_ok_and(|o| o.status.success());
    if found {
        return Some(PathBuf::from("actionlint"));
    }
    assert!(
        std::env::var_os("PAAS_TEST_REQUIRE_TOOLS").is_none(),
        "actionlint is required (PAAS_TEST_REQUIRE_TOOLS is set) but not on PATH: run tests/test-all.sh (tests/platform/actionlint.sh builds it)"
    );
    skipped(
        "SKIPPED: actionlint is not on PATH: tests/platform/actionlint.sh builds it, as tests/test-all.sh does",
    );
    None
}

/// Returns check-jsonschema, or `None` (with one line saying why) when it is missing and not
/// required.
fn check_jsonschema() -> Option<PathBuf> {
    let found = Command::new("check-jsonschema")
        .arg("--version")
        .output()
        .is_ok_and(|o| o.status.success());
    if found {
        return Some(PathBuf::from("check-jsonschema"));
    }
    assert!(
        std::env::var_os("PAAS_TEST_REQUIRE_TOOLS").is_none(),
        "check-jsonschema is required (PAAS_TEST_REQUIRE_TOOLS is set) but not on PATH: run tests/test-all.sh"
    );
    skipped(
        "SKIPPED: check-jsonschema (GitLab's CI schema) is not on PATH: `pip install check-jsonschema`, as tests/test-all.sh does",
    );
    None
}

#[expect(
    clippy::print_stderr,
    reason = "the one line that says a check was skipped, or what was measured"
)]
fn skipped(message: &str) {
    eprintln!("{message}");
}

/// actionlint finds nothing in a workflow.
fn assert_actionlint_clean(env: &TestEnv, what: &str) {
    assert_actionlint_clean_at(&env.project, what);
}

/// actionlint finds nothing in the workflow of the repository at `root`.
fn assert_actionlint_clean_at(root: &std::path::Path, what: &str) {
    let Some(actionlint) = actionlint() else {
        return;
    };
    let output = Command::new(actionlint)
        .args(["-no-color", ".github/workflows/paas.yml"])
        .current_dir(root)
        .output()
        .expect("actionlint runs");
    assert!(
        output.status.success(),
        "{what}: actionlint found problems:\n{}{}",
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    );
}

/// GitLab's CI schema (check-jsonschema's vendored copy) accepts a file.
fn assert_gitlab_schema(env: &TestEnv, what: &str) {
    let Some(check) = check_jsonschema() else {
        return;
    };
    let output = Command::new(check)
        .args(["--builtin-schema", "vendor.gitlab-ci", ".gitlab-ci.yml"])
        .current_dir(&env.project)
        .output()
        .expect("check-jsonschema runs");
    assert!(
        output.status.success(),
        "{what}: GitLab's CI schema refuses the file:\n{}{}",
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    );
}

/// The shell scripts of a GitLab file, each job's `before_script` and `script` as the one
/// shell session GitLab runs them in.
fn gitlab_scripts(text: &str) -> Vec<(String, String)> {
    let file = yaml(text);
    let lines = |value: &serde_json::Value| -> Vec<String> {
        value
            .as_array()
            .map(|a| {
                a.iter()
                    .map(|l| l.as_str().expect("a script line").to_owned())
                    .collect()
            })
            .unwrap_or_default()
    };
    let before = lines(&file[".paas-deploy"]["before_script"]);
    file.as_object()
        .expect("a mapping")
        .iter()
        .filter(|(_, job)| job.get("script").is_some())
        .map(|(name, job)| {
            let mut all = before.clone();
            all.extend(lines(&job["script"]));
            (name.clone(), all.join("\n"))
        })
        .collect()
}

/// shellcheck finds no warning in the GitLab file's scripts (actionlint does this for GitHub).
fn assert_gitlab_scripts_shellcheck_clean(text: &str, what: &str) {
    let found = Command::new("shellcheck")
        .arg("--version")
        .output()
        .is_ok_and(|o| o.status.success());
    if !found {
        assert!(
            std::env::var_os("PAAS_TEST_REQUIRE_TOOLS").is_none(),
            "shellcheck is required (PAAS_TEST_REQUIRE_TOOLS is set) but not on PATH: run tests/test-all.sh"
        );
        skipped(
            "SKIPPED: shellcheck is not on PATH (Debian's `shellcheck`, as tests/test-all.sh installs it)",
        );
        return;
    }
    for (job, script) in gitlab_scripts(text) {
        let mut child = Command::new("shellcheck")
            .args(["--shell=bash", "--severity=warning", "-"])
            .stdin(std::process::Stdio::piped())
            .stdout(std::process::Stdio::piped())
            .spawn()
            .expect("shellcheck runs");
        std::io::Write::write_all(&mut child.stdin.take().expect("stdin"), script.as_bytes())
            .expect("the script");
        let output = child.wait_with_output().expect("shellcheck ends");
        assert!(
            output.status.success(),
            "{what}: shellcheck found problems in job `{job}`:\n{}\n{script}",
            String::from_utf8_lossy(&output.stdout)
        );
    }
}

fn yaml(text: &str) -> serde_json::Value {
    serde_saphyr::from_str(text).expect("the file is YAML")
}

/// The GitHub workflow's shape: per environment job, order, lock, gate, pinned actions.
fn assert_github_shape(text: &str, jobs: &[(&str, Option<&str>, bool)]) {
    let workflow = yaml(text);
    let names: Vec<&String> = workflow["jobs"].as_object().expect("jobs").keys().collect();
    assert_eq!(names.len(), jobs.len(), "{text}");
    let mut previous: Option<&str> = None;
    for (job_name, environment, gated) in jobs {
        let job = &workflow["jobs"][job_name];
        assert_eq!(
            job["concurrency"]["cancel-in-progress"],
            serde_json::json!(false)
        );
        let group = job["concurrency"]["group"].as_str().expect("a group");
        assert!(group.starts_with("paas-"), "{group}");
        if let Some(environment) = environment {
            assert_eq!(job["environment"], *environment, "{job_name}");
            assert!(group.ends_with(environment), "{group}");
        }
        if let Some(previous) = previous {
            assert_eq!(job["needs"], previous, "{job_name} waits for {previous}");
        }
        if *gated {
            let environment = environment.expect("a gated job has an environment");
            assert!(
                text.contains(&format!(
                    "required reviewers (repository Settings > Environments)\n    environment: {environment}\n"
                )),
                "{job_name} says where its approval is set: {text}"
            );
        }
        for step in job["steps"].as_array().expect("steps") {
            if let Some(uses) = step["uses"].as_str() {
                let (_, reference) = uses.split_once('@').expect("a pinned action");
                assert!(
                    reference.len() == 40 && reference.chars().all(|c| c.is_ascii_hexdigit()),
                    "{uses} is not pinned by commit"
                );
            }
        }
        let deploy = job["steps"]
            .as_array()
            .expect("steps")
            .iter()
            .find(|s| s["name"] == "Deploy")
            .expect("a deploy step");
        let expected = environment.map_or_else(
            || "paas up --yes --output json".to_owned(),
            |e| format!("paas up --env {e} --yes --output json"),
        );
        assert_eq!(deploy["run"], expected.as_str());
        previous = Some(job_name);
    }
    assert!(
        text.contains(" # v4.2.2\n"),
        "the action's version is in a comment"
    );
}

/// The GitLab file's shape: stages in order, a resource group per job, the branch rule, the
/// manual gate on production.
fn assert_gitlab_shape(text: &str, jobs: &[(&str, Option<&str>, bool)], branch: &str) {
    let file = yaml(text);
    let stages: Vec<&str> = file["stages"]
        .as_array()
        .expect("stages")
        .iter()
        .map(|s| s.as_str().expect("a stage"))
        .collect();
    assert_eq!(
        stages,
        jobs.iter().map(|(j, _, _)| *j).collect::<Vec<_>>(),
        "{text}"
    );
    for (job_name, environment, gated) in jobs {
        let job = &file[*job_name];
        assert_eq!(job["stage"], *job_name);
        assert_eq!(job["extends"], ".paas-deploy");
        assert!(
            job["resource_group"]
                .as_str()
                .expect("a resource group")
                .starts_with("paas-")
        );
        let rule = &job["rules"][0];
        assert_eq!(
            rule["if"],
            format!("$CI_COMMIT_BRANCH == \"{branch}\" && $CI_PIPELINE_SOURCE == \"push\"")
                .as_str()
        );
        if *gated {
            assert_eq!(rule["when"], "manual", "{job_name} is gated");
            assert_eq!(job["allow_failure"], serde_json::json!(false));
        } else {
            assert!(rule.get("when").is_none(), "{job_name} is not gated");
        }
        if let Some(environment) = environment {
            assert_eq!(job["environment"]["name"], *environment);
        }
        let script = job["script"].as_array().expect("a script");
        let expected = environment.map_or_else(
            || "paas up --yes --output json".to_owned(),
            |e| format!("paas up --env {e} --yes --output json"),
        );
        assert_eq!(script.last().expect("a line"), expected.as_str());
    }
}

#[test]
fn github_with_the_environments_of_paas_toml() {
    let env = project(PROJECT);
    let text = snapshot(&env, "github_envs", &["github"]);
    assert_github_shape(
        &text,
        &[
            ("deploy-staging", Some("staging"), false),
            ("deploy-prod", Some("prod"), true),
        ],
    );
    assert!(text.contains("secrets.KUBECONFIG_PROD"));
    assert!(text.contains("Registry login"));
    assert_actionlint_clean(&env, "github, kubeconfig, two environments");
}

#[test]
fn github_with_oidc_and_a_branch() {
    let env = project(PROJECT);
    let text = snapshot(
        &env,
        "github_oidc",
        &[
            "github", "--oidc", "--env", "staging", "--env", "prod", "--branch", "trunk",
        ],
    );
    assert!(text.contains("id-token: write"), "{text}");
    assert!(!text.contains("secrets.KUBECONFIG"), "{text}");
    assert!(text.contains("      - 'trunk'\n"), "{text}");
    assert_github_shape(
        &text,
        &[
            ("deploy-staging", Some("staging"), false),
            ("deploy-prod", Some("prod"), true),
        ],
    );
    assert_actionlint_clean(&env, "github, oidc");
}

#[test]
fn github_single_job_with_an_install_command() {
    let env = project(SINGLE);
    let text = snapshot(
        &env,
        "github_single",
        &[
            "github",
            "--install-command",
            "curl -fsSL https://tools.example.com/paas/install.sh | sh -s -- --to /usr/local/bin",
        ],
    );
    assert!(!text.contains("Registry login"), "a local registry: {text}");
    assert_github_shape(&text, &[("deploy", None, false)]);
    assert_actionlint_clean(&env, "github, one job");
}

#[test]
fn github_install_url_from_the_user_config() {
    let env = project(SINGLE);
    env.write(
        "../home/.config/paas/config.toml",
        "[ci]\ninstall_url = \"https://git.example.com/tools/paas.git\"\n",
    );
    let output = env
        .paas()
        .args(["ci", "github", "--dry-run"])
        .output()
        .expect("runs");
    assert!(output.status.success());
    let text = String::from_utf8(output.stdout).expect("utf-8");
    assert!(
        text.contains("PAAS_INSTALL_URL: 'https://git.example.com/tools/paas.git'"),
        "{text}"
    );
    assert!(
        !env.project.join(".github").exists(),
        "--dry-run writes nothing"
    );
    // the flag's variable wins over the user config
    let output = env
        .paas()
        .args(["ci", "github", "--stdout"])
        .env("PAAS_CI_INSTALL_URL", "https://mirror.example.com/paas.git")
        .output()
        .expect("runs");
    let text = String::from_utf8(output.stdout).expect("utf-8");
    assert!(
        text.contains("PAAS_INSTALL_URL: 'https://mirror.example.com/paas.git'"),
        "{text}"
    );
    assert!(
        !env.project.join(".github").exists(),
        "--stdout writes nothing"
    );
}

#[test]
fn gitlab_with_the_environments_of_paas_toml() {
    let env = project(PROJECT);
    let text = snapshot(&env, "gitlab_envs", &["gitlab"]);
    assert_gitlab_shape(
        &text,
        &[
            ("deploy-staging", Some("staging"), false),
            ("deploy-prod", Some("prod"), true),
        ],
        "main",
    );
    assert_gitlab_schema(&env, "gitlab, two environments");
    assert_gitlab_scripts_shellcheck_clean(&text, "gitlab, two environments");
}

#[test]
fn gitlab_with_oidc() {
    let env = project(PROJECT);
    let text = snapshot(&env, "gitlab_oidc", &["gitlab", "--oidc", "--env", "prod"]);
    assert!(text.contains("id_tokens:"), "{text}");
    assert_gitlab_shape(&text, &[("deploy-prod", Some("prod"), true)], "main");
    assert_gitlab_schema(&env, "gitlab, oidc");
    assert_gitlab_scripts_shellcheck_clean(&text, "gitlab, oidc");
}

#[test]
fn gitlab_single_job() {
    let env = project(SINGLE);
    let text = snapshot(&env, "gitlab_single", &["gitlab"]);
    assert_gitlab_shape(&text, &[("deploy", None, false)], "main");
    assert_gitlab_schema(&env, "gitlab, one job");
    assert_gitlab_scripts_shellcheck_clean(&text, "gitlab, one job");
}

#[test]
fn the_default_branch_comes_from_git() {
    let env = project(SINGLE);
    env.write(".git/HEAD", "ref: refs/heads/feature\n");
    env.write(
        ".git/refs/remotes/origin/HEAD",
        "ref: refs/remotes/origin/trunk\n",
    );
    env.write(
        ".git/config",
        "[remote \"origin\"]\n\turl = git@github.com:acme/blog.git\n",
    );
    let output = env
        .paas()
        .args(["ci", "github", "--oidc", "--output", "json", "--dry-run"])
        .output()
        .expect("runs");
    assert!(output.status.success());
    let report: serde_json::Value = serde_json::from_slice(&output.stdout).expect("JSON");
    assert_eq!(report["branch"], "trunk");
    assert_eq!(report["dry_run"], true);
    assert_eq!(report["action"], "create");
    assert!(
        report["setup"][0]["commands"]
            .as_array()
            .expect("commands")
            .iter()
            .any(|c| c
                .as_str()
                .is_some_and(|c| c.contains("--user='repo:acme/blog:ref:refs/heads/trunk'"))),
        "{report:#}"
    );
}

#[test]
fn in_a_monorepo_the_file_goes_to_the_repository_root() {
    let env = TestEnv::named("web");
    let repo = env.temp.path();
    fs_err::create_dir_all(repo.join(".git/refs/heads")).expect("a repository");
    fs_err::write(repo.join(".git/HEAD"), "ref: refs/heads/main\n").expect("HEAD");
    fs_err::write(
        repo.join(".git/refs/heads/main"),
        "0123456789abcdef0123456789abcdef01234567\n",
    )
    .expect("main");
    env.write("paas.toml", SINGLE);
    for (platform, file, line) in [
        (
            "github",
            ".github/workflows/paas.yml",
            "    working-directory: 'web'\n",
        ),
        ("gitlab", ".gitlab-ci.yml", "    - cd 'web'\n"),
    ] {
        let output = env.paas().args(["ci", platform]).output().expect("runs");
        assert!(
            output.status.success(),
            "{}",
            String::from_utf8_lossy(&output.stderr)
        );
        let text = fs_err::read_to_string(repo.join(file)).expect("the file at the root");
        assert!(text.contains(line), "{text}");
        assert!(!env.project.join(file).exists());
    }
    assert_actionlint_clean_at(repo, "github, project in a subfolder");
}

#[test]
fn json_lists_every_secret_and_the_commands() {
    let env = project(PROJECT);
    let output = env
        .paas()
        .args(["ci", "gitlab", "--output", "json"])
        .output()
        .expect("runs");
    assert!(output.status.success());
    let report: serde_json::Value = serde_json::from_slice(&output.stdout).expect("JSON");
    assert_eq!(report["action"], "created");
    assert_eq!(report["file"], ".gitlab-ci.yml");
    let names: Vec<&str> = report["inputs"]
        .as_array()
        .expect("inputs")
        .iter()
        .map(|i| i["name"].as_str().expect("a name"))
        .collect();
    assert_eq!(
        names,
        [
            "PAAS_INSTALL_URL",
            "KUBECONFIG_STAGING",
            "KUBECONFIG_PROD",
            "REGISTRY_USERNAME",
            "REGISTRY_PASSWORD"
        ]
    );
    let commands = report["setup"][1]["commands"].to_string();
    assert!(
        commands.contains("create token paas-ci --duration=720h"),
        "{commands}"
    );
    assert!(
        !commands.contains("kubernetes.io/service-account-token"),
        "no long-lived token Secret"
    );
    assert_eq!(report["contents"], env.read(".gitlab-ci.yml").as_str());
}

#[test]
fn an_unknown_environment_is_a_usage_error() {
    let env = project(PROJECT);
    let output = crate::paas_snapshot!(
        env,
        env.paas().args(["ci", "github", "--env", "qa"]),
        "ci_unknown_env"
    );
    assert_eq!(output.status.code(), Some(2));
    assert!(!env.project.join(".github").exists(), "nothing written");
}

#[test]
fn outside_a_project_is_a_usage_error() {
    let env = TestEnv::new();
    let output = env.paas().args(["ci", "gitlab"]).output().expect("runs");
    assert_eq!(output.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(stderr.contains("no `paas.toml`"), "{stderr}");
    assert!(stderr.contains("hint:"), "{stderr}");
    assert!(!env.project.join(".gitlab-ci.yml").exists());
}

#[test]
fn an_existing_file_needs_force() {
    let env = project(SINGLE);
    env.write(".gitlab-ci.yml", "# ours\n");
    let output = crate::paas_snapshot!(env, env.paas().args(["ci", "gitlab"]), "ci_exists");
    assert_eq!(output.status.code(), Some(1));
    assert_eq!(env.read(".gitlab-ci.yml"), "# ours\n", "left as it was");
    let output = env
        .paas()
        .args(["ci", "gitlab", "--force"])
        .output()
        .expect("runs");
    assert!(output.status.success());
    assert!(
        env.read(".gitlab-ci.yml")
            .starts_with("# Written by `paas ci gitlab`")
    );
    // the same file again is no change
    let output = env
        .paas()
        .args(["ci", "gitlab", "--output", "json"])
        .output()
        .expect("runs");
    assert!(output.status.success());
    let report: serde_json::Value = serde_json::from_slice(&output.stdout).expect("JSON");
    assert_eq!(report["action"], "unchanged");
}

#[test]
fn a_symlinked_destination_is_refused() {
    let env = project(SINGLE);
    let outside = env.temp.path().join("elsewhere");
    fs_err::create_dir_all(&outside).expect("a folder");
    std::os::unix::fs::symlink(&outside, env.project.join(".github")).expect("a link");
    let output = env.paas().args(["ci", "github"]).output().expect("runs");
    assert_eq!(output.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(stderr.contains("symbolic link"), "{stderr}");
    assert!(stderr.contains("hint:"), "{stderr}");
    assert_eq!(
        fs_err::read_dir(&outside).expect("the folder").count(),
        0,
        "nothing written through the link"
    );
    let target = env.temp.path().join("target.yml");
    fs_err::write(&target, "x").expect("a file");
    std::os::unix::fs::symlink(&target, env.project.join(".gitlab-ci.yml")).expect("a link");
    let output = env
        .paas()
        .args(["ci", "gitlab", "--force"])
        .output()
        .expect("runs");
    assert_eq!(output.status.code(), Some(1));
    assert_eq!(fs_err::read_to_string(&target).expect("read"), "x");
}

/// Deletes a namespace when dropped.
struct Namespace {
    kubectl: PathBuf,
    kubeconfig: PathBuf,
    name: String,
}

impl Drop for Namespace {
    fn drop(&mut self) {
        let _ = Command::new(&self.kubectl)
            .arg("--kubeconfig")
            .arg(&self.kubeconfig)
            .args([
                "delete",
                "namespace",
                &self.name,
                "--wait=false",
                "--ignore-not-found",
            ])
            .output();
    }
}

/// Substitutes `${{ secrets.X }}` and `${{ vars.X }}` in a step's env value.
fn expression(value: &str, secrets: &BTreeMap<&str, String>) -> String {
    let Some(inner) = value
        .strip_prefix("${{ ")
        .and_then(|v| v.strip_suffix(" }}"))
    else {
        return value.to_owned();
    };
    let (_, name) = inner.split_once('.').expect("secrets.X or vars.X");
    secrets.get(name).cloned().unwrap_or_default()
}

/// Runs the `run:` steps of a GitHub job as GitHub would, with bash: the install step becomes
/// the binary under test, `uses:` steps are skipped (the project is already here), `GITHUB_ENV`
/// and `GITHUB_PATH` carry over. Returns the last step's stdout.
fn run_github_job(
    env: &TestEnv,
    job: &serde_json::Value,
    secrets: &BTreeMap<&str, String>,
    base: &[(&str, String)],
) -> String {
    let runner = env.temp.path().join("runner");
    fs_err::create_dir_all(runner.join("bin")).expect("runner temp");
    std::os::unix::fs::symlink(paas_binary(), runner.join("bin/paas")).expect("paas on PATH");
    let github_env = runner.join("github_env");
    let github_path = runner.join("github_path");
    fs_err::write(&github_env, "").expect("GITHUB_ENV");
    fs_err::write(&github_path, "").expect("GITHUB_PATH");
    let mut last = String::new();
    for step in job["steps"].as_array().expect("steps") {
        let Some(script) = step["run"].as_str() else {
            assert!(step["uses"].is_string(), "{step}");
            continue;
        };
        let script = if step["name"] == "Install paas" {
            format!(
                "echo \"{}\" >> \"$GITHUB_PATH\"\n",
                runner.join("bin").display()
            )
        } else {
            script.to_owned()
        };
        let mut command = Command::new("bash");
        command
            .args(["--noprofile", "--norc", "-eo", "pipefail", "-c", &script])
            .current_dir(&env.project)
            .env_clear();
        for (key, value) in base {
            command.env(key, value);
        }
        let mut path: Vec<String> = fs_err::read_to_string(&github_path)
            .expect("GITHUB_PATH")
            .lines()
            .rev()
            .map(str::to_owned)
            .collect();
        path.push(std::env::var("PATH").unwrap_or_default());
        command
            .env("PATH", path.join(":"))
            .env("RUNNER_TEMP", &runner)
            .env("GITHUB_ENV", &github_env)
            .env("GITHUB_PATH", &github_path)
            .env("CI", "true");
        for line in fs_err::read_to_string(&github_env)
            .expect("GITHUB_ENV")
            .lines()
        {
            let (key, value) = line.split_once('=').expect("KEY=value");
            command.env(key, value);
        }
        if let Some(vars) = step["env"].as_object() {
            for (key, value) in vars {
                command.env(key, expression(value.as_str().expect("a string"), secrets));
            }
        }
        let output = command.output().expect("bash runs");
        assert!(
            output.status.success(),
            "step `{}` failed:\n{}{}",
            step["name"],
            String::from_utf8_lossy(&output.stdout),
            String::from_utf8_lossy(&output.stderr)
        );
        last = String::from_utf8_lossy(&output.stdout).into_owned();
    }
    last
}

/// Runs the printed setup commands of the first environment as printed, with the platform's
/// kubectl and admin kubeconfig, in a folder of their own; returns that folder.
fn run_admin_commands(env: &TestEnv, platform: &Platform, report: &serde_json::Value) -> PathBuf {
    let admin = env.temp.path().join("admin");
    fs_err::create_dir_all(&admin).expect("a folder");
    let kubectl_dir = platform.kubectl.parent().expect("kubectl's folder");
    let path = format!(
        "{}:{}",
        kubectl_dir.display(),
        std::env::var("PATH").unwrap_or_default()
    );
    for command in report["setup"][0]["commands"].as_array().expect("commands") {
        let command = command.as_str().expect("a command");
        let (text, output) = run(Command::new("bash")
            .args(["-eo", "pipefail", "-c", command])
            .current_dir(&admin)
            .env("PATH", &path)
            .env("KUBECONFIG", &platform.kubeconfig));
        assert!(output.status.success(), "{command}\n{text}");
    }
    admin
}

/// A static site with an environment `staging` in a namespace `ci-<random>` of its own (deleted
/// on drop), and `paas ci ARGS --env staging --output json`'s report.
fn ci_project(platform: &Platform, args: &[&str]) -> (TestEnv, Namespace, serde_json::Value) {
    let namespace = Namespace {
        kubectl: platform.kubectl.clone(),
        kubeconfig: platform.kubeconfig.clone(),
        name: format!("ci-{}", random_suffix()),
    };
    let env = app::site(platform, &platform.registry);
    let toml = env.read("paas.toml");
    env.write(
        "paas.toml",
        &format!(
            "{toml}\n[env.staging]\nnamespace = \"{}\"\n",
            namespace.name
        ),
    );
    let output = env
        .paas()
        .arg("ci")
        .args(args)
        .args(["--env", "staging", "--output", "json"])
        .output()
        .expect("paas ci runs");
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let report = serde_json::from_slice(&output.stdout).expect("JSON");
    (env, namespace, report)
}

#[tokio::test(flavor = "multi_thread")]
async fn the_gitlab_jobs_scripts_deploy_with_a_namespaced_token() {
    let Some(platform) = Platform::setup().await else {
        return;
    };
    let (env, ci_namespace, report) = ci_project(&platform, &["gitlab"]);
    let admin = run_admin_commands(&env, &platform, &report);
    let kubeconfig = fs_err::read_to_string(admin.join("paas-ci-staging.kubeconfig"))
        .expect("the commands wrote the kubeconfig");
    let file = yaml(report["contents"].as_str().expect("the file"));
    // before_script's first entry installs paas: the binary under test instead
    let bin = env.temp.path().join("bin");
    fs_err::create_dir_all(&bin).expect("a folder");
    std::os::unix::fs::symlink(paas_binary(), bin.join("paas")).expect("paas on PATH");
    let mut lines = vec![format!("export PATH=\"{}:$PATH\"", bin.display())];
    let before = file[".paas-deploy"]["before_script"]
        .as_array()
        .expect("before_script");
    lines.extend(
        before
            .iter()
            .skip(1)
            .map(|l| l.as_str().expect("a line").to_owned()),
    );
    lines.extend(
        file["deploy-staging"]["script"]
            .as_array()
            .expect("script")
            .iter()
            .map(|l| l.as_str().expect("a line").to_owned()),
    );
    // the job's container has its own /tmp; here the test's folder stands in for it
    let job_tmp = env.temp.path().join("job-tmp");
    fs_err::create_dir_all(&job_tmp).expect("a folder");
    let script = lines.join("\n").replace(
        "/tmp/paas-kubeconfig",
        &job_tmp.join("paas-kubeconfig").display().to_string(),
    );
    let home = env.temp.path().join("home");
    let output = Command::new("bash")
        .args(["--noprofile", "--norc", "-eo", "pipefail", "-c", &script])
        .current_dir(&env.project)
        .env_clear()
        .env("PATH", std::env::var("PATH").unwrap_or_default())
        .env("HOME", &home)
        .env("XDG_CONFIG_HOME", home.join(".config"))
        .env("DOCKER_CONFIG", home.join(".docker"))
        .env("DOCKER_HOST", &platform.docker_host)
        .env("PAAS_NO_PROGRESS", "1")
        .env("CI_COMMIT_BRANCH", "main")
        .env("KUBECONFIG_STAGING", &kubeconfig)
        .output()
        .expect("bash runs");
    assert!(
        output.status.success(),
        "the job failed:\n{}{}",
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    );
    let result: serde_json::Value = serde_json::from_slice(&output.stdout).expect("paas up's JSON");
    assert_eq!(result["revision"], 1, "{result:#}");
    assert_eq!(
        result["namespace"],
        ci_namespace.name.as_str(),
        "{result:#}"
    );
    let mode = std::fs::metadata(job_tmp.join("paas-kubeconfig"))
        .map(|m| std::os::unix::fs::PermissionsExt::mode(&m.permissions()) & 0o777)
        .expect("the kubeconfig file");
    assert_eq!(mode, 0o600);
}

#[tokio::test(flavor = "multi_thread")]
async fn the_github_workflow_deploys_with_a_namespaced_expiring_token() {
    let Some(platform) = Platform::setup().await else {
        return;
    };
    let (env, ci_namespace, report) = ci_project(&platform, &["github", "--token-duration", "1h"]);

    // The admin's side: the printed commands, as printed, with the platform's kubectl.
    let admin = run_admin_commands(&env, &platform, &report);
    let kubeconfig = fs_err::read_to_string(admin.join("paas-ci-staging.kubeconfig"))
        .expect("the commands wrote the kubeconfig");
    assert!(
        !kubeconfig.contains("client-key-data"),
        "the CI kubeconfig holds the ServiceAccount's token, not the admin's key"
    );

    // The token expires: its `exp` is an hour after its `iat`.
    let token = kubeconfig
        .lines()
        .find_map(|l| l.trim().strip_prefix("token: "))
        .expect("a token");
    let claims = token.split('.').nth(1).expect("a JWT");
    let claims: serde_json::Value = serde_json::from_slice(
        &base64::Engine::decode(&base64::engine::general_purpose::URL_SAFE_NO_PAD, claims)
            .expect("base64"),
    )
    .expect("claims");
    let lifetime = claims["exp"].as_i64().expect("exp") - claims["iat"].as_i64().expect("iat");
    assert_eq!(lifetime, 3600, "{claims}");
    assert_eq!(
        claims["sub"],
        format!("system:serviceaccount:{}:paas-ci", ci_namespace.name).as_str()
    );

    // The pipeline's side: the deploy job's steps, with the secret holding that kubeconfig.
    let workflow = yaml(report["contents"].as_str().expect("the file"));
    let secrets = BTreeMap::from([("KUBECONFIG_STAGING", kubeconfig.clone())]);
    let home = env.temp.path().join("home");
    let base = [
        ("HOME", home.display().to_string()),
        (
            "XDG_CONFIG_HOME",
            home.join(".config").display().to_string(),
        ),
        ("DOCKER_CONFIG", home.join(".docker").display().to_string()),
        ("DOCKER_HOST", platform.docker_host.clone()),
        ("PAAS_NO_PROGRESS", "1".to_owned()),
        ("NO_COLOR", "1".to_owned()),
    ];
    let started = std::time::Instant::now();
    let stdout = run_github_job(&env, &workflow["jobs"]["deploy-staging"], &secrets, &base);
    let elapsed = started.elapsed();
    let result: serde_json::Value = serde_json::from_str(&stdout).expect("paas up's JSON");
    // (the step's exit status 0 is paas up's "rolled out")
    assert_eq!(result["revision"], 1, "{result:#}");
    assert_eq!(
        result["namespace"],
        ci_namespace.name.as_str(),
        "{result:#}"
    );
    assert!(result["rollout_seconds"].is_number(), "{result:#}");
    let mode = std::fs::metadata(env.temp.path().join("runner/paas-kubeconfig"))
        .map(|m| std::os::unix::fs::PermissionsExt::mode(&m.permissions()) & 0o777)
        .expect("the kubeconfig file");
    assert_eq!(mode, 0o600);
    skipped(&format!(
        "measured: the workflow's steps deployed with the ServiceAccount token in {elapsed:?}"
    ));

    // With that kubeconfig: status works in the namespace, another namespace is forbidden.
    let ci_kubeconfig = admin.join("paas-ci-staging.kubeconfig");
    let output = env
        .paas()
        .args(["status", "--env", "staging", "--output", "json"])
        .env("KUBECONFIG", &ci_kubeconfig)
        .output()
        .expect("paas status runs");
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let output = Command::new(&platform.kubectl)
        .arg("--kubeconfig")
        .arg(&ci_kubeconfig)
        .args(["get", "deployments", "--namespace", &platform.namespace])
        .output()
        .expect("kubectl runs");
    assert!(!output.status.success());
    assert!(
        String::from_utf8_lossy(&output.stderr).contains("forbidden"),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let output = env
        .paas()
        .args([
            "up",
            "--yes",
            "--namespace",
            &platform.namespace,
            "--timeout",
            "30s",
        ])
        .env("KUBECONFIG", &ci_kubeconfig)
        .env("DOCKER_HOST", &platform.docker_host)
        .output()
        .expect("paas up runs");
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(
        output.status.code(),
        Some(1),
        "the namespaced token must not deploy to another namespace: {stderr}"
    );
    assert!(
        stderr.contains("forbidden") || stderr.contains("403"),
        "{stderr}"
    );
}
