//! Per-customer quotas on the API. Every customer's calls go upstream on the bank's one
//! Cybrid token, and every new verification or Persona session is paid for by the bank: one
//! customer's browser (or a script holding their session cookie) must not spend those for
//! everybody. The limits are far above what the app itself does, polling included.

use kyc_onboarding::core::time::{Millis, MINUTE};

use crate::endpoint::Endpoint;
use crate::store::{Store, StoreError};

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

    /// The kind's name in the store's keys.
    pub fn name(self) -> &'static str {
        match self {
            Spend::Create => "create",
            Spend::PersonaSession => "persona",
            Spend::Read => "read",
            Spend::Handoff => "handoff",
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

/// Calls counted per customer and kind, in fixed windows that begin at the customer's first
/// call, in the state store (so every replica counts the same calls).
pub struct Quotas {
    store: Store,
}

impl Quotas {
    /// Quotas counted in `store`.
    pub fn new(store: Store) -> Quotas {
        Quotas { store }
    }

    /// Counts one call; when the customer has used their quota, how many milliseconds until
    /// the window ends instead.
    pub async fn take(
        &self,
        customer_guid: &str,
        spend: Spend,
        now: Millis,
    ) -> Result<Result<(), Millis>, StoreError> {
        let counted = self
            .store
            .charge_quota(customer_guid, spend.name(), now, WINDOW)
            .await?;
        Ok(if counted.count > u64::from(spend.limit()) {
            Err(counted.since + WINDOW - now)
        } else {
            Ok(())
        })
    }

    /// Counts one call, or the 429 answer (with `Retry-After`) of a customer over quota (503
    /// when the store cannot count).
    pub async fn charge(
        &self,
        customer_guid: &str,
        spend: Spend,
        now: Millis,
    ) -> Result<(), crate::backend::ApiError> {
        self.take(customer_guid, spend, now)
            .await?
            .map_err(|wait_ms| {
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

    #[tokio::test]
    async fn each_customer_and_kind_has_its_own_quota_per_window() {
        let q = Quotas::new(Store::memory());
        let limit = Spend::Create.limit();
        for _ in 0..limit {
            assert_eq!(q.take("c1", Spend::Create, 1_000).await.unwrap(), Ok(()));
        }
        assert_eq!(
            q.take("c1", Spend::Create, 61_000).await.unwrap(),
            Err(WINDOW - 60_000),
            "until the window that began at the first call ends"
        );
        assert_eq!(
            q.take("c2", Spend::Create, 61_000).await.unwrap(),
            Ok(()),
            "another customer"
        );
        assert_eq!(
            q.take("c1", Spend::PersonaSession, 61_000).await.unwrap(),
            Ok(()),
            "another kind"
        );
        assert_eq!(
            q.take("c1", Spend::Create, 1_000 + WINDOW).await.unwrap(),
            Ok(()),
            "a new window"
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
