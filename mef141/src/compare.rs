//! Whether a received bill is exactly the bill of the invoice it proves: the Buyer rebuilds the
//! bill from what is bound (the invoice, which opens the proven commitment; the state after,
//! which opens the proven `stateAfter`; the MSA it holds) and compares it with what it received,
//! field by field. Only the lifecycle fields ([`LIFECYCLE`]) may differ: the API changes them
//! after issue, and they carry no commercial meaning.

use serde_json::Value;

use crate::CustomerBill;

/// The fields of a bill that carry no commercial meaning: its lifecycle state and its items'
/// (MEF 141 `state`, which the Seller's API changes after issue: `generated`, `paymentDue`, ...;
/// but the Buyer's check has the bill `settled` exactly when its payment is applied, and the
/// payment checked against the anchor log). Every other field is bound (`docs/bill-fields.md`).
pub const LIFECYCLE: [&str; 2] = ["state", "customerBillItem[].state"];

impl CustomerBill {
    /// The first field (a JSON path, e.g. `customerBillItem[2].unitRate.value`) where this bill
    /// differs from `expected`, the [`LIFECYCLE`] fields aside; `None` when it is the same bill.
    /// Numbers are compared as written (`1450.0` is not `1450.00`).
    pub fn first_difference(&self, expected: &CustomerBill) -> Option<String> {
        let mut same = self.clone();
        same.state.clone_from(&expected.state);
        for (item, e) in same
            .customer_bill_item
            .iter_mut()
            .zip(&expected.customer_bill_item)
        {
            item.state.clone_from(&e.state);
        }
        if same == *expected {
            return None;
        }
        let (a, b) = (serde_json::to_value(&same), serde_json::to_value(expected));
        let path = match (a, b) {
            (Ok(a), Ok(b)) => difference(&a, &b, String::new()),
            _ => None,
        };
        // Values parse numbers into floats: two texts of one value differ only in the structs.
        Some(path.unwrap_or_else(|| "a number's text (not written as the canonical bill writes it)".into()))
    }
}

/// The first path where `a` and `b` differ.
fn difference(a: &Value, b: &Value, path: String) -> Option<String> {
    let at = |key: &str| {
        if path.is_empty() {
            key.to_string()
        } else {
            format!("{path}.{key}")
        }
    };
    match (a, b) {
        (Value::Object(x), Value::Object(y)) => {
            let keys = x.keys().chain(y.keys().filter(|k| !x.contains_key(*k)));
            for k in keys {
                match (x.get(k), y.get(k)) {
                    (Some(u), Some(v)) => {
                        if let Some(p) = difference(u, v, at(k)) {
                            return Some(p);
                        }
                    }
                    _ => return Some(at(k)),
                }
            }
            None
        }
        (Value::Array(x), Value::Array(y)) => {
            for (i, (u, v)) in x.iter().zip(y).enumerate() {
                if let Some(p) = difference(u, v, format!("{path}[{i}]")) {
                    return Some(p);
                }
            }
            (x.len() != y.len()).then(|| format!("{path} (has {} entries, not {})", x.len(), y.len()))
        }
        (a, b) => (a != b).then_some(path),
    }
}
