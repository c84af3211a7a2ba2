//! zkinvoice's end-to-end tests through the library live in `tests/` (this crate has nothing
//! else: shared fixtures are in `zkinvoice-testkit`, the MEF 141 schema validators in
//! `zkinvoice-mef141`'s `schema` feature).
#![forbid(unsafe_code)]
