//! Learn mode's parts: the journey and its pictures, the pain pathway, the practice
//! remote, the diary.

pub mod diary;
pub mod journey;
pub mod pathway;
pub mod pictures;
pub mod remote;
