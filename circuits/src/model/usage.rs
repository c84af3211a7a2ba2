//! Usage records (rated utilization records, CDRs) for one billing period.
//!
//! Accepted as JSON (an object with the period and the records) or CSV (the form CDR exports come
//! in: a header `id,product,quantity,start,end,source`, the period given separately).

use std::collections::HashMap;

use chrono::{DateTime, Utc};
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use super::{
    check_id, from_json,
    msa::{Msa, PricingModel},
    period::{parse_instant, Period, PeriodDoc},
};
use crate::{
    encoding::{MAX_QUANTITY, QUANTITY_BITS},
    money, Error,
};

/// Usage as written in JSON (`zkinvoice schema usage` prints its JSON Schema).
#[derive(Clone, Debug, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
#[schemars(title = "zkinvoice usage")]
pub struct UsageDoc {
    /// The billing period the records belong to.
    pub period: PeriodDoc,
    /// The records, in any order.
    pub records: Vec<RecordDoc>,
}

/// One usage record as written in JSON or in a CSV row.
#[derive(Clone, Debug, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct RecordDoc {
    /// Record identifier, unique in the period (e.g. the CDR id).
    pub id: String,
    /// The product id in the MSA.
    pub product: String,
    /// Quantity in the product's unit: an unsigned integer below 2^47, or a decimal string of one.
    #[schemars(schema_with = "crate::model::u64_schema")]
    pub quantity: serde_json::Value,
    /// Start of the usage (RFC 3339).
    #[schemars(extend("format" = "date-time"))]
    pub start: String,
    /// End of the usage (RFC 3339), not before the start.
    #[schemars(extend("format" = "date-time"))]
    pub end: String,
    /// Who measured it, e.g. `seller`, `buyer` or `both` (ETSI GS PDL 026 single- or
    /// multi-sourced data).
    pub source: String,
}

/// The input format of usage records.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum UsageFormat {
    /// A [`UsageDoc`] object.
    Json,
    /// CSV with a header `id,product,quantity,start,end,source`.
    Csv,
}

impl UsageFormat {
    /// Guesses the format from a file name, falling back to the first non-blank character.
    pub fn detect(file_name: &str, text: &str) -> Self {
        let lower = file_name.to_ascii_lowercase();
        if lower.ends_with(".csv") {
            Self::Csv
        } else if lower.ends_with(".json") || text.trim_start().starts_with('{') {
            Self::Json
        } else {
            Self::Csv
        }
    }
}

/// Validated usage of one period: records in canonical order (ascending byte order of ids).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Usage {
    /// The billing period.
    pub period: Period,
    /// The records, sorted by id.
    pub records: Vec<UsageRecord>,
}

/// A validated usage record.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct UsageRecord {
    /// Record identifier.
    pub id: String,
    /// Product id.
    pub product: String,
    /// The product's slot in the MSA.
    pub slot: usize,
    /// Quantity in the product's unit.
    pub quantity: u64,
    /// Start of the usage.
    pub start: DateTime<Utc>,
    /// End of the usage.
    pub end: DateTime<Utc>,
    /// Who measured it.
    pub source: String,
}

#[derive(Debug, Deserialize)]
struct CsvRow {
    id: String,
    product: String,
    quantity: String,
    start: String,
    end: String,
    source: String,
}

impl Usage {
    /// Parses and validates usage against an MSA.
    ///
    /// `period` is required for CSV; for JSON it is optional and, when given, must equal the
    /// file's period.
    pub fn parse(text: &str, format: UsageFormat, msa: &Msa, period: Option<Period>) -> Result<Self, Error> {
        let (period, rows) = match format {
            UsageFormat::Json => {
                let doc: UsageDoc = from_json(text)?;
                let file_period = Period::from_doc("period", &doc.period)?;
                if let Some(p) = period {
                    if p != file_period {
                        return Err(Error::invalid(
                            "period",
                            format!("the file's period {file_period} differs from the requested period {p}"),
                        ));
                    }
                }
                let rows = doc
                    .records
                    .into_iter()
                    .enumerate()
                    .map(|(i, r)| (format!("records[{i}]"), r))
                    .collect::<Vec<_>>();
                (file_period, rows)
            }
            UsageFormat::Csv => {
                let period = period.ok_or_else(|| {
                    Error::invalid("period", "CSV usage carries no period: give it (START..END)")
                })?;
                (period, parse_csv(text)?)
            }
        };
        Self::from_rows(period, rows, msa)
    }

    /// Validates record documents located by `(label, record)` against the MSA and the period.
    pub fn from_rows(period: Period, rows: Vec<(String, RecordDoc)>, msa: &Msa) -> Result<Self, Error> {
        if period.start < msa.valid_from || period.end.pred_opt().is_some_and(|last| last > msa.valid_until) {
            return Err(Error::invalid(
                "period",
                format!(
                    "{period} is not within the MSA's validity {}..={}",
                    msa.valid_from, msa.valid_until
                ),
            ));
        }
        let mut seen: HashMap<String, String> = HashMap::new();
        let mut records = Vec::with_capacity(rows.len());
        for (label, r) in rows {
            let at = format!("{label} (id {:?})", r.id);
            check_id(&format!("{label}.id"), &r.id)?;
            if let Some(first) = seen.insert(r.id.clone(), label.clone()) {
                return Err(Error::invalid(&at, format!("duplicate record id (also {first})")));
            }
            let slot = msa.slot_of(&r.product).ok_or_else(|| {
                // A rate deck has thousands of products: name at most the first few.
                const NAMED: usize = 8;
                let mut known: Vec<&str> = msa.products.iter().take(NAMED).map(|p| p.id.as_str()).collect();
                if msa.products.len() > NAMED {
                    known.push("...");
                }
                Error::invalid(
                    format!("{at}.product"),
                    format!(
                        "unknown product {:?} (the MSA prices {} products: {})",
                        r.product,
                        msa.products.len(),
                        known.join(", ")
                    ),
                )
            })?;
            if msa.products[slot].model == PricingModel::None {
                return Err(Error::invalid(
                    format!("{at}.product"),
                    format!(
                        "product {:?} has no usage pricing (recurring charge only)",
                        r.product
                    ),
                ));
            }
            let quantity = money::parse_u64_json(&r.quantity)
                .and_then(check_quantity)
                .map_err(|e| Error::invalid(format!("{at}.quantity"), e))?;
            let start = parse_instant(&format!("{at}.start"), &r.start)?;
            let end = parse_instant(&format!("{at}.end"), &r.end)?;
            if end < start {
                return Err(Error::invalid(
                    format!("{at}.end"),
                    format!("{end} is before the start {start}"),
                ));
            }
            if !period.contains(start, end) {
                return Err(Error::invalid(
                    &at,
                    format!("the record ({start} to {end}) is outside the period {period}"),
                ));
            }
            records.push(UsageRecord {
                id: r.id,
                product: r.product,
                slot,
                quantity,
                start,
                end,
                source: r.source,
            });
        }
        records.sort_by(|a, b| a.id.as_bytes().cmp(b.id.as_bytes()));
        Ok(Self { period, records })
    }

    /// Aggregates the records per product over buckets of `days` days from the period's start,
    /// as a mediation system turns high-volume, low-value CDRs into usage records (ETSI GS PDL
    /// 026). Each aggregate is `{product}/{first day of its bucket}`, spans its records, sums
    /// their quantities and keeps their source if they share one (else `mixed`). Rating the
    /// aggregates gives the same invoice as rating the records.
    pub fn aggregated(&self, days: u32) -> Result<Self, Error> {
        use std::collections::BTreeMap;
        if days == 0 {
            return Err(Error::invalid(
                "days",
                "an aggregation bucket must last at least one day",
            ));
        }
        let mut buckets: BTreeMap<(usize, u64), UsageRecord> = BTreeMap::new();
        for r in &self.records {
            let offset = (r.start - self.period.start_instant()).num_days().max(0) as u64;
            let bucket = offset / u64::from(days);
            let first_day = self.period.start + chrono::Days::new(bucket * u64::from(days));
            let agg = buckets.entry((r.slot, bucket)).or_insert_with(|| UsageRecord {
                id: format!("{}/{first_day}", r.product),
                product: r.product.clone(),
                slot: r.slot,
                quantity: 0,
                start: r.start,
                end: r.end,
                source: r.source.clone(),
            });
            agg.quantity = agg
                .quantity
                .checked_add(r.quantity)
                .ok_or_else(|| "the sum exceeds 2^64-1".to_string())
                .and_then(check_quantity)
                .map_err(|reason| Error::Range {
                    field: format!("aggregate {}", agg.id),
                    reason,
                })?;
            agg.start = agg.start.min(r.start);
            agg.end = agg.end.max(r.end);
            if agg.source != r.source {
                agg.source = "mixed".into();
            }
        }
        let mut records: Vec<UsageRecord> = buckets.into_values().collect();
        records.sort_by(|a, b| a.id.as_bytes().cmp(b.id.as_bytes()));
        Ok(Self {
            period: self.period,
            records,
        })
    }

    /// The document form (records in canonical order).
    pub fn to_doc(&self) -> UsageDoc {
        UsageDoc {
            period: self.period.to_doc(),
            records: self
                .records
                .iter()
                .map(|r| RecordDoc {
                    id: r.id.clone(),
                    product: r.product.clone(),
                    quantity: serde_json::Value::from(r.quantity),
                    start: r.start.to_rfc3339_opts(chrono::SecondsFormat::AutoSi, true),
                    end: r.end.to_rfc3339_opts(chrono::SecondsFormat::AutoSi, true),
                    source: r.source.clone(),
                })
                .collect(),
        }
    }
}

/// Refuses a quantity above [`MAX_QUANTITY`]: the circuits range-check each record's quantity to
/// [`QUANTITY_BITS`] bits, so that four records pack into one element.
fn check_quantity(quantity: u64) -> Result<u64, String> {
    if quantity > MAX_QUANTITY {
        return Err(format!(
            "{quantity} exceeds the largest quantity of one record, 2^{QUANTITY_BITS}-1 \
             ({MAX_QUANTITY}); split it into several records"
        ));
    }
    Ok(quantity)
}

fn parse_csv(text: &str) -> Result<Vec<(String, RecordDoc)>, Error> {
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(true)
        .trim(csv::Trim::All)
        .from_reader(text.as_bytes());
    let headers = reader.headers().map_err(|e| csv_error(&e))?.clone();
    for want in ["id", "product", "quantity", "start", "end", "source"] {
        if !headers.iter().any(|h| h == want) {
            return Err(Error::Csv {
                line: 1,
                reason: format!(
                    "the header has no column {want:?} (expected id,product,quantity,start,end,source)"
                ),
            });
        }
    }
    let mut rows = Vec::new();
    for record in reader.records() {
        let record = record.map_err(|e| csv_error(&e))?;
        let line = record.position().map_or(0, csv::Position::line);
        let row: CsvRow = record.deserialize(Some(&headers)).map_err(|e| Error::Csv {
            line,
            reason: match e.kind() {
                csv::ErrorKind::Deserialize { err, .. } => err.to_string(),
                _ => e.to_string(),
            },
        })?;
        rows.push((
            format!("line {line}"),
            RecordDoc {
                id: row.id,
                product: row.product,
                quantity: serde_json::Value::String(row.quantity),
                start: row.start,
                end: row.end,
                source: row.source,
            },
        ));
    }
    Ok(rows)
}

fn csv_error(e: &csv::Error) -> Error {
    let line = e.position().map_or(0, csv::Position::line);
    let reason = match e.kind() {
        csv::ErrorKind::Deserialize { err, .. } => err.to_string(),
        csv::ErrorKind::UnequalLengths {
            expected_len, len, ..
        } => {
            format!("the row has {len} fields; the header has {expected_len}")
        }
        _ => e.to_string(),
    };
    Error::Csv { line, reason }
}
