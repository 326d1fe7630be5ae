//! The `gongyu` binary: parse, run, print any error once, exit with SPEC §6.2's codes.

use std::process::ExitCode;

use clap::FromArgMatches;

fn main() -> ExitCode {
    gongyu::ambient::small_pages();
    free_promptly();
    #[cfg(feature = "fault-injection")]
    gongyu::ledger::iolog::install_from_env();
    let args: Vec<std::ffi::OsString> = std::env::args_os().collect();
    gongyu::messages::set_lang(gongyu::ambient::lang_before_parsing(&args));
    gongyu::notice::install(|note| eprintln!("gongyu: {note}"));
    let parsed = gongyu::cli::command().try_get_matches_from(&args).and_then(|m| gongyu::cli::Cli::from_arg_matches(&m));
    let cli = match parsed {
        Ok(cli) => cli,
        Err(e) => {
            // Help and version exit 0; usage errors exit 2.
            gongyu::usage::print(&e);
            return ExitCode::from(e.exit_code() as u8);
        }
    };
    if let Ok(lang) = gongyu::ambient::lang(cli.lang) {
        gongyu::messages::set_lang(lang);
    }
    match gongyu::commands::run(cli) {
        Ok(code) => code,
        Err(e) if is_broken_pipe(&e) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("gongyu: {}{e:#}", gongyu::t!("error-prefix"));
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
/// handles with a lock; mimalloc does not (measured in BENCHMARKS.md). The `system-alloc`
/// feature keeps the system allocator, for heap profilers (`heaptrack`) that watch it.
#[cfg(not(feature = "system-alloc"))]
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

/// `mi_option_purge_delay`: its place in mimalloc.h's `mi_option_e` (15 in v2 and v3).
#[cfg(not(feature = "system-alloc"))]
const MI_OPTION_PURGE_DELAY: libmimalloc_sys::mi_option_t = 15;

/// Has mimalloc give memory back to the system as soon as it is free rather than a second
/// later: a report lets go of each part of the units as soon as it is counted, and with
/// the delay a national report held 113 MB where it needs 81 (imports are no slower).
fn free_promptly() {
    #[cfg(not(feature = "system-alloc"))]
    // SAFETY: called once, first thing in `main`, before any other thread exists.
    unsafe {
        libmimalloc_sys::mi_option_set(MI_OPTION_PURGE_DELAY, 0)
    };
}

#[cfg(all(test, not(feature = "system-alloc")))]
mod tests {
    #[test]
    fn the_purge_delay_option_is_the_one_set() {
        // The numbering is mimalloc.h's: option 18 is the OS tag (100 by default), and
        // option 15 the purge delay (1000 ms by default in mimalloc v3).
        let get = |o| unsafe { libmimalloc_sys::mi_option_get(o) };
        assert_eq!(get(18), 100, "option 18 should be mimalloc's OS tag");
        assert_eq!(get(super::MI_OPTION_PURGE_DELAY), 1000, "option 15 should be mimalloc's purge delay");
        super::free_promptly();
        assert_eq!(get(super::MI_OPTION_PURGE_DELAY), 0);
    }
}
