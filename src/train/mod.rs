//! Train mode's parts: the bench model, the spine picture (AP and lateral) with the field
//! over it, the field's detail view and its drag preview, the scenarios.

pub mod bench;
pub mod field_view;
pub mod lateral_view;
pub mod overlay;
pub mod preview;
pub mod scenarios;
pub mod spine_view;
