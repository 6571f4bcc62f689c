use std::process::ExitCode;

use clap::Parser;

#[cfg(not(target_env = "msvc"))]
#[global_allocator]
static ALLOCATOR: tikv_jemallocator::Jemalloc = tikv_jemallocator::Jemalloc;
deprov::allocator_settings!();

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
