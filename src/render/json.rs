//! A serde `Serializer` writing exactly what `serde_json::to_writer_pretty` writes (two
//! spaces; strings escaped as serde_json escapes them; floats written by serde_json), for
//! the national reports: hundreds of thousands of rows, millions of keys, over 300 MB.
//! serde_json's pretty printer writes each key's break, each level of indentation and
//! each quote apart, and escapes a string a byte at a time; here a struct's key is one
//! copy of the bytes made for it the first time, and a string is scanned eight bytes at a
//! time. A [`Same`](crate::memo::Same) field (and a unit variant's name) is written once
//! with its key and copied after (`memo.rs`). The bytes are held to serde_json's by tests
//! (`render/tests.rs`, `fixtures/render/`).

use std::fmt::{self, Display};
use std::io::{self, Write};

use serde::ser::{self, Impossible, Serialize};

use crate::memo::Memo;

/// Bytes gathered before they are handed to the real writer (between values).
const CHUNK: usize = 1 << 20;

/// `,\n` and the indentation of the deepest level written in one piece.
const BREAKS: &[u8; 2 + 2 * 16] = b",\n                                ";

/// What went wrong: the writer's error, or a value JSON cannot hold as a report does.
#[derive(Debug)]
pub(super) enum Error {
    Io(io::Error),
    Other(String),
}

impl Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Error::Io(e) => e.fmt(f),
            Error::Other(s) => f.write_str(s),
        }
    }
}

impl std::error::Error for Error {}

impl ser::Error for Error {
    fn custom<T: Display>(msg: T) -> Error {
        Error::Other(msg.to_string())
    }
}

impl Error {
    /// The writer's own error (so a closed pipe is seen as one), or the words.
    pub(super) fn into_anyhow(self) -> anyhow::Error {
        match self {
            Error::Io(e) => e.into(),
            Error::Other(s) => anyhow::anyhow!(s),
        }
    }
}

fn unsupported<T>(what: &str) -> Result<T, Error> {
    Err(Error::Other(format!("the report's JSON holds no {what}")))
}

/// The serializer: a buffer, the writer it goes to, and the depth of nesting.
pub(super) struct Pretty<'o> {
    buf: Vec<u8>,
    out: &'o mut dyn Write,
    depth: usize,
    /// Struct keys as written at a depth, `,\n`, indentation, `"key": `, in the slot of
    /// their depth and place in their struct: a struct's keys are `&'static str`, so the
    /// address (and the depth) names the bytes for good.
    keys: Vec<Option<KeyBytes>>,
    /// A struct's key (and its field's place) not yet written: written by the value, unless
    /// the value is a [`Same`](crate::memo::Same) whose bytes, key and all, are kept.
    due: Option<(&'static str, usize)>,
    /// The bytes of `Same` fields, key and value, by place, key and depth.
    memo: Memo,
    /// `Same` values being written (and kept): the buffer is not handed over meanwhile.
    hold: usize,
}

/// A struct key's address and length, a depth, and the bytes written for them: `len` of
/// `bytes`, padded so that a copy of them is of a size known when compiled (no call).
#[derive(Clone)]
struct KeyBytes {
    id: (usize, usize, usize),
    bytes: [u8; KEY_BYTES],
    len: usize,
}

impl KeyBytes {
    /// The bytes onto `buf` (without the `,` if `first`): a copy of a size known when
    /// compiled, then the length cut back, is cheaper than a copy of `len` bytes.
    #[inline]
    fn copy(&self, buf: &mut Vec<u8>, first: bool) {
        let end = buf.len() + self.len - usize::from(first);
        match first {
            true => buf.extend_from_slice(&self.bytes[1..]),
            false => buf.extend_from_slice(&self.bytes),
        }
        buf.truncate(end);
    }
}

/// The longest key written as [`KeyBytes`] (with its break and indentation); a longer
/// one is made afresh each time.
const KEY_BYTES: usize = 48;

/// Slots of [`Pretty::keys`] (a power of two): one for each of the first
/// [`KEY_FIELDS`] fields of a struct at each depth (others share them).
const KEY_SLOTS: usize = 512;
const KEY_FIELDS: usize = 32;

impl<'o> Pretty<'o> {
    pub(super) fn new(out: &'o mut dyn Write) -> Pretty<'o> {
        Pretty::with_key_slots(out, KEY_SLOTS)
    }

    /// With `slots` (a power of two) for the keys: tests share one slot among all.
    pub(super) fn with_key_slots(out: &'o mut dyn Write, slots: usize) -> Pretty<'o> {
        assert!(slots.is_power_of_two());
        Pretty {
            buf: Vec::with_capacity(CHUNK + (CHUNK >> 2)),
            out,
            depth: 0,
            keys: vec![None; slots],
            due: None,
            memo: Memo::default(),
            hold: 0,
        }
    }

    /// The key of a struct's field `index` (the first if 0), after `,\n` (`\n` for the
    /// first) and the indentation, and `: `: a copy of the bytes kept in its slot, or
    /// bytes made afresh (and kept) if the slot holds another key.
    #[inline(always)]
    fn key(&mut self, key: &'static str, index: usize) {
        let id = (key.as_ptr() as usize, key.len(), self.depth);
        let slot = (self.depth * KEY_FIELDS + index) & (self.keys.len() - 1);
        match &self.keys[slot] {
            Some(k) if k.id == id => k.copy(&mut self.buf, index == 0),
            _ => self.new_key(id, key, index == 0, slot),
        }
    }

    #[cold]
    fn new_key(&mut self, id: (usize, usize, usize), key: &'static str, first: bool, slot: usize) {
        let mut bytes = Vec::with_capacity(2 + 2 * self.depth + key.len() + 4);
        push_line(&mut bytes, self.depth, false);
        string(&mut bytes, key);
        bytes.extend_from_slice(b": ");
        self.buf.extend_from_slice(&bytes[usize::from(first)..]);
        if bytes.len() > KEY_BYTES {
            return;
        }
        let mut padded = [b' '; KEY_BYTES];
        padded[..bytes.len()].copy_from_slice(&bytes);
        self.keys[slot] = Some(KeyBytes { id, bytes: padded, len: bytes.len() });
    }

    /// A line end, the rest of the bytes handed over, and the writer flushed.
    pub(super) fn finish(mut self) -> io::Result<()> {
        self.buf.push(b'\n');
        self.out.write_all(&self.buf)?;
        self.out.flush()
    }

    /// The key of the struct's field whose value this is, if it is one.
    #[inline(always)]
    fn due(&mut self) {
        if let Some((key, index)) = self.due.take() {
            self.key(key, index);
        }
    }

    /// A [`Same`](crate::memo::Same) field's key and value: the bytes kept for them, or
    /// written (and kept).
    #[inline(always)]
    fn same<T: Serialize + ?Sized>(&mut self, key: &'static str, index: usize, v: &T) -> Result<(), Error> {
        let [at, size] = crate::memo::place(v);
        let id = [at, size | key.len() << 40, key.as_ptr() as usize | self.depth << 48 | usize::from(index == 0) << 63];
        if self.memo.copy(&id, &mut self.buf) {
            self.due = None;
            return Ok(());
        }
        let start = self.buf.len();
        self.hold += 1;
        let written = v.serialize(&mut *self);
        self.hold -= 1;
        written?;
        self.memo.keep(id, &self.buf[start..]);
        Ok(())
    }

    fn flush_if_full(&mut self) -> Result<(), Error> {
        if self.buf.len() >= CHUNK && self.hold == 0 {
            self.out.write_all(&self.buf).map_err(Error::Io)?;
            self.buf.clear();
        }
        Ok(())
    }

    /// `,\n` (`\n` if `first`) and the current indentation.
    #[inline]
    fn line(&mut self, first: bool) {
        push_line(&mut self.buf, self.depth, first);
    }

    /// `[` or `{`, or `[]` or `{}` for what is known to be empty.
    fn open(&mut self, bracket: u8, len: Option<usize>) -> Compound<'_, 'o> {
        self.due();
        self.buf.push(bracket);
        if len == Some(0) {
            self.buf.push(bracket + 2);
            return Compound { ser: self, state: State::Empty, index: 0 };
        }
        self.depth += 1;
        Compound { ser: self, state: State::First, index: 0 }
    }
}

/// `,\n` (`\n` if `first`) and the indentation of `depth`: all of [`BREAKS`] (a copy of
/// a size known when compiled), cut back.
#[inline]
fn push_line(buf: &mut Vec<u8>, depth: usize, first: bool) {
    let end = buf.len() + 2 + 2 * depth - usize::from(first);
    if 2 + 2 * depth > BREAKS.len() {
        buf.extend_from_slice(&BREAKS[usize::from(first)..2]);
        (0..depth).for_each(|_| buf.extend_from_slice(b"  "));
        return;
    }
    match first {
        true => buf.extend_from_slice(&BREAKS[1..]),
        false => buf.extend_from_slice(BREAKS),
    }
    buf.truncate(end);
}

static ESCAPE: [u8; 256] = {
    let mut t = [0u8; 256];
    let mut b = 0;
    while b < 0x20 {
        t[b] = b'u';
        b += 1;
    }
    t[0x08] = b'b';
    t[0x09] = b't';
    t[0x0a] = b'n';
    t[0x0c] = b'f';
    t[0x0d] = b'r';
    t[b'"' as usize] = b'"';
    t[b'\\' as usize] = b'\\';
    t
};

/// The bytes serde_json escapes (as [`ESCAPE`] says), for [`crate::plain`]: `"`, `\`
/// and the control characters below U+0020.
const ESCAPED: crate::plain::Bad = crate::plain::Bad { eq: [b'"', b'\\', b'"', b'"'], below: 0x20 };

/// `s` quoted and escaped as serde_json does: `"`, `\` and the control characters below
/// U+0020 (short forms for \b \t \n \f \r, `\u00xx` in lower-case hex for the rest).
#[inline]
fn string(buf: &mut Vec<u8>, s: &str) {
    let bytes = s.as_bytes();
    buf.reserve(bytes.len() + 2);
    buf.push(b'"');
    if !crate::plain::copy_plain(buf, bytes, ESCAPED) {
        escaped(buf, bytes);
    }
    buf.push(b'"');
}

#[cold]
fn escaped(buf: &mut Vec<u8>, bytes: &[u8]) {
    let mut start = 0;
    for (i, &b) in bytes.iter().enumerate() {
        let e = ESCAPE[b as usize];
        if e == 0 {
            continue;
        }
        buf.extend_from_slice(&bytes[start..i]);
        if e == b'u' {
            const HEX: &[u8; 16] = b"0123456789abcdef";
            buf.extend_from_slice(&[b'\\', b'u', b'0', b'0', HEX[(b >> 4) as usize], HEX[(b & 0xf) as usize]]);
        } else {
            buf.extend_from_slice(&[b'\\', e]);
        }
        start = i + 1;
    }
    buf.extend_from_slice(&bytes[start..]);
}

macro_rules! integers {
    ($($f:ident($t:ty)),* $(,)?) => {$(
        #[inline(always)]
        fn $f(self, v: $t) -> Result<(), Error> {
            self.due();
            self.buf.extend_from_slice(itoa::Buffer::new().format(v).as_bytes());
            Ok(())
        }
    )*};
}

macro_rules! unsigned {
    ($($f:ident($t:ty)),* $(,)?) => {$(
        #[inline(always)]
        fn $f(self, v: $t) -> Result<(), Error> {
            self.due();
            crate::plain::push_u64(&mut self.buf, u64::from(v));
            Ok(())
        }
    )*};
}

impl<'a, 'o> ser::Serializer for &'a mut Pretty<'o> {
    type Ok = ();
    type Error = Error;
    type SerializeSeq = Compound<'a, 'o>;
    type SerializeTuple = Compound<'a, 'o>;
    type SerializeTupleStruct = Impossible<(), Error>;
    type SerializeTupleVariant = Impossible<(), Error>;
    type SerializeMap = Compound<'a, 'o>;
    type SerializeStruct = Compound<'a, 'o>;
    type SerializeStructVariant = Impossible<(), Error>;

    integers! {
        serialize_i8(i8), serialize_i16(i16), serialize_i32(i32), serialize_i64(i64),
    }
    unsigned! {
        serialize_u8(u8), serialize_u16(u16), serialize_u32(u32), serialize_u64(u64),
    }

    fn serialize_bool(self, v: bool) -> Result<(), Error> {
        self.due();
        self.buf.extend_from_slice(if v { b"true" } else { b"false" });
        Ok(())
    }
    /// As serde_json writes it: its shortest form by `zmij`, as serde_json's; `null` if not finite.
    fn serialize_f32(self, v: f32) -> Result<(), Error> {
        self.due();
        match v.is_finite() {
            true => self.buf.extend_from_slice(zmij::Buffer::new().format_finite(v).as_bytes()),
            false => self.buf.extend_from_slice(b"null"),
        }
        Ok(())
    }
    /// As serde_json writes it: its shortest form by `zmij`, as serde_json's; `null` if not finite.
    fn serialize_f64(self, v: f64) -> Result<(), Error> {
        self.due();
        match v.is_finite() {
            true => self.buf.extend_from_slice(zmij::Buffer::new().format_finite(v).as_bytes()),
            false => self.buf.extend_from_slice(b"null"),
        }
        Ok(())
    }
    fn serialize_char(self, v: char) -> Result<(), Error> {
        self.serialize_str(v.encode_utf8(&mut [0; 4]))
    }
    fn serialize_str(self, v: &str) -> Result<(), Error> {
        self.due();
        string(&mut self.buf, v);
        Ok(())
    }
    fn serialize_bytes(self, _: &[u8]) -> Result<(), Error> {
        unsupported("bytes")
    }
    fn serialize_none(self) -> Result<(), Error> {
        self.serialize_unit()
    }
    fn serialize_some<T: Serialize + ?Sized>(self, v: &T) -> Result<(), Error> {
        v.serialize(self)
    }
    fn serialize_unit(self) -> Result<(), Error> {
        self.due();
        self.buf.extend_from_slice(b"null");
        Ok(())
    }
    fn serialize_unit_struct(self, _: &'static str) -> Result<(), Error> {
        self.serialize_unit()
    }
    /// A unit variant's name (a status): a struct field's key and name are kept as a
    /// [`Same`](crate::memo::Same)'s are, the name being `'static`.
    fn serialize_unit_variant(self, _: &'static str, _: u32, variant: &'static str) -> Result<(), Error> {
        match self.due {
            Some((key, index)) => self.same(key, index, variant),
            None => self.serialize_str(variant),
        }
    }
    /// A [`Same`](crate::memo::Same) struct field's key and value copied as kept; any
    /// other newtype is its value.
    #[inline(always)]
    fn serialize_newtype_struct<T: Serialize + ?Sized>(self, name: &'static str, v: &T) -> Result<(), Error> {
        match self.due {
            Some((key, index)) if crate::memo::is_same(name) => self.same(key, index, v),
            _ => v.serialize(self),
        }
    }
    fn serialize_newtype_variant<T: Serialize + ?Sized>(
        self,
        _: &'static str,
        _: u32,
        _: &'static str,
        _: &T,
    ) -> Result<(), Error> {
        unsupported("enum variant with a value")
    }
    fn serialize_seq(self, len: Option<usize>) -> Result<Compound<'a, 'o>, Error> {
        Ok(self.open(b'[', len))
    }
    fn serialize_tuple(self, len: usize) -> Result<Compound<'a, 'o>, Error> {
        self.serialize_seq(Some(len))
    }
    fn serialize_tuple_struct(self, _: &'static str, _: usize) -> Result<Self::SerializeTupleStruct, Error> {
        unsupported("tuple struct")
    }
    fn serialize_tuple_variant(
        self,
        _: &'static str,
        _: u32,
        _: &'static str,
        _: usize,
    ) -> Result<Self::SerializeTupleVariant, Error> {
        unsupported("enum variant with a value")
    }
    fn serialize_map(self, len: Option<usize>) -> Result<Compound<'a, 'o>, Error> {
        Ok(self.open(b'{', len))
    }
    fn serialize_struct(self, _: &'static str, len: usize) -> Result<Compound<'a, 'o>, Error> {
        self.serialize_map(Some(len))
    }
    fn serialize_struct_variant(
        self,
        _: &'static str,
        _: u32,
        _: &'static str,
        _: usize,
    ) -> Result<Self::SerializeStructVariant, Error> {
        unsupported("enum variant with a value")
    }
}

#[derive(PartialEq, Eq)]
enum State {
    /// Written whole (`[]`, `{}`).
    Empty,
    First,
    Rest,
}

/// An array or object being written.
pub(super) struct Compound<'a, 'o> {
    ser: &'a mut Pretty<'o>,
    state: State,
    /// A struct's fields written so far.
    index: usize,
}

impl Compound<'_, '_> {
    /// The break before an item or a key.
    #[inline]
    fn item(&mut self) {
        self.ser.line(self.state == State::First);
        self.state = State::Rest;
    }

    fn close(self, bracket: u8) -> Result<(), Error> {
        if self.state == State::Empty {
            return Ok(());
        }
        self.ser.depth -= 1;
        if self.state == State::Rest {
            self.ser.line(true);
        }
        self.ser.buf.push(bracket);
        Ok(())
    }
}

impl ser::SerializeSeq for Compound<'_, '_> {
    type Ok = ();
    type Error = Error;
    fn serialize_element<T: Serialize + ?Sized>(&mut self, v: &T) -> Result<(), Error> {
        self.item();
        v.serialize(&mut *self.ser)?;
        self.ser.flush_if_full()
    }
    fn end(self) -> Result<(), Error> {
        self.close(b']')
    }
}

impl ser::SerializeTuple for Compound<'_, '_> {
    type Ok = ();
    type Error = Error;
    fn serialize_element<T: Serialize + ?Sized>(&mut self, v: &T) -> Result<(), Error> {
        ser::SerializeSeq::serialize_element(self, v)
    }
    fn end(self) -> Result<(), Error> {
        self.close(b']')
    }
}

impl ser::SerializeMap for Compound<'_, '_> {
    type Ok = ();
    type Error = Error;
    fn serialize_key<T: Serialize + ?Sized>(&mut self, key: &T) -> Result<(), Error> {
        self.item();
        key.serialize(Key(&mut self.ser.buf))
    }
    fn serialize_value<T: Serialize + ?Sized>(&mut self, v: &T) -> Result<(), Error> {
        self.ser.buf.extend_from_slice(b": ");
        v.serialize(&mut *self.ser)
    }
    fn end(self) -> Result<(), Error> {
        self.close(b'}')
    }
}

impl ser::SerializeStruct for Compound<'_, '_> {
    type Ok = ();
    type Error = Error;
    #[inline(always)]
    fn serialize_field<T: Serialize + ?Sized>(&mut self, key: &'static str, v: &T) -> Result<(), Error> {
        self.ser.due = Some((key, self.index));
        self.index += 1;
        self.state = State::Rest;
        v.serialize(&mut *self.ser)
    }
    fn end(self) -> Result<(), Error> {
        self.close(b'}')
    }
}

/// A map's key: a string (the report's maps are keyed by names).
struct Key<'b>(&'b mut Vec<u8>);

macro_rules! not_keys {
    ($($f:ident($($t:ty),*) -> $ok:ty;)*) => {$(
        fn $f(self, $(_: $t),*) -> Result<$ok, Error> {
            unsupported("map key that is not a string")
        }
    )*};
}

impl ser::Serializer for Key<'_> {
    type Ok = ();
    type Error = Error;
    type SerializeSeq = Impossible<(), Error>;
    type SerializeTuple = Impossible<(), Error>;
    type SerializeTupleStruct = Impossible<(), Error>;
    type SerializeTupleVariant = Impossible<(), Error>;
    type SerializeMap = Impossible<(), Error>;
    type SerializeStruct = Impossible<(), Error>;
    type SerializeStructVariant = Impossible<(), Error>;

    fn serialize_str(self, v: &str) -> Result<(), Error> {
        string(self.0, v);
        Ok(())
    }
    fn serialize_newtype_struct<T: Serialize + ?Sized>(self, _: &'static str, v: &T) -> Result<(), Error> {
        v.serialize(self)
    }
    fn serialize_some<T: Serialize + ?Sized>(self, _: &T) -> Result<(), Error> {
        unsupported("map key that is not a string")
    }
    fn serialize_newtype_variant<T: Serialize + ?Sized>(
        self,
        _: &'static str,
        _: u32,
        _: &'static str,
        _: &T,
    ) -> Result<(), Error> {
        unsupported("map key that is not a string")
    }
    not_keys! {
        serialize_bool(bool) -> (); serialize_i8(i8) -> (); serialize_i16(i16) -> (); serialize_i32(i32) -> ();
        serialize_i64(i64) -> (); serialize_u8(u8) -> (); serialize_u16(u16) -> (); serialize_u32(u32) -> ();
        serialize_u64(u64) -> (); serialize_f32(f32) -> (); serialize_f64(f64) -> (); serialize_char(char) -> ();
        serialize_bytes(&[u8]) -> (); serialize_none() -> (); serialize_unit() -> ();
        serialize_unit_struct(&'static str) -> ();
        serialize_unit_variant(&'static str, u32, &'static str) -> ();
        serialize_seq(Option<usize>) -> Self::SerializeSeq;
        serialize_tuple(usize) -> Self::SerializeTuple;
        serialize_tuple_struct(&'static str, usize) -> Self::SerializeTupleStruct;
        serialize_tuple_variant(&'static str, u32, &'static str, usize) -> Self::SerializeTupleVariant;
        serialize_map(Option<usize>) -> Self::SerializeMap;
        serialize_struct(&'static str, usize) -> Self::SerializeStruct;
        serialize_struct_variant(&'static str, u32, &'static str, usize) -> Self::SerializeStructVariant;
    }
}
