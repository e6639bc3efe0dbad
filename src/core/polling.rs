//! How often to ask the backend again while waiting for something to change, and how to back
//! off after a failed request.

/// Exponential backoff with a ceiling and an overall deadline, all in milliseconds so the
/// core stays free of clocks: the shell measures time and passes it in.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct PollPolicy {
    /// Delay before the first re-check.
    pub initial_ms: u32,
    /// The delay never grows beyond this.
    pub max_ms: u32,
    /// After this much total waiting, stop and ask the customer whether to keep waiting.
    pub deadline_ms: u32,
    /// Re-checks at `initial_ms` this many times before the delay starts doubling.
    pub steady: u32,
}

/// After this long on the preparing screen, its status line adds that it is taking longer than
/// usual (the inquiry usually appears within a second or two; the choice to come back later
/// only comes at [`PollPolicy::INQUIRY`]'s deadline).
pub const SLOW_NOTICE_MS: u32 = 15_000;

impl PollPolicy {
    /// Waiting for Cybrid to attach a Persona inquiry: usually a second or two. The first
    /// check goes at once; then every 150 ms for three seconds, so the inquiry is noticed
    /// soon after it appears; then backing off to 2 s.
    pub const INQUIRY: PollPolicy = PollPolicy {
        initial_ms: 150,
        max_ms: 2_000,
        deadline_ms: 2 * 60_000,
        steady: 20,
    };

    /// Waiting for the decision after the customer finished Persona: most take under ten
    /// minutes.
    pub const RESULT: PollPolicy = PollPolicy {
        initial_ms: 1_000,
        max_ms: 8_000,
        deadline_ms: 10 * 60_000,
        steady: 0,
    };

    /// Waiting for the customer record to change (created, or verified after a pass).
    pub const CUSTOMER: PollPolicy = PollPolicy {
        initial_ms: 500,
        max_ms: 4_000,
        deadline_ms: 2 * 60_000,
        steady: 0,
    };

    /// A verification with the compliance team: slow, and for as long as the page is open.
    pub const REVIEW: PollPolicy = PollPolicy {
        initial_ms: 15_000,
        max_ms: 60_000,
        deadline_ms: u32::MAX,
        steady: 0,
    };

    /// The delay before re-check number `attempt` (0-based): doubles from `initial_ms` up to
    /// `max_ms`.
    pub fn delay_ms(&self, attempt: u32) -> u32 {
        let attempt = attempt.saturating_sub(self.steady);
        let factor = 1u32.checked_shl(attempt.min(31)).unwrap_or(u32::MAX);
        self.initial_ms.saturating_mul(factor).min(self.max_ms)
    }

    /// Whether another re-check fits before the deadline, given the time already waited.
    pub fn within_deadline(&self, waited_ms: u32) -> bool {
        waited_ms < self.deadline_ms
    }
}

/// Retrying a request that failed for a passing reason (network, 429, 5xx).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct RetryPolicy {
    /// The first retry's delay.
    pub initial_ms: u32,
    /// The delay never grows beyond this.
    pub max_ms: u32,
    /// Consecutive failures after which the customer is told and given a "try again" button.
    pub max_attempts: u32,
    /// The longest `Retry-After` honoured; a longer one is cut to this.
    pub max_retry_after_ms: u32,
}

impl RetryPolicy {
    /// About 45 seconds of retries in all before giving up.
    pub const HTTP: RetryPolicy = RetryPolicy {
        initial_ms: 500,
        max_ms: 8_000,
        max_attempts: 8,
        max_retry_after_ms: 60_000,
    };

    /// The delay before retry number `attempt` (1 for the first retry), honouring a server's
    /// `Retry-After` when it asks for longer.
    pub fn delay_ms(&self, attempt: u32, retry_after_ms: Option<u32>) -> u32 {
        let backoff = PollPolicy {
            initial_ms: self.initial_ms,
            max_ms: self.max_ms,
            deadline_ms: u32::MAX,
            steady: 0,
        }
        .delay_ms(attempt.saturating_sub(1));
        backoff.max(retry_after_ms.unwrap_or(0).min(self.max_retry_after_ms))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn delays_double_then_level_off() {
        let p = PollPolicy::RESULT;
        let delays: Vec<u32> = (0..6).map(|a| p.delay_ms(a)).collect();
        assert_eq!(delays, [1000, 2000, 4000, 8000, 8000, 8000]);
        assert_eq!(p.delay_ms(u32::MAX), 8000);
    }

    #[test]
    fn the_inquiry_is_checked_often_at_first() {
        let p = PollPolicy::INQUIRY;
        let delays: Vec<u32> = (0..26).map(|a| p.delay_ms(a)).collect();
        assert!(
            delays[..20].iter().all(|d| *d == 150),
            "three seconds at 150 ms"
        );
        assert_eq!(&delays[20..], [150, 300, 600, 1200, 2000, 2000]);
        assert_eq!(delays[..20].iter().sum::<u32>(), 3_000);
    }

    #[test]
    fn deadline_is_minutes_not_seconds() {
        let p = PollPolicy::INQUIRY;
        assert!(p.within_deadline(5_000));
        assert!(p.within_deadline(119_999));
        assert!(!p.within_deadline(120_000));
        assert!(PollPolicy::REVIEW.within_deadline(u32::MAX - 1));
    }

    #[test]
    fn retries_back_off_and_honour_retry_after() {
        let r = RetryPolicy::HTTP;
        assert_eq!(r.delay_ms(1, None), 500);
        assert_eq!(r.delay_ms(2, None), 1_000);
        assert_eq!(r.delay_ms(9, None), 8_000);
        assert_eq!(r.delay_ms(1, Some(3_000)), 3_000);
        assert_eq!(r.delay_ms(5, Some(100)), 8_000);
        assert_eq!(
            r.delay_ms(1, Some(3_600_000)),
            60_000,
            "a huge Retry-After is capped"
        );
    }
}
