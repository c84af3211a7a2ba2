//! The MEF 141 OpenAPI documents (`api/`, copied unchanged from the MEF LSO Sonata SDK) as JSON
//! Schema validators: the crate's tests and the services' tests check what zkinvoice writes and
//! answers against them. Compiled for this crate's tests and with the `schema` feature.

use serde_json::{json, Value};

/// The validator type (from the `jsonschema` crate).
pub use jsonschema::Validator;

const MANAGEMENT: &str = include_str!("../api/billingManagement.api.yaml");
const NOTIFICATION: &str = include_str!("../api/billingNotification.api.yaml");
/// Which MEF 141 API.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Api {
    /// The Seller's Billing Management API (`billingManagement.api.yaml`).
    Management,
    /// The Buyer's Billing Notification API (`billingNotification.api.yaml`).
    Notification,
}

/// A JSON Schema (draft 7, formats checked) validator of `#/components/schemas/{root}` in
/// `api`: the document's schemas become `definitions` with their `$ref`s rewritten.
///
/// # Panics
/// If `root` is not one of the API's schemas (a defect of the calling test).
pub fn validator(api: Api, root: &str) -> jsonschema::Validator {
    let yaml = match api {
        Api::Management => MANAGEMENT,
        Api::Notification => NOTIFICATION,
    };
    let doc: Value = serde_norway::from_str(yaml).expect("the MEF 141 YAML parses");
    fn rewrite(v: &mut Value) {
        match v {
            Value::Object(m) => {
                for (k, x) in m.iter_mut() {
                    match (k.as_str(), x) {
                        ("$ref", Value::String(s)) => {
                            *s = s.replace("#/components/schemas/", "#/definitions/");
                        }
                        (_, x) => rewrite(x),
                    }
                }
            }
            Value::Array(a) => a.iter_mut().for_each(rewrite),
            _ => {}
        }
    }
    let mut defs = doc["components"]["schemas"].clone();
    assert!(defs.get(root).is_some(), "{root} in the {api:?} YAML");
    rewrite(&mut defs);
    let schema = json!({
        "$schema": "http://json-schema.org/draft-07/schema#",
        "definitions": defs,
        "allOf": [{"$ref": format!("#/definitions/{root}")}],
    });
    assert!(!schema.to_string().contains("#/components/"));
    jsonschema::options()
        .with_draft(jsonschema::Draft::Draft7)
        .should_validate_formats(true)
        .build(&schema)
        .expect("the schema compiles")
}

/// Every validation error of `instance`, as `path: message`.
pub fn errors(v: &jsonschema::Validator, instance: &Value) -> Vec<String> {
    v.iter_errors(instance)
        .map(|e| format!("{}: {e}", e.instance_path()))
        .collect()
}

/// Panics, listing the errors, unless `instance` validates against `root` of `api`.
pub fn assert_valid(api: Api, root: &str, instance: &Value) {
    let errors = errors(&validator(api, root), instance);
    assert!(errors.is_empty(), "{root}: {errors:#?}\n{instance:#}");
}
