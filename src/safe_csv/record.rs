//! A record of CSV through serde: a struct (or tuple) of cells, each one value — a string,
//! a number, `None` (an empty cell), a unit variant (its name) — written as `SafeCsv::row`
//! writes its cells: made safe for Excel, then quoted by the `csv` crate as needed.

use std::fmt::{self, Display};

use serde::ser::{self, Impossible, Serialize};

/// What went wrong turning a value into cells: a value that is not one cell.
#[derive(Debug)]
pub(crate) struct CellError(String);

impl Display for CellError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for CellError {}

impl ser::Error for CellError {
    fn custom<T: Display>(msg: T) -> CellError {
        CellError(msg.to_string())
    }
}

fn not_a_cell<T>(what: &str) -> Result<T, CellError> {
    Err(CellError(format!("a CSV cell holds one value, not {what}")))
}

/// The cells of one record as they are serialized, checked against the header's names.
pub(super) struct Fields<'a> {
    pub(super) record: &'a mut csv::ByteRecord,
    pub(super) cell: &'a mut Vec<u8>,
    /// The header's names, when the record's keys are still to be checked against them.
    pub(super) header: Option<&'a [&'a str]>,
}

impl Fields<'_> {
    fn push(&mut self, key: Option<&str>, value: &(impl Serialize + ?Sized)) -> Result<(), CellError> {
        if let Some(header) = self.header {
            let at = self.record.len();
            let column = header.get(at).copied();
            if column.is_none() || key.is_some_and(|k| Some(k) != column) {
                return Err(CellError(format!("field {key:?} is not column {at} of the header {header:?}")));
            }
        }
        self.cell.clear();
        value.serialize(Cell(self.cell))?;
        if super::formula_start(self.cell) {
            self.cell.insert(0, b'\'');
        }
        self.record.push_field(self.cell);
        Ok(())
    }
}

/// One record: a struct's fields or a tuple's items, in the header's order.
pub(super) struct Record<'f, 'a>(pub(super) &'f mut Fields<'a>);

macro_rules! not_a_record {
    ($($f:ident($($t:ty),*)),* $(,)?) => {$(
        fn $f(self, $(_: $t),*) -> Result<(), CellError> {
            not_a_cell("one value where a record is due")
        }
    )*};
}

impl<'f, 'a> ser::Serializer for Record<'f, 'a> {
    type Ok = ();
    type Error = CellError;
    type SerializeSeq = Self;
    type SerializeTuple = Self;
    type SerializeTupleStruct = Impossible<(), CellError>;
    type SerializeTupleVariant = Impossible<(), CellError>;
    type SerializeMap = Impossible<(), CellError>;
    type SerializeStruct = Self;
    type SerializeStructVariant = Impossible<(), CellError>;

    not_a_record! {
        serialize_bool(bool), serialize_i8(i8), serialize_i16(i16), serialize_i32(i32), serialize_i64(i64),
        serialize_u8(u8), serialize_u16(u16), serialize_u32(u32), serialize_u64(u64), serialize_f32(f32),
        serialize_f64(f64), serialize_char(char), serialize_str(&str), serialize_bytes(&[u8]),
        serialize_none(), serialize_unit(), serialize_unit_struct(&'static str),
        serialize_unit_variant(&'static str, u32, &'static str),
    }

    fn serialize_some<T: Serialize + ?Sized>(self, v: &T) -> Result<(), CellError> {
        v.serialize(self)
    }
    fn serialize_newtype_struct<T: Serialize + ?Sized>(self, _: &'static str, v: &T) -> Result<(), CellError> {
        v.serialize(self)
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
    fn serialize_seq(self, _: Option<usize>) -> Result<Self, CellError> {
        Ok(self)
    }
    fn serialize_tuple(self, _: usize) -> Result<Self, CellError> {
        Ok(self)
    }
    fn serialize_tuple_struct(self, _: &'static str, _: usize) -> Result<Self::SerializeTupleStruct, CellError> {
        not_a_cell("a tuple struct")
    }
    fn serialize_tuple_variant(
        self,
        _: &'static str,
        _: u32,
        _: &'static str,
        _: usize,
    ) -> Result<Self::SerializeTupleVariant, CellError> {
        not_a_cell("an enum variant")
    }
    fn serialize_map(self, _: Option<usize>) -> Result<Self::SerializeMap, CellError> {
        not_a_cell("a map")
    }
    fn serialize_struct(self, _: &'static str, _: usize) -> Result<Self, CellError> {
        Ok(self)
    }
    fn serialize_struct_variant(
        self,
        _: &'static str,
        _: u32,
        _: &'static str,
        _: usize,
    ) -> Result<Self::SerializeStructVariant, CellError> {
        not_a_cell("an enum variant")
    }
}

impl ser::SerializeStruct for Record<'_, '_> {
    type Ok = ();
    type Error = CellError;
    fn serialize_field<T: Serialize + ?Sized>(&mut self, key: &'static str, v: &T) -> Result<(), CellError> {
        self.0.push(Some(key), v)
    }
    fn end(self) -> Result<(), CellError> {
        Ok(())
    }
}

impl ser::SerializeTuple for Record<'_, '_> {
    type Ok = ();
    type Error = CellError;
    fn serialize_element<T: Serialize + ?Sized>(&mut self, v: &T) -> Result<(), CellError> {
        self.0.push(None, v)
    }
    fn end(self) -> Result<(), CellError> {
        Ok(())
    }
}

impl ser::SerializeSeq for Record<'_, '_> {
    type Ok = ();
    type Error = CellError;
    fn serialize_element<T: Serialize + ?Sized>(&mut self, v: &T) -> Result<(), CellError> {
        self.0.push(None, v)
    }
    fn end(self) -> Result<(), CellError> {
        Ok(())
    }
}

/// One cell's text, appended to the buffer.
struct Cell<'a>(&'a mut Vec<u8>);

macro_rules! integers {
    ($($f:ident($t:ty)),* $(,)?) => {$(
        fn $f(self, v: $t) -> Result<(), CellError> {
            self.0.extend_from_slice(itoa::Buffer::new().format(v).as_bytes());
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
        self.0.extend_from_slice(v.as_bytes());
        Ok(())
    }
    fn serialize_bytes(self, v: &[u8]) -> Result<(), CellError> {
        self.0.extend_from_slice(v);
        Ok(())
    }
    /// `None` is an empty cell.
    fn serialize_none(self) -> Result<(), CellError> {
        Ok(())
    }
    fn serialize_some<T: Serialize + ?Sized>(self, v: &T) -> Result<(), CellError> {
        v.serialize(self)
    }
    fn serialize_unit(self) -> Result<(), CellError> {
        Ok(())
    }
    fn serialize_unit_struct(self, _: &'static str) -> Result<(), CellError> {
        Ok(())
    }
    /// A unit variant is its (serde) name: a status is `met`, `n/a`, ….
    fn serialize_unit_variant(self, _: &'static str, _: u32, variant: &'static str) -> Result<(), CellError> {
        self.serialize_str(variant)
    }
    fn serialize_newtype_struct<T: Serialize + ?Sized>(self, _: &'static str, v: &T) -> Result<(), CellError> {
        v.serialize(self)
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
    fn serialize_seq(self, _: Option<usize>) -> Result<Self::SerializeSeq, CellError> {
        not_a_cell("a sequence")
    }
    fn serialize_tuple(self, _: usize) -> Result<Self::SerializeTuple, CellError> {
        not_a_cell("a tuple")
    }
    fn serialize_tuple_struct(self, _: &'static str, _: usize) -> Result<Self::SerializeTupleStruct, CellError> {
        not_a_cell("a tuple struct")
    }
    fn serialize_tuple_variant(
        self,
        _: &'static str,
        _: u32,
        _: &'static str,
        _: usize,
    ) -> Result<Self::SerializeTupleVariant, CellError> {
        not_a_cell("an enum variant")
    }
    fn serialize_map(self, _: Option<usize>) -> Result<Self::SerializeMap, CellError> {
        not_a_cell("a map")
    }
    fn serialize_struct(self, _: &'static str, _: usize) -> Result<Self::SerializeStruct, CellError> {
        not_a_cell("a struct")
    }
    fn serialize_struct_variant(
        self,
        _: &'static str,
        _: u32,
        _: &'static str,
        _: usize,
    ) -> Result<Self::SerializeStructVariant, CellError> {
        not_a_cell("an enum variant")
    }
    fn collect_str<T: Display + ?Sized>(self, v: &T) -> Result<(), CellError> {
        use std::io::Write;
        write!(self.0, "{v}").map_err(|e| CellError(e.to_string()))
    }
}
