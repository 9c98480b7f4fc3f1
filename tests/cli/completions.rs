//! The committed completion scripts under `completions/` match what `paas completions`
//! prints. Set `PAAS_UPDATE_COMPLETIONS=1` to rewrite them.

use std::path::Path;

use crate::support::TestEnv;

#[test]
fn committed_completions_are_fresh() {
    let env = TestEnv::new();
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("completions");
    let update = std::env::var_os("PAAS_UPDATE_COMPLETIONS").is_some();
    let mut stale = Vec::new();
    for (shell, file) in [
        ("bash", "paas.bash"),
        ("zsh", "_paas"),
        ("fish", "paas.fish"),
        ("powershell", "_paas.ps1"),
        ("elvish", "paas.elv"),
    ] {
        let output = env
            .paas()
            .args(["completions", shell])
            .output()
            .expect("paas runs");
        assert!(output.status.success(), "completions {shell} failed");
        let fresh = String::from_utf8(output.stdout).expect("utf-8");
        assert!(fresh.contains("paas"), "{shell} script names paas");
        let path = dir.join(file);
        if update {
            fs_err::create_dir_all(&dir).expect("completions dir");
            fs_err::write(&path, &fresh).expect("write completions");
        } else if fs_err::read_to_string(&path).ok().as_deref() != Some(fresh.as_str()) {
            stale.push(file);
        }
    }
    assert!(
        stale.is_empty(),
        "stale completions {stale:?}: run `PAAS_UPDATE_COMPLETIONS=1 cargo test --test cli completions`"
    );
}

#[test]
fn unknown_shell_is_a_usage_error() {
    let env = TestEnv::new();
    let output = env
        .paas()
        .args(["completions", "tcsh"])
        .output()
        .expect("paas runs");
    assert_eq!(output.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&output.stderr).contains("invalid value 'tcsh'"));
}
