//! What the JSON and CSV writers share through serde: the pretty printer they write with
//! (two spaces, as SPEC §6 shows), the start of every report's JSON object (schema, term,
//! plan, as-of day; the rosters), and cells that are text made from numbers or lists.
//! A national coverage report is hundreds of thousands of rows (over 300 MB of JSON):
//! sequences are serialized from the report's slices or fed as they come, never copied.

use std::fmt::Display;
use std::io::Write;

use anyhow::Result;
use serde::ser::{SerializeMap, SerializeStruct};
use serde::{Serialize, Serializer};

use crate::report::CoverageReport;

/// How much JSON is gathered before it is handed to the real writer.
const BUFFER: usize = 1 << 16;

/// `doc` as pretty-printed JSON (two spaces) and a line end.
pub(super) fn pretty(out: &mut dyn Write, doc: &impl Serialize) -> Result<()> {
    // Buffered here, so serde's many small writes are plain copies, not calls through `dyn`.
    let mut buf = std::io::BufWriter::with_capacity(BUFFER, out);
    doc.serialize(&mut serde_json::Serializer::with_formatter(&mut buf, Pretty::default()))?;
    buf.write_all(b"\n")?;
    buf.flush()?;
    Ok(())
}

/// serde_json's `PrettyFormatter` (two spaces), byte for byte, in fewer writes: a key's
/// line break, indentation and opening quote are one write, its closing quote and `: `
/// another (serde_json writes a level of indentation at a time). A national report has
/// millions of keys.
#[derive(Default)]
struct Pretty {
    depth: usize,
    has_value: bool,
    /// Inside an object's key (written as a string between `begin_string` and `end_string`).
    in_key: bool,
    /// `,\n`, the indentation of each depth and `"`, made as the depths are first reached.
    keys: Vec<Vec<u8>>,
}

/// `,\n` and the indentation of the deepest level written in one piece.
const BREAKS: &[u8; 2 + 2 * 16] = b",\n                                ";

impl Pretty {
    /// `,\n` (`\n` if `first`) and the current indentation.
    fn line<W: ?Sized + Write>(&self, w: &mut W, first: bool) -> std::io::Result<()> {
        let from = usize::from(first);
        match BREAKS.get(from..2 + 2 * self.depth) {
            Some(b) => w.write_all(b),
            None => {
                w.write_all(&BREAKS[from..2])?;
                (0..self.depth).try_for_each(|_| w.write_all(b"  "))
            }
        }
    }

    /// `[` or `{`: one level deeper, nothing in it yet.
    fn open<W: ?Sized + Write>(&mut self, w: &mut W, bracket: &[u8]) -> std::io::Result<()> {
        self.depth += 1;
        self.has_value = false;
        w.write_all(bracket)
    }

    /// `]` or `}`, on a line of its own unless the array or object is empty.
    fn close<W: ?Sized + Write>(&mut self, w: &mut W, bracket: &[u8]) -> std::io::Result<()> {
        self.depth -= 1;
        if self.has_value {
            self.line(w, true)?;
        }
        w.write_all(bracket)
    }
}

impl serde_json::ser::Formatter for Pretty {
    fn begin_array<W: ?Sized + Write>(&mut self, w: &mut W) -> std::io::Result<()> {
        self.open(w, b"[")
    }

    fn end_array<W: ?Sized + Write>(&mut self, w: &mut W) -> std::io::Result<()> {
        self.close(w, b"]")
    }

    fn begin_array_value<W: ?Sized + Write>(&mut self, w: &mut W, first: bool) -> std::io::Result<()> {
        self.line(w, first)
    }

    fn end_array_value<W: ?Sized + Write>(&mut self, _: &mut W) -> std::io::Result<()> {
        self.has_value = true;
        Ok(())
    }

    fn begin_object<W: ?Sized + Write>(&mut self, w: &mut W) -> std::io::Result<()> {
        self.open(w, b"{")
    }

    fn end_object<W: ?Sized + Write>(&mut self, w: &mut W) -> std::io::Result<()> {
        self.close(w, b"}")
    }

    fn begin_object_key<W: ?Sized + Write>(&mut self, w: &mut W, first: bool) -> std::io::Result<()> {
        while self.keys.len() <= self.depth {
            let mut k = b",\n".to_vec();
            k.resize(2 + 2 * self.keys.len(), b' ');
            k.push(b'"');
            self.keys.push(k);
        }
        self.in_key = true;
        w.write_all(&self.keys[self.depth][usize::from(first)..])
    }

    fn begin_string<W: ?Sized + Write>(&mut self, w: &mut W) -> std::io::Result<()> {
        if self.in_key {
            return Ok(());
        }
        w.write_all(b"\"")
    }

    fn end_string<W: ?Sized + Write>(&mut self, w: &mut W) -> std::io::Result<()> {
        if self.in_key {
            return w.write_all(b"\": ");
        }
        w.write_all(b"\"")
    }

    fn begin_object_value<W: ?Sized + Write>(&mut self, _: &mut W) -> std::io::Result<()> {
        // The key's `end_string` wrote the `: ` (every key serde_json writes is a string).
        self.in_key = false;
        Ok(())
    }

    fn end_object_value<W: ?Sized + Write>(&mut self, _: &mut W) -> std::io::Result<()> {
        self.has_value = true;
        Ok(())
    }
}

/// A value serialized as the text `Display` gives it (a term, a day), with no `String`.
pub(super) struct Shown<T>(pub T);

impl<T: Display> Serialize for Shown<T> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(&self.0)
    }
}

/// The `plan` object of every JSON report.
#[derive(Serialize)]
pub(crate) struct JsonPlanRef<'a> {
    pub id: &'a str,
    pub name: &'a str,
    pub sha256: &'a str,
}

/// The keys every report's JSON object starts with: `schema`, `term`, `plan`, `as_of`.
pub(super) fn head<M: SerializeStruct>(m: &mut M, report: &CoverageReport, schema: &'static str) -> Result<(), M::Error> {
    m.serialize_field("schema", schema)?;
    m.serialize_field("term", &Shown(report.term))?;
    let plan = &report.plan;
    m.serialize_field("plan", &JsonPlanRef { id: &plan.id, name: &plan.name, sha256: &plan.sha256 })?;
    m.serialize_field("as_of", &Shown(report.as_of))
}

/// Each roster kind's name and the period of the roster the report used (`null` if none).
pub(super) struct Rosters<'a>(pub &'a CoverageReport);

impl Serialize for Rosters<'_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        use crate::returns::kinds::{bodies, communities, key_students, schools};
        let r = &self.0.rosters;
        let mut m = s.serialize_map(Some(4))?;
        m.serialize_entry(schools::KIND_NAME, &r.schools.map(Shown))?;
        m.serialize_entry(communities::KIND_NAME, &r.communities.map(Shown))?;
        m.serialize_entry(bodies::KIND_NAME, &r.bodies.map(Shown))?;
        m.serialize_entry(key_students::KIND_NAME, &r.key_students.map(|t| t.school_year()))?;
        m.end()
    }
}

/// A list of names as one CSV cell, joined by `;`.
pub(super) struct Joined<'a>(pub &'a [String]);

impl Serialize for Joined<'_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        match self.0 {
            [] => s.serialize_str(""),
            [one] => s.serialize_str(one),
            many => s.serialize_str(&many.join(";")),
        }
    }
}

/// Tenths of a percent as a CSV cell with one decimal: `79.9`, `100.0`.
pub(super) struct Tenths(pub u64);

impl Serialize for Tenths {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let mut digits = itoa::Buffer::new();
        let whole = digits.format(self.0 / 10).as_bytes();
        let mut text = [0u8; 22];
        text[..whole.len()].copy_from_slice(whole);
        text[whole.len()] = b'.';
        text[whole.len() + 1] = b'0' + (self.0 % 10) as u8;
        s.serialize_str(std::str::from_utf8(&text[..whole.len() + 2]).expect("digits"))
    }
}
