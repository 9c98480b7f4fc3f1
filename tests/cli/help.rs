//! `--help` is the first manual a user reads: snapshot it for every command and subcommand.

use clap::CommandFactory as _;

use crate::paas_snapshot;
use crate::support::TestEnv;

/// Every command path of the CLI (`[]`, `["init"]`, `["packs", "show"]`…), read from the
/// clap definition so a new command cannot go without a snapshot.
fn command_paths() -> Vec<Vec<String>> {
    fn walk(command: &clap::Command, prefix: &[String], out: &mut Vec<Vec<String>>) {
        for sub in command.get_subcommands() {
            if sub.get_name() == "help" {
                continue;
            }
            let mut path = prefix.to_vec();
            path.push(sub.get_name().to_owned());
            out.push(path.clone());
            walk(sub, &path, out);
        }
    }
    let mut out = vec![Vec::new()];
    walk(&paas::cli::Cli::command(), &[], &mut out);
    out
}

#[test]
fn help_of_every_command() {
    let env = TestEnv::new();
    let paths = command_paths();
    assert!(paths.len() > 10, "{paths:?}");
    for path in paths {
        let mut args = path.clone();
        args.push("--help".to_owned());
        let name = format!("help_{}", args.join("_").replace("--", ""));
        let output = paas_snapshot!(env, env.paas().args(&args), name);
        assert!(output.status.success(), "{args:?}");
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

/// Every duration flag takes the same forms, and says the same thing about a bad one.
#[test]
fn durations_take_hours_and_minutes_and_bad_ones_exit_2() {
    let env = TestEnv::new();
    for (args, flag) in [
        (vec!["up", "--timeout"], "--timeout"),
        (vec!["logs", "--since"], "--since"),
        (vec!["logs", "--pod-timeout"], "--pod-timeout"),
        (vec!["scale", "3", "--timeout"], "--timeout"),
        (vec!["rollback", "--timeout"], "--timeout"),
    ] {
        let mut bad = args.clone();
        bad.push("90x");
        let output = env.paas().args(&bad).output().expect("runs");
        assert_eq!(output.status.code(), Some(2), "{bad:?}");
        let stderr = String::from_utf8_lossy(&output.stderr);
        assert!(
            stderr.contains(&format!("invalid value '90x' for '{flag}"))
                && stderr.contains("`90x` is not a duration such as `90s`, `5m` or `1h30m`"),
            "{bad:?}: {stderr}"
        );
        // `1h30m` parses: the command gets past the flags (and fails later, on the missing
        // project, with its own message).
        let mut good = args.clone();
        good.push("1h30m");
        let output = env.paas().args(&good).output().expect("runs");
        let stderr = String::from_utf8_lossy(&output.stderr);
        assert!(!stderr.contains("invalid value"), "{good:?}: {stderr}");
    }
    paas_snapshot!(
        env,
        env.paas().args(["logs", "--since", "0s"]),
        "usage_zero_duration"
    );
}
