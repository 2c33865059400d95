//! Segments: which rows belong to which customer group, as bitmaps.

pub mod bitmap;
pub mod builtin;

pub use bitmap::Bitmap;
