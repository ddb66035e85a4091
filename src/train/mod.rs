//! Train mode's parts: the bench model and its editor, the leads' placement, the link, the
//! spine picture (AP and lateral) with the field over it, the field's solves, detail view
//! and drag preview, steering, the response and the virtual patient, the scenarios, and
//! the panels the page lays out.

pub mod areas_panel;
pub mod bench;
pub mod closed_loop;
pub mod contacts_panel;
pub mod editing;
pub mod field_panel;
pub mod field_view;
pub mod fields;
pub mod impedance_panel;
pub mod lateral_view;
pub mod leads_panel;
pub mod link;
pub mod membrane;
pub mod number_field;
pub mod overlay;
pub mod patient;
pub mod placement;
pub mod preview;
pub mod pulse_panel;
pub mod response;
pub mod scenario_panel;
pub mod scenarios;
pub mod solving;
pub mod spine_view;
pub mod steering;
pub mod steering_controls;
pub mod strength_duration;
