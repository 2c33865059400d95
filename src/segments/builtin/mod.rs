//! Built-in segmentations: RFM, lifecycle, clusters.
