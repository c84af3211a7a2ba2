//! R1CS statements: what a proof attests.
//!
//! [`invoice`] is the invoice statement, synthesised in named parts with their costs;
//! [`assignment`] builds its witness natively from the model.

pub mod assignment;
pub mod invoice;

pub use assignment::{InvoiceAssignment, InvoiceOpening, RecordAssignment, SlotAssignment};
pub use invoice::{circuit_digest, measure, InvoiceCircuit, InvoiceCost, Part, Per, STATEMENT};
