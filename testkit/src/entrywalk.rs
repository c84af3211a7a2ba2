//! Field walks of anchor entries ([`crate::fieldwalk`]): every change of one leaf of a signed
//! proposal is refused by `append`, and of the entry it makes by `import`, each into a copy of a
//! log holding exactly the entries before it.

use std::{
    fs,
    path::{Path, PathBuf},
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
    let k = COPIES.fetch_add(1, Ordering::Relaxed);
    let template = dir.join(format!("walk-template-{k}.db"));
    let log = AnchorLog::create(&template, parties.0, parties.1).expect("a log");
    log.import_jsonl(&mut &before[..]).expect("the entries before");
    let template = Template::of(log);
    let copy = || {
        let k = COPIES.fetch_add(1, Ordering::Relaxed);
        template.copy(&dir.join(format!("walk-copy-{k}.db")))
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

/// A closed log whose copies start the walks' logs: a copy is a file copy, where a log rebuilt
/// from its entries verifies every one of them again (the walks make one per change).
pub struct Template {
    path: PathBuf,
}

impl Template {
    /// Closes `log` (its write-ahead log checkpointed) to copy it.
    pub fn of(log: AnchorLog) -> Self {
        let path = log.path().to_path_buf();
        drop(log);
        Self { path }
    }

    /// A copy at `to` (a new file), opened.
    pub fn copy(&self, to: &Path) -> AnchorLog {
        fs::copy(&self.path, to).expect("copies the log");
        let wal = |p: &Path| PathBuf::from(format!("{}-wal", p.display()));
        if wal(&self.path).is_file() {
            fs::copy(wal(&self.path), wal(to)).expect("copies the log's write-ahead log");
        }
        AnchorLog::open(to).expect("the copy opens")
    }
}
