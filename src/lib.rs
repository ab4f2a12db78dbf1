//! portalcheck: checks submissions to Kazakhstan's e-government architecture portal for the
//! evidence that Order No. 29, paragraph 5 requires, and indexes them for search.
//!
//! The data flows one way: [`corpus`] (discovery) → [`extract`] (text per page) →
//! [`recognize`] (types and facts, driven by [`rules`]) → [`index`] (Tantivy: store and search) →
//! [`evaluate`] (pure functions of facts, rules and a date) → [`report`]. [`pipeline`] drives the
//! stages (`ingest_and_check`), [`nightly`] adds the state directory and [`history`], and
//! `src/main.rs` runs one command and prints what the library rendered. Modules form layers that
//! import only downward; see ARCHITECTURE.md for the layer table, the map and the invariants.

pub mod calendar;
pub mod card;
pub mod corpus;
pub mod date;
pub mod evaluate;
pub mod extract;
mod fnv;
pub mod history;
pub mod index;
pub mod lang;
pub mod nightly;
pub mod pipeline;
pub mod recognize;
pub mod record;
pub mod report;
pub mod rules;
pub mod serve;
pub mod state_dir;
