//! Segments: which rows belong to which customer group, as bitmaps.

pub mod bitmap;

pub use bitmap::Bitmap;
