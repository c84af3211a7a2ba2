//! R1CS statements: what a proof attests.
//!
//! [`invoice`] is the invoice statement (protocol v1), synthesised in named parts with their
//! costs; [`assignment`] builds its witness natively from the model. Protocol v2 proves an invoice
//! of any size as partitions: [`block`] (a block of products rated), [`chunk`] (a chunk of usage
//! records read) and [`link`] (the header and the totals); [`crate::partition`] builds their
//! witnesses and public values.

pub mod assignment;
pub mod block;
pub mod chunk;
pub mod invoice;
pub mod link;

pub use assignment::{InvoiceAssignment, InvoiceOpening, RecordAssignment, SlotAssignment};
pub use invoice::{circuit_digest, measure, InvoiceCircuit, InvoiceCost, Part, Per, STATEMENT};
