//! Train mode's parts: the bench model, the spine view, the field view, the scenarios.

pub mod bench;
pub mod field_view;
pub mod scenarios;
pub mod spine_view;
