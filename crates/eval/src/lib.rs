//! Scorers that hold annalist's output against gold standards.
//!
//! Each module reads one gold format from `../shared/data/` (or any path given) and returns plain numbers;
//! printing is the binary's job.

pub mod conll;
pub mod events;
pub mod geo;
pub mod html;
pub mod polnear;
pub mod report;
