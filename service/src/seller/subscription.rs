//! The query of a listener's subscription (`POST /hub`): empty (every event) or
//! `eventType=<type>,...`. Relies on nothing else in the crate.

/// Whether a listener registered with `query` wants events of `event_type`.
pub(crate) fn wants(query: Option<&str>, event_type: &str) -> bool {
    let Some(q) = query.map(str::trim).filter(|q| !q.is_empty()) else {
        return true;
    };
    q.split_once('=')
        .is_some_and(|(k, v)| k.trim() == "eventType" && v.split(',').any(|t| t.trim() == event_type))
}

/// Whether `query` is one this Seller understands (empty, or `eventType=` with MEF 141's
/// billing event types).
pub(crate) fn valid_query(query: &str) -> bool {
    let q = query.trim();
    q.is_empty()
        || q.split_once('=').is_some_and(|(k, v)| {
            k.trim() == "eventType"
                && v.split(',').all(|t| {
                    matches!(
                        t.trim(),
                        "customerBillCreateEvent" | "customerBillStateChangeEvent"
                    )
                })
        })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::api::CREATE_EVENT;

    #[test]
    fn subscription_queries() {
        assert!(wants(None, CREATE_EVENT));
        assert!(wants(Some(""), CREATE_EVENT));
        assert!(wants(Some("eventType=customerBillCreateEvent"), CREATE_EVENT));
        assert!(wants(
            Some("eventType = customerBillStateChangeEvent, customerBillCreateEvent"),
            CREATE_EVENT
        ));
        assert!(!wants(
            Some("eventType=customerBillStateChangeEvent"),
            CREATE_EVENT
        ));
        assert!(valid_query(
            "eventType=customerBillCreateEvent,customerBillStateChangeEvent"
        ));
        assert!(!valid_query("eventType=somethingElse"));
        assert!(!valid_query("state=generated"));
    }
}
