//! Field walks: every change of one leaf of a JSON document (a number, a string, a boolean, a hex
//! or decimal digit, a list element removed or duplicated), so that a test can assert that each is
//! refused, or that the field is one documented as carrying no meaning.

use serde_json::Value;

/// One document with one leaf changed.
#[derive(Clone, Debug)]
pub struct Mutation {
    /// Where (`customerBillItem[2].unitRate.value`).
    pub path: String,
    /// What was done (`+1`, `last character`, `appended`, `removed`, `duplicated`, ...).
    pub what: &'static str,
    /// The changed document.
    pub doc: Value,
}

/// Numbers are carried as strings with this prefix ([`exact`]), so that their text survives the
/// walk (`1450.00` stays `1450.00`, not `1450.0`).
const NUMBER: &str = "#number#";

impl Mutation {
    /// The changed document as JSON text (numbers written as they were, [`exact`]).
    pub fn text(&self) -> String {
        untag(&self.doc.to_string())
    }
}

/// A JSON text as a [`Value`] whose numbers keep their text: each number is a string
/// `#number#<text>`, written back as the number by [`Mutation::text`]. (`serde_json::Value`
/// would read `1450.00` as `1450.0`, and a walk over a document no longer canonical proves
/// nothing.)
pub fn exact(text: &str) -> Value {
    let mut out = String::with_capacity(text.len() + 64);
    let (mut in_string, mut escaped) = (false, false);
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        if in_string {
            out.push(c);
            match (escaped, c) {
                (true, _) => escaped = false,
                (false, '\\') => escaped = true,
                (false, '"') => in_string = false,
                _ => {}
            }
        } else if c == '"' {
            in_string = true;
            out.push(c);
        } else if c == '-' || c.is_ascii_digit() {
            let mut token = String::from(c);
            while let Some(&d) = chars.peek() {
                if d.is_ascii_digit() || matches!(d, '.' | 'e' | 'E' | '+' | '-') {
                    token.push(d);
                    chars.next();
                } else {
                    break;
                }
            }
            out.push_str(&format!("\"{NUMBER}{token}\""));
        } else {
            out.push(c);
        }
    }
    serde_json::from_str(&out).expect("a JSON text")
}

/// Writes the tagged numbers of [`exact`] back as numbers.
fn untag(text: &str) -> String {
    let quoted = format!("\"{NUMBER}");
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(i) = rest.find(&quoted) {
        out.push_str(&rest[..i]);
        let after = &rest[i + quoted.len()..];
        let end = after.find('"').unwrap_or(after.len());
        out.push_str(&after[..end]);
        rest = &after[(end + 1).min(after.len())..];
    }
    out.push_str(rest);
    out
}

/// Whether `path` is matched by `pattern`, where `[]` in the pattern stands for any index
/// (`customerBillItem[].state` matches `customerBillItem[3].state`).
pub fn matches(path: &str, pattern: &str) -> bool {
    let mut p = path;
    let mut parts = pattern.split("[]").peekable();
    while let Some(part) = parts.next() {
        let Some(rest) = p.strip_prefix(part) else {
            return false;
        };
        p = rest;
        if parts.peek().is_some() {
            let Some(rest) = p.strip_prefix('[') else {
                return false;
            };
            let Some(close) = rest.find(']') else {
                return false;
            };
            if rest[..close].parse::<usize>().is_err() {
                return false;
            }
            p = &rest[close + 1..];
        }
    }
    p.is_empty()
}

/// Another character of the same kind in place of the last one (a digit for a digit, a hex
/// letter for a hex letter), or `x` appended to anything else, so that the changed text still
/// parses where the original did and the change is one of meaning.
fn changed(s: &str) -> Option<(String, &'static str)> {
    let last = s.chars().last()?;
    let swap = match last {
        '0'..='8' => char::from(last as u8 + 1),
        '9' => '8',
        'a'..='e' | 'A'..='E' => char::from(last as u8 + 1),
        'f' => 'e',
        'F' => 'E',
        _ => return Some((format!("{s}x"), "appended")),
    };
    Some((
        format!("{}{swap}", &s[..s.len() - last.len_utf8()]),
        "last character",
    ))
}

fn at(path: &str, key: &str) -> String {
    if path.is_empty() {
        key.to_string()
    } else {
        format!("{path}.{key}")
    }
}

fn walk(v: &Value, path: &str, set: &dyn Fn(Value) -> Value, out: &mut Vec<Mutation>) {
    let push = |out: &mut Vec<Mutation>, what: &'static str, value: Value| {
        out.push(Mutation {
            path: path.to_string(),
            what,
            doc: set(value),
        })
    };
    match v {
        Value::Null => push(out, "null to 0", Value::from(0)),
        Value::Bool(b) => push(out, "flipped", Value::from(!b)),
        Value::Number(n) => {
            let bumped = match (n.as_u64(), n.as_i64(), n.as_f64()) {
                (Some(u), _, _) => Value::from(u.wrapping_add(1)),
                (_, Some(i), _) => Value::from(i + 1),
                (_, _, Some(f)) => Value::from(f + 1.0),
                _ => Value::from(0),
            };
            push(out, "+1", bumped);
        }
        Value::String(s) => match changed(s) {
            Some((t, what)) => push(out, what, Value::from(t)),
            None => push(out, "emptied to x", Value::from("x")),
        },
        Value::Array(a) => {
            for i in 0..a.len() {
                let mut removed = a.clone();
                removed.remove(i);
                out.push(Mutation {
                    path: format!("{path}[{i}]"),
                    what: "removed",
                    doc: set(Value::Array(removed)),
                });
                let mut doubled = a.clone();
                doubled.insert(i, a[i].clone());
                out.push(Mutation {
                    path: format!("{path}[{i}]"),
                    what: "duplicated",
                    doc: set(Value::Array(doubled)),
                });
                let item = |x: Value| {
                    let mut b = a.clone();
                    b[i] = x;
                    set(Value::Array(b))
                };
                walk(&a[i], &format!("{path}[{i}]"), &item, out);
            }
        }
        Value::Object(m) => {
            for (k, x) in m {
                let field = |y: Value| {
                    let mut n = m.clone();
                    n.insert(k.clone(), y);
                    set(Value::Object(n))
                };
                walk(x, &at(path, k), &field, out);
            }
        }
    }
}

/// Every change of one leaf of `doc`, and every list element removed or duplicated.
pub fn mutations(doc: &Value) -> Vec<Mutation> {
    let mut out = Vec::new();
    walk(doc, "", &|v| v, &mut out);
    out
}

/// The result of a field walk: the changes that were accepted although their field is not
/// documented as free (`defects`), and how many changes were tried.
#[derive(Debug, Default)]
pub struct Walk {
    /// Changes tried.
    pub tried: usize,
    /// Changes refused.
    pub refused: usize,
    /// Changes accepted in documented free fields.
    pub free: usize,
    /// Changes accepted in fields not documented as free: `path (what)`.
    pub defects: Vec<String>,
}

/// Tries every mutation of `doc` with `accepts` (true: the changed document is accepted), and
/// sorts them into refused, free (a path matched by one of `free`) and defects. Panics if the
/// unchanged document is not accepted (the walk would prove nothing).
pub fn walk_all(doc: &Value, free: &[&str], mut accepts: impl FnMut(&Mutation) -> bool) -> Walk {
    let unchanged = Mutation {
        path: String::new(),
        what: "nothing",
        doc: doc.clone(),
    };
    assert!(
        accepts(&unchanged),
        "the unchanged document is refused: the walk would prove nothing"
    );
    let mut w = Walk::default();
    for m in mutations(doc) {
        w.tried += 1;
        if !accepts(&m) {
            w.refused += 1;
        } else if free.iter().any(|p| matches(&m.path, p)) {
            w.free += 1;
        } else {
            w.defects.push(format!("{} ({})", m.path, m.what));
        }
    }
    w
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    #[test]
    fn every_leaf_and_list_element_is_changed_once() {
        let doc = json!({"a": 1, "b": ["ff", "x"], "c": {"d": true, "e": null}});
        let paths: Vec<(String, &str)> = mutations(&doc).into_iter().map(|m| (m.path, m.what)).collect();
        assert_eq!(
            paths,
            vec![
                ("a".into(), "+1"),
                ("b[0]".into(), "removed"),
                ("b[0]".into(), "duplicated"),
                ("b[0]".into(), "last character"),
                ("b[1]".into(), "removed"),
                ("b[1]".into(), "duplicated"),
                ("b[1]".into(), "appended"),
                ("c.d".into(), "flipped"),
                ("c.e".into(), "null to 0"),
            ]
        );
        let m = mutations(&doc);
        assert_eq!(
            m[3].doc,
            json!({"a": 1, "b": ["fe", "x"], "c": {"d": true, "e": null}})
        );
        assert_eq!(m[2].doc["b"], json!(["ff", "ff", "x"]));
    }

    #[test]
    fn numbers_keep_their_text() {
        let text = r#"{"v":1450.00,"q":[120,-3.5e2],"s":"a \"1\" b"}"#;
        let doc = exact(text);
        assert_eq!(doc["v"], json!("#number#1450.00"));
        let same = Mutation {
            path: String::new(),
            what: "nothing",
            doc: doc.clone(),
        };
        // Keys come back sorted; the numbers as they were written.
        assert_eq!(same.text(), r#"{"q":[120,-3.5e2],"s":"a \"1\" b","v":1450.00}"#);
        let bumped: Vec<String> = mutations(&doc).iter().map(Mutation::text).collect();
        assert!(
            bumped.contains(&r#"{"q":[120,-3.5e2],"s":"a \"1\" b","v":1450.01}"#.to_string()),
            "{bumped:#?}"
        );
    }

    #[test]
    fn patterns_match_any_index() {
        assert!(matches("customerBillItem[3].state", "customerBillItem[].state"));
        assert!(matches("state", "state"));
        assert!(!matches("customerBillItem[3].stateX", "customerBillItem[].state"));
        assert!(!matches("billingPeriod.state", "state"));
        assert!(!matches("customerBillItem[x].state", "customerBillItem[].state"));
    }
}
