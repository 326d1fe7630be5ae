//! The plan itself: terms (学期), the kinds of units and activities, and the targets (指标)
//! of section 二 with their thresholds and responsible bodies (section 三).

pub(crate) mod deadlines;
pub(crate) mod fact;
pub(crate) mod file;
pub(crate) mod model;
pub(crate) mod period;
pub(crate) mod quality;
pub(crate) mod target;
pub(crate) mod term;
pub(crate) mod units;

pub(crate) use fact::{Fact, FactSet, HostKind};
pub(crate) use model::Plan;
pub(crate) use target::{Ratio, Status};
pub(crate) use term::Term;
pub(crate) use units::{
    ActivityKind, Area, BodyKind, BodyLevel, Mode, RegistryCategory, SchoolGroup, SchoolType, StudentCategory,
};
