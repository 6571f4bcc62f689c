use std::process::ExitCode;

use clap::Parser;

fn main() -> ExitCode {
    let cli = deprov::cli::Cli::parse();
    match deprov::commands::run(cli) {
        Ok(exit) => exit.into(),
        Err(error) => {
            eprintln!("{:?}", miette::Report::new(error));
            ExitCode::from(2)
        }
    }
}
