//! The signature rule: each kind carries exactly one valid signature per role it requires, by the
//! log's key of that role.

use zkinvoice_anchors::{AnchorError, Proposal, Role, Rule, Signature, SignatureError as S};

use crate::assert_refused;
use crate::common::*;

#[test]
fn signatures_must_be_exactly_the_required_roles_by_the_logs_keys() {
    let dir = tempfile::tempdir().unwrap();
    let log = new_log(&dir.path().join("log.db"));
    let (s, b, t) = parties();
    let f = fixture();

    // msa-agreed: both.
    let only_seller = Proposal::new(msa_body()).signed(Role::Seller, &s);
    let e = log.append(only_seller.clone()).expect_err("refused");
    assert_eq!(
        e.to_string(),
        "entry 1 (msa-agreed) refused: signatures: msa-agreed must be signed by both the Seller and the Buyer; the Buyer's signature is missing"
    );
    assert_refused!(
        &log,
        only_seller.clone(),
        (
            1,
            Rule::Signatures(S::Missing {
                kind: "msa-agreed",
                role: Role::Buyer,
                ..
            })
        )
    );
    assert!(matches!(
        only_seller.check_signatures(&s.public(), &b.public()),
        Err(AnchorError::Signatures {
            reason: S::Missing {
                role: Role::Buyer,
                ..
            },
            ..
        })
    ));
    let third_as_buyer = Proposal::new(msa_body())
        .signed(Role::Seller, &s)
        .signed(Role::Buyer, &t);
    assert_refused!(
        &log,
        third_as_buyer,
        (1, Rule::Signatures(S::WrongKey { role: Role::Buyer, key, expected }))
            if key == t.public().to_hex() && expected == b.public().to_hex()
    );
    let unsigned = Proposal::new(msa_body());
    assert_refused!(
        &log,
        unsigned,
        (
            1,
            Rule::Signatures(S::Missing {
                role: Role::Seller,
                ..
            })
        )
    );
    let good = signed(msa_body());
    good.check_signatures(&s.public(), &b.public()).unwrap();
    log.append(good).unwrap();

    // usage-agreed: both; a signature of another body does not verify.
    assert_refused!(
        &log,
        Proposal::new(usage_body(0)).signed(Role::Buyer, &b),
        (
            2,
            Rule::Signatures(S::Missing {
                role: Role::Seller,
                ..
            })
        )
    );
    let mut forged = signed(usage_body(0));
    forged.signatures[1] = Signature::new(Role::Buyer, &b, &usage_body(1));
    assert_refused!(
        &log,
        forged,
        (2, Rule::Signatures(S::DoesNotVerify { role: Role::Buyer, digest })) if digest == usage_body(0).digest()
    );
    let mut dup = signed(usage_body(0));
    dup.signatures.push(dup.signatures[0].clone());
    assert_refused!(
        &log,
        dup,
        (2, Rule::Signatures(S::Duplicate { role: Role::Seller }))
    );
    log.append(signed(usage_body(0))).unwrap();

    // invoice-proved: the Seller only.
    let proved = f.months[0].proved.clone();
    assert_refused!(
        &log,
        Proposal::new(proved.clone()).signed(Role::Buyer, &b),
        (
            3,
            Rule::Signatures(S::NotRequired {
                required: [Role::Seller],
                signer: Role::Buyer,
                ..
            })
        )
    );
    assert_refused!(
        &log,
        Proposal::new(proved.clone())
            .signed(Role::Seller, &s)
            .signed(Role::Buyer, &b),
        (
            3,
            Rule::Signatures(S::NotRequired {
                required: [Role::Seller],
                signer: Role::Buyer,
                ..
            })
        )
    );
    assert_refused!(
        &log,
        Proposal::new(proved.clone()).signed(Role::Seller, &t),
        (
            3,
            Rule::Signatures(S::WrongKey {
                role: Role::Seller,
                ..
            })
        )
    );
    // The Buyer's key claimed as the Seller's.
    assert_refused!(
        &log,
        Proposal::new(proved.clone()).signed(Role::Seller, &b),
        (3, Rule::Signatures(S::WrongKey { role: Role::Seller, key, .. })) if key == b.public().to_hex()
    );
    log.append(signed(proved)).unwrap();

    // invoice-accepted / -rejected: the Buyer only.
    assert_refused!(
        &log,
        Proposal::new(accepted(0)).signed(Role::Seller, &s),
        (
            4,
            Rule::Signatures(S::NotRequired {
                required: [Role::Buyer],
                signer: Role::Seller,
                ..
            })
        )
    );
    assert_refused!(
        &log,
        Proposal::new(rejected(0, "no"))
            .signed(Role::Buyer, &b)
            .signed(Role::Seller, &s),
        (
            4,
            Rule::Signatures(S::NotRequired {
                required: [Role::Buyer],
                ..
            })
        )
    );
    assert_refused!(
        &log,
        Proposal::new(rejected(0, "no")).signed(Role::Buyer, &t),
        (
            4,
            Rule::Signatures(S::WrongKey {
                role: Role::Buyer,
                ..
            })
        )
    );
    log.append(signed(accepted(0))).unwrap();
    assert_eq!(log.verify_log().unwrap().entries, 4);
}
