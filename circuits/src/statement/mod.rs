//! R1CS statements: what a proof attests.

pub mod assignment;
pub mod invoice;

pub use assignment::{InvoiceAssignment, InvoiceOpening, RecordAssignment, SlotAssignment};
pub use invoice::{circuit_digest, InvoiceCircuit, InvoiceCost, STATEMENT};
