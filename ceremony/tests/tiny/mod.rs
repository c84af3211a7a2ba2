//! A tiny ceremony the tests share: one statement with the invoice statement's five public
//! inputs, phase 1 contributed by the Seller, then the Buyer.

use std::{path::Path, sync::Arc};

use ark_bls12_381::Fr;
use ark_ff::One;
use rand_chacha::ChaCha20Rng;
use zkinvoice_ceremony::transcript::{Ceremony, Statement};
use zkinvoice_circuits::statement::R1cs;

use crate::common::Multiples;

/// The ceremony in `dir/cer`, phase 1 contributed by "seller" and "buyer".
pub fn five_after_phase1(dir: &Path, rng: &mut ChaCha20Rng) -> Ceremony {
    let r1cs = R1cs::of("test/multiples", Multiples { w: Fr::one(), n: 5 }).unwrap();
    let statement = Statement::of("five", "test/multiples", Arc::new(r1cs));
    let c = Ceremony::create(&dir.join("cer"), "test", vec![statement], None).unwrap();
    for name in ["seller", "buyer"] {
        c.contribute_phase1(name, rng, &()).unwrap();
    }
    c
}
