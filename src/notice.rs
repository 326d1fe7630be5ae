//! Notes the library has for the person at the terminal: an upgrade under way, a partial
//! file of an interrupted run removed, a ledger opened read-only. The library never prints;
//! it hands each note, already in the output language, to the sink the shell installed
//! (`main` installs one that writes `gongyu: NOTE` on stderr). With no sink installed — the
//! library used on its own, its unit tests — notes are dropped.

use std::sync::OnceLock;

static SINK: OnceLock<fn(&str)> = OnceLock::new();

/// Installs where notes go, once per process; a second call changes nothing.
pub fn install(sink: fn(&str)) {
    let _ = SINK.set(sink);
}

/// Hands a note to the installed sink, if any.
pub(crate) fn note(text: &str) {
    if let Some(sink) = SINK.get() {
        sink(text);
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn notes_without_a_sink_are_dropped() {
        // No sink in the library's tests: this must neither print nor panic.
        super::note("nothing listens");
    }
}
