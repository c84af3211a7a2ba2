//! Export and import between the parties' copies: identical copies, idempotent imports, and
//! forks, gaps, reordered and bad lines refused whole.

use zkinvoice_anchors::{AnchorError, AnchorLog, ImportError, Role, SignatureError};

use crate::common::*;
use crate::{export, flow_log, import};

#[test]
fn export_then_import_gives_identical_copies_and_is_idempotent() {
    let dir = tempfile::tempdir().unwrap();
    let seller_copy = flow_log(dir.path(), "seller.db");
    let text = export(&seller_copy);

    // The Buyer's copy: the first three entries first, then everything.
    let buyer_copy = new_log(&dir.path().join("buyer.db"));
    let first3: String = text.lines().take(3).map(|l| format!("{l}\n")).collect();
    let r = import(&buyer_copy, &first3).unwrap();
    assert_eq!((r.appended, r.already_present), (3, 0));
    let r = import(&buyer_copy, &text).unwrap();
    assert_eq!((r.appended, r.already_present), (4, 3));
    assert_eq!(buyer_copy.head().unwrap(), seller_copy.head().unwrap());
    assert_eq!(export(&buyer_copy), text);
    buyer_copy.verify_log().unwrap();
    // Again: nothing to do.
    let r = import(&buyer_copy, &text).unwrap();
    assert_eq!((r.appended, r.already_present), (0, 7));
    // Appending on one copy and importing into the other keeps them equal.
    let extra = signed(synthetic_usage(fixture().msa_commitment, 0));
    buyer_copy.append(extra).unwrap();
    let r = import(&seller_copy, &export(&buyer_copy)).unwrap();
    assert_eq!((r.appended, r.already_present), (1, 7));
    assert_eq!(buyer_copy.head().unwrap(), seller_copy.head().unwrap());
    // Blank lines are ignored.
    assert_eq!(
        import(&seller_copy, &format!("\n{}\n\n", export(&seller_copy)))
            .unwrap()
            .already_present,
        8
    );
}

#[test]
fn forks_gaps_reordering_and_bad_lines_are_refused_whole() {
    let dir = tempfile::tempdir().unwrap();
    let fx = fixture();
    // Two copies that share two entries, then differ at entry 3.
    let a = new_log(&dir.path().join("a.db"));
    let b = new_log(&dir.path().join("b.db"));
    for p in [signed(msa_body()), signed(usage_body(0))] {
        a.append(p.clone()).unwrap();
        b.append(p).unwrap();
    }
    a.append(signed(fx.months[0].proved.clone())).unwrap();
    a.append(signed(accepted(0))).unwrap();
    b.append(signed(usage_body(1))).unwrap();
    let before = state(&b);
    let e = import(&b, &export(&a)).err().unwrap();
    let (la, lb) = (a.entries().unwrap(), b.entries().unwrap());
    assert_eq!(
        e,
        AnchorError::Fork {
            seq: 3,
            local: hex::encode(lb[2].hash),
            imported: hex::encode(la[2].hash)
        }
    );
    assert!(e.to_string().contains("the copies diverge at entry 3"), "{e}");
    assert_eq!(state(&b), before);

    // Reordered lines into an empty copy: a gap at the first out-of-order line; nothing written.
    let full = flow_log(dir.path(), "full.db");
    let text = export(&full);
    let mut lines: Vec<&str> = text.lines().collect();
    lines.swap(2, 3);
    let c = new_log(&dir.path().join("c.db"));
    let e = import(&c, &lines.join("\n")).err().unwrap();
    assert_eq!(
        e,
        AnchorError::Import {
            line: 3,
            seq: Some(4),
            reason: ImportError::Gap { len: 2 }
        }
    );
    assert_eq!(state(&c), (0, None));
    // A gap at the start.
    let e = import(&c, &text.lines().skip(1).collect::<Vec<_>>().join("\n"))
        .err()
        .unwrap();
    assert_eq!(
        e,
        AnchorError::Import {
            line: 1,
            seq: Some(2),
            reason: ImportError::Gap { len: 0 }
        }
    );
    // An altered line: its hash does not recompute.
    let altered = text.replacen("INV-2026-10", "INV-2026-1O", 1);
    let e = import(&c, &altered).err().unwrap();
    assert!(
        matches!(
            e,
            AnchorError::Import {
                seq: Some(3),
                reason: ImportError::HashMismatch { stored, computed },
                ..
            } if stored != computed
        ),
        "{e:?}"
    );
    // Not JSON.
    let e = import(&c, "{\"seq\": 1}\n").err().unwrap();
    assert!(
        matches!(
            e,
            AnchorError::Import {
                line: 1,
                seq: None,
                reason: ImportError::NotAnEntry { .. }
            }
        ),
        "{e:?}"
    );
    assert_eq!(state(&c), (0, None));
    // Another bilateral's export: the signatures are not by this log's keys.
    let (s, _, t) = parties();
    let other = AnchorLog::create(&dir.path().join("other.db"), &s.public(), &t.public()).unwrap();
    let e = import(&other, &text).err().unwrap();
    assert!(
        matches!(
            e,
            AnchorError::Import {
                line: 1,
                seq: Some(1),
                reason: ImportError::Signatures(SignatureError::WrongKey {
                    role: Role::Buyer,
                    ..
                })
            }
        ),
        "{e:?}"
    );
    assert_eq!(state(&other), (0, None));
    // A good prefix then a refused line: nothing of the prefix is kept.
    let mut mixed: Vec<String> = text.lines().take(2).map(String::from).collect();
    mixed.push(text.lines().nth(3).unwrap().into());
    let e = import(&c, &mixed.join("\n")).err().unwrap();
    assert!(
        matches!(
            e,
            AnchorError::Import {
                line: 3,
                seq: Some(4),
                reason: ImportError::Gap { len: 2 }
            }
        ),
        "{e:?}"
    );
    assert_eq!(state(&c), (0, None));
}
