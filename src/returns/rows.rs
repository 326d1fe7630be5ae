//! The typed rows of each return, as the kinds' specs parse them (kept for the code that
//! names them from here).

pub use super::kinds::{is_code, ActivityRow, BodyRow, CommunityRow, KeyStudentRow, Record, RegistryRow, SchoolRow};
