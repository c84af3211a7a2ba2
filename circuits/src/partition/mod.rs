//! Protocol v2, natively: an invoice of any size split into fixed-shape partitions
//! (`docs/protocol.md`, "Partitioned invoices").
//!
//! * [`shape`]: the partition shapes ([`PartitionShape::PS`], [`PartitionShape::PM`]);
//! * [`salt`]: each part's salt, derived from the document's one salt;
//! * [`parts`]: the part commitments and the anchored tops over them;
//! * [`opening`]: everything the Seller opens to prove one partitioned invoice, giving the public
//!   values ([`zkinvoice_verifier::partition::PartitionedPublic`]) and each partition's circuit,
//!   one at a time, so that a large invoice is never held as circuits all at once.

pub mod opening;
pub mod parts;
pub mod salt;
pub mod shape;

pub use opening::{PartitionCircuit, PartitionId, PartitionedOpening};
pub use shape::PartitionShape;
