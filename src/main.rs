use std::process::ExitCode;

use clap::Parser as _;

fn main() -> ExitCode {
    let args: Vec<std::ffi::OsString> = std::env::args_os().collect();
    if let Some(status) = paas::run_internal(&args) {
        return status.into();
    }
    paas::run(paas::cli::Cli::parse()).into()
}
