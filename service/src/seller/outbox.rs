//! The Seller's outbox: every event is stored before it is sent and sent until a listener takes it
//! (a 2xx answer), in order per listener, with exponential back-off between attempts. Relies on
//! [`super::state`] for the store (its outbox rows), the listener token and the retry policy.

use std::{sync::Arc, time::Duration};

use super::state::SellerState;
use crate::{api::CustomerBillEvent, clock::now_ms, LISTENER_BASE, MEF_BASE};

/// Runs the outbox until the process ends.
pub(crate) async fn dispatch(state: Arc<SellerState>, client: reqwest::Client) {
    loop {
        let now = now_ms();
        let due = match state.store.due(now) {
            Ok(due) => due,
            Err(e) => {
                eprintln!("zkinvoice seller: outbox: {e}");
                Vec::new()
            }
        };
        for d in due {
            let href = state
                .public_url
                .as_ref()
                .map(|u| format!("{}{MEF_BASE}/customerBill/{}", u.trim_end_matches('/'), d.bill_id));
            let mut event = CustomerBillEvent::created(&d.event_id, &d.event_time, &d.bill_id, href);
            event.event_type.clone_from(&d.event_type);
            let url = format!(
                "{}{LISTENER_BASE}/listener/{}",
                d.callback.trim_end_matches('/'),
                d.event_type
            );
            let mut request = client.post(&url).json(&event).timeout(state.retry.timeout);
            if let Some(token) = &state.listener_token {
                request = request.bearer_auth(token);
            }
            let outcome = match request.send().await {
                Ok(r) if r.status().is_success() => Ok(()),
                Ok(r) => Err(format!("{url}: HTTP {}", r.status())),
                Err(e) => Err(format!("{url}: {e}")),
            };
            let recorded = match outcome {
                Ok(()) => state.store.delivered(d.seq),
                Err(reason) => {
                    let attempts = d.attempts + 1;
                    let next = now_ms() + state.retry.delay(attempts).as_millis() as i64;
                    state.store.failed(d.seq, attempts, next, &reason)
                }
            };
            if let Err(e) = recorded {
                eprintln!("zkinvoice seller: outbox: {e}");
            }
        }
        // Sleep until the next event is due, a bill is published or a listener registers here, or
        // a second passes (another process may publish into the same store).
        let wait = match state.store.next_due() {
            Ok(Some(at)) => Duration::from_millis((at - now_ms()).clamp(0, 1000) as u64),
            _ => Duration::from_secs(1),
        };
        tokio::select! {
            _ = state.wake.notified() => {}
            _ = tokio::time::sleep(wait) => {}
        }
    }
}
