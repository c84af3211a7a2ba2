//! One module per command. A command takes its resolved arguments, loads its inputs
//! ([`crate::load`]), calls the library or [`crate::actions`], writes its outputs atomically
//! ([`crate::io::Outputs`]) and prints what it did. Command modules never import each other.

pub mod anchors;
pub mod audit;
pub mod ceremony;
pub mod credit;
pub mod demo;
pub mod export;
pub mod invoice;
pub mod keygen;
pub mod msa;
pub mod net;
pub mod prove;
pub mod publish;
pub mod rate;
pub mod reconcile;
pub mod render;
pub mod schema;
pub mod serve;
pub mod setup;
pub mod sla;
pub mod usage;
pub mod verify;
