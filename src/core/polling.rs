//! How often to ask the backend again while waiting for something to change.

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
}

impl PollPolicy {
    /// Waiting for Cybrid to attach a Persona inquiry: usually a few seconds.
    pub const INQUIRY: PollPolicy = PollPolicy {
        initial_ms: 250,
        max_ms: 4_000,
        deadline_ms: 3 * 60_000,
    };

    /// The delay before re-check number `attempt` (0-based): doubles from `initial_ms` up to
    /// `max_ms`.
    pub fn delay_ms(&self, attempt: u32) -> u32 {
        let factor = 1u32.checked_shl(attempt.min(31)).unwrap_or(u32::MAX);
        self.initial_ms.saturating_mul(factor).min(self.max_ms)
    }

    /// Whether another re-check fits before the deadline, given the time already waited.
    pub fn within_deadline(&self, waited_ms: u32) -> bool {
        waited_ms < self.deadline_ms
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn delays_double_then_level_off() {
        let p = PollPolicy::INQUIRY;
        let delays: Vec<u32> = (0..8).map(|a| p.delay_ms(a)).collect();
        assert_eq!(delays, [250, 500, 1000, 2000, 4000, 4000, 4000, 4000]);
        assert_eq!(p.delay_ms(u32::MAX), 4000);
    }

    #[test]
    fn deadline_is_minutes_not_seconds() {
        let p = PollPolicy::INQUIRY;
        assert!(p.within_deadline(5_000));
        assert!(p.within_deadline(179_999));
        assert!(!p.within_deadline(180_000));
    }
}
