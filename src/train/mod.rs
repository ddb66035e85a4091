//! Train mode's parts: the bench model, the leads' placement, the spine view, the field view
//! and its drag preview, steering, the scenarios, the virtual patient.

pub mod bench;
pub mod field_view;
pub mod leads_panel;
pub mod patient;
pub mod placement;
pub mod preview;
pub mod scenarios;
pub mod solving;
pub mod spine_view;
pub mod steering;
pub mod steering_controls;
