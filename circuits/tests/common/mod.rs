//! Builders shared by the circuits crate's integration tests: the model builders of the testkit.
#![allow(unused_imports)]

pub use zkinvoice_testkit::model::*;
