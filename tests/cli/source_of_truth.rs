//! `paas.toml` decides what is deployed after `paas init`: every standard template is written
//! once and renders to nothing until `paas.toml` asks for it (on the real API server: the
//! disruption budget, the Ingress, the network policy and the autoscaler appear when their
//! sections are added, and turning autoscaling on never drops the pods to one); `init
//! --dry-run` over existing files says what each would need; a `deploy/` folder paas did not
//! write (kustomize, Helm) is left alone and `render` reads only paas's templates.

use std::fmt::Write as _;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use k8s_openapi::api::apps::v1::Deployment;
use k8s_openapi::api::autoscaling::v2::HorizontalPodAutoscaler;
use k8s_openapi::api::networking::v1::{Ingress, NetworkPolicy};
use k8s_openapi::api::policy::v1::PodDisruptionBudget;
use kube::api::{Patch, PatchParams};
use serde_json::{Value, json};

use crate::paas_snapshot;
use crate::support::TestEnv;
use crate::support::app::{new_content, site, up, up_json};
use crate::support::platform::Platform;

const STANDARD: [&str; 7] = [
    "configmap.yaml",
    "deployment.yaml",
    "hpa.yaml",
    "ingress.yaml",
    "networkpolicy.yaml",
    "pdb.yaml",
    "service.yaml",
];

fn init(env: &TestEnv, extra: &[&str]) -> std::process::Output {
    env.paas()
        .args([
            "init",
            "--yes",
            "--name",
            "web",
            "--registry",
            "registry.example.com/team",
        ])
        .args(extra)
        .output()
        .expect("paas init runs")
}

/// `kind/name` of every object `paas render` prints, from its JSON.
fn rendered(env: &TestEnv) -> Vec<String> {
    let output = env
        .paas()
        .args(["render", "--output", "json"])
        .output()
        .expect("paas render runs");
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let objects: Vec<Value> = serde_json::from_slice(&output.stdout).expect("JSON");
    objects
        .iter()
        .map(|o| format!("{}/{}", o["kind"].as_str().unwrap_or("?"), o["name"]))
        .collect()
}

/// Appends `text` to `paas.toml`, or replaces `from` with `to` in it.
fn edit_toml(env: &TestEnv, from: &str, to: &str) {
    let toml = env.read("paas.toml");
    assert!(toml.contains(from), "`{from}` in paas.toml:\n{toml}");
    env.write("paas.toml", &toml.replacen(from, to, 1));
}

fn append_toml(env: &TestEnv, text: &str) {
    let toml = env.read("paas.toml");
    env.write("paas.toml", &format!("{toml}\n{text}"));
}

/// The `replicas = N` line `init` wrote.
fn replicas_line(env: &TestEnv) -> String {
    env.read("paas.toml")
        .lines()
        .find(|l| l.starts_with("replicas = "))
        .expect("a replica count in paas.toml")
        .to_owned()
}

#[test]
fn every_standard_template_is_written_and_renders_only_when_asked() {
    let env = TestEnv::fixture("static-dist");
    let output = init(&env, &[]);
    assert!(output.status.success(), "{output:?}");
    for name in STANDARD {
        let text = env.read(&format!("deploy/{name}"));
        assert!(
            text.starts_with(paas::scaffold::templates::MARKER),
            "{name} begins with the marker:\n{text}"
        );
    }
    let mut steps = String::new();
    let mut step = |label: &str, env: &TestEnv| {
        let _ = writeln!(steps, "{label}: {}", rendered(env).join(", "));
    };
    step("as init wrote it", &env);
    let line = replicas_line(&env);
    edit_toml(&env, &line, "replicas = 2");
    step("replicas = 2", &env);
    append_toml(&env, "[ingress]\nhost = \"web.example.com\"\n");
    step("a host", &env);
    append_toml(
        &env,
        "[access]\nallow_from = [\"shop\"]\ningress_namespace = \"ingress-nginx\"\n",
    );
    step("[access]", &env);
    edit_toml(&env, "# autoscale = ", "autoscale = ");
    step("autoscale", &env);
    append_toml(&env, "[monitoring]\ndashboard = true\n");
    step("a dashboard", &env);
    insta::assert_snapshot!(steps, @r#"
    as init wrote it: ConfigMap/"web-env", Service/"web", Deployment/"web"
    replicas = 2: ConfigMap/"web-env", Service/"web", Deployment/"web", PodDisruptionBudget/"web"
    a host: ConfigMap/"web-env", Service/"web", Deployment/"web", PodDisruptionBudget/"web", Ingress/"web"
    [access]: ConfigMap/"web-env", Service/"web", Deployment/"web", PodDisruptionBudget/"web", Ingress/"web", NetworkPolicy/"web"
    autoscale: ConfigMap/"web-env", Service/"web", Deployment/"web", HorizontalPodAutoscaler/"web", PodDisruptionBudget/"web", Ingress/"web", NetworkPolicy/"web"
    a dashboard: ConfigMap/"web-dashboard", ConfigMap/"web-env", Service/"web", Deployment/"web", HorizontalPodAutoscaler/"web", PodDisruptionBudget/"web", Ingress/"web", NetworkPolicy/"web"
    "#);
}

#[test]
fn dry_run_over_existing_files_says_what_each_would_need() {
    let env = TestEnv::fixture("static-dist");
    assert!(init(&env, &[]).status.success());
    env.write("Dockerfile", "FROM mine\n");
    fs_err::remove_file(env.project.join("deploy/hpa.yaml")).expect("remove");
    let before = env.tree();

    let mut text = env.paas();
    text.args([
        "init",
        "--dry-run",
        "--name",
        "web",
        "--registry",
        "registry.example.com/team",
    ]);
    let (all, output) = crate::support::run(&mut text);
    assert_eq!(output.status.code(), Some(0), "{all}");
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert!(stdout.contains("==> Dockerfile <=="), "{stdout}");
    insta::assert_snapshot!(String::from_utf8_lossy(&output.stderr), @r"
        Detected static site in `dist` (nginx)
       Unchanged `.dockerignore`
    Needs --force `Dockerfile`
       Unchanged `nginx.conf`
       Unchanged `deploy/configmap.yaml`
       Unchanged `deploy/dashboard.yaml`
       Unchanged `deploy/deployment.yaml`
    Would create `deploy/hpa.yaml`
       Unchanged `deploy/ingress.yaml`
       Unchanged `deploy/networkpolicy.yaml`
       Unchanged `deploy/pdb.yaml`
       Unchanged `deploy/service.yaml`
       Unchanged `deploy/servicemonitor.yaml`
       Unchanged `paas.toml`
         Checked 13 files; nothing written (`--dry-run`)
    1 existing file differs; `paas init --force` would replace it
    ");

    let actions = |extra: &[&str]| {
        let output = env
            .paas()
            .args([
                "init",
                "--dry-run",
                "--name",
                "web",
                "--registry",
                "registry.example.com/team",
                "--output",
                "json",
            ])
            .args(extra)
            .output()
            .expect("runs");
        assert_eq!(output.status.code(), Some(0));
        let report: Value = serde_json::from_slice(&output.stdout).expect("JSON");
        assert_eq!(report["dry_run"], true);
        assert_eq!(report["templates"], "deploy");
        report["files"]
            .as_array()
            .expect("files")
            .iter()
            .map(|f| format!("{}: {}", f["path"].as_str().unwrap_or("?"), f["action"]))
            .collect::<Vec<_>>()
            .join("\n")
    };
    insta::assert_snapshot!(actions(&[]), @r#"
    .dockerignore: "unchanged"
    Dockerfile: "needs-force"
    nginx.conf: "unchanged"
    deploy/configmap.yaml: "unchanged"
    deploy/dashboard.yaml: "unchanged"
    deploy/deployment.yaml: "unchanged"
    deploy/hpa.yaml: "create"
    deploy/ingress.yaml: "unchanged"
    deploy/networkpolicy.yaml: "unchanged"
    deploy/pdb.yaml: "unchanged"
    deploy/service.yaml: "unchanged"
    deploy/servicemonitor.yaml: "unchanged"
    paas.toml: "unchanged"
    "#);
    let forced = actions(&["--force"]);
    assert!(forced.contains("Dockerfile: \"overwrite\""), "{forced}");
    assert_eq!(env.tree(), before, "a dry run writes nothing");
}

/// Initialises a fixture whose `deploy/` belongs to another tool, and checks that its files
/// are as they were, that paas's templates went to `deploy/paas/` (recorded in `paas.toml`)
/// and that `render` reads only those.
fn init_beside(fixture: &str) {
    let env = TestEnv::fixture(fixture);
    let foreign: Vec<(String, String)> = env
        .tree()
        .into_iter()
        .filter(|(path, _)| path.starts_with("deploy/"))
        .collect();
    assert!(!foreign.is_empty());

    // JSON first, as a dry run in a copy: where the files would go and why.
    let copy = TestEnv::fixture(fixture);
    let output = copy
        .paas()
        .args([
            "init",
            "--dry-run",
            "--name",
            "web",
            "--registry",
            "registry.example.com/team",
            "--output",
            "json",
        ])
        .output()
        .expect("runs");
    assert_eq!(output.status.code(), Some(0));
    let report: Value = serde_json::from_slice(&output.stdout).expect("JSON");
    let files: Vec<String> = report["files"]
        .as_array()
        .expect("files")
        .iter()
        .map(|f| format!("{} ({})", f["path"].as_str().unwrap_or("?"), f["action"]))
        .collect();
    insta::assert_snapshot!(
        format!("init_beside_{fixture}_json"),
        format!(
            "templates: {}\nbeside: {}\n{}",
            report["templates"],
            report["beside"],
            files.join("\n")
        )
    );

    let output = paas_snapshot!(
        env,
        env.paas().args([
            "init",
            "--yes",
            "--name",
            "web",
            "--registry",
            "registry.example.com/team"
        ]),
        format!("init_beside_{fixture}")
    );
    assert!(output.status.success());
    for (path, text) in &foreign {
        assert_eq!(&env.read(path), text, "`{path}` is as it was");
    }
    assert!(
        env.read("paas.toml")
            .contains("templates = \"deploy/paas\""),
        "{}",
        env.read("paas.toml")
    );
    for name in STANDARD {
        assert!(
            env.project.join("deploy/paas").join(name).is_file(),
            "{name}"
        );
    }
    // render reads paas's templates only, and says nothing of the other tool's files.
    let output = env
        .paas()
        .args(["render", "--output", "json"])
        .output()
        .expect("runs");
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    assert!(
        !String::from_utf8_lossy(&output.stderr).contains("warning"),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let objects: Vec<Value> = serde_json::from_slice(&output.stdout).expect("JSON");
    assert!(!objects.is_empty());
    for object in &objects {
        let source = object["source"].as_str().unwrap_or_default();
        assert!(source.starts_with("deploy/paas/"), "{source}");
    }
    // Again: the recorded folder is used, and nothing changes.
    let before = env.tree();
    let again = init(&env, &[]);
    assert!(again.status.success(), "{again:?}");
    assert_eq!(env.tree(), before);
}

#[test]
fn init_beside_a_kustomize_folder() {
    init_beside("static-kustomize");
}

#[test]
fn init_beside_a_helm_chart() {
    init_beside("static-helm");
}

#[test]
fn a_project_from_before_the_marker_keeps_working() {
    let env = TestEnv::fixture("static-dist");
    assert!(init(&env, &[]).status.success());
    let marked = rendered(&env);
    // Templates as an older paas wrote them: no marker line, no `templates` key.
    for name in STANDARD {
        let path = format!("deploy/{name}");
        let text = env.read(&path);
        let (_, rest) = text.split_once('\n').expect("a first line");
        env.write(&path, rest);
    }
    assert!(!env.read("paas.toml").contains("templates"));
    assert_eq!(rendered(&env), marked);
    // init again takes `deploy/` as paas's (paas.toml says so), and offers to mark them.
    let output = env
        .paas()
        .args([
            "init",
            "--dry-run",
            "--name",
            "web",
            "--registry",
            "registry.example.com/team",
            "--output",
            "json",
        ])
        .output()
        .expect("runs");
    let report: Value = serde_json::from_slice(&output.stdout).expect("JSON");
    assert_eq!(report["templates"], "deploy");
    assert_eq!(report["beside"], Value::Null);
}

#[test]
fn render_leaves_out_another_tools_file_in_the_templates_folder() {
    let env = TestEnv::fixture("static-dist");
    assert!(init(&env, &[]).status.success());
    env.write(
        "deploy/kustomization.yaml",
        "resources:\n  - deployment.yaml\n",
    );
    let output = env.paas().args(["render"]).output().expect("runs");
    assert!(output.status.success());
    let stderr = String::from_utf8_lossy(&output.stderr);
    insta::assert_snapshot!(stderr.lines().next().unwrap_or_default(), @"warning: `deploy/kustomization.yaml` belongs to a kustomize folder, not to paas; it is not read as a template (`paas init` in a new project writes paas's templates to `deploy/paas/` beside such a folder)");
}

#[test]
fn a_templates_folder_outside_the_project_is_refused() {
    let env = TestEnv::fixture("static-dist");
    assert!(init(&env, &[]).status.success());
    edit_toml(&env, "[app]\n", "[app]\ntemplates = \"../elsewhere\"\n");
    paas_snapshot!(env, env.paas().args(["render"]), @r"
    success: false
    exit_code: 2
    ----- stdout -----

    ----- stderr -----
    error: `app.templates` in `paas.toml` is invalid: `../elsewhere` is not a folder inside the project, such as `deploy/paas`

    hint: name a folder inside the project, or remove the key for `deploy`
    ");
}

async fn deployment_replicas(platform: &Platform) -> Option<i32> {
    let deployment: Deployment = platform.api().get("site").await.ok()?;
    deployment.spec.and_then(|s| s.replicas)
}

/// Runs `paas up` while another task reads the Deployment's replica count every 50 ms;
/// returns the count right after `up` and every count seen, until 20 s after `up` ended (the
/// autoscaler syncs every 15 s).
async fn up_watching_replicas(env: &TestEnv, platform: &Platform) -> (Option<i32>, Vec<i32>) {
    let seen = Arc::new(Mutex::new(Vec::new()));
    let done = Arc::new(std::sync::atomic::AtomicBool::new(false));
    let watcher = {
        let (seen, done) = (seen.clone(), done.clone());
        let api: kube::Api<Deployment> = platform.api();
        tokio::spawn(async move {
            while !done.load(std::sync::atomic::Ordering::SeqCst) {
                if let Ok(d) = api.get("site").await
                    && let Some(count) = d.spec.and_then(|s| s.replicas)
                {
                    seen.lock().expect("lock").push(count);
                }
                tokio::time::sleep(Duration::from_millis(50)).await;
            }
        })
    };
    let output = {
        let kubeconfig = platform.kubeconfig.clone();
        let docker = platform.docker_host.clone();
        let namespace = platform.namespace.clone();
        let mut command = env.paas();
        command
            .args([
                "up",
                "--namespace",
                &namespace,
                "--timeout",
                "60s",
                "--output",
                "json",
            ])
            .env("KUBECONFIG", kubeconfig)
            .env("DOCKER_HOST", docker);
        tokio::task::spawn_blocking(move || command.output().expect("paas up runs"))
            .await
            .expect("joined")
    };
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let after = deployment_replicas(platform).await;
    tokio::time::sleep(Duration::from_secs(20)).await;
    done.store(true, std::sync::atomic::Ordering::SeqCst);
    watcher.await.expect("the watcher ends");
    let seen = seen.lock().expect("lock").clone();
    (after, seen)
}

#[tokio::test]
async fn sections_added_after_init_reach_the_cluster() {
    let Some(platform) = Platform::setup().await else {
        return;
    };
    let env = site(&platform, &platform.registry);
    new_content(&env, &platform, "1");
    up_json(&env, &platform);
    let exists = |found: bool, what: &str| assert!(found, "{what}");
    assert!(
        platform
            .api::<PodDisruptionBudget>()
            .get_opt("site")
            .await
            .expect("read")
            .is_none()
    );

    // Two pods or more: the budget.
    let line = replicas_line(&env);
    edit_toml(&env, &line, "replicas = 3");
    up_json(&env, &platform);
    exists(
        platform
            .api::<PodDisruptionBudget>()
            .get_opt("site")
            .await
            .expect("read")
            .is_some(),
        "a PodDisruptionBudget once replicas = 3",
    );
    assert_eq!(deployment_replicas(&platform).await, Some(3));

    // A host and [access]: the Ingress and the NetworkPolicy.
    append_toml(&env, "[ingress]\nhost = \"site.example.com\"\n");
    append_toml(
        &env,
        "[access]\nallow_from = [\"shop\"]\ningress_namespace = \"ingress-nginx\"\n",
    );
    up_json(&env, &platform);
    let ingress: Ingress = platform.api().get("site").await.expect("an Ingress");
    let rules = ingress.spec.and_then(|s| s.rules).unwrap_or_default();
    assert_eq!(rules[0].host.as_deref(), Some("site.example.com"));
    exists(
        platform
            .api::<NetworkPolicy>()
            .get_opt("site")
            .await
            .expect("read")
            .is_some(),
        "a NetworkPolicy once [access] is set",
    );

    // Autoscaling: the autoscaler, and the three pods keep running: the count never drops
    // below the minimum (to one), during the deploy or after it while the autoscaler runs
    // (which may itself move it within its bounds).
    edit_toml(
        &env,
        "# autoscale = { min = 2, max = 10",
        "autoscale = { min = 2, max = 5",
    );
    let (after, seen) = up_watching_replicas(&env, &platform).await;
    assert_eq!(after, Some(3), "the deploy keeps the three pods");
    let hpa: HorizontalPodAutoscaler = platform.api().get("site").await.expect("an HPA");
    let spec = hpa.spec.expect("spec");
    assert_eq!((spec.min_replicas, spec.max_replicas), (Some(2), 5));
    assert!(!seen.is_empty());
    assert!(
        seen.iter().all(|count| (2..=5).contains(count)),
        "the replica count stays within the bounds, never 1: {seen:?}"
    );
    // A later deploy of new content keeps the count too.
    let before = deployment_replicas(&platform).await;
    new_content(&env, &platform, "2");
    let output = up(&env, &platform, &[]);
    assert!(output.status.success());
    assert_eq!(deployment_replicas(&platform).await, before);

    // Autoscaling off again: the autoscaler goes, the count paas.toml declares applies.
    edit_toml(
        &env,
        "autoscale = { min = 2, max = 5",
        "# autoscale = { min = 2, max = 10",
    );
    edit_toml(&env, "replicas = 3", "replicas = 2");
    up_json(&env, &platform);
    assert!(
        platform
            .api::<HorizontalPodAutoscaler>()
            .get_opt("site")
            .await
            .expect("read")
            .is_none()
    );
    assert_eq!(deployment_replicas(&platform).await, Some(2));
}

#[tokio::test]
async fn an_app_that_autoscales_from_its_first_deploy_starts_at_the_minimum() {
    let Some(platform) = Platform::setup().await else {
        return;
    };
    let env = site(&platform, &platform.registry);
    edit_toml(
        &env,
        "# autoscale = { min = 2, max = 10",
        "autoscale = { min = 2, max = 5",
    );
    new_content(&env, &platform, "1");
    up_json(&env, &platform);
    assert_eq!(deployment_replicas(&platform).await, Some(2));
}

/// What the API server does when an apply by the same manager stops declaring
/// `spec.replicas`: the field is given up, and the Deployment goes back to the default of one
/// pod. This is why paas always sends a count ([`paas::deploy::scale::reconcile`]).
#[tokio::test]
async fn an_apply_that_stops_declaring_replicas_resets_them_to_one() {
    let Some(platform) = Platform::setup().await else {
        return;
    };
    let deployment = |replicas: Option<i32>| {
        let mut spec = json!({
            "selector": { "matchLabels": { "app": "bare" } },
            "template": {
                "metadata": { "labels": { "app": "bare" } },
                "spec": { "containers": [{ "name": "app", "image": platform.image("1") }] }
            }
        });
        if let Some(replicas) = replicas {
            spec["replicas"] = json!(replicas);
        }
        json!({
            "apiVersion": "apps/v1",
            "kind": "Deployment",
            "metadata": { "name": "bare" },
            "spec": spec
        })
    };
    let api: kube::Api<Deployment> = platform.api();
    let params = PatchParams::apply("paas");
    let count = |d: Deployment| d.spec.and_then(|s| s.replicas);
    let applied = api
        .patch("bare", &params, &Patch::Apply(deployment(Some(3))))
        .await
        .expect("apply");
    assert_eq!(count(applied), Some(3));
    let applied = api
        .patch("bare", &params, &Patch::Apply(deployment(None)))
        .await
        .expect("apply");
    assert_eq!(count(applied), Some(1));
}
