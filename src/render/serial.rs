//! What the JSON and CSV writers share through serde: the pretty printer they write with
//! (two spaces, as SPEC §6 shows; `json.rs`), the start of every report's JSON object (schema, term,
//! plan, as-of day; the rosters), cells that are text made from numbers, and the lists of
//! bodies, each joined once and kept while a report is written ([`Lists`]).
//! A national coverage report is hundreds of thousands of rows (over 300 MB of JSON):
//! sequences are serialized from the report's slices or fed as they come, never copied.

use std::fmt::Display;
use std::io::Write;
use std::sync::Arc;

use anyhow::Result;
use serde::ser::{SerializeMap, SerializeStruct};
use serde::{Serialize, Serializer};

use crate::report::{Bodies, CoverageReport};

/// `doc` as pretty-printed JSON (two spaces, as serde_json writes it) and a line end.
pub(super) fn pretty(out: &mut dyn Write, doc: &impl Serialize) -> Result<()> {
    let mut json = super::json::Pretty::new(out);
    doc.serialize(&mut json).map_err(super::json::Error::into_anyhow)?;
    json.finish()?;
    Ok(())
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

/// The lists of bodies a writer's rows name, each kept with its text for a CSV cell (its
/// names joined by `;`) for as long as the writing: rows share one list (an `Arc`) per set of
/// bodies, and what is kept here is never freed or changed meanwhile, so a row may write
/// either as a [`Same`](crate::memo::Same). Found by the list's address, open addressing.
#[derive(Default)]
pub(super) struct Lists {
    slots: Vec<Option<(Bodies, Box<str>)>>,
    len: usize,
}

impl Lists {
    /// The list kept for `list` (the same names, at an address kept), and its text.
    #[inline]
    pub(super) fn of(&mut self, list: &Bodies) -> (&[String], &str) {
        let i = self.find(list);
        if !matches!(self.slots.get(i), Some(Some(_))) {
            return self.add(list);
        }
        let (kept, text) = self.slots[i].as_ref().expect("a kept list");
        (kept, text)
    }

    /// The slot holding `list`, or the empty one where it goes.
    #[inline]
    fn find(&self, list: &Bodies) -> usize {
        let mask = self.slots.len().wrapping_sub(1);
        let mut i = (Arc::as_ptr(list) as *const String as usize).wrapping_mul(0x9E37_79B9_7F4A_7C15) >> 32;
        loop {
            i &= mask;
            match self.slots.get(i) {
                Some(Some((kept, _))) if !Arc::ptr_eq(kept, list) => i += 1,
                Some(_) => return i,
                None => return usize::MAX,
            }
        }
    }

    #[cold]
    fn add(&mut self, list: &Bodies) -> (&[String], &str) {
        if 2 * (self.len + 1) > self.slots.len() {
            let old = std::mem::take(&mut self.slots);
            self.slots = (0..(2 * old.len()).max(64)).map(|_| None).collect();
            for kept in old.into_iter().flatten() {
                let i = self.find(&kept.0);
                self.slots[i] = Some(kept);
            }
        }
        let i = self.find(list);
        self.len += 1;
        let (kept, text) = self.slots[i].insert((list.clone(), list.join(";").into()));
        (kept, text)
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
