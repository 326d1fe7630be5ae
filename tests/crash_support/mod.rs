//! The crash test's parts (`tests/crashes.rs`): `state` reads a ledger folder as a crash
//! left it (files, WAL frames, a dump of every table); `ops` the operations killed, their
//! reference runs and the kills.

mod ops;
mod state;

pub use ops::*;
pub use state::*;
