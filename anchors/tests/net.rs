//! The netting's entry on two bilaterals in opposite directions between the same parties
//! (`docs/lifecycle.md`): the example's October invoice and the reverse MSA's, each accepted in
//! its own log, netted by one proof recorded in both logs (`invoices-netted`); the audit counts it
//! and a netted invoice is not paid on its own. Every rule refuses what breaks it, with nothing
//! written: no netting key, the other MSA this log's, an invoice not accepted, already paid or
//! already netted, another payer, an edited net commitment or period, an `otherAccepted` that is
//! not the other acceptance's signature, a netting signed by the other party.

use zkinvoice_anchors::{
    AnchorError, AnchorLog, Body, Fr, NetRule, Proposal, Role, Rule, SettleRule, Signature, SignatureError,
};
use zkinvoice_testkit::{
    bilateral::bilateral,
    netted::{netted, Netted},
};

/// The example's log with October proved and accepted and the netting key agreed (`key`).
fn forward(dir: &tempfile::TempDir, key: bool) -> AnchorLog {
    let w = bilateral();
    let log = w.log(&dir.path().join("forward.db"));
    log.append(w.october_proved.clone()).expect("october");
    log.append(w.november_proved.clone()).expect("november");
    log.append(
        Proposal::new(Body::InvoiceAccepted {
            msa_commitment: w.msa_commitment.0,
            invoice_commitment: october(),
        })
        .signed(Role::Buyer, &w.buyer),
    )
    .expect("accepted");
    if key {
        log.append(netted().key_agreed(w.msa_commitment.0, true))
            .expect("netting key");
    }
    log
}

fn october() -> Fr {
    bilateral().october_envelope.public_inputs.invoice_commitment
}

/// The signature of the `invoice-accepted` entry of `invoice` in `log`.
fn acceptance(log: &AnchorLog, invoice: Fr) -> String {
    log.entries()
        .expect("entries")
        .into_iter()
        .find(|e| matches!(&e.body, Body::InvoiceAccepted { invoice_commitment, .. } if *invoice_commitment == invoice))
        .expect("an acceptance")
        .signatures[0]
        .signature
        .clone()
}

/// The `invoices-netted` body of the forward log (`true`) or of the reverse log.
fn body(n: &Netted, forward_side: bool, other_accepted: String) -> Body {
    let w = bilateral();
    let (msa, invoice, other_msa) = if forward_side {
        (w.msa_commitment.0, october(), n.msa_commitment.0)
    } else {
        (n.msa_commitment.0, n.invoice(), w.msa_commitment.0)
    };
    let p = &n.netting.period;
    Body::invoices_netted(
        msa,
        invoice,
        (other_msa, other_accepted),
        &n.netting.public_inputs,
        (p.start.clone(), p.end.clone()),
        &n.netting.proof,
    )
    .expect("one of the two")
}

/// `body` signed by `by`'s key in the forward log (`true`) or the reverse one.
fn signed(body: Body, by: Role, forward_side: bool) -> Proposal {
    let w = bilateral();
    let key = match (by, forward_side) {
        (Role::Seller, true) | (Role::Buyer, false) => &w.seller,
        _ => &w.buyer,
    };
    Proposal::new(body).signed(by, key)
}

/// `body` signed by both parties, in the forward log (`true`) or the reverse one.
fn both(body: Body, forward_side: bool) -> Proposal {
    let w = bilateral();
    let (seller, buyer) = if forward_side {
        (&w.seller, &w.buyer)
    } else {
        (&w.buyer, &w.seller)
    };
    Proposal::new(body)
        .signed(Role::Seller, seller)
        .signed(Role::Buyer, buyer)
}

/// Appending `p` is refused as `check` accepts, and nothing is written.
fn refused(log: &AnchorLog, p: Proposal, what: &str, check: impl Fn(&AnchorError) -> bool) {
    let before = log.len().expect("len");
    let got = log.append(p).map(|_| ());
    assert!(got.as_ref().is_err_and(&check), "{what}: {got:?}");
    assert_eq!(log.len().expect("len"), before, "{what}: nothing written");
}

fn rule(e: &AnchorError, f: impl Fn(&Rule) -> bool) -> bool {
    matches!(e, AnchorError::Refused { rule, .. } if f(rule))
}

/// A check of a refusal.
type Check = fn(&AnchorError) -> bool;

/// Refused because `otherAccepted` is not the other acceptance's signature.
fn other_acceptance(e: &AnchorError) -> bool {
    rule(e, |r| {
        matches!(r, Rule::Signatures(SignatureError::OtherAcceptance { .. }))
    })
}

#[test]
fn one_proof_nets_the_two_invoices_in_both_logs() {
    let (n, dir) = (netted(), tempfile::tempdir().expect("dir"));
    let (fwd, rev) = (forward(&dir, true), n.log(&dir.path().join("reverse.db")));
    // The Seller of the larger October invoice is paid the net: the forward log's Buyer pays.
    let forward_total = zkinvoice_circuits::Invoice::from_doc(&bilateral().october_envelope.invoice)
        .expect("invoice")
        .total;
    let reverse_total = zkinvoice_circuits::Invoice::from_doc(&n.envelope.invoice)
        .expect("invoice")
        .total;
    assert!(forward_total > reverse_total, "{forward_total} {reverse_total}");
    assert_eq!(n.proved.netting.net, forward_total - reverse_total);

    let in_fwd = body(n, true, acceptance(&rev, n.invoice()));
    assert!(
        matches!(
            &in_fwd,
            Body::InvoicesNetted {
                payer: Role::Buyer,
                ..
            }
        ),
        "{in_fwd:?}"
    );
    let got = fwd
        .append(both(in_fwd.clone(), true))
        .expect("netted in the forward log");
    let in_rev = body(n, false, acceptance(&fwd, october()));
    assert!(
        matches!(
            &in_rev,
            Body::InvoicesNetted {
                payer: Role::Seller,
                ..
            }
        ),
        "{in_rev:?}"
    );
    rev.append(both(in_rev, false))
        .expect("netted in the reverse log");

    for log in [&fwd, &rev] {
        let v = log.view().expect("view");
        assert_eq!(
            (
                v.nettings(),
                v.netted(&october()),
                v.netted(&n.invoice()).is_some()
            ),
            (1, v.netted(&october()), true)
        );
        let audit = log.audit(&mut rand::rngs::OsRng).expect("audit");
        assert!(audit.is_clean(), "{:?}", audit.failures);
        let s = audit.settlement;
        assert_eq!((s.accepted, s.netted, s.paid), (1, 1, 0));
        log.verify_log().expect("verifies");
    }
    assert_eq!(fwd.view().unwrap().netted(&october()), Some(got.seq));

    // Netted once; not paid on its own.
    refused(&fwd, both(in_fwd, true), "netted twice", |e| {
        rule(
            e,
            |r| matches!(r, Rule::Net(NetRule::AlreadyNetted { seq, .. }) if *seq == got.seq),
        )
    });
    let payment = Body::Payment {
        msa_commitment: bilateral().msa_commitment.0,
        invoice_commitment: october(),
        paid_on: "2026-12-01".into(),
        reference: "R".into(),
    };
    refused(
        &fwd,
        signed(payment, Role::Buyer, true),
        "a netted invoice paid",
        |e| rule(e, |r| matches!(r, Rule::Settle(SettleRule::Netted { .. }))),
    );
}

#[test]
fn a_netting_is_refused_unless_every_rule_holds() {
    let (n, dir) = (netted(), tempfile::tempdir().expect("dir"));
    let w = bilateral();
    let rev = n.log(&dir.path().join("reverse.db"));
    let accepted = acceptance(&rev, n.invoice());
    let good = body(n, true, accepted.clone());
    let with = |f: &dyn Fn(&mut Body)| {
        let mut b = good.clone();
        f(&mut b);
        b
    };
    let field = |f: fn(&mut Body)| with(&f);

    // No netting key agreed.
    let bare = tempfile::tempdir().expect("dir");
    let no_key = forward(&bare, false);
    refused(&no_key, both(good.clone(), true), "no key", |e| {
        rule(e, |r| matches!(r, Rule::Net(NetRule::NoNettingKey { .. })))
    });

    let fwd = forward(&dir, true);
    let cases: Vec<(&str, Body, Check)> = vec![
        (
            "the other MSA this log's",
            field(|b| {
                if let Body::InvoicesNetted {
                    other_msa_commitment,
                    msa_commitment,
                    ..
                } = b
                {
                    *other_msa_commitment = *msa_commitment;
                }
            }),
            // The acceptance was signed under the other MSA: its signature refuses it first.
            other_acceptance,
        ),
        (
            "November, not accepted",
            field(|b| {
                if let Body::InvoicesNetted {
                    invoice_commitment, ..
                } = b
                {
                    *invoice_commitment = bilateral()
                        .november_proved
                        .body
                        .proved_inputs()
                        .unwrap()
                        .invoice_commitment;
                }
            }),
            |e| rule(e, |r| matches!(r, Rule::Net(NetRule::NotAccepted { .. }))),
        ),
        (
            "the other payer",
            field(|b| {
                if let Body::InvoicesNetted { payer, .. } = b {
                    *payer = Role::Seller;
                }
            }),
            |e| {
                rule(e, |r| {
                    matches!(r, Rule::Net(NetRule::NettingProofDoesNotVerify { .. }))
                })
            },
        ),
        (
            "another net commitment",
            field(|b| {
                if let Body::InvoicesNetted { net_commitment, .. } = b {
                    *net_commitment += Fr::from(1u64);
                }
            }),
            |e| {
                rule(e, |r| {
                    matches!(r, Rule::Net(NetRule::NettingProofDoesNotVerify { .. }))
                })
            },
        ),
        (
            "another period",
            field(|b| {
                if let Body::InvoicesNetted { period_end, .. } = b {
                    *period_end = "2026-11-02".into();
                }
            }),
            |e| {
                rule(e, |r| {
                    matches!(r, Rule::Net(NetRule::NettingProofDoesNotVerify { .. }))
                })
            },
        ),
        (
            "another other invoice",
            field(|b| {
                if let Body::InvoicesNetted {
                    other_invoice_commitment,
                    ..
                } = b
                {
                    *other_invoice_commitment += Fr::from(1u64);
                }
            }),
            other_acceptance,
        ),
        (
            "an acceptance signed by the other party",
            field(|b| {
                if let Body::InvoicesNetted { other_accepted, .. } = b {
                    let forged = Body::InvoiceAccepted {
                        msa_commitment: netted().msa_commitment.0,
                        invoice_commitment: netted().invoice(),
                    };
                    *other_accepted = Signature::new(Role::Buyer, &bilateral().buyer, &forged).signature;
                }
            }),
            other_acceptance,
        ),
        (
            "an acceptance that is not hex",
            field(|b| {
                if let Body::InvoicesNetted { other_accepted, .. } = b {
                    *other_accepted = "zz".into();
                }
            }),
            other_acceptance,
        ),
    ];
    // The other MSA this log's, with an acceptance the Seller signed for it.
    let same = with(&|b| {
        if let Body::InvoicesNetted {
            other_msa_commitment,
            other_accepted,
            ..
        } = b
        {
            *other_msa_commitment = w.msa_commitment.0;
            let body = Body::InvoiceAccepted {
                msa_commitment: w.msa_commitment.0,
                invoice_commitment: netted().invoice(),
            };
            *other_accepted = Signature::new(Role::Buyer, &w.seller, &body).signature;
        }
    });
    refused(&fwd, both(same, true), "one bilateral", |e| {
        rule(e, |r| matches!(r, Rule::Net(NetRule::SameMsa { .. })))
    });
    for (what, b, check) in cases {
        refused(&fwd, both(b, true), what, check);
    }
    // Signed by one party alone: both agree a netting.
    for role in [Role::Seller, Role::Buyer] {
        refused(
            &fwd,
            signed(good.clone(), role, true),
            "signed by one party",
            |e| {
                rule(e, |r| {
                    matches!(r, Rule::Signatures(SignatureError::Missing { .. }))
                })
            },
        );
    }
    // A credited invoice is not netted (the statement nets totals).
    let credited_dir = tempfile::tempdir().expect("dir");
    let credited_log = forward(&credited_dir, true);
    let c = zkinvoice_testkit::credited::credited();
    credited_log.append(c.key_agreed()).expect("credit key");
    credited_log.append(c.sla_agreed()).expect("sla-agreed");
    credited_log
        .append(Proposal::new(c.note_body()).signed(Role::Seller, &w.seller))
        .expect("credited");
    refused(
        &credited_log,
        both(good.clone(), true),
        "credited, then netted",
        |e| rule(e, |r| matches!(r, Rule::Net(NetRule::Credited { .. }))),
    );
    // An invoice paid on its own is not netted.
    fwd.append(signed(
        Body::Payment {
            msa_commitment: w.msa_commitment.0,
            invoice_commitment: october(),
            paid_on: "2026-12-01".into(),
            reference: "R".into(),
        },
        Role::Buyer,
        true,
    ))
    .expect("paid");
    refused(&fwd, both(good, true), "paid, then netted", |e| {
        rule(e, |r| matches!(r, Rule::Net(NetRule::AlreadyPaid { .. })))
    });
}

/// Every field of `invoices-netted`, `net-payment` and `net-payment-received` is bound: every
/// change of one leaf of each signed proposal is refused by `append`, and of each exported entry
/// by `import`, into a copy of the forward log holding exactly the entries before it.
#[test]
fn every_field_of_the_nettings_entries_is_bound() {
    use zkinvoice_testkit::entrywalk::assert_every_field_bound;
    let (n, dir) = (netted(), tempfile::tempdir().expect("dir"));
    let rev = n.log(&dir.path().join("reverse.db"));
    let base = forward(&dir, true);
    let net = n.netting.public_inputs.net_commitment;
    let proposals = [
        both(body(n, true, acceptance(&rev, n.invoice())), true),
        signed(
            net_body(net, true, Role::Buyer, "2027-01-31", "R-1"),
            Role::Buyer,
            true,
        ),
        signed(
            net_body(net, false, Role::Seller, "2027-02-01", "R-1"),
            Role::Seller,
            true,
        ),
    ];
    let w = bilateral();
    for p in proposals {
        assert_every_field_bound(&base, dir.path(), p, (&w.seller.public(), &w.buyer.public()));
    }
}

/// A net payment body of the forward log (`paid`: `net-payment`, else its receipt).
fn net_body(net: Fr, paid: bool, by: Role, on: &str, reference: &str) -> Body {
    let msa_commitment = bilateral().msa_commitment.0;
    if paid {
        Body::NetPayment {
            msa_commitment,
            net_commitment: net,
            by,
            paid_on: on.into(),
            reference: reference.into(),
        }
    } else {
        Body::NetPaymentReceived {
            msa_commitment,
            net_commitment: net,
            by,
            received_on: on.into(),
            reference: reference.into(),
        }
    }
}

#[test]
fn the_net_is_paid_by_its_payer_once_and_received_by_the_other_once() {
    let (n, dir) = (netted(), tempfile::tempdir().expect("dir"));
    let (fwd, rev) = (forward(&dir, true), n.log(&dir.path().join("reverse.db")));
    fwd.append(both(body(n, true, acceptance(&rev, n.invoice())), true))
        .expect("netted");
    let net = n.netting.public_inputs.net_commitment;
    const REF: &str = "SWIFT 2027-01-31 GLOBEX/NET-2026-10";
    let net_rule =
        |f: fn(&NetRule) -> bool| move |e: &AnchorError| rule(e, |r| matches!(r, Rule::Net(x) if f(x)));

    // Before it is paid: no receipt; the Seller (paid here) does not pay it; another net.
    refused(
        &fwd,
        signed(
            net_body(net, false, Role::Seller, "2027-02-01", REF),
            Role::Seller,
            true,
        ),
        "received before paid",
        net_rule(|r| matches!(r, NetRule::NetNotPaid { .. })),
    );
    refused(
        &fwd,
        signed(
            net_body(net, true, Role::Seller, "2027-01-31", REF),
            Role::Seller,
            true,
        ),
        "paid by the payee",
        net_rule(|r| {
            matches!(
                r,
                NetRule::WrongParty {
                    payer: Role::Buyer,
                    ..
                }
            )
        }),
    );
    refused(
        &fwd,
        signed(
            net_body(net + Fr::from(1u64), true, Role::Buyer, "2027-01-31", REF),
            Role::Buyer,
            true,
        ),
        "another net",
        net_rule(|r| matches!(r, NetRule::UnknownNet { .. })),
    );
    refused(
        &fwd,
        signed(
            net_body(net, true, Role::Buyer, "2027-01-31", ""),
            Role::Buyer,
            true,
        ),
        "no reference",
        |e| rule(e, |r| matches!(r, Rule::InvalidText { .. })),
    );

    let paid = fwd
        .append(signed(
            net_body(net, true, Role::Buyer, "2027-01-31", REF),
            Role::Buyer,
            true,
        ))
        .expect("paid");
    refused(
        &fwd,
        signed(
            net_body(net, true, Role::Buyer, "2027-02-01", "again"),
            Role::Buyer,
            true,
        ),
        "paid twice",
        net_rule(|r| matches!(r, NetRule::NetAlreadyPaid { .. })),
    );
    refused(
        &fwd,
        signed(
            net_body(net, false, Role::Buyer, "2027-02-01", REF),
            Role::Buyer,
            true,
        ),
        "received by the payer",
        net_rule(|r| matches!(r, NetRule::WrongParty { what: "receipt", .. })),
    );
    refused(
        &fwd,
        signed(
            net_body(net, false, Role::Seller, "2027-02-01", "other"),
            Role::Seller,
            true,
        ),
        "another reference",
        |e| {
            rule(e, |r| {
                matches!(r, Rule::Settle(SettleRule::OtherReference { .. }))
            })
        },
    );
    refused(
        &fwd,
        signed(
            net_body(net, false, Role::Seller, "2027-01-30", REF),
            Role::Seller,
            true,
        ),
        "before the payment",
        |e| {
            rule(e, |r| {
                matches!(r, Rule::Settle(SettleRule::ReceivedBeforePaid { .. }))
            })
        },
    );
    let got = fwd
        .append(signed(
            net_body(net, false, Role::Seller, "2027-02-01", REF),
            Role::Seller,
            true,
        ))
        .expect("received");
    refused(
        &fwd,
        signed(
            net_body(net, false, Role::Seller, "2027-02-02", REF),
            Role::Seller,
            true,
        ),
        "received twice",
        net_rule(|r| matches!(r, NetRule::NetAlreadyReceived { .. })),
    );

    let v = fwd.view().expect("view");
    let s = v
        .netting(&net)
        .and_then(|n| n.settlement.clone())
        .expect("settled");
    assert_eq!(
        (s.paid, s.received),
        (paid.seq, Some((got.seq, "2027-02-01".to_string())))
    );
    let audit = fwd.audit(&mut rand::rngs::OsRng).expect("audit");
    assert!(audit.is_clean(), "{:?}", audit.failures);
    let c = audit.settlement;
    assert_eq!(
        (c.accepted, c.netted, c.paid, c.nets, c.nets_paid, c.nets_received),
        (1, 1, 0, 1, 1, 1)
    );
    fwd.verify_log().expect("verifies");
}
