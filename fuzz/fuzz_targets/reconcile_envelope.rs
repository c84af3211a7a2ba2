//! A reconciliation envelope (`reconcile --prove`'s output, what either party sends the other and
//! `anchors propose --reconciliation` reads): the v1 `ReconcileEnvelope` or the partitioned
//! `PartitionedReconcileEnvelope` from JSON, each read back from its own JSON, then verified under
//! the fixture keys (`fixtures/reconcile-S.vk`; `fixtures/reconcile-v2-block-PS.vk` and
//! `reconcile-v2-link-link.vk`). A partitioned envelope's public values are also checked on their
//! own (`PartitionedReconcilePublic::check` against the tops their parts make) and, when they hold
//! together, every block's and the link's public inputs are built.
//!
//! Options byte, then the file. Bit 0 clear: v1; set: partitioned.
#![no_main]

use libfuzzer_sys::fuzz_target;
use zkinvoice_circuits::model::from_json;
use zkinvoice_fuzz::{options_and_text, reconcile_v1_vk, reconcile_v2_vks};
use zkinvoice_prover::reconcile::{partitioned::PartitionedReconcileEnvelope, ReconcileEnvelope};

fuzz_target!(|data: &[u8]| {
    let Some((options, text)) = options_and_text(data) else {
        return;
    };
    if options & 1 == 0 {
        let Ok(env) = from_json::<ReconcileEnvelope>(text) else {
            return;
        };
        let json = serde_json::to_string(&env).expect("an envelope serialises");
        let back: ReconcileEnvelope = serde_json::from_str(&json).expect("an envelope reads back");
        assert_eq!(back, env, "the envelope reads back as another");
        let _ = env.within();
        let _ = env.verify(reconcile_v1_vk());
        return;
    }
    let Ok(env) = from_json::<PartitionedReconcileEnvelope>(text) else {
        return;
    };
    let json = serde_json::to_string(&env).expect("an envelope serialises");
    let back: PartitionedReconcileEnvelope = serde_json::from_str(&json).expect("an envelope reads back");
    assert_eq!(back, env, "the envelope reads back as another");
    let public = &env.public;
    let tops = public.tops();
    if public.check(&tops).is_ok() {
        for j in 0..public.blocks() {
            let _ = public.block_inputs(j);
        }
        let _ = public.link_inputs();
    }
    if let Ok(opened) = env.verify(reconcile_v2_vks()) {
        assert_eq!(opened, tops, "a verified envelope opens its own parts' tops");
    }
});
