//! Values of `paas.toml` that Kubernetes or paas cannot honour are refused before anything is
//! built or contacted: exit 2, the field named, a hint. The Docker Engine and the API server of
//! these runs do not exist, so an exit of 2 (not 75) shows that neither was asked.

use std::fmt::Write as _;

use crate::support::TestEnv;
use crate::support::app::stderr;

/// A static site project (`paas init`) with `edit` applied to its `paas.toml`.
fn project(edit: impl Fn(&str) -> String) -> TestEnv {
    let env = TestEnv::fixture("static-dist");
    let output = env
        .paas()
        .args([
            "init",
            "--yes",
            "--name",
            "site",
            "--registry",
            "127.0.0.1:5000/t",
        ])
        .output()
        .expect("runs");
    assert!(output.status.success(), "{}", stderr(&output));
    let toml = env.read("paas.toml");
    let edited = edit(&toml);
    assert_ne!(edited, toml, "the edit applies");
    env.write("paas.toml", &edited);
    env
}

/// `paas up ARGS` against an engine and a cluster that do not exist: the exit code and stderr.
fn up(env: &TestEnv, args: &[&str]) -> (Option<i32>, String) {
    let closed = std::net::TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .expect("a port")
        .port();
    let kubeconfig = env.temp.path().join("kubeconfig");
    fs_err::write(
        &kubeconfig,
        format!("apiVersion: v1\nkind: Config\ncurrent-context: gone\nclusters:\n- name: gone\n  cluster:\n    server: https://127.0.0.1:{closed}\ncontexts:\n- name: gone\n  context:\n    cluster: gone\n    user: gone\nusers:\n- name: gone\n  user:\n    token: x\n"),
    )
    .expect("kubeconfig");
    let output = env
        .paas()
        .arg("up")
        .args(args)
        .env("KUBECONFIG", &kubeconfig)
        .env("DOCKER_HOST", format!("tcp://127.0.0.1:{closed}"))
        .output()
        .expect("runs");
    (output.status.code(), stderr(&output))
}

fn set(key_value: &'static str) -> impl Fn(&str) -> String {
    move |toml: &str| toml.replacen("[deploy]\n", &format!("[deploy]\n{key_value}\n"), 1)
}

#[test]
fn values_out_of_range_are_usage_errors_naming_the_field() {
    type Edit = Box<dyn Fn(&str) -> String>;
    let cases: Vec<(&str, Edit, Vec<&str>)> = vec![
        (
            "port 0",
            Box::new(|t: &str| t.replace("port = 8080", "port = 0")),
            vec![],
        ),
        (
            "port 70000",
            Box::new(|t: &str| t.replace("port = 8080", "port = 70000")),
            vec![],
        ),
        (
            "cpu request above the default limit",
            Box::new(set("cpu_request = \"2\"")),
            vec![],
        ),
        (
            "cpu request above its limit",
            Box::new(set("cpu_request = \"1\"\ncpu_limit = \"250m\"")),
            vec![],
        ),
        (
            "memory limit below the default request",
            Box::new(set("memory_limit = \"64Mi\"")),
            vec![],
        ),
        (
            "zero progress deadline",
            Box::new(set("progress_deadline = 0")),
            vec![],
        ),
        (
            "replicas above the cap",
            Box::new(|t: &str| t.replace("replicas = 1\n", "replicas = 1001\n")),
            vec![],
        ),
        (
            "replicas above the cap in an environment",
            Box::new(|t: &str| format!("{t}\n[env.prod]\nreplicas = 5000\n")),
            vec!["--env", "prod"],
        ),
        (
            "autoscaler max above the cap",
            Box::new(set("autoscale = { min = 2, max = 5000, cpu = 70 }")),
            vec![],
        ),
        (
            "host an IPv4 address",
            Box::new(|t: &str| format!("{t}\n[ingress]\nhost = \"10.0.0.1\"\n")),
            vec![],
        ),
        (
            "host localhost",
            Box::new(|t: &str| format!("{t}\n[ingress]\nhost = \"localhost\"\n")),
            vec![],
        ),
        (
            "host with a label over 63 characters",
            Box::new(|t: &str| {
                format!(
                    "{t}\n[ingress]\nhost = \"{}.example.com\"\n",
                    "a".repeat(64)
                )
            }),
            vec![],
        ),
        (
            "host not a DNS name",
            Box::new(|t: &str| format!("{t}\n[ingress]\nhost = \"shop_web.example.com\"\n")),
            vec![],
        ),
        (
            "host of an environment an IP",
            Box::new(|t: &str| format!("{t}\n[env.prod]\nhost = \"192.168.1.10\"\n")),
            vec!["--env", "prod"],
        ),
    ];
    let mut table = String::new();
    for (name, edit, args) in cases {
        let env = project(edit);
        let (code, text) = up(&env, &args);
        let temp = env.temp.path().display().to_string();
        let _ = writeln!(table, "{name}: {code:?}");
        for line in text.lines().filter(|l| !l.trim().is_empty()) {
            let _ = writeln!(table, "    {}", line.replace(&temp, "[TEMP]").trim_end());
        }
    }
    insta::assert_snapshot!(table, @r"
    port 0: Some(2)
        error: `app.port` in `paas.toml` is `0`: a port is a number from 1 to 65535
        hint: set the port the app listens on, such as `port = 8080` under `[app]`
    port 70000: Some(2)
        error: invalid `[TEMP]/static-dist/paas.toml`: parse error at line 6, column 8
          |
        6 | port = 70000               # the port the app listens on in the container
          |        ^^^^^
        invalid value: integer `70000`, expected u16
        hint: fix the file, or compare it with the `paas.toml` reference in the README
    cpu request above the default limit: Some(2)
        error: `deploy.cpu_request` in `paas.toml` is `2`: above its limit `500m` (the default)
        hint: a request cannot be above its limit: lower `cpu_request` or raise `cpu_limit`
    cpu request above its limit: Some(2)
        error: `deploy.cpu_request` in `paas.toml` is `1`: above its limit `250m`
        hint: a request cannot be above its limit: lower `cpu_request` or raise `cpu_limit`
    memory limit below the default request: Some(2)
        error: `deploy.memory_limit` in `paas.toml` is `64Mi`: below the request `128Mi` (the default)
        hint: a request cannot be above its limit: lower `memory_request` or raise `memory_limit`
    zero progress deadline: Some(2)
        error: `deploy.progress_deadline` in `paas.toml` is `0`: a rollout needs at least a second to make progress
        hint: give the seconds a rollout may go without progress, such as `progress_deadline = 300`
    replicas above the cap: Some(2)
        error: `deploy.replicas` in `paas.toml` is `1001`: at most 1000 replicas, the most `paas scale` sets
        hint: give a smaller count, or let an autoscaler decide with `autoscale = { min = 2, max = 10, cpu = 70 }`
    replicas above the cap in an environment: Some(2)
        error: `env.prod.replicas` in `paas.toml` is `5000`: at most 1000 replicas, the most `paas scale` sets
        hint: give a smaller count, or let an autoscaler decide with `autoscale = { min = 2, max = 10, cpu = 70 }`
    autoscaler max above the cap: Some(2)
        error: `deploy.autoscale` in `paas.toml` is invalid
          caused by: invalid autoscaling bounds: max 5000 is out of range: the autoscaler runs at least 1 and at most 1000 replicas
        hint: use 1 <= min <= max and a CPU target in percent of the request, such as `autoscale = { min = 2, max = 10, cpu = 70 }`
    host an IPv4 address: Some(2)
        error: `ingress.host` in `paas.toml` is invalid
          caused by: `10.0.0.1` is not a valid host name: an IP address; an Ingress host is a DNS name such as `shop.example.com`
        hint: give the public DNS name the Ingress answers to, such as `shop.example.com`
    host localhost: Some(2)
        error: `ingress.host` in `paas.toml` is invalid
          caused by: `localhost` is not a valid host name: `localhost` is not reachable from outside the cluster; use a public DNS name
        hint: give the public DNS name the Ingress answers to, such as `shop.example.com`
    host with a label over 63 characters: Some(2)
        error: `ingress.host` in `paas.toml` is invalid
          caused by: `aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa.example.com` is not a valid host name: a part between dots is longer than 63 characters
        hint: give the public DNS name the Ingress answers to, such as `shop.example.com`
    host not a DNS name: Some(2)
        error: `ingress.host` in `paas.toml` is invalid
          caused by: `shop_web.example.com` is not a valid host name: expected a lowercase DNS name such as `shop.example.com`
        hint: give the public DNS name the Ingress answers to, such as `shop.example.com`
    host of an environment an IP: Some(2)
        error: `env.prod.host` in `paas.toml` is invalid
          caused by: `192.168.1.10` is not a valid host name: an IP address; an Ingress host is a DNS name such as `shop.example.com`
        hint: give the public DNS name the Ingress answers to, such as `shop.example.com`
    ");
}

#[test]
fn a_host_behind_access_rules_that_leave_out_the_ingress_controller_is_a_warning() {
    let env = project(|t: &str| {
        format!(
            "{t}\n[ingress]\nhost = \"shop.example.com\"\n\n[access]\nallow_from = [\"frontend\"]\n"
        )
    });
    let output = env
        .paas()
        .args(["render", "--out-dir", "out"])
        .output()
        .expect("runs");
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    insta::assert_snapshot!(stderr(&output).lines().filter(|l| l.starts_with("warning")).collect::<Vec<_>>().join("\n"), @r"
        warning: the NetworkPolicy rendered here lets in no ingress controller, so it refuses the traffic for `shop.example.com`: `paas up` finds the controller of ingress class `nginx` in the cluster, `paas render` does not look; set `ingress_namespace` under `[access]` to render it here
        ");
    // With the controller's namespace allowed, no warning.
    let allowed = project(|t: &str| {
        format!(
            "{t}\n[ingress]\nhost = \"shop.example.com\"\n\n[access]\nallow_from = [\"frontend\"]\ningress_namespace = \"ingress-nginx\"\n"
        )
    });
    let output = allowed
        .paas()
        .args(["render", "--out-dir", "out"])
        .output()
        .expect("runs");
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    assert!(!stderr(&output).contains("warning"), "{}", stderr(&output));
}
