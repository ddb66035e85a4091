//! Train mode's parts: the bench model, the leads' placement, the spine view, the field view and its drag
//! preview, the scenarios.

pub mod bench;
pub mod field_view;
pub mod leads_panel;
pub mod placement;
pub mod preview;
pub mod scenarios;
pub mod solving;
pub mod spine_view;
pub mod steering;
pub mod steering_controls;
