//! Handoff codes and what the desktop sees of them, kept in the state store: minting one
//! (which kills the customer's previous code), looking at one, redeeming one exactly once
//! across every replica, and counting failed attempts per client.

use std::net::IpAddr;
use std::time::Duration;

use base64::Engine;
use kyc_onboarding::core::time::{Millis, MINUTE};

use crate::secret;
use crate::store::{HandoffRecord, PhoneRecord, PhoneScope, Store, StoreError};

/// What became of a code: the core's `HandoffCode`, so that what `GET /handoff/status`
/// writes (`as_str`) is spelled where the app reads it (`parse`).
pub use kyc_onboarding::core::flow::HandoffCode as CodeState;

/// How long a code lives (why three minutes: `HANDOFF_CODE_LIFETIME` in the core's flow).
pub const CODE_LIFETIME: Millis = kyc_onboarding::core::flow::HANDOFF_CODE_LIFETIME;
/// Failed redemption attempts allowed per client per minute, unless configured
/// (`KYC_HANDOFF_FAILURES_PER_MINUTE`).
pub const ATTEMPTS_PER_MINUTE: usize = 10;
/// How long a code is kept for the desktop, so it can follow the phone for as long as the
/// inquiry lives.
pub const USED_CODE_KEPT: Millis = 24 * 60 * MINUTE;
/// Random bytes in a code (160 bits).
const CODE_BYTES: usize = 20;
/// How far Cybrid's clock (a verification's `created_at`) may run behind this server's (when
/// the code was made) and a verification still count as made since the code. A verification
/// finished before the code was made was created long before that, so it is not mistaken for
/// the phone's.
pub(crate) const CLOCK_SKEW_MS: i64 = 30_000;

/// A redeemed code: the customer, when the session that made the code ends, and what the
/// phone's session may act on.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Redeemed {
    pub customer_guid: String,
    pub session_ends_ms: Millis,
    pub scope: PhoneScope,
}

/// What the desktop's screen shows of its current code: its state, the verification it is
/// bound to, since when a verification counts as the phone's, and the phone that came.
pub type Followed = (
    CodeState,
    Option<String>,
    Option<Millis>,
    Option<PhoneRecord>,
);

/// The confirmation number both screens show: four digits (one in ten thousand that a
/// wrong screen shows the same), random per code. The customer only compares it, never
/// types it: see `PageLanguage::continue_page`.
fn confirmation_digits() -> String {
    let n = u32::from_le_bytes(secret::random_bytes::<4>()) % 10_000;
    format!("{n:04}")
}

/// The earliest creation time of a verification made since the code `c` (allowing for
/// Cybrid's clock running behind, but never one already known when the code was made).
fn made_since(c: &HandoffRecord) -> Millis {
    let since = c.created_ms - CLOCK_SKEW_MS;
    since.max(c.newest_known_ms.map_or(since, |known| known + 1))
}

/// Why a code cannot be redeemed (the page says the same for the first two: no oracle).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Refused {
    /// Never issued, used, expired, or replaced by a newer one.
    Invalid,
    /// Too many attempts from this client.
    RateLimited,
    /// The state store cannot be reached: nothing was used up.
    Unavailable,
}

/// Whose attempts count together: an IPv4 address, or an IPv6 /64 (what one subscriber
/// gets; counting each of its addresses apart would let one client spread its guesses).
pub(crate) fn client_key(ip: IpAddr) -> IpAddr {
    match ip {
        IpAddr::V6(v6) => match v6.to_ipv4_mapped() {
            Some(v4) => IpAddr::V4(v4),
            None => IpAddr::V6(std::net::Ipv6Addr::from(
                u128::from(v6) & !((1u128 << 64) - 1),
            )),
        },
        v4 => v4,
    }
}

fn duration(ms: Millis) -> Duration {
    Duration::from_millis(u64::try_from(ms).unwrap_or(0))
}

fn unavailable(e: StoreError) -> Refused {
    tracing::error!(error = %e, "handoff: the state store failed");
    Refused::Unavailable
}

/// Whether a code may still be redeemed at `now`.
fn live(c: &HandoffRecord, now: Millis) -> bool {
    now < c.created_ms + CODE_LIFETIME && now < c.session_ends_ms
}

/// The codes, in the state store, and the limit on failed attempts.
pub struct Handoffs {
    store: Store,
    /// Failed attempts allowed per client address per minute.
    failures_per_minute: usize,
}

impl Handoffs {
    /// Codes kept in `store`; `failures_per_minute` failed attempts allowed per client.
    pub fn new(store: Store, failures_per_minute: usize) -> Self {
        Handoffs {
            store,
            failures_per_minute,
        }
    }

    /// A new code for the customer, made by a session that ends at `session_ends_ms`; their
    /// previous one stops working.
    pub async fn mint(
        &self,
        customer_guid: &str,
        verification_guid: Option<String>,
        newest_known_ms: Option<Millis>,
        now: Millis,
        session_ends_ms: Millis,
    ) -> Result<String, StoreError> {
        let (code, _) = self
            .mint_shown(
                customer_guid,
                verification_guid,
                newest_known_ms,
                now,
                session_ends_ms,
            )
            .await?;
        Ok(code)
    }

    /// As [`Handoffs::mint`]: the code and its confirmation number.
    pub async fn mint_shown(
        &self,
        customer_guid: &str,
        verification_guid: Option<String>,
        newest_known_ms: Option<Millis>,
        now: Millis,
        session_ends_ms: Millis,
    ) -> Result<(String, String), StoreError> {
        let code = base64::engine::general_purpose::URL_SAFE_NO_PAD
            .encode(secret::random_bytes::<CODE_BYTES>());
        let record = HandoffRecord {
            code: code.clone(),
            customer_guid: customer_guid.to_owned(),
            session_ends_ms,
            verification_guid,
            newest_known_ms,
            created_ms: now,
            confirm: confirmation_digits(),
        };
        let code_ttl = duration(CODE_LIFETIME.min(session_ends_ms - now));
        self.store
            .put_handoff_code(&record, code_ttl, duration(USED_CODE_KEPT))
            .await?;
        Ok((code, record.confirm))
    }

    /// The code's confirmation number while it can be redeemed (for its Continue page).
    pub async fn confirmation(&self, code: &str, now: Millis) -> Option<String> {
        let found = self.store.handoff_code(code).await.ok().flatten();
        found.filter(|c| live(c, now)).map(|c| c.confirm)
    }

    /// Whether a code could be redeemed now, without using it up.
    pub async fn check(&self, code: &str, client: IpAddr, now: Millis) -> Result<(), Refused> {
        self.attempt(code, client, now, None).await.map(|_| ())
    }

    /// Redeems a code once: whose it is and until when the phone may act for them, or why
    /// not. Of any number of calls with one code, at any replica, one succeeds.
    pub async fn redeem(
        &self,
        code: &str,
        client: IpAddr,
        now: Millis,
    ) -> Result<Redeemed, Refused> {
        self.redeem_by(code, client, now, PhoneRecord::default())
            .await
    }

    /// As [`Handoffs::redeem`], noting for the desktop which `phone` came (its session id
    /// chosen before its session is made, so the desktop can end it from the first moment).
    pub async fn redeem_by(
        &self,
        code: &str,
        client: IpAddr,
        now: Millis,
        phone: PhoneRecord,
    ) -> Result<Redeemed, Refused> {
        self.attempt(code, client, now, Some(phone)).await
    }

    async fn attempt(
        &self,
        code: &str,
        client: IpAddr,
        now: Millis,
        use_up: Option<PhoneRecord>,
    ) -> Result<Redeemed, Refused> {
        // A valid code always works: the limit only slows down guessing, and customers
        // behind one proxy address must not hold each other up.
        let found = if use_up.is_some() {
            self.store.take_handoff_code(code).await
        } else {
            self.store.handoff_code(code).await
        }
        .map_err(unavailable)?;
        if let Some(c) = found.filter(|c| live(c, now)) {
            if let Some(phone) = use_up {
                // For the desktop, which follows the phone; the code itself is gone already.
                let kept = duration(c.created_ms + USED_CODE_KEPT - now);
                if let Err(e) = self.store.mark_handoff_used(code, &phone, kept).await {
                    tracing::error!(error = %e, "handoff: could not note the code as used");
                }
            }
            return Ok(Redeemed {
                scope: PhoneScope {
                    verification_guid: c.verification_guid.clone(),
                    since_ms: made_since(&c),
                },
                customer_guid: c.customer_guid,
                session_ends_ms: c.session_ends_ms,
            });
        }
        let failures = self
            .store
            .count_failed_attempt(&client_key(client).to_string(), now)
            .await
            .map_err(unavailable)?;
        if failures.count > self.failures_per_minute as u64 {
            return Err(Refused::RateLimited);
        }
        Err(Refused::Invalid)
    }

    /// The customer's code while a phone may still use it.
    pub async fn unused(
        &self,
        customer_guid: &str,
        now: Millis,
    ) -> Result<Option<String>, StoreError> {
        let Some(desk) = self.store.handoff_of(customer_guid).await? else {
            return Ok(None);
        };
        let live_code = self
            .store
            .handoff_code(&desk.code)
            .await?
            .filter(|c| live(c, now));
        Ok(live_code.map(|c| c.code))
    }

    /// The state of the customer's current code, its verification, and the earliest
    /// creation time of a verification made since the code (allowing for Cybrid's clock
    /// running behind, but never one already known when the code was made).
    pub async fn status(
        &self,
        customer_guid: &str,
        now: Millis,
    ) -> Result<(CodeState, Option<String>, Option<Millis>), StoreError> {
        let (state, bound, since, _) = self.follow(customer_guid, now).await?;
        Ok((state, bound, since))
    }

    /// As [`Handoffs::status`], with the phone that came, if one did.
    pub async fn follow(&self, customer_guid: &str, now: Millis) -> Result<Followed, StoreError> {
        let desk = self
            .store
            .handoff_of(customer_guid)
            .await?
            .filter(|c| now < c.created_ms + USED_CODE_KEPT);
        let Some(c) = desk else {
            return Ok((CodeState::None, None, None, None));
        };
        let phone = self.store.handoff_phone(&c.code).await?;
        let state = if phone.is_some() {
            CodeState::Used
        } else if now >= c.created_ms + CODE_LIFETIME {
            CodeState::Expired
        } else {
            CodeState::Active
        };
        let since = made_since(&c);
        Ok((state, c.verification_guid, Some(since), phone))
    }

    /// Whether `code` is still the customer's current one (not replaced, revoked or
    /// cancelled since).
    pub async fn is_current(&self, customer_guid: &str, code: &str) -> Result<bool, StoreError> {
        let desk = self.store.handoff_of(customer_guid).await?;
        Ok(desk.is_some_and(|c| c.code == code))
    }

    /// Ends the customer's current code, and returns the phone that came with it, if one
    /// did (its session is the caller's to end).
    pub async fn revoke(&self, customer_guid: &str) -> Result<Option<PhoneRecord>, StoreError> {
        let Some(desk) = self.store.handoff_of(customer_guid).await? else {
            return Ok(None);
        };
        let phone = self.store.handoff_phone(&desk.code).await?;
        self.store.end_handoff(customer_guid, &desk.code).await?;
        Ok(phone)
    }

    /// Ends the customer's current code unless a phone has come with it; whether one was
    /// ended.
    pub async fn cancel(&self, customer_guid: &str) -> Result<bool, StoreError> {
        let Some(desk) = self.store.handoff_of(customer_guid).await? else {
            return Ok(false);
        };
        if self.store.handoff_phone(&desk.code).await?.is_some() {
            return Ok(false);
        }
        self.store.end_handoff(customer_guid, &desk.code).await?;
        Ok(true)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const LOCAL: IpAddr = IpAddr::V4(std::net::Ipv4Addr::LOCALHOST);
    /// When the session that makes the codes ends: after every time these tests use.
    const SESSION_ENDS: Millis = 100 * CODE_LIFETIME;

    #[tokio::test]
    async fn a_code_dies_with_the_session_that_made_it() {
        let h = Handoffs::new(Store::memory(), ATTEMPTS_PER_MINUTE);
        let code = h.mint("c1", None, None, 0, 5_000).await.unwrap();
        assert_eq!(
            h.check(&code, LOCAL, 4_999).await,
            Ok(()),
            "while the desktop's session lasts"
        );
        assert_eq!(h.check(&code, LOCAL, 5_000).await, Err(Refused::Invalid));
        let code = h.mint("c1", None, None, 0, 5_000).await.unwrap();
        assert_eq!(
            h.redeem(&code, LOCAL, 1).await,
            Ok(Redeemed {
                customer_guid: "c1".into(),
                session_ends_ms: 5_000,
                scope: PhoneScope {
                    verification_guid: None,
                    since_ms: -CLOCK_SKEW_MS
                },
            }),
            "the phone learns when it must end"
        );
    }

    #[tokio::test]
    async fn codes_carry_160_random_bits_in_url_safe_text() {
        let h = Handoffs::new(Store::memory(), ATTEMPTS_PER_MINUTE);
        let a = h.mint("c1", None, None, 0, SESSION_ENDS).await.unwrap();
        let b = h.mint("c2", None, None, 0, SESSION_ENDS).await.unwrap();
        assert_eq!(a.len(), 27, "160 bits in base64url");
        assert!(a
            .bytes()
            .all(|c| c.is_ascii_alphanumeric() || c == b'-' || c == b'_'));
        assert_ne!(a, b);
        let decoded = base64::engine::general_purpose::URL_SAFE_NO_PAD
            .decode(&a)
            .unwrap();
        assert_eq!(decoded.len() * 8, 160);
    }

    #[tokio::test]
    async fn a_code_works_once_and_only_for_ten_minutes() {
        let h = Handoffs::new(Store::memory(), ATTEMPTS_PER_MINUTE);
        let code = h
            .mint("c1", Some("iv1".into()), None, 0, SESSION_ENDS)
            .await
            .unwrap();
        assert_eq!(
            h.status("c1", 1).await.unwrap(),
            (CodeState::Active, Some("iv1".into()), Some(-CLOCK_SKEW_MS))
        );
        assert_eq!(
            h.redeem(&code, LOCAL, 1).await.map(|r| r.customer_guid),
            Ok("c1".to_owned())
        );
        assert_eq!(
            h.redeem(&code, LOCAL, 2).await.map(|r| r.customer_guid),
            Err(Refused::Invalid)
        );
        assert_eq!(h.status("c1", 3).await.unwrap().0, CodeState::Used);
        let late = h.mint("c2", None, None, 0, SESSION_ENDS).await.unwrap();
        assert_eq!(
            h.status("c2", CODE_LIFETIME).await.unwrap().0,
            CodeState::Expired
        );
        assert_eq!(
            h.redeem(&late, LOCAL, CODE_LIFETIME)
                .await
                .map(|r| r.customer_guid),
            Err(Refused::Invalid)
        );
        assert_eq!(
            h.redeem("never-issued", LOCAL, 5)
                .await
                .map(|r| r.customer_guid),
            Err(Refused::Invalid)
        );
    }

    #[tokio::test]
    async fn looking_at_a_code_does_not_use_it_up() {
        let h = Handoffs::new(Store::memory(), ATTEMPTS_PER_MINUTE);
        let code = h.mint("c1", None, None, 0, SESSION_ENDS).await.unwrap();
        // A link preview, then the phone's own look.
        assert_eq!(h.check(&code, LOCAL, 1).await, Ok(()));
        assert_eq!(h.check(&code, LOCAL, 2).await, Ok(()));
        assert_eq!(h.status("c1", 3).await.unwrap().0, CodeState::Active);
        assert_eq!(
            h.redeem(&code, LOCAL, 4).await.map(|r| r.customer_guid),
            Ok("c1".to_owned())
        );
        assert_eq!(h.check(&code, LOCAL, 5).await, Err(Refused::Invalid));
    }

    #[tokio::test]
    async fn a_used_code_outlives_other_customers_codes_for_the_desktop() {
        let h = Handoffs::new(Store::memory(), ATTEMPTS_PER_MINUTE);
        let code = h
            .mint("c1", Some("iv1".into()), None, 0, SESSION_ENDS)
            .await
            .unwrap();
        assert_eq!(
            h.redeem(&code, LOCAL, 1).await.map(|r| r.customer_guid),
            Ok("c1".to_owned())
        );
        let unused = h.mint("c2", None, None, 0, SESSION_ENDS).await.unwrap();
        // Long after both codes' ten minutes, somebody else makes a code.
        h.mint("c3", None, None, CODE_LIFETIME + 1, SESSION_ENDS)
            .await
            .unwrap();
        assert_eq!(
            h.status("c1", CODE_LIFETIME + 2).await.unwrap(),
            (CodeState::Used, Some("iv1".into()), Some(-CLOCK_SKEW_MS)),
            "the desktop still follows the phone"
        );
        // Expired and none read alike to the app (the phone never came: make a new code).
        // The in-process map once said none here only because another customer's mint had
        // swept the code out; the store keeps it until its own expiry.
        assert_eq!(
            h.status("c2", CODE_LIFETIME + 2).await.unwrap().0,
            CodeState::Expired
        );
        assert_eq!(
            h.redeem(&unused, LOCAL, CODE_LIFETIME + 2)
                .await
                .map(|r| r.customer_guid),
            Err(Refused::Invalid)
        );
        h.mint("c3", None, None, USED_CODE_KEPT, SESSION_ENDS)
            .await
            .unwrap();
        assert_eq!(
            h.status("c1", USED_CODE_KEPT).await.unwrap().0,
            CodeState::None,
            "not kept forever"
        );
    }

    #[tokio::test]
    async fn valid_codes_never_count_against_the_limit() {
        // Customers behind one proxy share an address.
        let h = Handoffs::new(Store::memory(), ATTEMPTS_PER_MINUTE);
        for i in 0..ATTEMPTS_PER_MINUTE * 2 {
            let code = h
                .mint(&format!("c{i}"), None, None, 0, SESSION_ENDS)
                .await
                .unwrap();
            assert_eq!(h.check(&code, LOCAL, 1).await, Ok(()));
            assert_eq!(
                h.redeem(&code, LOCAL, 1).await.map(|r| r.customer_guid),
                Ok(format!("c{i}"))
            );
        }
    }

    #[tokio::test]
    async fn a_new_code_kills_the_old_one() {
        let h = Handoffs::new(Store::memory(), ATTEMPTS_PER_MINUTE);
        let old = h.mint("c1", None, None, 0, SESSION_ENDS).await.unwrap();
        let new = h.mint("c1", None, None, 1, SESSION_ENDS).await.unwrap();
        assert_eq!(
            h.redeem(&old, LOCAL, 2).await.map(|r| r.customer_guid),
            Err(Refused::Invalid)
        );
        assert_eq!(
            h.redeem(&new, LOCAL, 2).await.map(|r| r.customer_guid),
            Ok("c1".to_owned())
        );
    }

    #[tokio::test]
    async fn redemption_attempts_are_rate_limited_per_client() {
        let h = Handoffs::new(Store::memory(), ATTEMPTS_PER_MINUTE);
        let other = IpAddr::V4(std::net::Ipv4Addr::new(10, 0, 0, 2));
        for _ in 0..ATTEMPTS_PER_MINUTE {
            assert_eq!(
                h.redeem("guess", LOCAL, 0).await.map(|r| r.customer_guid),
                Err(Refused::Invalid)
            );
        }
        assert_eq!(
            h.redeem("guess", LOCAL, 1).await.map(|r| r.customer_guid),
            Err(Refused::RateLimited)
        );
        assert_eq!(
            h.redeem("guess", other, 1).await.map(|r| r.customer_guid),
            Err(Refused::Invalid),
            "other clients are not held up"
        );
        let code = h.mint("c1", None, None, 0, SESSION_ENDS).await.unwrap();
        assert_eq!(
            h.redeem(&code, LOCAL, 1).await.map(|r| r.customer_guid),
            Ok("c1".to_owned()),
            "a valid code works even from a limited address (customers behind one proxy)"
        );
        assert_eq!(
            h.redeem("guess", LOCAL, MINUTE + 1)
                .await
                .map(|r| r.customer_guid),
            Err(Refused::Invalid),
            "the window slides"
        );
    }

    #[tokio::test]
    async fn the_addresses_of_one_ipv6_subscriber_count_together() {
        let h = Handoffs::new(Store::memory(), ATTEMPTS_PER_MINUTE);
        let address =
            |last: u16| IpAddr::V6(std::net::Ipv6Addr::new(0x2001, 0xdb8, 1, 2, 0, 0, 0, last));
        for i in 0..ATTEMPTS_PER_MINUTE {
            assert_eq!(
                h.redeem("guess", address(i as u16), 0)
                    .await
                    .map(|r| r.customer_guid),
                Err(Refused::Invalid)
            );
        }
        assert_eq!(
            h.redeem("guess", address(999), 1)
                .await
                .map(|r| r.customer_guid),
            Err(Refused::RateLimited),
            "another address of the same /64"
        );
        let neighbour = IpAddr::V6(std::net::Ipv6Addr::new(0x2001, 0xdb8, 1, 3, 0, 0, 0, 1));
        assert_eq!(
            h.redeem("guess", neighbour, 1)
                .await
                .map(|r| r.customer_guid),
            Err(Refused::Invalid),
            "the next /64 is someone else"
        );
        assert_eq!(
            client_key("::ffff:10.0.0.2".parse().unwrap()),
            IpAddr::V4(std::net::Ipv4Addr::new(10, 0, 0, 2))
        );
    }
}
