//! `publish`: a bill (`invoice` output) into the Seller's store; a running Seller service
//! notifies its listeners.

use zkinvoice_mef141::CustomerBill;
use zkinvoice_service::{seller::SellerStore, ServiceError};

use crate::{
    args::PublishArgs,
    error::{service_err, CliError},
    io::read_json,
};

/// `publish`.
pub fn run(a: PublishArgs) -> Result<(), CliError> {
    let bill: CustomerBill = read_json(&a.bill)?;
    if !a.db.exists() {
        return Err(CliError::Read {
            file: a.db.clone(),
            source: std::io::Error::new(std::io::ErrorKind::NotFound, "no Seller store here"),
        });
    }
    let store = SellerStore::open(&a.db).map_err(service_err)?;
    let p = store.publish(&bill).map_err(|e| match e {
        ServiceError::Bill { .. } => CliError::Mismatch(format!("{}: {e}", a.bill.display())),
        e => service_err(e),
    })?;
    if p.already {
        println!("bill {} was already published (unchanged)", p.id);
    } else {
        println!("published bill {}: {} events queued", p.id, p.events);
    }
    Ok(())
}
