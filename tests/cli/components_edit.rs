//! `paas add` and `paas remove`: `paas.toml` edited in place (comments, order and formatting
//! kept), bad input refused with nothing changed, `--delete-data` refused off a terminal
//! without `--yes`; and against the test platform, what stays and what goes in the cluster.

use std::collections::BTreeMap;

use k8s_openapi::api::core::v1::{PersistentVolumeClaim, Secret};
use kube::api::{Api, ListParams, ObjectMeta, PostParams};

use crate::paas_snapshot;
use crate::support::TestEnv;
use crate::support::app::paas_on;
use crate::support::platform::Platform;

/// A `paas.toml` written by hand, with comments and spacing of its own.
const HAND_WRITTEN: &str = r#"# The shop. Ask #team-shop before changing anything here.
[app]
name = "shop"      # the DNS name
pack = "nginx"
port    = 8080

[build]
registry = "registry.example.com/team"

[deploy]
replicas = 2   # two, for the PDB
[deploy.env]
GREETING = 'hello'   # literal string, kept as written

# production
[env.prod]
namespace = "shop"
"#;

fn project() -> TestEnv {
    let env = TestEnv::new();
    env.write("paas.toml", HAND_WRITTEN);
    env
}

/// The unified diff between two texts, as a snapshot shows it.
fn diff(before: &str, after: &str) -> String {
    similar::TextDiff::from_lines(before, after)
        .unified_diff()
        .context_radius(2)
        .to_string()
}

#[test]
fn add_and_remove_keep_comments_and_formatting() {
    let env = project();
    paas_snapshot!(
        env,
        env.paas().args(["add", "redis", "--name", "cache"]),
        "add_cache"
    );
    paas_snapshot!(
        env,
        env.paas().args(["add", "postgres", "--version", "17"]),
        "add_postgres"
    );
    let added = env.read("paas.toml");
    insta::assert_snapshot!("paas_toml_before", HAND_WRITTEN);
    insta::assert_snapshot!("paas_toml_after_add", added);
    insta::assert_snapshot!("paas_toml_add_diff", diff(HAND_WRITTEN, &added));
    paas_snapshot!(
        env,
        env.paas().args(["remove", "cache"]),
        "remove_cache_no_cluster"
    );
    paas_snapshot!(
        env,
        env.paas().args(["remove", "postgres"]),
        "remove_postgres_no_cluster"
    );
    assert_eq!(
        env.read("paas.toml"),
        HAND_WRITTEN,
        "add then remove gives the file back"
    );
}

#[test]
fn add_prints_json() {
    let env = project();
    let output = env
        .paas()
        .args(["add", "mongodb", "--output", "json"])
        .output()
        .expect("runs");
    assert!(output.status.success(), "{output:?}");
    let json: serde_json::Value = serde_json::from_slice(&output.stdout).expect("json");
    assert_eq!(json["name"], "mongodb");
    assert_eq!(json["kind"], "mongodb");
    assert_eq!(json["env"], "MONGODB_URI");
    assert!(
        json["version"].as_str().is_some_and(|v| !v.is_empty()),
        "{json}"
    );
}

#[test]
fn a_second_instance_of_a_kind_renames_the_first_ones_variable_with_a_warning() {
    let env = project();
    let first = env
        .paas()
        .args(["add", "redis", "--name", "cache"])
        .output()
        .expect("runs");
    assert!(first.status.success());
    paas_snapshot!(
        env,
        env.paas().args(["add", "redis", "--name", "sessions"]),
        "add_second_redis"
    );
}

#[test]
fn bad_input_changes_nothing() {
    let env = project();
    let first = env
        .paas()
        .args(["add", "redis", "--name", "cache"])
        .output()
        .expect("runs");
    assert!(first.status.success());
    let before = env.read("paas.toml");
    let cases: [(&str, &[&str]); 6] = [
        ("unknown_kind", &["add", "mysql"]),
        ("duplicate_name", &["add", "redis", "--name", "cache"]),
        ("invalid_name", &["add", "redis", "--name", "Cache_1"]),
        ("unknown_version", &["add", "postgres", "--version", "9.6"]),
        ("unknown_component", &["remove", "db"]),
        (
            "too_long",
            &[
                "add",
                "redis",
                "--name",
                "a-name-that-is-far-too-long-for-the-app-shop-beside-it",
            ],
        ),
    ];
    for (name, args) in cases {
        let output = paas_snapshot!(env, env.paas().args(args), format!("bad_input_{name}"));
        assert_eq!(output.status.code(), Some(2), "{name}: usage error");
        assert_eq!(env.read("paas.toml"), before, "{name}: paas.toml unchanged");
        let names: Vec<_> = env.tree().into_iter().map(|(path, _)| path).collect();
        assert_eq!(names, vec!["paas.toml"], "{name}: no temporary file left");
    }
}

#[test]
fn delete_data_off_a_terminal_needs_yes() {
    let env = project();
    let first = env
        .paas()
        .args(["add", "redis", "--name", "cache"])
        .output()
        .expect("runs");
    assert!(first.status.success());
    let before = env.read("paas.toml");
    let output = paas_snapshot!(
        env,
        env.paas().args(["remove", "cache", "--delete-data"]),
        "delete_data_without_yes"
    );
    assert_eq!(output.status.code(), Some(2));
    assert_eq!(env.read("paas.toml"), before, "nothing changed");
}

#[test]
fn delete_data_with_an_unreachable_cluster_changes_nothing() {
    let env = project();
    let first = env
        .paas()
        .args(["add", "redis", "--name", "cache"])
        .output()
        .expect("runs");
    assert!(first.status.success());
    let before = env.read("paas.toml");
    let output = env
        .paas()
        .args(["remove", "cache", "--delete-data", "--yes"])
        .output()
        .expect("runs");
    assert!(!output.status.success(), "{output:?}");
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(stderr.contains("nothing was changed"), "{stderr}");
    assert_eq!(env.read("paas.toml"), before, "nothing changed");
}

/// Creates a volume claim and a password Secret with the labels `paas up` gives component
/// `name` of app `shop`.
async fn component_data(platform: &Platform, name: &str) -> (String, String) {
    let claim = format!("data-v7-shop-{name}-0");
    let claims: Api<PersistentVolumeClaim> = platform.api();
    let labels = paas::labels::claim_labels("shop", name, "redis", "7");
    let pvc: PersistentVolumeClaim = serde_json::from_value(serde_json::json!({
        "metadata": { "name": claim, "labels": labels },
        "spec": {
            "accessModes": ["ReadWriteOnce"],
            "resources": { "requests": { "storage": "1Gi" } }
        }
    }))
    .expect("a claim");
    claims
        .create(&PostParams::default(), &pvc)
        .await
        .expect("create claim");
    let secret_name = format!("shop-{name}");
    let secrets: Api<Secret> = platform.api();
    let secret = Secret {
        metadata: ObjectMeta {
            name: Some(secret_name.clone()),
            labels: Some(paas::labels::credentials_labels("shop", name)),
            ..ObjectMeta::default()
        },
        string_data: Some(BTreeMap::from([(
            "password".to_owned(),
            "not-shown".to_owned(),
        )])),
        ..Secret::default()
    };
    secrets
        .create(&PostParams::default(), &secret)
        .await
        .expect("create secret");
    (claim, secret_name)
}

async fn names<K>(api: &Api<K>) -> Vec<String>
where
    K: kube::Resource + Clone + serde::de::DeserializeOwned + std::fmt::Debug,
{
    api.list_metadata(&ListParams::default())
        .await
        .expect("list")
        .items
        .into_iter()
        .filter_map(|o| o.metadata.name)
        .collect()
}

#[tokio::test]
async fn remove_keeps_the_data_and_delete_data_deletes_it() {
    let Some(platform) = Platform::setup().await else {
        return;
    };
    let env = project();
    for name in ["cache", "sessions"] {
        let added = env
            .paas()
            .args(["add", "redis", "--name", name, "--version", "7.4"])
            .output()
            .expect("runs");
        assert!(added.status.success(), "{added:?}");
    }
    let (claim, secret) = component_data(&platform, "cache").await;
    let (other_claim, other_secret) = component_data(&platform, "sessions").await;
    let claims: Api<PersistentVolumeClaim> = platform.api();
    let secrets: Api<Secret> = platform.api();

    // Without --delete-data: the definition goes, the volume and the password stay, and
    // `add` again gets both back (same names: nothing was made anew).
    let output = paas_on(&env, &platform, &["remove", "cache"])
        .output()
        .expect("runs");
    assert!(output.status.success(), "{output:?}");
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        stderr.contains(&format!("persistentvolumeclaim/{claim}")),
        "{stderr}"
    );
    assert!(stderr.contains(&format!("secret/{secret}")), "{stderr}");
    assert!(
        stderr.contains("`paas add redis --name cache --version 7.4`"),
        "{stderr}"
    );
    assert!(!stderr.contains("not-shown"), "no password in the output");
    assert!(!env.read("paas.toml").contains("[components.cache]"));
    assert!(names(&claims).await.contains(&claim));
    let kept = secrets.get(&secret).await.expect("the Secret stays");
    let again = env
        .paas()
        .args(["add", "redis", "--name", "cache", "--version", "7.4"])
        .output()
        .expect("runs");
    assert!(again.status.success(), "{again:?}");
    let after = secrets.get(&secret).await.expect("secret");
    assert_eq!(after.metadata.uid, kept.metadata.uid, "the same Secret");
    assert_eq!(after.data, kept.data, "the same password");

    // --delete-data --yes: the claim and the Secret of `cache` go; `sessions` keeps its own.
    let output = paas_on(
        &env,
        &platform,
        &[
            "remove",
            "cache",
            "--delete-data",
            "--yes",
            "--output",
            "json",
        ],
    )
    .output()
    .expect("runs");
    assert!(output.status.success(), "{output:?}");
    let json: serde_json::Value = serde_json::from_slice(&output.stdout).expect("json");
    let deleted: Vec<&str> = json["deleted"]
        .as_array()
        .expect("deleted")
        .iter()
        .filter_map(|v| v.as_str())
        .collect();
    assert!(
        deleted.contains(&format!("persistentvolumeclaim/{claim}").as_str()),
        "{json}"
    );
    assert!(
        deleted.contains(&format!("secret/{secret}").as_str()),
        "{json}"
    );
    assert_eq!(json["edited"], true);
    assert!(!env.read("paas.toml").contains("[components.cache]"));
    assert!(
        secrets.get_opt(&secret).await.expect("get").is_none(),
        "the password is gone"
    );
    let left = claims.get_opt(&claim).await.expect("get");
    assert!(
        left.is_none_or(|c| c.metadata.deletion_timestamp.is_some()),
        "the claim is deleted"
    );
    assert!(
        names(&claims).await.contains(&other_claim),
        "the other component's claim stays"
    );
    assert!(secrets.get_opt(&other_secret).await.expect("get").is_some());

    // The data of a component already removed from paas.toml can still be deleted.
    let output = paas_on(&env, &platform, &["remove", "sessions"])
        .output()
        .expect("runs");
    assert!(output.status.success(), "{output:?}");
    let output = paas_on(
        &env,
        &platform,
        &["remove", "sessions", "--delete-data", "--yes"],
    )
    .output()
    .expect("runs");
    assert!(output.status.success(), "{output:?}");
    assert!(secrets.get_opt(&other_secret).await.expect("get").is_none());
}

#[test]
fn add_help_lists_the_bundled_catalog() {
    let env = TestEnv::new();
    let output = env.paas().args(["add", "--help"]).output().expect("runs");
    let help = String::from_utf8_lossy(&output.stdout)
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ");
    let catalog = paas::component::Catalog::load(&[]).expect("the bundled catalog");
    for kind in catalog.kinds() {
        let versions: Vec<&str> = kind
            .manifest
            .versions
            .iter()
            .map(|v| v.version.as_str())
            .collect();
        let listed = format!("{} {}", kind.manifest.kind, versions.join(", "));
        assert!(
            help.contains(&listed),
            "`paas add --help` should list `{listed}`:\n{help}"
        );
    }
}
