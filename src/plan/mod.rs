//! The plan itself: terms (学期), the kinds of units and activities, and the targets (指标)
//! of section 二 with their thresholds and responsible bodies (section 三).

pub mod deadlines;
pub mod fact;
pub mod file;
pub mod model;
pub mod period;
pub mod quality;
pub mod target;
pub mod term;
pub mod units;

pub use fact::{Fact, FactSet, HostKind};
pub use model::Plan;
pub use target::{Ratio, Status};
pub use term::Term;
pub use units::{ActivityKind, Area, BodyKind, BodyLevel, Mode, RegistryCategory, SchoolGroup, SchoolType, StudentCategory};
