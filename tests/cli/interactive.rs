//! paas on a real terminal (tmux). `paas init` asks for what detection cannot know, lets the
//! user choose between several web projects, and confirms before writing; `paas down` lists
//! what it deletes and asks, and in a protected environment wants the app's name typed;
//! `paas remove --delete-data` wants the component's name typed.

use std::process::Command;
use std::time::{Duration, Instant};

use crate::support::TestEnv;

/// A tmux session running one command in a 120x40 terminal, killed on drop.
struct Terminal {
    session: String,
}

impl Terminal {
    fn start(env: &TestEnv, command: &str) -> Option<Self> {
        if Command::new("tmux").arg("-V").output().is_err() {
            assert!(
                std::env::var_os("PAAS_TEST_REQUIRE_TOOLS").is_none(),
                "tmux is required (PAAS_TEST_REQUIRE_TOOLS is set) but not installed"
            );
            skipped("skipped: needs tmux (apt-get install tmux)");
            return None;
        }
        let session = format!("paas-test-{}", std::process::id() ^ rand_suffix());
        let home = env.temp.path().join("home");
        let script = format!(
            "cd '{}' && env -i PATH=\"$PATH\" HOME='{}' XDG_CONFIG_HOME='{}/.config' NO_COLOR=1 TERM=xterm {command}; echo \"[exit $?]\"; sleep 30",
            env.project.display(),
            home.display(),
            home.display(),
        );
        let status = Command::new("tmux")
            .args([
                "new-session",
                "-d",
                "-x",
                "120",
                "-y",
                "40",
                "-s",
                &session,
                "sh",
                "-c",
                &script,
            ])
            .status()
            .expect("tmux runs");
        assert!(status.success(), "tmux new-session failed");
        Some(Self { session })
    }

    fn screen(&self) -> String {
        let output = Command::new("tmux")
            .args(["capture-pane", "-p", "-t", &self.session])
            .output()
            .expect("tmux");
        String::from_utf8_lossy(&output.stdout).into_owned()
    }

    /// Waits until the screen shows `text`, and returns the screen.
    fn wait_for(&self, text: &str) -> String {
        let start = Instant::now();
        loop {
            let screen = self.screen();
            if screen.contains(text) {
                return screen;
            }
            assert!(
                start.elapsed() < Duration::from_secs(20),
                "`{text}` never appeared; screen:\n{screen}"
            );
            std::thread::sleep(Duration::from_millis(50));
        }
    }

    fn keys(&self, keys: &[&str]) {
        let status = Command::new("tmux")
            .args(["send-keys", "-t", &self.session])
            .args(keys)
            .status()
            .expect("tmux send-keys");
        assert!(status.success());
    }
}

impl Drop for Terminal {
    fn drop(&mut self) {
        let _ = Command::new("tmux")
            .args(["kill-session", "-t", &self.session])
            .status();
    }
}

#[expect(
    clippy::print_stderr,
    reason = "the one line that says a test was skipped"
)]
fn skipped(message: &str) {
    eprintln!("{message}");
}

fn rand_suffix() -> u32 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.subsec_nanos())
}

fn paas() -> String {
    crate::support::paas_binary().to_string_lossy().into_owned()
}

#[test]
fn init_asks_chooses_and_confirms_on_a_terminal() {
    let env = TestEnv::fixture("dotnet-two-web");
    let Some(terminal) = Terminal::start(&env, &format!("{} init", paas())) else {
        return;
    };

    // Two web projects: paas asks which one is the app.
    let screen = terminal.wait_for("which one is the app?");
    assert!(
        screen.contains("src/Admin/Admin.csproj") || screen.contains("Admin"),
        "{screen}"
    );
    terminal.keys(&["Down", "Enter"]);

    // The name is suggested from the project; accept it.
    terminal.wait_for("App name");
    terminal.keys(&["Enter"]);
    terminal.wait_for("Registry to push images to");
    terminal.keys(&["registry.example.com/team", "Enter"]);
    terminal.wait_for("Public host name");
    terminal.keys(&["portal.example.com", "Enter"]);
    let screen = terminal.wait_for("Write these files?");
    assert!(
        screen.replace('\n', "").contains("deploy/ingress.yaml"),
        "the files to write are listed:\n{screen}"
    );
    terminal.keys(&["y"]);
    let screen = terminal.wait_for("[exit ");
    assert!(screen.contains("[exit 0]"), "{screen}");

    let toml = env.read("paas.toml");
    assert!(
        toml.contains("registry = \"registry.example.com/team\""),
        "{toml}"
    );
    assert!(toml.contains("host = \"portal.example.com\""), "{toml}");
    assert!(
        env.read("Dockerfile").contains("src/Web/Web.csproj"),
        "the second project was chosen"
    );
}

#[test]
fn declining_on_a_terminal_writes_nothing() {
    let env = TestEnv::fixture("static-dist");
    let before = env.tree();
    let Some(terminal) = Terminal::start(
        &env,
        &format!("{} init --name web --registry r.example.com", paas()),
    ) else {
        return;
    };
    terminal.wait_for("Public host name");
    terminal.keys(&["Enter"]);
    terminal.wait_for("Write these files?");
    terminal.keys(&["n"]);
    let screen = terminal.wait_for("[exit ");
    assert!(
        screen.contains("[exit 130]"),
        "declining is an interruption:\n{screen}"
    );
    assert_eq!(env.tree(), before);
}

#[test]
fn invalid_name_is_asked_again() {
    let env = TestEnv::fixture("static-dist");
    let Some(terminal) =
        Terminal::start(&env, &format!("{} init --registry r.example.com", paas()))
    else {
        return;
    };
    terminal.wait_for("App name");
    // Clear the suggestion, type an invalid name: the prompt says why and asks again.
    terminal.keys(&["C-u", "My_App", "Enter"]);
    terminal.wait_for("may hold only lowercase letters");
    terminal.keys(&["C-u", "my-app", "Enter"]);
    terminal.wait_for("Public host name");
    terminal.keys(&["Enter"]);
    terminal.wait_for("Write these files?");
    terminal.keys(&["y"]);
    let screen = terminal.wait_for("[exit ");
    assert!(screen.contains("[exit 0]"), "{screen}");
    assert!(env.read("paas.toml").contains("name = \"my-app\""));
}

#[tokio::test]
async fn down_asks_on_a_terminal_and_a_protected_environment_wants_the_name() {
    use k8s_openapi::api::apps::v1::Deployment;

    let Some(platform) = crate::support::platform::Platform::setup().await else {
        return;
    };
    let env = crate::support::app::site(&platform, &platform.registry);
    crate::support::app::protected_prod(&env, &platform);
    crate::support::app::release(&env, &platform, 1);
    let deployments: kube::Api<Deployment> = platform.api();
    let command = |args: &str| {
        format!(
            "KUBECONFIG='{}' {} down {args}",
            platform.kubeconfig.display(),
            paas()
        )
    };

    // Declined: nothing deleted, exit 130.
    let Some(terminal) = Terminal::start(&env, &command(&format!("-n {}", platform.namespace)))
    else {
        return;
    };
    let screen = terminal.wait_for("Delete `site` in namespace");
    assert!(
        screen.contains("deployment/site"),
        "the list comes first:\n{screen}"
    );
    terminal.keys(&["n"]);
    let screen = terminal.wait_for("[exit ");
    assert!(screen.contains("[exit 130]"), "{screen}");
    assert!(deployments.get_opt("site").await.expect("read").is_some());
    drop(terminal);

    // Protected: a wrong name is no; the right one deletes.
    let terminal = Terminal::start(&env, &command("--env prod")).expect("tmux");
    terminal.wait_for("Type `site` to delete it");
    terminal.keys(&["y", "Enter"]);
    let screen = terminal.wait_for("[exit ");
    assert!(screen.contains("[exit 130]"), "{screen}");
    assert!(deployments.get_opt("site").await.expect("read").is_some());
    drop(terminal);
    let terminal = Terminal::start(&env, &command("--env prod")).expect("tmux");
    terminal.wait_for("Type `site` to delete it");
    terminal.keys(&["site", "Enter"]);
    let screen = terminal.wait_for("[exit ");
    assert!(screen.contains("[exit 0]"), "{screen}");
    assert!(screen.contains("Deleted"), "{screen}");
    assert!(deployments.get_opt("site").await.expect("read").is_none());
}

/// `paas remove --delete-data` on a terminal lists the component's data and wants its name
/// typed: a wrong name changes nothing (exit 130), the right one deletes and edits `paas.toml`.
#[tokio::test]
async fn remove_delete_data_wants_the_component_name_typed() {
    use k8s_openapi::api::core::v1::Secret;

    let Some(platform) = crate::support::platform::Platform::setup().await else {
        return;
    };
    let env = TestEnv::new();
    env.write(
        "paas.toml",
        "[app]\nname = \"shop\"\npack = \"nginx\"\n\n[components.cache]\nkind = \"redis\"\n",
    );
    let secrets: kube::Api<Secret> = platform.api();
    let secret = Secret {
        metadata: kube::api::ObjectMeta {
            name: Some("shop-cache".to_owned()),
            labels: Some(paas::labels::credentials_labels("shop", "cache")),
            ..Default::default()
        },
        ..Default::default()
    };
    secrets
        .create(&kube::api::PostParams::default(), &secret)
        .await
        .expect("create secret");
    let command = format!(
        "KUBECONFIG='{}' {} remove cache --delete-data -n {}",
        platform.kubeconfig.display(),
        paas(),
        platform.namespace
    );
    let before = env.read("paas.toml");

    let Some(terminal) = Terminal::start(&env, &command) else {
        return;
    };
    let screen = terminal.wait_for("Type `cache` to delete component `cache`");
    assert!(
        screen.contains("secret/shop-cache"),
        "the list comes first:\n{screen}"
    );
    terminal.keys(&["redis", "Enter"]);
    let screen = terminal.wait_for("[exit ");
    assert!(screen.contains("[exit 130]"), "{screen}");
    assert_eq!(env.read("paas.toml"), before, "nothing changed");
    assert!(secrets.get_opt("shop-cache").await.expect("read").is_some());
    drop(terminal);

    let terminal = Terminal::start(&env, &command).expect("tmux");
    terminal.wait_for("Type `cache` to delete component `cache`");
    terminal.keys(&["cache", "Enter"]);
    let screen = terminal.wait_for("[exit ");
    assert!(screen.contains("[exit 0]"), "{screen}");
    assert!(screen.contains("secret/shop-cache"), "{screen}");
    assert!(!env.read("paas.toml").contains("[components.cache]"));
    assert!(secrets.get_opt("shop-cache").await.expect("read").is_none());
}

/// The protected-environment question of `up` (the same one `scale` and `rollback` ask): a
/// declined question exits 130 and deploys nothing, as a declined `down` does.
#[tokio::test]
async fn declining_a_protected_deploy_exits_130() {
    use k8s_openapi::api::apps::v1::Deployment;

    let Some(platform) = crate::support::platform::Platform::setup().await else {
        return;
    };
    let env = crate::support::app::site(&platform, &platform.registry);
    crate::support::app::protected_prod(&env, &platform);
    let command = format!(
        "KUBECONFIG='{}' DOCKER_HOST='{}' {} up --env prod",
        platform.kubeconfig.display(),
        platform.docker_host,
        paas()
    );
    let Some(terminal) = Terminal::start(&env, &command) else {
        return;
    };
    terminal.wait_for("Environment `prod` is protected. Deploy to it?");
    terminal.keys(&["n"]);
    let screen = terminal.wait_for("[exit ");
    assert!(screen.contains("[exit 130]"), "{screen}");
    assert!(
        screen.contains("environment `prod` is protected; nothing was deployed"),
        "{screen}"
    );
    let deployments: kube::Api<Deployment> = platform.api();
    assert!(deployments.get_opt("site").await.expect("read").is_none());
}
