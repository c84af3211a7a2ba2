//! Every commitment changes when any one committed field, the salt or the shape changes.

mod common;

use chrono::Days;
use common::*;
use rand::SeedableRng;
use rand_chacha::ChaCha20Rng;
use zkinvoice_circuits::{
    commit::{invoice_commitment, msa_commitment, state_commitment, usage_commitment, usage_detail_root},
    model::{invoice::LineKind, msa::PricingModel},
    rate, Commitment, Currency, Invoice, Msa, Salt, Shape, Usage, VolumeState,
};

type Mutation<T> = (&'static str, Box<dyn Fn(&mut T)>);

fn m<T>(name: &'static str, f: impl Fn(&mut T) + 'static) -> Mutation<T> {
    (name, Box::new(f))
}

fn salt(seed: u64) -> Salt {
    Salt::random(&mut ChaCha20Rng::seed_from_u64(seed))
}

/// Each mutation must change the commitment, or make the value refused (an `Err`).
fn assert_all_change<T: Clone>(
    base: &T,
    mutations: Vec<Mutation<T>>,
    commit: impl Fn(&T) -> Result<Commitment, zkinvoice_circuits::Error>,
) {
    let c0 = commit(base).expect("the base value commits");
    for (name, f) in mutations {
        let mut v = base.clone();
        f(&mut v);
        if let Ok(c) = commit(&v) {
            assert_ne!(c, c0, "changing {name} did not change the commitment");
        }
    }
}

fn day(d: &mut chrono::NaiveDate, forward: bool) {
    *d = if forward {
        *d + Days::new(1)
    } else {
        *d - Days::new(1)
    };
}

#[test]
fn msa_commitment_binds_every_field() {
    let msa = example_msa();
    let s = salt(1);
    let mut ms: Vec<Mutation<Msa>> = vec![
        m::<Msa>("id", |x| x.id.push('x')),
        m::<Msa>("seller.id", |x| x.seller.id.push('x')),
        m::<Msa>("seller.name", |x| x.seller.name.push('x')),
        m::<Msa>("seller.street", |x| x.seller.billing_address.street.push('x')),
        m::<Msa>("seller.city", |x| x.seller.billing_address.city.push('x')),
        m::<Msa>("seller.postcode", |x| x.seller.billing_address.postcode.push('x')),
        m::<Msa>("seller.country", |x| {
            x.seller.billing_address.country = "IE".into()
        }),
        m::<Msa>("buyer.id", |x| x.buyer.id.push('x')),
        m::<Msa>("buyer.name", |x| x.buyer.name.push('x')),
        m::<Msa>("buyer.country", |x| x.buyer.billing_address.country = "CA".into()),
        m::<Msa>("currency", |x| x.currency = Currency::from_code("EUR").unwrap()),
        m::<Msa>("currency digits", |x| {
            x.currency = Currency::from_code("JPY").unwrap()
        }),
        m::<Msa>("tax", |x| x.tax_ppm += 1),
        m::<Msa>("net days", |x| x.net_days += 1),
        m::<Msa>("valid from", |x| day(&mut x.valid_from, false)),
        m::<Msa>("valid until", |x| day(&mut x.valid_until, true)),
        m::<Msa>("a product dropped", |x| {
            x.products.pop();
        }),
        m::<Msa>("products swapped", |x| x.products.swap(1, 2)),
    ];
    for slot in 0..msa.products.len() {
        ms.push(m::<Msa>("product id", move |x| x.products[slot].id.push('x')));
        ms.push(m::<Msa>("product name", move |x| x.products[slot].name.push('x')));
        ms.push(m::<Msa>("product unit", move |x| x.products[slot].unit.push('x')));
        ms.push(m::<Msa>("order reference", move |x| {
            x.products[slot].order_reference.push('x')
        }));
        ms.push(m::<Msa>("recurring", move |x| {
            let p = &mut x.products[slot];
            p.recurring = match p.recurring {
                Some(mut r) => {
                    r.fee_nano += 1;
                    Some(r)
                }
                None => Some(zkinvoice_circuits::model::msa::Recurring {
                    fee_nano: 1,
                    ordered_quantity: 1,
                }),
            }
        }));
        ms.push(m::<Msa>("ordered quantity", move |x| {
            let p = &mut x.products[slot];
            p.recurring = Some(zkinvoice_circuits::model::msa::Recurring {
                ordered_quantity: p.recurring.map_or(1, |r| r.ordered_quantity + 1),
                fee_nano: p.recurring.map_or(0, |r| r.fee_nano),
            });
        }));
        if msa.products[slot].model != PricingModel::None {
            ms.push(m::<Msa>("pricing model", move |x| {
                let p = &mut x.products[slot];
                p.model = if p.model == PricingModel::Graduated {
                    PricingModel::Volume
                } else {
                    PricingModel::Graduated
                };
            }));
            for j in 0..msa.products[slot].tiers.len() {
                ms.push(m::<Msa>("tier price", move |x| {
                    x.products[slot].tiers[j].price_nano += 1
                }));
                if j > 0 {
                    ms.push(m::<Msa>("tier threshold", move |x| {
                        x.products[slot].tiers[j].threshold += 1
                    }));
                }
            }
            ms.push(m::<Msa>("a tier dropped", move |x| {
                let t = &mut x.products[slot].tiers;
                if t.len() > 1 {
                    t.pop();
                } else {
                    t[0].price_nano += 1;
                }
            }));
        }
    }
    assert_all_change(&msa, ms, |x| msa_commitment(x, Shape::M, &s));
    let c = msa_commitment(&msa, Shape::M, &s).unwrap();
    assert_ne!(c, msa_commitment(&msa, Shape::M, &salt(2)).unwrap(), "salt");
    assert_ne!(c, msa_commitment(&msa, Shape::S, &s).unwrap(), "shape");
    assert_eq!(
        c,
        msa_commitment(&msa.clone(), Shape::M, &s).unwrap(),
        "deterministic"
    );
}

/// The terms after the invoice (issue 16): payment, agreed-usage rule, every dispute threshold.
#[test]
fn msa_commitment_binds_every_term_after_the_invoice() {
    use zkinvoice_circuits::model::msa::{AgreedUsage, PaymentMethod, Terms, Threshold};
    let msa = example_msa();
    let d0 = msa
        .terms
        .dispute_thresholds
        .clone()
        .expect("the example sets thresholds");
    assert!(msa.terms.payment.is_some() && msa.terms.agreed_usage.is_some());
    let s = salt(1);
    fn thr(x: &mut Msa) -> &mut zkinvoice_circuits::model::msa::DisputeThresholds {
        x.terms.dispute_thresholds.as_mut().unwrap()
    }
    fn pay(x: &mut Msa) -> &mut zkinvoice_circuits::model::msa::Payment {
        x.terms.payment.as_mut().unwrap()
    }
    let mut ms: Vec<Mutation<Msa>> = vec![
        m::<Msa>("payment method", |x| pay(x).method = PaymentMethod::Electronic),
        m::<Msa>("remit-to account", |x| pay(x).remit_to.account.push('0')),
        m::<Msa>("remit-to name", |x| pay(x).remit_to.name.push('x')),
        m::<Msa>("remit-to account and name run together", |x| {
            let r = &mut pay(x).remit_to;
            let c = r.name.remove(0);
            r.account.push(c);
        }),
        m::<Msa>("payment dropped", |x| x.terms.payment = None),
        m::<Msa>("agreed usage", |x| x.terms.agreed_usage = Some(AgreedUsage::Mean)),
        m::<Msa>("agreed usage dropped", |x| x.terms.agreed_usage = None),
        m::<Msa>("thresholds dropped", |x| x.terms.dispute_thresholds = None),
        m::<Msa>("all terms dropped", |x| x.terms = Terms::default()),
    ];
    // Each of the four kinds' and every slot's threshold: its amount, its share, set or unset.
    let n = d0.products.len();
    for k in 0..3 + n {
        fn slot(x: &mut Msa, k: usize) -> &mut Option<Threshold> {
            let d = thr(x);
            match k {
                0 => &mut d.invoice,
                1 => &mut d.usage,
                2 => &mut d.recurring,
                _ => &mut d.products[k - 3],
            }
        }
        ms.push(m::<Msa>("a threshold's amount", move |x| {
            let t = slot(x, k).get_or_insert_with(Threshold::default);
            t.amount_minor = Some(t.amount_minor.map_or(0, |a| a + 1));
        }));
        ms.push(m::<Msa>("a threshold's share", move |x| {
            let t = slot(x, k).get_or_insert_with(Threshold::default);
            t.share_ppm = Some(t.share_ppm.map_or(0, |a| a + 1));
        }));
        ms.push(m::<Msa>(
            "a threshold's amount unset (or a share of 0 set)",
            move |x| {
                let t = slot(x, k);
                match t {
                    Some(t) => t.amount_minor = t.amount_minor.map_or(Some(0), |_| None),
                    None => {
                        *t = Some(Threshold {
                            amount_minor: None,
                            share_ppm: Some(0),
                        })
                    }
                }
            },
        ));
        ms.push(m::<Msa>("a threshold set or unset", move |x| {
            let t = slot(x, k);
            *t = match t {
                Some(_) => None,
                None => Some(Threshold {
                    amount_minor: Some(0),
                    share_ppm: None,
                }),
            };
        }));
    }
    ms.push(m::<Msa>("product thresholds swapped", |x| {
        thr(x).products.swap(1, 2)
    }));
    assert_all_change(&msa, ms, |x| msa_commitment(x, Shape::M, &s));
}

#[test]
fn usage_commitment_binds_every_record_and_the_period() {
    let msa = example_msa();
    let base = usage(&msa, october(), &[(0, 10), (2, 20), (3, 30), (0, 5)]);
    let mc = msa_commitment(&msa, Shape::S, &salt(1)).unwrap();
    let s = salt(3);
    let ms: Vec<Mutation<Usage>> = vec![
        m::<Usage>("quantity", |u| u.records[0].quantity += 1),
        m::<Usage>("product", |u| u.records[1].slot = 3),
        m::<Usage>("record dropped", |u| {
            u.records.remove(2);
        }),
        m::<Usage>("record duplicated", |u| {
            let r = u.records[0].clone();
            u.records.insert(1, r);
        }),
        m::<Usage>("records reordered", |u| u.records.swap(0, 1)),
        m::<Usage>("period start", |u| day(&mut u.period.start, false)),
        m::<Usage>("period end", |u| day(&mut u.period.end, true)),
    ];
    assert_all_change(&base, ms, |u| usage_commitment(mc, &msa, u, Shape::S, &s));
    let c = usage_commitment(mc, &msa, &base, Shape::S, &s).unwrap();
    assert_ne!(
        c,
        usage_commitment(mc, &msa, &base, Shape::S, &salt(4)).unwrap(),
        "salt"
    );
    let other_msa = msa_commitment(&msa, Shape::S, &salt(5)).unwrap();
    assert_ne!(
        c,
        usage_commitment(other_msa, &msa, &base, Shape::S, &s).unwrap(),
        "msa commitment"
    );

    // The detail root binds what the commitment leaves out: ids, times, sources.
    let r0 = usage_detail_root(&base, &s);
    let details: Vec<Mutation<Usage>> = vec![
        m::<Usage>("id", |u| u.records[0].id.push('x')),
        m::<Usage>("start", |u| u.records[0].start += chrono::Duration::seconds(1)),
        m::<Usage>("end", |u| u.records[0].end += chrono::Duration::seconds(1)),
        m::<Usage>("source", |u| u.records[0].source.push('x')),
        m::<Usage>("quantity", |u| u.records[0].quantity += 1),
        m::<Usage>("record dropped", |u| {
            u.records.pop();
        }),
    ];
    for (name, f) in details {
        let mut u = base.clone();
        f(&mut u);
        assert_ne!(usage_detail_root(&u, &s), r0, "detail root ignores {name}");
    }
    assert_ne!(
        usage_detail_root(&base, &salt(4)),
        r0,
        "detail root ignores the salt"
    );
}

#[test]
fn state_commitment_binds_index_volumes_and_msa() {
    let msa = example_msa();
    let mc = msa_commitment(&msa, Shape::S, &salt(1)).unwrap();
    let base = VolumeState {
        index: 2,
        volumes: vec![1, 2, 3, 4],
    };
    let s = salt(6);
    let mut ms: Vec<Mutation<VolumeState>> = vec![m::<VolumeState>("index", |x| x.index += 1)];
    for slot in 0..4 {
        ms.push(m::<VolumeState>("volume", move |x| x.volumes[slot] += 1));
    }
    assert_all_change(&base, ms, |x| state_commitment(mc, x, Shape::S, &s));
    let c = state_commitment(mc, &base, Shape::S, &s).unwrap();
    assert_ne!(
        c,
        state_commitment(mc, &base, Shape::S, &salt(7)).unwrap(),
        "salt"
    );
    let other = msa_commitment(&msa, Shape::S, &salt(8)).unwrap();
    assert_ne!(
        c,
        state_commitment(other, &base, Shape::S, &s).unwrap(),
        "msa commitment"
    );
}

#[test]
fn invoice_commitment_binds_every_field() {
    let msa = example_msa();
    let u = usage(&msa, october(), &[(0, 1000), (2, 2000), (3, 1_200_000)]);
    let inv = rate(&msa, &u, &VolumeState::initial(&msa), "INV-7")
        .unwrap()
        .invoice;
    let s = salt(9);
    let mut ms: Vec<Mutation<Invoice>> = vec![
        m::<Invoice>("number", |x| x.number.push('x')),
        m::<Invoice>("msa id", |x| x.msa_id.push('x')),
        m::<Invoice>("seller", |x| x.seller_id.push('x')),
        m::<Invoice>("buyer", |x| x.buyer_id.push('x')),
        m::<Invoice>("period start", |x| day(&mut x.period.start, false)),
        m::<Invoice>("period end", |x| day(&mut x.period.end, true)),
        m::<Invoice>("issue date", |x| day(&mut x.issue_date, true)),
        m::<Invoice>("due date", |x| day(&mut x.due_date, true)),
        m::<Invoice>("currency", |x| x.currency = Currency::from_code("EUR").unwrap()),
        m::<Invoice>("tax rate", |x| x.tax_ppm += 1),
        m::<Invoice>("subtotal", |x| x.subtotal += 1),
        m::<Invoice>("tax", |x| x.tax += 1),
        m::<Invoice>("total", |x| x.total += 1),
        m::<Invoice>("line dropped", |x| {
            x.lines.remove(1);
        }),
    ];
    for i in 0..inv.lines.len() {
        ms.push(m::<Invoice>("line quantity", move |x| x.lines[i].quantity += 1));
        ms.push(m::<Invoice>("line amount", move |x| x.lines[i].amount += 1));
        ms.push(m::<Invoice>("line product", move |x| {
            x.lines[i].product.push('x')
        }));
        ms.push(m::<Invoice>("line kind", move |x| {
            x.lines[i].kind = match x.lines[i].kind {
                LineKind::Usage => LineKind::Recurring,
                LineKind::Recurring => LineKind::Usage,
            }
        }));
    }
    assert_all_change(&inv, ms, |x| invoice_commitment(x, Shape::S, &s));
    let c = invoice_commitment(&inv, Shape::S, &s).unwrap();
    assert_ne!(c, invoice_commitment(&inv, Shape::S, &salt(10)).unwrap(), "salt");
    // Round trip through the document form keeps the commitment.
    let back = Invoice::from_doc(&inv.to_doc(None)).unwrap();
    assert_eq!(invoice_commitment(&back, Shape::S, &s).unwrap(), c);
}

#[test]
fn inputs_beyond_the_shape_are_refused() {
    let msa = example_msa();
    let many: Vec<(usize, u64)> = (0..65).map(|_| (2, 1)).collect();
    let u = usage(&msa, october(), &many);
    let mc = msa_commitment(&msa, Shape::S, &salt(1)).unwrap();
    let e = usage_commitment(mc, &msa, &u, Shape::S, &salt(2))
        .unwrap_err()
        .to_string();
    assert!(
        e.contains("65 usage records (at most 64)") && e.contains("shape M"),
        "{e}"
    );
    assert!(usage_commitment(mc, &msa, &u, Shape::M, &salt(2)).is_ok());
}
