//! The Redis store: every replica's shared state in one Redis, over a multiplexed connection
//! that reconnects by itself. What must be atomic is one command or one Lua script.

use std::time::Duration;

use kyc_onboarding::core::time::Millis;
use redis::aio::{ConnectionManager, ConnectionManagerConfig};
use redis::AsyncCommands;

use super::{millis, Counted, StoreError};

/// How long one command may take before the store counts as unreachable.
const RESPONSE_TIMEOUT: Duration = Duration::from_secs(2);

/// A connection to the Redis, and the prefix of this deployment's keys.
#[derive(Clone)]
pub struct RedisStore {
    connection: ConnectionManager,
    prefix: String,
}

fn failed(e: redis::RedisError) -> StoreError {
    // Counted by kind (a handful of fixed names), never by key or value.
    crate::metrics::store_error(if e.is_timeout() {
        "timeout"
    } else if e.is_io_error() || e.is_connection_dropped() || e.is_connection_refusal() {
        "connection"
    } else {
        "command"
    });
    // The error names the command at most, never a key or value.
    StoreError(format!("redis: {}", e.kind_description()))
}

trait KindDescription {
    fn kind_description(&self) -> String;
}

impl KindDescription for redis::RedisError {
    fn kind_description(&self) -> String {
        if self.is_timeout() {
            "timed out".to_owned()
        } else if self.is_connection_refusal() || self.is_connection_dropped() {
            "not reachable".to_owned()
        } else {
            format!("{:?}", self.kind())
        }
    }
}

/// Takes the previous code of the customer away, and keeps the new one under its code and
/// under the customer. KEYS: desk, new code. ARGV: record, code ttl, desk ttl, code prefix.
const REPLACE_CODE: &str = r"
local old = redis.call('GET', KEYS[1])
if old then
  local ok, rec = pcall(cjson.decode, old)
  if ok and type(rec) == 'table' and type(rec.code) == 'string' then
    redis.call('DEL', ARGV[4] .. rec.code)
  end
end
redis.call('SET', KEYS[2], ARGV[1], 'PX', ARGV[2])
redis.call('SET', KEYS[1], ARGV[1], 'PX', ARGV[3])
return 1
";

/// The value already there, or sets it. KEYS: key. ARGV: value, ttl.
const SET_UNLESS_PRESENT: &str = r"
local old = redis.call('GET', KEYS[1])
if old then return old end
redis.call('SET', KEYS[1], ARGV[1], 'PX', ARGV[2])
return false
";

/// Counts in a window that began at the first count, and is forgotten at its end. KEYS: key.
/// ARGV: now, window (ms).
const COUNT: &str = r"
local now = tonumber(ARGV[1])
local window = tonumber(ARGV[2])
local since = tonumber(redis.call('HGET', KEYS[1], 's'))
if (not since) or now >= since + window or now < since - window then
  redis.call('DEL', KEYS[1])
  redis.call('HSET', KEYS[1], 's', ARGV[1])
  redis.call('PEXPIRE', KEYS[1], window)
  since = now
end
local count = redis.call('HINCRBY', KEYS[1], 'n', 1)
return {count, since}
";

/// Keeps a session and its id in its customer's set, which lasts at least as long as the
/// session can. KEYS: session, index. ARGV: record, ttl, id, index ttl (ms).
const PUT_INDEXED: &str = r"
redis.call('SET', KEYS[1], ARGV[1], 'PX', ARGV[2])
redis.call('SADD', KEYS[2], ARGV[3])
local left = redis.call('PTTL', KEYS[2])
if left < tonumber(ARGV[4]) then redis.call('PEXPIRE', KEYS[2], ARGV[4]) end
return 1
";

/// Ends every session of a customer, their set, their handoff record and its code; returns
/// how many sessions were live. KEYS: index, desk. ARGV: session prefix, code prefix.
const END_ALL: &str = r"
local ended = 0
for _, id in ipairs(redis.call('SMEMBERS', KEYS[1])) do
  ended = ended + redis.call('DEL', ARGV[1] .. id)
end
redis.call('DEL', KEYS[1])
local old = redis.call('GET', KEYS[2])
if old then
  local ok, rec = pcall(cjson.decode, old)
  if ok and type(rec) == 'table' and type(rec.code) == 'string' then
    redis.call('DEL', ARGV[2] .. rec.code)
  end
end
redis.call('DEL', KEYS[2])
return ended
";

/// Deletes a lock only if it is still the caller's. KEYS: key. ARGV: owner token.
const UNLOCK: &str = r"
if redis.call('GET', KEYS[1]) == ARGV[1] then
  return redis.call('DEL', KEYS[1])
end
return 0
";

impl RedisStore {
    /// Connects to the Redis at `url` and checks that it answers.
    pub async fn connect(url: &str, prefix: &str) -> Result<RedisStore, StoreError> {
        let client = redis::Client::open(url).map_err(failed)?;
        let config = ConnectionManagerConfig::new()
            .set_connection_timeout(Some(Duration::from_secs(2)))
            .set_response_timeout(Some(RESPONSE_TIMEOUT))
            .set_number_of_retries(2)
            .set_max_delay(Duration::from_millis(500));
        let connection = tokio::time::timeout(
            Duration::from_secs(5),
            client.get_connection_manager_with_config(config),
        )
        .await
        .map_err(|_| StoreError("redis: timed out".to_owned()))?
        .map_err(failed)?;
        let store = RedisStore {
            connection,
            prefix: prefix.to_owned(),
        };
        store.ping().await?;
        Ok(store)
    }

    pub(super) fn prefix(&self) -> &str {
        &self.prefix
    }

    fn con(&self) -> ConnectionManager {
        self.connection.clone()
    }

    pub(super) async fn ping(&self) -> Result<(), StoreError> {
        let answer: String = redis::cmd("PING")
            .query_async(&mut self.con())
            .await
            .map_err(failed)?;
        if answer == "PONG" {
            Ok(())
        } else {
            Err(StoreError("redis: unexpected answer to PING".to_owned()))
        }
    }

    pub(super) async fn get(&self, key: &str) -> Result<Option<String>, StoreError> {
        self.con().get(key).await.map_err(failed)
    }

    pub(super) async fn set(
        &self,
        key: &str,
        value: &str,
        ttl: Duration,
    ) -> Result<(), StoreError> {
        self.con()
            .pset_ex(key, value, millis(ttl))
            .await
            .map_err(failed)
    }

    pub(super) async fn take(&self, key: &str) -> Result<Option<String>, StoreError> {
        self.con().get_del(key).await.map_err(failed)
    }

    pub(super) async fn delete(&self, key: &str) -> Result<(), StoreError> {
        self.con().del(key).await.map_err(failed)
    }

    pub(super) async fn set_unless_present(
        &self,
        key: &str,
        value: &str,
        ttl: Duration,
    ) -> Result<Option<String>, StoreError> {
        redis::Script::new(SET_UNLESS_PRESENT)
            .key(key)
            .arg(value)
            .arg(millis(ttl))
            .invoke_async(&mut self.con())
            .await
            .map_err(failed)
    }

    pub(super) async fn replace_code(
        &self,
        desk: &str,
        code_prefix: &str,
        code: &str,
        value: &str,
        code_ttl: Duration,
        desk_ttl: Duration,
    ) -> Result<(), StoreError> {
        let _: i64 = redis::Script::new(REPLACE_CODE)
            .key(desk)
            .key(format!("{code_prefix}{code}"))
            .arg(value)
            .arg(millis(code_ttl))
            .arg(millis(desk_ttl))
            .arg(code_prefix)
            .invoke_async(&mut self.con())
            .await
            .map_err(failed)?;
        Ok(())
    }

    pub(super) async fn count(
        &self,
        key: &str,
        now: Millis,
        window: Millis,
    ) -> Result<Counted, StoreError> {
        let (count, since): (u64, Millis) = redis::Script::new(COUNT)
            .key(key)
            .arg(now)
            .arg(window)
            .invoke_async(&mut self.con())
            .await
            .map_err(failed)?;
        Ok(Counted { count, since })
    }

    pub(super) async fn try_lock(
        &self,
        key: &str,
        token: &str,
        lease: Duration,
    ) -> Result<bool, StoreError> {
        let set: Option<String> = redis::cmd("SET")
            .arg(key)
            .arg(token)
            .arg("NX")
            .arg("PX")
            .arg(millis(lease))
            .query_async(&mut self.con())
            .await
            .map_err(failed)?;
        Ok(set.is_some())
    }

    pub(super) async fn unlock(&self, key: &str, token: &str) -> Result<bool, StoreError> {
        let deleted: i64 = redis::Script::new(UNLOCK)
            .key(key)
            .arg(token)
            .invoke_async(&mut self.con())
            .await
            .map_err(failed)?;
        Ok(deleted == 1)
    }

    pub(super) async fn put_indexed(
        &self,
        key: &str,
        value: &str,
        ttl: Duration,
        index: &str,
        id: &str,
        index_ttl: Duration,
    ) -> Result<(), StoreError> {
        let _: i64 = redis::Script::new(PUT_INDEXED)
            .key(key)
            .key(index)
            .arg(value)
            .arg(millis(ttl))
            .arg(id)
            .arg(millis(index_ttl))
            .invoke_async(&mut self.con())
            .await
            .map_err(failed)?;
        Ok(())
    }

    pub(super) async fn expire(&self, key: &str, ttl: Duration) -> Result<bool, StoreError> {
        let ms = i64::try_from(millis(ttl)).unwrap_or(i64::MAX);
        self.con().pexpire(key, ms).await.map_err(failed)
    }

    pub(super) async fn delete_indexed(
        &self,
        key: &str,
        index: &str,
        id: &str,
    ) -> Result<(), StoreError> {
        let _: () = redis::pipe()
            .atomic()
            .del(key)
            .ignore()
            .srem(index, id)
            .ignore()
            .query_async(&mut self.con())
            .await
            .map_err(failed)?;
        Ok(())
    }

    pub(super) async fn end_all(
        &self,
        index: &str,
        session_prefix: &str,
        desk: &str,
        code_prefix: &str,
    ) -> Result<u64, StoreError> {
        redis::Script::new(END_ALL)
            .key(index)
            .key(desk)
            .arg(session_prefix)
            .arg(code_prefix)
            .invoke_async(&mut self.con())
            .await
            .map_err(failed)
    }
}
