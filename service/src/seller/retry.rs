//! How the Seller's outbox spaces its attempts at an event a listener did not take: exponential
//! back-off with jitter, up to a cap. Relies on nothing else in the crate.

use std::time::Duration;

use rand::Rng;

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
