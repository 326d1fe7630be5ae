//! gongyu (共育): a compliance ledger for a district's family–school–community
//! co-education action plan (家校社共育三年行动计划).
//!
//! The flow is the folder layout: a return file is decoded and validated in
//! [`returns`], written by [`import`] into the SQLite [`ledger`], measured against the
//! [`plan`]'s targets in [`report`] (pure arithmetic), and printed by [`render`].
//! [`commands`] is the thin shell the binary runs; [`ambient`] is the one place that
//! reads the clock and the environment.

pub mod ambient;
pub mod cli;
pub mod commands;
pub mod durable;
pub mod facts;
pub mod files;
pub mod hash;
pub mod import;
pub mod lang;
pub mod ledger;
pub mod messages;
pub mod notice;
pub mod ops;
pub mod plan;
pub mod quality;
pub mod render;
pub mod report;
pub mod returns;
pub mod safe_csv;
pub mod usage;
