//! Cause chains say each thing once: real failures whose libraries repeat their source in
//! their own message (kube's kubeconfig reader, its exec-plugin runner, hyper's connect
//! error), rendered as the user sees them.

use crate::paas_snapshot;
use crate::support::TestEnv;

/// Writes a kubeconfig whose only user is `user` (YAML) for a server at `127.0.0.1:1`, where
/// nothing listens.
fn kubeconfig(env: &TestEnv, user: &str) {
    let dir = env.temp.path().join("home/.kube");
    fs_err::create_dir_all(&dir).expect("dir");
    fs_err::write(
        dir.join("config"),
        format!(
            "apiVersion: v1\nkind: Config\nclusters:\n- name: c\n  cluster:\n    server: https://127.0.0.1:1\n    insecure-skip-tls-verify: true\nusers:\n- name: u\n  user:\n{user}\ncontexts:\n- name: x\n  context: {{cluster: c, user: u, namespace: default}}\ncurrent-context: x\n"
        ),
    )
    .expect("kubeconfig");
}

#[test]
fn each_cause_once_for_a_missing_kubeconfig() {
    let env = TestEnv::new();
    paas_snapshot!(
        env,
        env.paas()
            .args(["status", "--app", "web"])
            .env("KUBECONFIG", env.temp.path().join("missing")),
        "errors_missing_kubeconfig"
    );
}

#[test]
fn each_cause_once_for_a_missing_exec_plugin() {
    let env = TestEnv::new();
    kubeconfig(
        &env,
        "    exec:\n      apiVersion: client.authentication.k8s.io/v1\n      command: /nonexistent/paas-test-plugin\n      interactiveMode: Never",
    );
    paas_snapshot!(
        env,
        env.paas().args(["status", "--app", "web"]),
        "errors_missing_exec_plugin"
    );
}

#[test]
fn each_cause_once_for_a_refused_connection() {
    let env = TestEnv::new();
    kubeconfig(&env, "    token: not-a-secret");
    let output = paas_snapshot!(
        env,
        env.paas().args(["status", "--app", "web"]),
        "errors_connection_refused"
    );
    assert_eq!(output.status.code(), Some(75));
}
