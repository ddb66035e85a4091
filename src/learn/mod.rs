//! Learn mode's parts: the journey, the pain pathway, the practice remote, the diary.

pub mod diary;
pub mod journey;
pub mod pathway;
pub mod remote;
