//! The `gongyu` binary: parse, run, print any error once, exit with SPEC §6.2's codes.

use std::process::ExitCode;

use clap::Parser;

fn main() -> ExitCode {
    let cli = match gongyu::cli::Cli::try_parse() {
        Ok(cli) => cli,
        Err(e) => {
            // Help and version exit 0; usage errors exit 2.
            let _ = e.print();
            return ExitCode::from(e.exit_code() as u8);
        }
    };
    match gongyu::commands::run(cli) {
        Ok(code) => code,
        Err(e) if is_broken_pipe(&e) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("gongyu: error: {e:#}");
            ExitCode::FAILURE
        }
    }
}

fn is_broken_pipe(e: &anyhow::Error) -> bool {
    e.chain().any(|c| c.downcast_ref::<std::io::Error>().is_some_and(|io| io.kind() == std::io::ErrorKind::BrokenPipe))
}
