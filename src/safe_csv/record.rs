//! A record of CSV through serde: a struct of cells, each one value — a string,
//! a number, `None` (an empty cell), a unit variant (its name) — written as `SafeCsv::row`
//! writes its cells: made safe for Excel, quoted as needed, straight onto the writer's
//! buffer (a number's digits from `itoa`, on the stack; text through `fmt` in one scratch
//! buffer, never a `String` per cell).

use std::fmt::{self, Display};

use serde::ser::{self, Impossible, Serialize};

use crate::memo::Memo;

/// What went wrong turning a value into cells: a value that is not one cell.
#[derive(Debug)]
// One pointer, so that a cell's `Result` is returned in a register (a `Box<str>` is two, and
// made the report's CSV 5 % dearer, callgrind).
#[allow(clippy::box_collection)]
pub(crate) struct CellError(Box<String>);

impl Display for CellError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for CellError {}

impl ser::Error for CellError {
    fn custom<T: Display>(msg: T) -> CellError {
        CellError(msg.to_string().into())
    }
}

fn not_a_cell<T>(what: &str) -> Result<T, CellError> {
    Err(CellError(format!("a CSV cell holds one value, not {what}").into()))
}

/// The cells of one record as they are serialized, checked against the header's names.
pub(super) struct Fields<'a> {
    /// The writer's buffer, the record's cells written onto it.
    pub(super) buf: &'a mut Vec<u8>,
    /// The cells written so far.
    pub(super) cells: usize,
    /// A cell's text written through `fmt` (a float, a joined list).
    pub(super) cell: &'a mut Vec<u8>,
    /// The header's names, when the record's keys are still to be checked against them.
    pub(super) header: Option<&'a [&'a str]>,
    /// The bytes of [`Same`](crate::memo::Same) cells, by place and column.
    pub(super) memo: &'a mut Memo,
}

impl Fields<'_> {
    #[inline(always)]
    fn push(&mut self, key: &str, value: &(impl Serialize + ?Sized)) -> Result<(), CellError> {
        let at = self.cells;
        if let Some(header) = self.header {
            if header.get(at) != Some(&key) {
                return Err(CellError(format!("field {key:?} is not column {at} of the header {header:?}").into()));
            }
        }
        let mut written = false;
        value.serialize(Cell { buf: self.buf, column: at, written: &mut written, cell: self.cell, memo: self.memo })?;
        if !written {
            return not_a_cell("nothing");
        }
        self.cells += 1;
        Ok(())
    }
}

/// One record: a struct's fields, in the header's order.
pub(super) struct Record<'f, 'a>(pub(super) &'f mut Fields<'a>);

/// Methods of `ser::Serializer` for values that are not what is due: each an error.
macro_rules! refuse {
    ($($f:ident($($t:ty),*) -> $ok:ty: $what:expr;)*) => {$(
        fn $f(self, $(_: $t),*) -> Result<$ok, CellError> {
            not_a_cell($what)
        }
    )*};
}

/// The compound values a cell (or a record, but for its struct) is not.
macro_rules! refuse_compounds {
    () => {
        refuse! {
            serialize_seq(Option<usize>) -> Self::SerializeSeq: "a sequence";
            serialize_tuple(usize) -> Self::SerializeTuple: "a tuple";
            serialize_tuple_struct(&'static str, usize) -> Self::SerializeTupleStruct: "a tuple struct";
            serialize_tuple_variant(&'static str, u32, &'static str, usize) -> Self::SerializeTupleVariant: "an enum variant";
            serialize_map(Option<usize>) -> Self::SerializeMap: "a map";
            serialize_struct_variant(&'static str, u32, &'static str, usize) -> Self::SerializeStructVariant: "an enum variant";
        }
        fn serialize_newtype_variant<T: Serialize + ?Sized>(
            self,
            _: &'static str,
            _: u32,
            _: &'static str,
            _: &T,
        ) -> Result<(), CellError> {
            not_a_cell("an enum variant")
        }
    };
}

/// What a record is not.
const ONE: &str = "one value where a record is due";

impl<'f, 'a> ser::Serializer for Record<'f, 'a> {
    type Ok = ();
    type Error = CellError;
    type SerializeSeq = Impossible<(), CellError>;
    type SerializeTuple = Impossible<(), CellError>;
    type SerializeTupleStruct = Impossible<(), CellError>;
    type SerializeTupleVariant = Impossible<(), CellError>;
    type SerializeMap = Impossible<(), CellError>;
    type SerializeStruct = Self;
    type SerializeStructVariant = Impossible<(), CellError>;

    refuse! {
        serialize_bool(bool) -> (): ONE;
        serialize_i8(i8) -> (): ONE;
        serialize_i16(i16) -> (): ONE;
        serialize_i32(i32) -> (): ONE;
        serialize_i64(i64) -> (): ONE;
        serialize_u8(u8) -> (): ONE;
        serialize_u16(u16) -> (): ONE;
        serialize_u32(u32) -> (): ONE;
        serialize_u64(u64) -> (): ONE;
        serialize_f32(f32) -> (): ONE;
        serialize_f64(f64) -> (): ONE;
        serialize_char(char) -> (): ONE;
        serialize_str(&str) -> (): ONE;
        serialize_bytes(&[u8]) -> (): ONE;
        serialize_none() -> (): ONE;
        serialize_unit() -> (): ONE;
        serialize_unit_struct(&'static str) -> (): ONE;
        serialize_unit_variant(&'static str, u32, &'static str) -> (): ONE;
    }
    refuse_compounds!();

    fn serialize_some<T: Serialize + ?Sized>(self, v: &T) -> Result<(), CellError> {
        v.serialize(self)
    }
    fn serialize_newtype_struct<T: Serialize + ?Sized>(self, _: &'static str, v: &T) -> Result<(), CellError> {
        v.serialize(self)
    }
    fn serialize_struct(self, _: &'static str, _: usize) -> Result<Self, CellError> {
        Ok(self)
    }
}

impl ser::SerializeStruct for Record<'_, '_> {
    type Ok = ();
    type Error = CellError;
    #[inline(always)]
    fn serialize_field<T: Serialize + ?Sized>(&mut self, key: &'static str, v: &T) -> Result<(), CellError> {
        self.0.push(key, v)
    }
    fn end(self) -> Result<(), CellError> {
        Ok(())
    }
}

/// One cell, written onto the buffer made safe for Excel (a `'` before a formula's start).
struct Cell<'a> {
    buf: &'a mut Vec<u8>,
    /// The cell's place in the record (the first has no `,` before it).
    column: usize,
    /// Set once the cell is written.
    written: &'a mut bool,
    cell: &'a mut Vec<u8>,
    memo: &'a mut Memo,
}

impl Cell<'_> {
    #[inline]
    fn push(self, text: &[u8]) -> Result<(), CellError> {
        super::push_cell(self.buf, text, self.column == 0);
        *self.written = true;
        Ok(())
    }

    /// A [`Same`](crate::memo::Same) cell (with its `,`): the bytes kept for its place and
    /// column, or written (and kept).
    #[inline(always)]
    fn same<T: Serialize + ?Sized>(self, v: &T) -> Result<(), CellError> {
        let Cell { buf, column, written, cell, memo } = self;
        let [at, size] = crate::memo::place(v);
        let id = [at, size, column];
        if memo.copy(&id, buf) {
            *written = true;
            return Ok(());
        }
        let start = buf.len();
        v.serialize(Cell { buf: &mut *buf, column, written, cell, memo: &mut *memo })?;
        memo.keep(id, &buf[start..]);
        Ok(())
    }
}

macro_rules! integers {
    ($($f:ident($t:ty)),* $(,)?) => {$(
        fn $f(self, v: $t) -> Result<(), CellError> {
            self.push(itoa::Buffer::new().format(v).as_bytes())
        }
    )*};
}

/// Digits alone are never quoted nor made safe (no `-`): written with their `,` as they are.
macro_rules! unsigned {
    ($($f:ident($t:ty)),* $(,)?) => {$(
        #[inline(always)]
        fn $f(self, v: $t) -> Result<(), CellError> {
            let mut text = itoa::Buffer::new();
            let text = text.format(v).as_bytes();
            if self.column > 0 {
                self.buf.push(b',');
            }
            self.buf.extend_from_slice(text);
            *self.written = true;
            Ok(())
        }
    )*};
}

impl ser::Serializer for Cell<'_> {
    type Ok = ();
    type Error = CellError;
    type SerializeSeq = Impossible<(), CellError>;
    type SerializeTuple = Impossible<(), CellError>;
    type SerializeTupleStruct = Impossible<(), CellError>;
    type SerializeTupleVariant = Impossible<(), CellError>;
    type SerializeMap = Impossible<(), CellError>;
    type SerializeStruct = Impossible<(), CellError>;
    type SerializeStructVariant = Impossible<(), CellError>;

    integers! {
        serialize_i8(i8), serialize_i16(i16), serialize_i32(i32), serialize_i64(i64),
    }
    unsigned! {
        serialize_u8(u8), serialize_u16(u16), serialize_u32(u32), serialize_u64(u64),
    }

    fn serialize_bool(self, v: bool) -> Result<(), CellError> {
        self.serialize_str(if v { "true" } else { "false" })
    }
    fn serialize_f32(self, v: f32) -> Result<(), CellError> {
        self.collect_str(&v)
    }
    fn serialize_f64(self, v: f64) -> Result<(), CellError> {
        self.collect_str(&v)
    }
    fn serialize_char(self, v: char) -> Result<(), CellError> {
        self.serialize_str(v.encode_utf8(&mut [0; 4]))
    }
    fn serialize_str(self, v: &str) -> Result<(), CellError> {
        self.push(v.as_bytes())
    }
    fn serialize_bytes(self, v: &[u8]) -> Result<(), CellError> {
        self.push(v)
    }
    /// `None` is an empty cell.
    fn serialize_none(self) -> Result<(), CellError> {
        self.push(b"")
    }
    fn serialize_some<T: Serialize + ?Sized>(self, v: &T) -> Result<(), CellError> {
        v.serialize(self)
    }
    fn serialize_unit(self) -> Result<(), CellError> {
        self.push(b"")
    }
    fn serialize_unit_struct(self, _: &'static str) -> Result<(), CellError> {
        self.push(b"")
    }
    /// A unit variant is its (serde) name: a status is `met`, `n/a`, …; kept as a
    /// [`Same`](crate::memo::Same)'s bytes are, the name being `'static`.
    fn serialize_unit_variant(self, _: &'static str, _: u32, variant: &'static str) -> Result<(), CellError> {
        self.same(variant)
    }
    /// A [`Same`](crate::memo::Same) cell copied as kept; any other newtype is its value.
    #[inline(always)]
    fn serialize_newtype_struct<T: Serialize + ?Sized>(self, name: &'static str, v: &T) -> Result<(), CellError> {
        match crate::memo::is_same(name) {
            true => self.same(v),
            false => v.serialize(self),
        }
    }
    fn serialize_struct(self, _: &'static str, _: usize) -> Result<Self::SerializeStruct, CellError> {
        not_a_cell("a struct")
    }
    refuse_compounds!();
    /// Text through `fmt` (a float, a joined list) into the scratch buffer, then a cell.
    fn collect_str<T: Display + ?Sized>(self, v: &T) -> Result<(), CellError> {
        use std::io::Write as _;
        self.cell.clear();
        write!(self.cell, "{v}").map_err(|e| CellError(e.to_string().into()))?;
        super::push_cell(self.buf, self.cell, self.column == 0);
        *self.written = true;
        Ok(())
    }
}
