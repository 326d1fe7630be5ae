//! gongyu (共育): a compliance ledger for a district's family–school–community
//! co-education action plan (家校社共育三年行动计划).
//!
//! The flow is the folder layout: a return file is decoded and validated in
//! [`returns`], written by [`ops::import`] into the SQLite [`ledger`], measured against the
//! [`plan`]'s targets in [`report`] (pure arithmetic), and printed by [`render`].
//! [`commands`] is the thin shell the binary runs; [`ambient`] is the one place that
//! reads the clock and the environment.

pub mod ambient;
pub mod cli;
pub mod commands;
pub(crate) mod durable;
pub(crate) mod facts;
pub(crate) mod files;
pub(crate) mod hash;
pub(crate) mod lang;
pub mod ledger;
pub(crate) mod memo;
pub mod messages;
pub mod notice;
pub(crate) mod ops;
pub(crate) mod plain;
pub(crate) mod plan;
pub(crate) mod quality;
pub(crate) mod render;
pub(crate) mod report;
pub mod returns;
pub(crate) mod safe_csv;
pub mod usage;
