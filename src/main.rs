//! The `gongyu` binary: parse, run, print any error once, exit with SPEC §6.2's codes.

use std::process::ExitCode;

use clap::Parser;

fn main() -> ExitCode {
    gongyu::ambient::small_pages();
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

/// Whether the error is a closed pipe (`gongyu … | head`): not a failure, exit 0 quietly.
/// The io error may come wrapped by the csv or JSON writer.
fn is_broken_pipe(e: &anyhow::Error) -> bool {
    use std::io::ErrorKind::BrokenPipe;
    e.chain().any(|c| {
        c.downcast_ref::<std::io::Error>().is_some_and(|io| io.kind() == BrokenPipe)
            || c.downcast_ref::<csv::Error>()
                .is_some_and(|e| matches!(e.kind(), csv::ErrorKind::Io(io) if io.kind() == BrokenPipe))
            || c.downcast_ref::<serde_json::Error>().is_some_and(|e| e.io_error_kind() == Some(BrokenPipe))
    })
}

/// mimalloc: rows are parsed on one thread and freed on another, which the system allocator
/// handles with a lock; mimalloc does not (measured in BENCHMARKS.md).
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;
