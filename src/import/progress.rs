//! The progress line of a long import, drawn on stderr.

/// A progress line on stderr for long imports: shown after the first second, redrawn
/// a few times a second, erased at the end.
pub(super) struct Progress<'a> {
    enabled: bool,
    file: &'a str,
    total: u64,
    started: std::time::Instant,
    last: Option<std::time::Instant>,
}

impl<'a> Progress<'a> {
    pub(super) fn new(enabled: bool, file: &'a str, total: u64) -> Progress<'a> {
        Progress { enabled, file, total, started: std::time::Instant::now(), last: None }
    }

    pub(super) fn tick(&mut self, rows: u64, at_byte: u64) {
        let now = std::time::Instant::now();
        let due = self.last.map_or(now - self.started >= std::time::Duration::from_secs(1), |l| {
            now - l >= std::time::Duration::from_millis(250)
        });
        if !self.enabled || !due {
            return;
        }
        self.last = Some(now);
        let pct = (100 * at_byte).checked_div(self.total).map_or(0, |p| p.min(99));
        let rate = rows as f64 / (now - self.started).as_secs_f64().max(0.001);
        let line = crate::t!("import-progress", file = self.file, percent = pct, rows = rows, rate = format!("{rate:.0}"));
        eprint!("\r\x1b[2K{line}");
    }

    pub(super) fn finish(&mut self) {
        if self.enabled && self.last.is_some() {
            eprint!("\r\x1b[2K");
        }
    }
}
