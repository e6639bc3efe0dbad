//! The server's shared state behind one seam, kept in memory (the default) or in Redis
//! (`KYC_REDIS_URL`) so that several replicas act as one: sessions, handoff codes, spent
//! launch tokens, quotas, per-customer create locks, the bank token and short-lived upstream
//! answers.
//!
//! Every key is namespaced by `KYC_REDIS_PREFIX` and expires; values hold no personal data
//! beyond the customer guid (client addresses are hashed). The operations are named for what
//! the server does with them; the ones that must be atomic across replicas are (single-use
//! codes, spent tokens, counters, locks).

pub mod memory;
pub mod redis;

use std::time::{Duration, Instant};

use kyc_onboarding::core::time::Millis;
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

use crate::backend::ApiError;

/// The store could not be reached or answered something unreadable.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct StoreError(pub String);

impl std::fmt::Display for StoreError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "state store: {}", self.0)
    }
}

impl std::error::Error for StoreError {}

impl From<StoreError> for ApiError {
    fn from(e: StoreError) -> ApiError {
        tracing::error!(error = %e, "the state store failed");
        ApiError::store_unavailable()
    }
}

/// One customer session as stored (the id is its key).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct SessionRecord {
    pub customer_guid: String,
    pub csrf_token: String,
    /// Wall-clock end, for the front end (the record itself expires then).
    pub expires_ms: Millis,
    /// A phone's session, made by redeeming a handoff code: it may do the verification it
    /// was handed and nothing else.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub phone: Option<PhoneScope>,
}

/// What a phone's session may act on.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct PhoneScope {
    /// The verification in flight when the code was made, if there was one.
    pub verification_guid: Option<String>,
    /// Verifications created since this (allowing for Cybrid's clock) are the phone's own:
    /// the one it starts when none was in flight, or when the bound one expired.
    pub since_ms: Millis,
}

/// The phone that redeemed a code, kept with the code's "used" mark for the desktop.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct PhoneRecord {
    /// The phone's session, to end it if the customer says it is not theirs.
    pub session_id: String,
    /// Coarse names from its `User-Agent` (`Chrome`, `Android`); empty when not recognised.
    pub browser: String,
    pub os: String,
}

/// A handoff code as stored, under the code and under its customer (the desktop's view).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct HandoffRecord {
    pub code: String,
    pub customer_guid: String,
    /// When the session that made the code ends.
    pub session_ends_ms: Millis,
    /// The verification in flight when the code was made.
    pub verification_guid: Option<String>,
    /// Otherwise, when the newest KYC verification then known was created.
    pub newest_known_ms: Option<Millis>,
    pub created_ms: Millis,
    /// The digits both screens show, for the customer to check they match.
    #[serde(default)]
    pub confirm: String,
}

/// A spent launch token: when, and from which address (keyed hash).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct SpentToken {
    pub at: i64,
    pub peer: String,
}

/// A counter in a fixed window that began at its first count.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Counted {
    /// Counts in the window, this one included.
    pub count: u64,
    /// When the window began.
    pub since: Millis,
}

/// A cached bank token.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct StoredToken {
    pub value: String,
    /// Wall-clock time to renew it.
    pub renew_at_ms: Millis,
}

/// A held lock: released by its owner only ([`Store::release`]), or gone at its expiry.
#[derive(Debug)]
pub struct Lease {
    key: String,
    token: String,
    /// Measured from before the store was asked: never later than the store's own expiry.
    until: Instant,
}

impl Lease {
    /// How long the lock is still certainly held.
    pub fn remaining(&self) -> Duration {
        self.until.saturating_duration_since(Instant::now())
    }
}

/// Where the state is kept.
#[derive(Clone)]
pub enum Store {
    /// This process only (one server, the sandbox, tests).
    Memory(std::sync::Arc<memory::MemoryStore>),
    /// A Redis shared by every replica.
    Redis(redis::RedisStore),
}

/// A store for a server: Redis at `url`, or memory without one. Redis must answer now.
pub async fn open(url: Option<&str>, prefix: &str) -> Result<Store, String> {
    match url {
        None => Ok(Store::memory()),
        Some(url) => {
            let store = redis::RedisStore::connect(url, prefix)
                .await
                .map_err(|e| format!("cannot use the Redis at KYC_REDIS_URL: {}", e.0))?;
            // Not the URL: it may carry a password.
            tracing::info!(prefix, "state kept in Redis, shared with every replica");
            Ok(Store::Redis(store))
        }
    }
}

/// Failed handoff attempts count per client in windows of this length.
const ATTEMPT_WINDOW: Millis = 60_000;

impl Store {
    /// A new, empty in-memory store.
    pub fn memory() -> Store {
        Store::Memory(Default::default())
    }

    /// Whether the store answers (for a readiness probe).
    pub async fn ping(&self) -> Result<(), StoreError> {
        match self {
            Store::Memory(_) => Ok(()),
            Store::Redis(r) => r.ping().await,
        }
    }

    fn key(&self, parts: &[&str]) -> String {
        let prefix = match self {
            Store::Memory(_) => "",
            Store::Redis(r) => r.prefix(),
        };
        let mut key = prefix.to_owned();
        key.push_str(&parts.join(":"));
        key
    }

    async fn get(&self, key: &str) -> Result<Option<String>, StoreError> {
        match self {
            Store::Memory(m) => Ok(m.get(key)),
            Store::Redis(r) => r.get(key).await,
        }
    }

    async fn set(&self, key: &str, value: &str, ttl: Duration) -> Result<(), StoreError> {
        match self {
            Store::Memory(m) => {
                m.set(key, value, ttl);
                Ok(())
            }
            Store::Redis(r) => r.set(key, value, ttl).await,
        }
    }

    async fn take(&self, key: &str) -> Result<Option<String>, StoreError> {
        match self {
            Store::Memory(m) => Ok(m.take(key)),
            Store::Redis(r) => r.take(key).await,
        }
    }

    async fn delete(&self, key: &str) -> Result<(), StoreError> {
        match self {
            Store::Memory(m) => {
                m.take(key);
                Ok(())
            }
            Store::Redis(r) => r.delete(key).await,
        }
    }

    async fn get_json<T: serde::de::DeserializeOwned>(
        &self,
        key: &str,
    ) -> Result<Option<T>, StoreError> {
        self.get(key).await?.map(|text| decode(&text)).transpose()
    }

    // --- Sessions ---

    /// Keeps a session for `ttl` (none at all when `ttl` is zero: it is over already), and
    /// its id among its customer's (see [`Store::end_sessions_of`]) until the session's
    /// absolute end at least.
    pub async fn put_session(
        &self,
        id: &str,
        session: &SessionRecord,
        ttl: Duration,
    ) -> Result<(), StoreError> {
        if ttl.is_zero() {
            return Ok(());
        }
        let key = self.key(&["session", id]);
        let index = self.key(&["sessions-of", &session.customer_guid]);
        let until_end = u64::try_from(session.expires_ms - crate::clock::now_ms()).unwrap_or(0);
        let index_ttl = ttl.max(Duration::from_millis(until_end));
        let value = encode(session);
        match self {
            Store::Memory(m) => {
                m.put_indexed(&key, &value, ttl, &index, id, index_ttl);
                Ok(())
            }
            Store::Redis(r) => {
                r.put_indexed(&key, &value, ttl, &index, id, index_ttl)
                    .await
            }
        }
    }

    /// The live session `id`.
    pub async fn session(&self, id: &str) -> Result<Option<SessionRecord>, StoreError> {
        if !session_id_fits(id) {
            return Ok(None);
        }
        self.get_json(&self.key(&["session", id])).await
    }

    /// Makes the live session `id` last `ttl` from now (an idle timeout starting again);
    /// whether it was live.
    pub async fn touch_session(&self, id: &str, ttl: Duration) -> Result<bool, StoreError> {
        if !session_id_fits(id) {
            return Ok(false);
        }
        let key = self.key(&["session", id]);
        match self {
            Store::Memory(m) => Ok(m.expire(&key, ttl)),
            Store::Redis(r) => r.expire(&key, ttl).await,
        }
    }

    /// Ends the session `id` of `customer_guid` (a logout).
    pub async fn delete_session(&self, id: &str, customer_guid: &str) -> Result<(), StoreError> {
        if !session_id_fits(id) {
            return Ok(());
        }
        let key = self.key(&["session", id]);
        let index = self.key(&["sessions-of", customer_guid]);
        match self {
            Store::Memory(m) => {
                m.delete_indexed(&key, &index, id);
                Ok(())
            }
            Store::Redis(r) => r.delete_indexed(&key, &index, id).await,
        }
    }

    /// Ends every session of the customer, on every replica, and their handoff code (the
    /// integrator's backend asked: see `/integrator/customers/{guid}/end-sessions`); how
    /// many sessions were live.
    pub async fn end_sessions_of(&self, customer_guid: &str) -> Result<u64, StoreError> {
        let index = self.key(&["sessions-of", customer_guid]);
        let session_prefix = self.key(&["session", ""]);
        let desk = self.key(&["handoff", "desk", customer_guid]);
        let code_prefix = self.key(&["handoff", "code", ""]);
        match self {
            Store::Memory(m) => Ok(m.end_all(&index, &session_prefix, &desk, &code_prefix)),
            Store::Redis(r) => {
                r.end_all(&index, &session_prefix, &desk, &code_prefix)
                    .await
            }
        }
    }

    // --- Handoff codes ---

    /// Keeps a new code for `code_ttl` and as its customer's current one for `desk_ttl`; the
    /// customer's previous code stops working, in the same step.
    pub async fn put_handoff_code(
        &self,
        record: &HandoffRecord,
        code_ttl: Duration,
        desk_ttl: Duration,
    ) -> Result<(), StoreError> {
        let desk = self.key(&["handoff", "desk", &record.customer_guid]);
        let code_prefix = self.key(&["handoff", "code", ""]);
        let value = encode(record);
        match self {
            Store::Memory(m) => {
                m.replace_code(
                    &desk,
                    &code_prefix,
                    &record.code,
                    &value,
                    code_ttl,
                    desk_ttl,
                );
                Ok(())
            }
            Store::Redis(r) => {
                r.replace_code(
                    &desk,
                    &code_prefix,
                    &record.code,
                    &value,
                    code_ttl,
                    desk_ttl,
                )
                .await
            }
        }
    }

    /// The live code, without using it up.
    pub async fn handoff_code(&self, code: &str) -> Result<Option<HandoffRecord>, StoreError> {
        if code.is_empty() || code.len() > 64 {
            return Ok(None);
        }
        self.get_json(&self.key(&["handoff", "code", code])).await
    }

    /// Takes the live code away: of any number of calls, on any replica, one gets it.
    pub async fn take_handoff_code(&self, code: &str) -> Result<Option<HandoffRecord>, StoreError> {
        if code.is_empty() || code.len() > 64 {
            return Ok(None);
        }
        self.take(&self.key(&["handoff", "code", code]))
            .await?
            .map(|text| decode(&text))
            .transpose()
    }

    /// The customer's current code as the desktop follows it (used or not).
    pub async fn handoff_of(
        &self,
        customer_guid: &str,
    ) -> Result<Option<HandoffRecord>, StoreError> {
        self.get_json(&self.key(&["handoff", "desk", customer_guid]))
            .await
    }

    /// Notes that `phone` came with `code`, for `ttl`.
    pub async fn mark_handoff_used(
        &self,
        code: &str,
        phone: &PhoneRecord,
        ttl: Duration,
    ) -> Result<(), StoreError> {
        self.set(&self.key(&["handoff", "used", code]), &encode(phone), ttl)
            .await
    }

    /// The phone that came with `code`, if one did (a mark of an older server, `1`, reads
    /// as a phone with nothing known of it).
    pub async fn handoff_phone(&self, code: &str) -> Result<Option<PhoneRecord>, StoreError> {
        Ok(self
            .get(&self.key(&["handoff", "used", code]))
            .await?
            .map(|text| decode(&text).unwrap_or_default()))
    }

    /// Ends the customer's current code (their desktop's record and the code), used or not.
    pub async fn end_handoff(&self, customer_guid: &str, code: &str) -> Result<(), StoreError> {
        self.delete(&self.key(&["handoff", "code", code])).await?;
        self.delete(&self.key(&["handoff", "desk", customer_guid]))
            .await
    }

    /// Counts a failed redemption attempt by `client` (an address, hashed before it is
    /// stored) in the minute that began with its first failure.
    pub async fn count_failed_attempt(
        &self,
        client: &str,
        now: Millis,
    ) -> Result<Counted, StoreError> {
        let key = self.key(&["handoff", "failed", &hashed(client)]);
        self.count(&key, now, ATTEMPT_WINDOW).await
    }

    // --- Launch tokens ---

    /// Records a launch token (by an id derived from it) as spent until `ttl` has passed;
    /// when it was spent already, the earlier spend instead (and nothing changes).
    pub async fn spend_launch_token(
        &self,
        token_id: &str,
        spent: &SpentToken,
        ttl: Duration,
    ) -> Result<Option<SpentToken>, StoreError> {
        let key = self.key(&["launch", token_id]);
        let value = encode(spent);
        let earlier = match self {
            Store::Memory(m) => m.set_unless_present(&key, &value, ttl),
            Store::Redis(r) => r.set_unless_present(&key, &value, ttl).await?,
        };
        earlier.map(|text| decode(&text)).transpose()
    }

    // --- Quotas ---

    /// Counts one call of `kind` by the customer in the window of `window` ms that began at
    /// their first such call.
    pub async fn charge_quota(
        &self,
        customer_guid: &str,
        kind: &str,
        now: Millis,
        window: Millis,
    ) -> Result<Counted, StoreError> {
        let key = self.key(&["quota", kind, customer_guid]);
        self.count(&key, now, window).await
    }

    async fn count(&self, key: &str, now: Millis, window: Millis) -> Result<Counted, StoreError> {
        match self {
            Store::Memory(m) => Ok(m.count(key, now, window)),
            Store::Redis(r) => r.count(key, now, window).await,
        }
    }

    // --- Locks ---

    /// The customer's create lock, waiting up to `wait` for it; held until released or for
    /// `lease` at most. `None` when it could not be had in time.
    pub async fn acquire_create_lock(
        &self,
        customer_guid: &str,
        lease: Duration,
        wait: Duration,
    ) -> Result<Option<Lease>, StoreError> {
        self.acquire(&self.key(&["lock", "create", customer_guid]), lease, wait)
            .await
    }

    /// A lock named `name`, as [`Store::acquire_create_lock`].
    pub async fn acquire_lock(
        &self,
        name: &str,
        lease: Duration,
        wait: Duration,
    ) -> Result<Option<Lease>, StoreError> {
        self.acquire(&self.key(&["lock", name]), lease, wait).await
    }

    async fn acquire(
        &self,
        key: &str,
        lease: Duration,
        wait: Duration,
    ) -> Result<Option<Lease>, StoreError> {
        let token = crate::secret::token("lock");
        let give_up = Instant::now() + wait;
        let mut pause = Duration::from_millis(2);
        loop {
            let asked = Instant::now();
            let got = match self {
                Store::Memory(m) => m.try_lock(key, &token, lease),
                Store::Redis(r) => r.try_lock(key, &token, lease).await?,
            };
            if got {
                return Ok(Some(Lease {
                    key: key.to_owned(),
                    token,
                    until: asked + lease,
                }));
            }
            if Instant::now() + pause > give_up {
                return Ok(None);
            }
            tokio::time::sleep(pause).await;
            pause = (pause * 2).min(Duration::from_millis(50));
        }
    }

    /// Releases a lock if it is still this lease's (not once it expired and someone else
    /// took it).
    pub async fn release(&self, lease: Lease) -> Result<bool, StoreError> {
        match self {
            Store::Memory(m) => Ok(m.unlock(&lease.key, &lease.token)),
            Store::Redis(r) => r.unlock(&lease.key, &lease.token).await,
        }
    }

    // --- Cybrid ---

    /// The bank token shared by the replicas using the credentials named by `id`.
    pub async fn bank_token(&self, id: &str) -> Result<Option<StoredToken>, StoreError> {
        self.get_json(&self.key(&["bank-token", &hashed(id)])).await
    }

    /// Shares a bank token for `ttl`.
    pub async fn put_bank_token(
        &self,
        id: &str,
        token: &StoredToken,
        ttl: Duration,
    ) -> Result<(), StoreError> {
        self.set(&self.key(&["bank-token", &hashed(id)]), &encode(token), ttl)
            .await
    }

    /// An upstream answer read a moment ago (`read` names the customer, endpoint and id).
    pub async fn recent_read(&self, read: &str) -> Result<Option<String>, StoreError> {
        self.get(&self.key(&["read", read])).await
    }

    /// Shares an upstream answer for `ttl`.
    pub async fn put_recent_read(
        &self,
        read: &str,
        answer: &str,
        ttl: Duration,
    ) -> Result<(), StoreError> {
        self.set(&self.key(&["read", read]), answer, ttl).await
    }

    /// Forgets an upstream answer (it just changed).
    pub async fn forget_read(&self, read: &str) -> Result<(), StoreError> {
        self.delete(&self.key(&["read", read])).await
    }
}

fn encode<T: Serialize>(value: &T) -> String {
    serde_json::to_string(value).expect("plain records serialise")
}

fn decode<T: serde::de::DeserializeOwned>(text: &str) -> Result<T, StoreError> {
    serde_json::from_str(text).map_err(|_| StoreError("unreadable record".to_owned()))
}

/// A short hash, for names that should not be stored as they are (addresses, client ids).
pub fn hashed(text: &str) -> String {
    Sha256::digest(text.as_bytes())[..16]
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

/// Whether `id` can be a session id (anything else is never looked up).
fn session_id_fits(id: &str) -> bool {
    !id.is_empty() && id.len() <= 128
}

/// At least a millisecond: a store's expiry cannot be zero.
fn millis(ttl: Duration) -> u64 {
    u64::try_from(ttl.as_millis()).unwrap_or(u64::MAX).max(1)
}
