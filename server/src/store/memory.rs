//! The in-memory store: one map of expiring entries in this process, each operation done
//! under its lock (so as atomic as Redis's). The default: one server needs nothing more.

use std::collections::{HashMap, HashSet};
use std::sync::Mutex;
use std::time::{Duration, Instant};

use kyc_onboarding::core::time::Millis;

use super::Counted;

/// How often entries past their expiry are swept out (reads skip them meanwhile).
const SWEEP_EVERY: Duration = Duration::from_secs(30);

struct Entry {
    value: Value,
    expires: Instant,
}

enum Value {
    Text(String),
    Counter {
        since: Millis,
        count: u64,
    },
    /// A set of names (a customer's session ids).
    Set(HashSet<String>),
}

/// Every entry, and when they were last swept.
pub struct MemoryStore {
    map: Mutex<Map>,
}

struct Map {
    entries: HashMap<String, Entry>,
    swept: Instant,
}

impl Default for MemoryStore {
    fn default() -> Self {
        MemoryStore {
            map: Mutex::new(Map {
                entries: HashMap::new(),
                swept: Instant::now(),
            }),
        }
    }
}

impl Map {
    /// The live entry at `key` (a dead one is dropped).
    fn live(&mut self, key: &str, now: Instant) -> Option<&mut Entry> {
        if self.entries.get(key).is_some_and(|e| e.expires <= now) {
            self.entries.remove(key);
        }
        self.entries.get_mut(key)
    }

    fn text(&mut self, key: &str, now: Instant) -> Option<String> {
        match self.live(key, now) {
            Some(Entry {
                value: Value::Text(text),
                ..
            }) => Some(text.clone()),
            _ => None,
        }
    }

    fn put(&mut self, key: &str, value: Value, ttl: Duration, now: Instant) {
        let ttl = Duration::from_millis(super::millis(ttl));
        self.entries.insert(
            key.to_owned(),
            Entry {
                value,
                expires: now + ttl,
            },
        );
    }
}

impl MemoryStore {
    fn map(&self) -> (std::sync::MutexGuard<'_, Map>, Instant) {
        let mut map = self.map.lock().unwrap_or_else(|e| e.into_inner());
        let now = Instant::now();
        if now.duration_since(map.swept) >= SWEEP_EVERY {
            map.entries.retain(|_, e| e.expires > now);
            map.swept = now;
        }
        (map, now)
    }

    /// How many entries are kept (dead ones included until the next sweep).
    pub fn len(&self) -> usize {
        self.map().0.entries.len()
    }

    /// Whether nothing is kept.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    pub(super) fn get(&self, key: &str) -> Option<String> {
        let (mut map, now) = self.map();
        map.text(key, now)
    }

    pub(super) fn set(&self, key: &str, value: &str, ttl: Duration) {
        let (mut map, now) = self.map();
        map.put(key, Value::Text(value.to_owned()), ttl, now);
    }

    pub(super) fn take(&self, key: &str) -> Option<String> {
        let (mut map, now) = self.map();
        let text = map.text(key, now);
        map.entries.remove(key);
        text
    }

    pub(super) fn set_unless_present(
        &self,
        key: &str,
        value: &str,
        ttl: Duration,
    ) -> Option<String> {
        let (mut map, now) = self.map();
        if let Some(earlier) = map.text(key, now) {
            return Some(earlier);
        }
        map.put(key, Value::Text(value.to_owned()), ttl, now);
        None
    }

    pub(super) fn replace_code(
        &self,
        desk: &str,
        code_prefix: &str,
        code: &str,
        value: &str,
        code_ttl: Duration,
        desk_ttl: Duration,
    ) {
        let (mut map, now) = self.map();
        let previous = map
            .text(desk, now)
            .and_then(|text| serde_json::from_str::<super::HandoffRecord>(&text).ok());
        if let Some(previous) = previous {
            map.entries
                .remove(&format!("{code_prefix}{}", previous.code));
        }
        map.put(
            &format!("{code_prefix}{code}"),
            Value::Text(value.to_owned()),
            code_ttl,
            now,
        );
        map.put(desk, Value::Text(value.to_owned()), desk_ttl, now);
    }

    pub(super) fn count(&self, key: &str, at: Millis, window: Millis) -> Counted {
        let (mut map, now) = self.map();
        if let Some(Entry {
            value: Value::Counter { since, count },
            ..
        }) = map.live(key, now)
        {
            if at < *since + window && at >= *since - window {
                *count += 1;
                return Counted {
                    count: *count,
                    since: *since,
                };
            }
        }
        // A new window, forgotten at its end.
        let ttl = Duration::from_millis(u64::try_from(window).unwrap_or(1));
        map.put(
            key,
            Value::Counter {
                since: at,
                count: 1,
            },
            ttl,
            now,
        );
        Counted {
            count: 1,
            since: at,
        }
    }

    pub(super) fn try_lock(&self, key: &str, token: &str, lease: Duration) -> bool {
        let (mut map, now) = self.map();
        if map.live(key, now).is_some() {
            return false;
        }
        map.put(key, Value::Text(token.to_owned()), lease, now);
        true
    }

    pub(super) fn unlock(&self, key: &str, token: &str) -> bool {
        let (mut map, now) = self.map();
        if map.text(key, now).as_deref() == Some(token) {
            map.entries.remove(key);
            true
        } else {
            false
        }
    }

    /// Keeps a session at `key` for `ttl`, and its id in the customer's set at `index`,
    /// which lasts at least `index_ttl`.
    pub(super) fn put_indexed(
        &self,
        key: &str,
        value: &str,
        ttl: Duration,
        index: &str,
        id: &str,
        index_ttl: Duration,
    ) {
        let (mut map, now) = self.map();
        map.put(key, Value::Text(value.to_owned()), ttl, now);
        let until = now + Duration::from_millis(super::millis(index_ttl));
        match map.live(index, now) {
            Some(Entry {
                value: Value::Set(ids),
                expires,
            }) => {
                ids.insert(id.to_owned());
                *expires = (*expires).max(until);
            }
            _ => {
                let ids = HashSet::from([id.to_owned()]);
                map.put(index, Value::Set(ids), index_ttl, now);
            }
        }
    }

    /// Makes the live entry at `key` last `ttl` from now; whether there was one.
    pub(super) fn expire(&self, key: &str, ttl: Duration) -> bool {
        let (mut map, now) = self.map();
        let ttl = Duration::from_millis(super::millis(ttl));
        match map.live(key, now) {
            Some(entry) => {
                entry.expires = now + ttl;
                true
            }
            None => false,
        }
    }

    /// Forgets the session at `key` and its id in the set at `index`.
    pub(super) fn delete_indexed(&self, key: &str, index: &str, id: &str) {
        let (mut map, now) = self.map();
        map.entries.remove(key);
        if let Some(Entry {
            value: Value::Set(ids),
            ..
        }) = map.live(index, now)
        {
            ids.remove(id);
        }
    }

    /// Forgets every session named in the set at `index` (each at `{session_prefix}{id}`),
    /// the set, the customer's handoff record at `desk` and the code it names; how many
    /// live sessions there were.
    pub(super) fn end_all(
        &self,
        index: &str,
        session_prefix: &str,
        desk: &str,
        code_prefix: &str,
    ) -> u64 {
        let (mut map, now) = self.map();
        let ids = match map.live(index, now) {
            Some(Entry {
                value: Value::Set(ids),
                ..
            }) => std::mem::take(ids),
            _ => HashSet::new(),
        };
        map.entries.remove(index);
        let mut ended = 0;
        for id in ids {
            let key = format!("{session_prefix}{id}");
            if map.live(&key, now).is_some() {
                ended += 1;
            }
            map.entries.remove(&key);
        }
        let handoff = map
            .text(desk, now)
            .and_then(|text| serde_json::from_str::<super::HandoffRecord>(&text).ok());
        if let Some(handoff) = handoff {
            map.entries
                .remove(&format!("{code_prefix}{}", handoff.code));
        }
        map.entries.remove(desk);
        ended
    }
}
