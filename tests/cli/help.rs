//! `--help` is the first manual a user reads: snapshot it for every command.

use crate::paas_snapshot;
use crate::support::TestEnv;

#[test]
fn help_of_every_command() {
    let env = TestEnv::new();
    for args in [
        vec!["--help"],
        vec!["init", "--help"],
        vec!["detect", "--help"],
        vec!["render", "--help"],
        vec!["up", "--help"],
        vec!["diff", "--help"],
        vec!["packs", "--help"],
        vec!["packs", "show", "--help"],
        vec!["completions", "--help"],
    ] {
        let name = format!("help_{}", args.join("_").replace("--", ""));
        let output = paas_snapshot!(env, env.paas().args(&args), name);
        assert!(output.status.success());
    }
}

#[test]
fn version() {
    let env = TestEnv::new();
    let output = env.paas().arg("--version").output().expect("paas runs");
    assert!(output.status.success());
    assert_eq!(
        String::from_utf8_lossy(&output.stdout),
        format!("paas {}\n", env!("CARGO_PKG_VERSION"))
    );
}

#[test]
fn usage_errors_exit_2() {
    let env = TestEnv::new();
    paas_snapshot!(
        env,
        env.paas().args(["init", "--port", "eighty"]),
        "usage_bad_port"
    );
    paas_snapshot!(env, env.paas().arg("deploy"), "usage_unknown_command");
    let output = env
        .paas()
        .args(["init", "--port", "eighty"])
        .output()
        .expect("runs");
    assert_eq!(output.status.code(), Some(2));
}
