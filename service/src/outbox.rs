//! The Seller's outbox: every event is stored before it is sent and sent until a listener takes it
//! (a 2xx answer), in order per listener, with exponential back-off between attempts.

use std::{sync::Arc, time::Duration};

use rand::Rng;

use crate::{api::CustomerBillEvent, clock::now_ms, seller::SellerState, LISTENER_BASE, MEF_BASE};

/// How the Seller retries an event a listener did not take.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct RetryPolicy {
    /// The wait after the first failed attempt; each further failure doubles it.
    pub first: Duration,
    /// The longest wait between attempts (events are retried for ever, at most this far apart).
    pub max: Duration,
    /// How long one attempt may take.
    pub timeout: Duration,
}

impl Default for RetryPolicy {
    /// 0.5 s, doubling up to 60 s; 10 s per attempt.
    fn default() -> Self {
        Self {
            first: Duration::from_millis(500),
            max: Duration::from_secs(60),
            timeout: Duration::from_secs(10),
        }
    }
}

impl RetryPolicy {
    /// The wait after `attempts` failed attempts (at least 1): `first · 2^(attempts-1)`, at most
    /// `max`, plus up to 10 % of jitter so that listeners coming back are not hit all at once.
    pub fn delay(&self, attempts: u32) -> Duration {
        let doublings = attempts.saturating_sub(1).min(30);
        let base = self.first.saturating_mul(1u32 << doublings).min(self.max);
        let jitter = rand::thread_rng().gen_range(0..=base.as_millis() as u64 / 10);
        base + Duration::from_millis(jitter)
    }
}

/// One event due for delivery.
pub(crate) struct Due {
    pub seq: i64,
    pub event_id: String,
    pub event_type: String,
    pub event_time: String,
    pub bill_id: String,
    pub callback: String,
    pub attempts: u32,
}

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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn back_off_doubles_up_to_the_cap() {
        let p = RetryPolicy {
            first: Duration::from_millis(100),
            max: Duration::from_millis(1000),
            timeout: Duration::from_secs(1),
        };
        for (attempts, base) in [(1, 100), (2, 200), (3, 400), (4, 800), (5, 1000), (60, 1000)] {
            let d = p.delay(attempts).as_millis() as u64;
            assert!(d >= base && d <= base + base / 10, "{attempts}: {d}");
        }
    }
}
