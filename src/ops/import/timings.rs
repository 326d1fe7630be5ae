//! Where an import's time goes (issue 23), for the bench and for whoever chases the next
//! regression without a profiler: asked for with `GONGYU_TIMINGS=1` (read by
//! [`crate::ambient::timings`]), printed on stderr as one line when the import ends.
//!
//! Off, it costs a branch per phase and row: a [`Stopwatch`] that is off never reads the
//! clock. On, each row's phases are timed on the thread that runs them (see [`Stopwatch`]
//! for the clock): the reading thread decodes the file, reads the CSV records and
//! validates their cells; the writing thread writes rows to SQLite, builds the id index after them (when it
//! was dropped for a large file), counts them into the tally, writes the tally on commit
//! and commits. The two threads run at the same time, so the phases add up
//! to more than the wall time; each thread's idle time (waiting for the other) says which
//! of the two sets the pace.

use std::time::{Duration, Instant};

/// Time spent in each phase of one import command, summed over its files.
#[derive(Debug, Clone, Copy, Default)]
pub(crate) struct Phases {
    /// Whether the phases are being timed (the reading thread's clock is started by it).
    pub timed: bool,
    /// Opening each file: its encoding checked over every byte, its header found.
    pub decode: Duration,
    /// Reading CSV records (or sheet rows), decoded as they stream.
    pub parse: Duration,
    /// Checking each row's cells, its ID-card numbers, its host in the loaded rosters.
    pub validate: Duration,
    /// The reading thread, waiting for the writing one to take a chunk.
    pub read_idle: Duration,
    /// The writing thread, waiting for a chunk.
    pub write_idle: Duration,
    /// Rows written to SQLite (and the outcome of each accounted for).
    pub write: Duration,
    /// The activity id index built again after a file's rows (when it was dropped for
    /// them: see `ledger/write/activities.rs`).
    pub index: Duration,
    /// Activities counted into the import's tally, and the tally written on commit.
    pub tally: Duration,
    /// SQLite's COMMIT (the WAL written and synced), and the checkpoint when the ledger
    /// is closed.
    pub commit: Duration,
    /// The whole command, from the start of the import to the ledger closed.
    pub wall: Duration,
}

impl Phases {
    /// Adds another file's (or thread's) phases.
    pub(crate) fn add(&mut self, o: &Phases) {
        self.decode += o.decode;
        self.parse += o.parse;
        self.validate += o.validate;
        self.read_idle += o.read_idle;
        self.write_idle += o.write_idle;
        self.write += o.write;
        self.index += o.index;
        self.tally += o.tally;
        self.commit += o.commit;
    }

    /// The line printed on stderr, in the output language.
    pub(crate) fn line(&self) -> String {
        self.line_in(crate::messages::lang())
    }

    /// The line in `lang`.
    pub(crate) fn line_in(&self, lang: crate::lang::Lang) -> String {
        let s = |d: Duration| format!("{:.2}", d.as_secs_f64());
        crate::tl!(
            lang,
            "import-timings",
            decode = s(self.decode),
            parse = s(self.parse),
            validate = s(self.validate),
            read_idle = s(self.read_idle),
            write = s(self.write),
            index = s(self.index),
            tally = s(self.tally),
            commit = s(self.commit),
            write_idle = s(self.write_idle),
            wall = s(self.wall)
        )
    }
}

/// Measures the time between laps, if on; off, it never reads the clock.
///
/// On Linux it reads the coarse monotonic clock: about 5 ns a read instead of 20, in steps
/// of the kernel's tick (4 ms here). Laps add up exactly to the time between the first and
/// the last, and a tick falls into whichever phase is running when it passes: summed over
/// a file's rows, each phase's share is a sample of hundreds of ticks a second. The precise
/// clock's two reads per row had cost the reading thread 0.6 s in a 20M-row import
/// (issue 23), in the bench, which times every import.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Stopwatch {
    last: Option<Duration>,
}

/// Now, on the stopwatch's clock (from an arbitrary start).
#[cfg(target_os = "linux")]
fn now() -> Duration {
    let mut ts = libc::timespec { tv_sec: 0, tv_nsec: 0 };
    // SAFETY: clock_gettime writes the timespec it is given, which lives for the call.
    let ok = unsafe { libc::clock_gettime(libc::CLOCK_MONOTONIC_COARSE, &mut ts) } == 0;
    if ok {
        Duration::new(ts.tv_sec.unsigned_abs(), ts.tv_nsec.clamp(0, 999_999_999) as u32)
    } else {
        precise()
    }
}

#[cfg(not(target_os = "linux"))]
fn now() -> Duration {
    precise()
}

/// Now, on the precise monotonic clock, from the first time it was read.
fn precise() -> Duration {
    static START: std::sync::OnceLock<Instant> = std::sync::OnceLock::new();
    START.get_or_init(Instant::now).elapsed()
}

impl Stopwatch {
    pub(crate) fn new(on: bool) -> Stopwatch {
        Stopwatch { last: on.then(now) }
    }

    /// The time since the last lap (or the start), and a new lap begun; zero when off.
    #[inline]
    pub(crate) fn lap(&mut self) -> Duration {
        match &mut self.last {
            None => Duration::ZERO,
            Some(last) => {
                let now = now();
                let d = now.saturating_sub(*last);
                *last = now;
                d
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_idle_stopwatch_reads_no_clock() {
        let mut off = Stopwatch::new(false);
        std::thread::sleep(Duration::from_millis(2));
        assert_eq!(off.lap(), Duration::ZERO);
        // The coarse clock moves in ticks (4 ms, or 10 ms on older kernels): a lap of 50 ms
        // reads at least 50 ms less one tick.
        let mut on = Stopwatch::new(true);
        std::thread::sleep(Duration::from_millis(50));
        let lap = on.lap();
        assert!(lap >= Duration::from_millis(39), "{lap:?}");
        // Laps add up to the time between the first and the last.
        let start = Instant::now();
        let mut sum = Duration::ZERO;
        while start.elapsed() < Duration::from_millis(60) {
            sum += on.lap();
        }
        assert!(sum >= Duration::from_millis(45), "{sum:?}");
    }

    #[test]
    fn the_line_names_every_phase() {
        let p = Phases { decode: Duration::from_millis(1500), wall: Duration::from_secs(3), ..Phases::default() };
        let line = p.line_in(crate::lang::Lang::En);
        assert!(line.contains("decode 1.50,"), "{line}");
        for phase in ["parse", "validate", "write", "index", "tally", "commit", "wall 3.00"] {
            assert!(line.contains(phase), "{line}");
        }
    }
}
