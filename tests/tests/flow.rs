//! End to end through the library: two periods of the example bilateral, every file through its
//! JSON form, as the Seller and the Buyer would exchange them.

use rand::SeedableRng;
use rand_chacha::ChaCha20Rng;
use zkinvoice_circuits::{
    commit::{self, StateDoc, StateOpening},
    model::invoice::InvoiceDoc,
    rate, Invoice, Msa, Salt, Shape, Usage, UsageFormat, VolumeState,
};

const MSA: &str = include_str!("../../examples/msa.json");
const OCTOBER: &str = include_str!("../../examples/usage-2026-10.json");
const NOVEMBER: &str = include_str!("../../examples/usage-2026-11.csv");

fn through_json<T: serde::Serialize + serde::de::DeserializeOwned>(v: &T) -> T {
    serde_json::from_str(&serde_json::to_string(v).unwrap()).unwrap()
}

#[test]
fn two_periods_chain_through_their_files() {
    let mut rng = ChaCha20Rng::seed_from_u64(7);
    let msa = Msa::from_json(MSA).unwrap();
    let shape = Shape::M;
    let msa_c = commit::msa_commitment(&msa, shape, &Salt::random(&mut rng)).unwrap();
    let mut state =
        StateOpening::new(msa_c, VolumeState::initial(&msa), shape, Salt::random(&mut rng)).unwrap();
    let months = [
        Usage::parse(OCTOBER, UsageFormat::Json, &msa, None).unwrap(),
        Usage::parse(
            NOVEMBER,
            UsageFormat::Csv,
            &msa,
            Some("2026-11-01..2026-12-01".parse().unwrap()),
        )
        .unwrap(),
    ];
    let mut totals = Vec::new();
    for (k, usage) in months.iter().enumerate() {
        let rated = rate(&msa, usage, &state.state, &format!("INV-{k}")).unwrap();
        assert_eq!(rated.after.index, k as u64 + 1);
        // The Seller writes the invoice with its commitment; the Buyer recomputes it from the document.
        let salt = Salt::random(&mut rng);
        let c = commit::invoice_commitment(&rated.invoice, shape, &salt).unwrap();
        let received: InvoiceDoc = through_json(&rated.invoice.to_doc(None));
        let buyer_view = Invoice::from_doc(&received).unwrap();
        assert_eq!(commit::invoice_commitment(&buyer_view, shape, &salt).unwrap(), c);
        // The next period starts from the state file written after this one.
        let next = StateOpening::new(msa_c, rated.after.clone(), shape, Salt::random(&mut rng)).unwrap();
        let doc: StateDoc = through_json(&next.to_doc(&msa));
        state = StateOpening::from_doc(&msa, &doc).unwrap();
        assert_eq!(state.commitment, next.commitment);
        totals.push(rated.invoice.total);
    }
    // The November bill benefits from October's volume: IP transit crosses into the 0.0100 tier.
    assert_eq!(totals, vec![3_077_646, 2_683_181]);

    // A state file edited by hand no longer opens.
    let mut doc = state.to_doc(&msa);
    doc.volumes.insert("ip-transit".into(), "1".into());
    let e = StateOpening::from_doc(&msa, &doc).unwrap_err().to_string();
    assert!(e.contains("does not open"), "{e}");
}
