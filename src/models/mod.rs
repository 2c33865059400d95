//! Statistical models fitted to customer tables: today the customer-lifetime-value models ([`clv`]), with the
//! numerical pieces they need ([`hyp2f1`], [`optimize`]). Pure Rust, no allocation-heavy dependencies.

pub mod clv;
pub mod hyp2f1;
pub mod optimize;
