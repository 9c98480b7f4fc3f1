use std::process::ExitCode;

use clap::Parser as _;

fn main() -> ExitCode {
    paas::run(paas::cli::Cli::parse()).into()
}
