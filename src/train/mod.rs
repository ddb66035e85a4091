//! Train mode's parts: the bench model, the leads' placement, the spine picture (AP and
//! lateral) with the field over it, the field's detail view and its drag preview, steering,
//! the scenarios, the virtual patient.

pub mod bench;
pub mod field_view;
pub mod lateral_view;
pub mod leads_panel;
pub mod overlay;
pub mod patient;
pub mod placement;
pub mod preview;
pub mod scenarios;
pub mod solving;
pub mod spine_view;
pub mod steering;
pub mod steering_controls;
