//! What the JSON and CSV writers share through serde: the pretty printer they write with
//! (two spaces, as SPEC §6 shows; `json.rs`), the start of every report's JSON object (schema, term,
//! plan, as-of day; the rosters), and cells that are text made from numbers or lists.
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

/// A list of names as one CSV cell, joined by `;`. Rows share one list (an `Arc`) per
/// set of bodies, so the text is joined again only when the list changes: the `Arc` is
/// kept, so that its address names that list while it is compared.
#[derive(Default)]
pub(super) struct Joined {
    list: Option<Bodies>,
    text: String,
}

impl Joined {
    pub(super) fn of(&mut self, list: &Bodies) -> &str {
        if !self.list.as_ref().is_some_and(|l| Arc::ptr_eq(l, list)) {
            self.text.clear();
            for (i, name) in list.iter().enumerate() {
                if i > 0 {
                    self.text.push(';');
                }
                self.text.push_str(name);
            }
            self.list = Some(list.clone());
        }
        &self.text
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
