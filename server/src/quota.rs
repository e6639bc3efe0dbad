//! Per-customer quotas on the API. Every customer's calls go upstream on the bank's one
//! Cybrid token, and every new verification or Persona session is paid for by the bank: one
//! customer's browser (or a script holding their session cookie) must not spend those for
//! everybody. The limits are far above what the app itself does, polling included.

use std::collections::HashMap;
use std::sync::Mutex;

use kyc_onboarding::core::time::{Millis, MINUTE};

use crate::sandbox::fault::Endpoint;

/// The window each quota counts over.
pub const WINDOW: Millis = 10 * MINUTE;

/// What a quota counts.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Spend {
    /// New verifications (each may start a paid Persona inquiry).
    Create,
    /// New Persona session tokens.
    PersonaSession,
    /// Everything else: the session, the customer, verifications (the app's polling).
    Read,
    /// New handoff codes: each lists the customer's verifications upstream, and each code
    /// can become a phone's session.
    Handoff,
}

impl Spend {
    /// What a call to `endpoint` spends.
    pub fn of(endpoint: Endpoint) -> Spend {
        match endpoint {
            Endpoint::Create => Spend::Create,
            Endpoint::PersonaSession => Spend::PersonaSession,
            Endpoint::Session | Endpoint::Customer | Endpoint::List | Endpoint::Verification => {
                Spend::Read
            }
        }
    }

    /// Calls allowed per customer per [`WINDOW`]. The app makes a handful of creates and
    /// Persona sessions in a visit, and polls at most about once a second.
    pub fn limit(self) -> u32 {
        match self {
            Spend::Create => 20,
            Spend::PersonaSession => 60,
            Spend::Read => 1_200,
            Spend::Handoff => 60,
        }
    }
}

/// Calls counted per customer and kind, in fixed windows.
#[derive(Default)]
pub struct Quotas {
    windows: Mutex<Windows>,
}

#[derive(Default)]
struct Windows {
    /// When each customer's window began, and the calls in it.
    counts: HashMap<(String, Spend), (Millis, u32)>,
    /// When ended windows were last dropped: once per window, not on every call (every
    /// call of every customer passes here, and a sweep visits them all).
    swept: Millis,
}

impl Quotas {
    /// Counts one call; when the customer has used their quota, how many milliseconds until
    /// the window ends instead.
    pub fn take(&self, customer_guid: &str, spend: Spend, now: Millis) -> Result<(), Millis> {
        let mut windows = self.windows.lock().unwrap_or_else(|e| e.into_inner());
        if now >= windows.swept + WINDOW {
            windows.counts.retain(|_, (start, _)| now < *start + WINDOW);
            windows.swept = now;
        }
        let (start, used) = windows
            .counts
            .entry((customer_guid.to_owned(), spend))
            .or_insert((now, 0));
        if now >= *start + WINDOW {
            (*start, *used) = (now, 0);
        }
        if *used >= spend.limit() {
            return Err(*start + WINDOW - now);
        }
        *used += 1;
        Ok(())
    }

    /// Counts one call, or the 429 answer (with `Retry-After`) of a customer over quota.
    pub fn charge(
        &self,
        customer_guid: &str,
        spend: Spend,
        now: Millis,
    ) -> Result<(), crate::backend::ApiError> {
        self.take(customer_guid, spend, now).map_err(|wait_ms| {
            tracing::warn!(?spend, "customer over quota");
            crate::backend::ApiError {
                status: axum::http::StatusCode::TOO_MANY_REQUESTS,
                message: "too many requests from this session; try again later".into(),
                code: "rate_limited",
                retry_after_s: Some(u32::try_from((wait_ms + 999) / 1_000).unwrap_or(u32::MAX)),
            }
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_customer_and_kind_has_its_own_quota_per_window() {
        let q = Quotas::default();
        let limit = Spend::Create.limit();
        for _ in 0..limit {
            assert_eq!(q.take("c1", Spend::Create, 1_000), Ok(()));
        }
        assert_eq!(
            q.take("c1", Spend::Create, 61_000),
            Err(WINDOW - 60_000),
            "until the window that began at the first call ends"
        );
        assert_eq!(
            q.take("c2", Spend::Create, 61_000),
            Ok(()),
            "another customer"
        );
        assert_eq!(
            q.take("c1", Spend::PersonaSession, 61_000),
            Ok(()),
            "another kind"
        );
        assert_eq!(
            q.take("c1", Spend::Create, 1_000 + WINDOW),
            Ok(()),
            "a new window"
        );
    }

    #[test]
    fn ended_windows_are_dropped_once_a_window() {
        let q = Quotas::default();
        for customer in ["c1", "c2", "c3"] {
            assert_eq!(q.take(customer, Spend::Read, 1_000), Ok(()));
        }
        let counted = |q: &Quotas| q.windows.lock().unwrap().counts.len();
        assert_eq!(q.take("c4", Spend::Read, 2_000), Ok(()));
        assert_eq!(counted(&q), 4, "nothing has ended yet");
        // Past the first windows' end: they go, the one still running stays.
        assert_eq!(q.take("c5", Spend::Read, 1_500 + WINDOW), Ok(()));
        assert_eq!(counted(&q), 2);
        // A customer whose window ended between sweeps starts a fresh one.
        assert_eq!(q.take("c4", Spend::Read, 2_000 + WINDOW), Ok(()));
        assert_eq!(
            q.windows.lock().unwrap().counts[&("c4".into(), Spend::Read)],
            (2_000 + WINDOW, 1)
        );
    }

    #[test]
    fn polling_is_a_read_and_reads_allow_a_call_a_second() {
        assert_eq!(Spend::of(Endpoint::Verification), Spend::Read);
        assert_eq!(Spend::of(Endpoint::Create), Spend::Create);
        assert!(Millis::from(Spend::Read.limit()) >= WINDOW / 1_000 * 2);
        assert!(
            Spend::PersonaSession.limit() >= 20 * 2,
            "20 open/cancel cycles, twice over"
        );
    }
}
