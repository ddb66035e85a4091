//! Train mode's parts: the bench model, the spine view, the field view and its drag
//! preview, the scenarios, the virtual patient.

pub mod bench;
pub mod field_view;
pub mod patient;
pub mod preview;
pub mod scenarios;
pub mod spine_view;
