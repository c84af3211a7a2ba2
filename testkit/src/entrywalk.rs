//! Field walks of anchor entries ([`crate::fieldwalk`]): every change of one leaf of a signed
//! proposal is refused by `append`, and of the entry it makes by `import`, each into a copy of a
//! log holding exactly the entries before it.

use std::{
    path::Path,
    sync::atomic::{AtomicUsize, Ordering},
};

use zkinvoice_anchors::{AnchorLog, PartyPublic, Proposal};

use crate::fieldwalk::{exact, walk_all};

/// Walks `p` against `base` (whose parties are `parties`: Seller, Buyer), in copies made in
/// `dir`, then appends it to `base`. Panics naming the kind and every change that was accepted.
pub fn assert_every_field_bound(
    base: &AnchorLog,
    dir: &Path,
    p: Proposal,
    parties: (&PartyPublic, &PartyPublic),
) {
    static COPIES: AtomicUsize = AtomicUsize::new(0);
    let mut before = Vec::new();
    base.export_jsonl(&mut before).expect("exports");
    let copy = || {
        let k = COPIES.fetch_add(1, Ordering::Relaxed);
        let path = dir.join(format!("walk-copy-{k}.db"));
        let log = AnchorLog::create(&path, parties.0, parties.1).expect("a log");
        log.import_jsonl(&mut &before[..]).expect("the entries before");
        log
    };
    let kind = p.body.kind();
    let walk = walk_all(&exact(&p.to_json()), &[], |m| {
        Proposal::from_json(&m.text()).is_ok_and(|p| copy().append(p).is_ok())
    });
    assert!(walk.defects.is_empty(), "{kind} proposal: {:#?}", walk.defects);
    assert!(walk.tried >= 8, "{kind}: {}", walk.tried);
    let entry = base.append(p).expect("admitted");
    let walk = walk_all(&exact(&entry.to_json_line()), &[], |m| {
        let line = format!("{}\n", m.text());
        copy()
            .import_jsonl(&mut line.as_bytes())
            .is_ok_and(|r| r.appended == 1)
    });
    assert!(walk.defects.is_empty(), "{kind} entry: {:#?}", walk.defects);
}
