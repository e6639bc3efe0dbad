//! The state store's contract, run against both kinds: each test below runs once on the
//! in-memory store and once on a real Redis (`KYC_TEST_REDIS_URL`, or a `redis-server` of
//! the test's own). Where it matters, two store instances stand for two replicas: for Redis
//! two connections on one server; in memory one store seen twice (one process).

mod common;

use std::net::IpAddr;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

use axum::http::{header, HeaderMap, HeaderValue};
use common::redis::TestRedis;
use kyc_server::handoff::{CodeState, Handoffs, Refused};
use kyc_server::launch::{sign, LaunchVerifier, Refusal};
use kyc_server::quota::{Quotas, Spend};
use kyc_server::session::{Sessions, CSRF_HEADER};
use kyc_server::store::{HandoffRecord, SessionRecord, Store, StoredToken};
use serde_json::json;

/// Two replicas' views of one store.
struct Replicas {
    a: Store,
    b: Store,
}

fn now_ms() -> i64 {
    kyc_server::clock::now_ms()
}

/// Polls `done` until it holds (at most `within`).
async fn eventually<F, Fut>(within: Duration, what: &str, mut done: F)
where
    F: FnMut() -> Fut,
    Fut: std::future::Future<Output = bool>,
{
    let deadline = Instant::now() + within;
    while Instant::now() < deadline {
        if done().await {
            return;
        }
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    panic!("{what} never happened");
}

/// Each contract function runs on memory and on Redis.
macro_rules! contract {
    ($($name:ident),* $(,)?) => {
        mod on_memory {
            $(
                #[tokio::test]
                async fn $name() {
                    let store = kyc_server::store::Store::memory();
                    super::$name(super::Replicas { a: store.clone(), b: store }).await;
                }
            )*
        }
        mod on_redis {
            $(
                #[tokio::test]
                async fn $name() {
                    let Some(redis) = super::TestRedis::get(stringify!($name)).await else {
                        return;
                    };
                    let replicas = super::Replicas {
                        a: redis.store().await,
                        b: redis.store().await,
                    };
                    super::$name(replicas).await;
                    redis.assert_every_key_expires().await;
                }
            )*
        }
    };
}

contract!(
    the_store_answers,
    sessions_are_kept_for_their_lifetime,
    sessions_and_their_csrf_tokens_work_at_every_replica,
    a_handoff_code_is_redeemed_once_under_concurrency,
    a_new_handoff_code_kills_the_old_one_everywhere,
    failed_handoff_attempts_count_across_replicas,
    a_launch_token_is_spent_at_every_replica,
    quotas_count_across_replicas,
    counters_start_a_new_window_and_expire,
    the_create_lock_is_exclusive_across_replicas,
    the_create_lock_is_released_by_its_owner_only,
    the_create_lock_expires,
    the_bank_token_is_shared_until_it_expires,
    recent_reads_are_shared_and_forgotten,
    a_session_is_renewed_while_used_and_ended_on_logout,
    ending_a_customers_sessions_ends_them_all_and_their_handoff_code,
);

async fn the_store_answers(r: Replicas) {
    r.a.ping().await.unwrap();
    r.b.ping().await.unwrap();
}

async fn sessions_are_kept_for_their_lifetime(r: Replicas) {
    let record = SessionRecord {
        customer_guid: "cust_1".into(),
        csrf_token: "csrf_1".into(),
        expires_ms: now_ms() + 300,
        phone: None,
    };
    r.a.put_session("s_one", &record, Duration::from_millis(300))
        .await
        .unwrap();
    assert_eq!(r.b.session("s_one").await.unwrap(), Some(record.clone()));
    assert_eq!(r.b.session("s_other").await.unwrap(), None);
    eventually(Duration::from_secs(3), "the session ending", || async {
        r.b.session("s_one").await.unwrap().is_none()
    })
    .await;
    // Over before it began: never kept.
    r.a.put_session("s_zero", &record, Duration::ZERO)
        .await
        .unwrap();
    assert_eq!(r.a.session("s_zero").await.unwrap(), None);
}

fn with_cookie(set_cookie: &HeaderValue) -> HeaderMap {
    let pair = set_cookie.to_str().unwrap().split(';').next().unwrap();
    let mut headers = HeaderMap::new();
    headers.insert(header::COOKIE, HeaderValue::from_str(pair).unwrap());
    headers
}

async fn sessions_and_their_csrf_tokens_work_at_every_replica(r: Replicas) {
    let at_a = Sessions::new(r.a.clone(), Duration::from_secs(60), false);
    let at_b = Sessions::new(r.b.clone(), Duration::from_secs(60), false);
    let headers = with_cookie(&at_a.create("cust_1", now_ms()).await.unwrap());
    let session = at_b.require(&headers).await.unwrap();
    assert_eq!(session.customer_guid, "cust_1");
    assert_eq!(
        at_b.require_with_csrf(&headers).await.unwrap_err().status,
        403
    );
    let mut posted = headers.clone();
    posted.insert(
        CSRF_HEADER,
        HeaderValue::from_str(&session.csrf_token).unwrap(),
    );
    assert!(at_b.require_with_csrf(&posted).await.is_ok());
    posted.insert(CSRF_HEADER, HeaderValue::from_static("csrf_wrong"));
    assert_eq!(
        at_a.require_with_csrf(&posted).await.unwrap_err().status,
        403
    );
}

const PHONE: IpAddr = IpAddr::V4(std::net::Ipv4Addr::new(203, 0, 113, 5));

async fn a_handoff_code_is_redeemed_once_under_concurrency(r: Replicas) {
    let a = Arc::new(Handoffs::new(r.a.clone(), 10));
    let b = Arc::new(Handoffs::new(r.b.clone(), 10));
    let now = now_ms();
    let code = a
        .mint("cust_1", Some("iv_1".into()), None, now, now + 3_600_000)
        .await
        .unwrap();
    assert_eq!(
        b.check(&code, PHONE, now).await,
        Ok(()),
        "looking uses nothing"
    );
    let redeems = (0..20).map(|i| {
        let at = if i % 2 == 0 { a.clone() } else { b.clone() };
        let code = code.clone();
        tokio::spawn(async move { at.redeem(&code, PHONE, now).await })
    });
    let outcomes: Vec<_> = futures_util::future::join_all(redeems)
        .await
        .into_iter()
        .map(Result::unwrap)
        .collect();
    let won: Vec<_> = outcomes.iter().filter(|o| o.is_ok()).collect();
    assert_eq!(
        won.len(),
        1,
        "exactly one of 20 redemptions wins: {outcomes:?}"
    );
    assert_eq!(won[0].as_ref().unwrap().customer_guid, "cust_1");
    // The others count as failed attempts of that client, and some meet its limit.
    assert!(outcomes
        .iter()
        .all(|o| matches!(o, Ok(_) | Err(Refused::Invalid | Refused::RateLimited))));
    let (state, bound, _) = a.status("cust_1", now).await.unwrap();
    assert_eq!((state, bound.as_deref()), (CodeState::Used, Some("iv_1")));
    assert_eq!(b.unused("cust_1", now).await.unwrap(), None);
}

async fn a_new_handoff_code_kills_the_old_one_everywhere(r: Replicas) {
    let a = Handoffs::new(r.a.clone(), 10);
    let b = Handoffs::new(r.b.clone(), 10);
    let now = now_ms();
    let old = a
        .mint("cust_1", None, None, now, now + 3_600_000)
        .await
        .unwrap();
    assert_eq!(b.unused("cust_1", now).await.unwrap(), Some(old.clone()));
    let new = b
        .mint("cust_1", None, None, now, now + 3_600_000)
        .await
        .unwrap();
    assert_eq!(a.redeem(&old, PHONE, now).await, Err(Refused::Invalid));
    assert_eq!(a.status("cust_1", now).await.unwrap().0, CodeState::Active);
    assert_eq!(a.unused("cust_1", now).await.unwrap(), Some(new.clone()));
    assert!(a.redeem(&new, PHONE, now).await.is_ok());
    // What the store keeps of a code: its customer, never more (no address).
    let record: HandoffRecord = r.a.handoff_of("cust_1").await.unwrap().unwrap();
    assert_eq!(record.code, new);
}

async fn failed_handoff_attempts_count_across_replicas(r: Replicas) {
    let a = Handoffs::new(r.a.clone(), 3);
    let b = Handoffs::new(r.b.clone(), 3);
    let guesser = IpAddr::V4(std::net::Ipv4Addr::new(198, 51, 100, 77));
    let now = now_ms();
    for at in [&a, &b, &a] {
        assert_eq!(
            at.redeem("guess", guesser, now).await,
            Err(Refused::Invalid)
        );
    }
    assert_eq!(
        b.redeem("guess", guesser, now).await,
        Err(Refused::RateLimited)
    );
    assert_eq!(
        a.check("guess", PHONE, now).await,
        Err(Refused::Invalid),
        "others go on"
    );
    let code = a
        .mint("cust_1", None, None, now, now + 3_600_000)
        .await
        .unwrap();
    assert!(
        b.redeem(&code, guesser, now).await.is_ok(),
        "a valid code always works"
    );
    assert_eq!(
        a.redeem("guess", guesser, now + 60_000).await,
        Err(Refused::Invalid),
        "a new minute"
    );
}

const LAUNCH_SECRET: &[u8] = b"integrator launch secret, 32+ bytes long";

async fn a_launch_token_is_spent_at_every_replica(r: Replicas) {
    let a = LaunchVerifier::new(LAUNCH_SECRET.to_vec(), 0, r.a.clone());
    let b = LaunchVerifier::new(LAUNCH_SECRET.to_vec(), 0, r.b.clone());
    let now = now_ms() / 1000;
    let token = sign(
        LAUNCH_SECRET,
        &json!({"customer_guid": "cust_1", "exp": now + 60}),
    );
    assert_eq!(a.accept(&token, now, PHONE).await, Ok("cust_1".to_owned()));
    assert_eq!(b.accept(&token, now, PHONE).await, Err(Refusal::Replayed));
    assert_eq!(a.accept(&token, now, PHONE).await, Err(Refusal::Replayed));
    // With the second tap allowed: the same address a moment later, at any replica.
    let a = LaunchVerifier::new(LAUNCH_SECRET.to_vec(), 10, r.a.clone());
    let b = LaunchVerifier::new(LAUNCH_SECRET.to_vec(), 10, r.b.clone());
    let token = sign(
        LAUNCH_SECRET,
        &json!({"customer_guid": "cust_2", "exp": now + 61}),
    );
    assert_eq!(a.accept(&token, now, PHONE).await, Ok("cust_2".to_owned()));
    assert_eq!(
        b.accept(&token, now + 1, PHONE).await,
        Ok("cust_2".to_owned())
    );
    let elsewhere = IpAddr::V4(std::net::Ipv4Addr::new(192, 0, 2, 1));
    assert_eq!(
        b.accept(&token, now + 1, elsewhere).await,
        Err(Refusal::Replayed)
    );
    assert_eq!(
        a.accept(&token, now + 10, PHONE).await,
        Err(Refusal::Replayed)
    );
}

async fn quotas_count_across_replicas(r: Replicas) {
    let a = Quotas::new(r.a.clone());
    let b = Quotas::new(r.b.clone());
    let now = now_ms();
    let limit = Spend::Create.limit();
    for i in 0..limit {
        let at = if i % 2 == 0 { &a } else { &b };
        assert_eq!(at.take("cust_1", Spend::Create, now).await.unwrap(), Ok(()));
    }
    assert!(a.take("cust_1", Spend::Create, now).await.unwrap().is_err());
    assert!(b
        .take("cust_1", Spend::Create, now + 1)
        .await
        .unwrap()
        .is_err());
    assert_eq!(b.take("cust_2", Spend::Create, now).await.unwrap(), Ok(()));
    assert_eq!(a.take("cust_1", Spend::Read, now).await.unwrap(), Ok(()));
    let refused = a.charge("cust_1", Spend::Create, now).await.unwrap_err();
    assert_eq!(refused.status, 429);
    assert!(refused.retry_after_s.is_some_and(|s| s > 0));
}

async fn counters_start_a_new_window_and_expire(r: Replicas) {
    let now = now_ms();
    let window = 300;
    let first =
        r.a.charge_quota("cust_1", "test", now, window)
            .await
            .unwrap();
    assert_eq!((first.count, first.since), (1, now));
    let second =
        r.b.charge_quota("cust_1", "test", now + 1, window)
            .await
            .unwrap();
    assert_eq!((second.count, second.since), (2, now));
    let next =
        r.a.charge_quota("cust_1", "test", now + window, window)
            .await
            .unwrap();
    assert_eq!((next.count, next.since), (1, now + window), "a new window");
    // Kept no longer than its window: counted at the same time later, it starts over.
    eventually(Duration::from_secs(3), "the counter expiring", || async {
        let again =
            r.b.charge_quota("cust_1", "test", now + window, window)
                .await
                .unwrap();
        again.count == 1
    })
    .await;
}

async fn the_create_lock_is_exclusive_across_replicas(r: Replicas) {
    let inside = Arc::new(AtomicUsize::new(0));
    let most = Arc::new(AtomicUsize::new(0));
    let tasks = (0..20).map(|i| {
        let store = if i % 2 == 0 { r.a.clone() } else { r.b.clone() };
        let (inside, most) = (inside.clone(), most.clone());
        tokio::spawn(async move {
            let lease = store
                .acquire_create_lock("cust_1", Duration::from_secs(10), Duration::from_secs(10))
                .await
                .unwrap()
                .expect("the lock, in turn");
            let now_inside = inside.fetch_add(1, Ordering::SeqCst) + 1;
            most.fetch_max(now_inside, Ordering::SeqCst);
            tokio::time::sleep(Duration::from_millis(5)).await;
            inside.fetch_sub(1, Ordering::SeqCst);
            assert!(store.release(lease).await.unwrap());
        })
    });
    for task in futures_util::future::join_all(tasks).await {
        task.unwrap();
    }
    assert_eq!(most.load(Ordering::SeqCst), 1, "never two holders at once");
    // Another customer's lock is another lock.
    let one =
        r.a.acquire_create_lock("cust_1", Duration::from_secs(5), Duration::ZERO)
            .await;
    let two =
        r.b.acquire_create_lock("cust_2", Duration::from_secs(5), Duration::ZERO)
            .await;
    assert!(one.unwrap().is_some() && two.unwrap().is_some());
}

async fn the_create_lock_is_released_by_its_owner_only(r: Replicas) {
    let short = Duration::from_millis(200);
    let first =
        r.a.acquire_create_lock("cust_1", short, Duration::ZERO)
            .await
            .unwrap()
            .unwrap();
    assert!(r
        .b
        .acquire_create_lock("cust_1", short, Duration::ZERO)
        .await
        .unwrap()
        .is_none());
    // The first lease runs out; another replica takes the lock...
    let second =
        r.b.acquire_create_lock("cust_1", Duration::from_secs(10), Duration::from_secs(3))
            .await
            .unwrap()
            .expect("the lock once the first lease ended");
    assert!(
        first.remaining().is_zero(),
        "the first holder knows its lease ended"
    );
    // ...and the first holder's late release leaves it alone.
    assert!(!r.a.release(first).await.unwrap());
    assert!(r
        .a
        .acquire_create_lock("cust_1", short, Duration::ZERO)
        .await
        .unwrap()
        .is_none());
    assert!(r.b.release(second).await.unwrap());
    assert!(r
        .a
        .acquire_create_lock("cust_1", short, Duration::ZERO)
        .await
        .unwrap()
        .is_some());
}

async fn the_create_lock_expires(r: Replicas) {
    let lease =
        r.a.acquire_create_lock("cust_1", Duration::from_millis(300), Duration::ZERO)
            .await
            .unwrap()
            .unwrap();
    assert!(lease.remaining() <= Duration::from_millis(300));
    let waited = Instant::now();
    let next =
        r.b.acquire_create_lock("cust_1", Duration::from_secs(1), Duration::from_secs(5))
            .await
            .unwrap();
    assert!(
        next.is_some(),
        "a crashed holder does not block the customer for ever"
    );
    assert!(waited.elapsed() < Duration::from_secs(3));
}

async fn the_bank_token_is_shared_until_it_expires(r: Replicas) {
    let token = StoredToken {
        value: "bank_token_1".into(),
        renew_at_ms: now_ms() + 300,
    };
    assert_eq!(r.b.bank_token("client@id").await.unwrap(), None);
    r.a.put_bank_token("client@id", &token, Duration::from_millis(300))
        .await
        .unwrap();
    assert_eq!(r.b.bank_token("client@id").await.unwrap(), Some(token));
    assert_eq!(r.b.bank_token("other@id").await.unwrap(), None);
    eventually(Duration::from_secs(3), "the token expiring", || async {
        r.b.bank_token("client@id").await.unwrap().is_none()
    })
    .await;
}

async fn recent_reads_are_shared_and_forgotten(r: Replicas) {
    r.a.put_recent_read("cust_1:list", "{\"objects\":[]}", Duration::from_secs(1))
        .await
        .unwrap();
    assert_eq!(
        r.b.recent_read("cust_1:list").await.unwrap().as_deref(),
        Some("{\"objects\":[]}")
    );
    r.b.forget_read("cust_1:list").await.unwrap();
    assert_eq!(r.a.recent_read("cust_1:list").await.unwrap(), None);
    r.a.put_recent_read("cust_1:customer", "{}", Duration::from_millis(200))
        .await
        .unwrap();
    eventually(Duration::from_secs(3), "the read expiring", || async {
        r.b.recent_read("cust_1:customer").await.unwrap().is_none()
    })
    .await;
}

async fn a_session_is_renewed_while_used_and_ended_on_logout(r: Replicas) {
    let record = SessionRecord {
        customer_guid: "cust_idle".into(),
        csrf_token: "csrf".into(),
        expires_ms: now_ms() + 60_000,
        phone: None,
    };
    r.a.put_session("s_idle", &record, Duration::from_millis(300))
        .await
        .unwrap();
    // Renewed at the other replica, before its idle timeout: still there after it.
    for _ in 0..3 {
        tokio::time::sleep(Duration::from_millis(150)).await;
        assert!(r
            .b
            .touch_session("s_idle", Duration::from_millis(300))
            .await
            .unwrap());
    }
    assert_eq!(r.a.session("s_idle").await.unwrap(), Some(record.clone()));
    // Left alone: gone, and a gone session is not brought back by a touch.
    eventually(
        Duration::from_secs(3),
        "the idle session ending",
        || async { r.a.session("s_idle").await.unwrap().is_none() },
    )
    .await;
    assert!(!r
        .b
        .touch_session("s_idle", Duration::from_secs(60))
        .await
        .unwrap());
    assert_eq!(r.a.session("s_idle").await.unwrap(), None);
    // A logout at one replica ends it at every one.
    r.a.put_session("s_out", &record, Duration::from_secs(60))
        .await
        .unwrap();
    r.b.delete_session("s_out", "cust_idle").await.unwrap();
    assert_eq!(r.a.session("s_out").await.unwrap(), None);
    assert_eq!(r.a.end_sessions_of("cust_idle").await.unwrap(), 0);
}

async fn ending_a_customers_sessions_ends_them_all_and_their_handoff_code(r: Replicas) {
    let session = |guid: &str| SessionRecord {
        customer_guid: guid.into(),
        csrf_token: "csrf".into(),
        expires_ms: now_ms() + 60_000,
        phone: None,
    };
    let ttl = Duration::from_secs(60);
    r.a.put_session("s_desk", &session("cust_a"), ttl)
        .await
        .unwrap();
    r.b.put_session("s_phone", &session("cust_a"), ttl)
        .await
        .unwrap();
    r.a.put_session("s_other", &session("cust_b"), ttl)
        .await
        .unwrap();
    let code = HandoffRecord {
        code: "code_a".into(),
        customer_guid: "cust_a".into(),
        session_ends_ms: now_ms() + 60_000,
        verification_guid: None,
        newest_known_ms: None,
        created_ms: now_ms(),
        confirm: String::new(),
    };
    r.a.put_handoff_code(&code, ttl, ttl).await.unwrap();
    let other_code = HandoffRecord {
        code: "code_b".into(),
        customer_guid: "cust_b".into(),
        ..code.clone()
    };
    r.a.put_handoff_code(&other_code, ttl, ttl).await.unwrap();

    assert_eq!(r.b.end_sessions_of("cust_a").await.unwrap(), 2);
    for id in ["s_desk", "s_phone"] {
        assert_eq!(r.a.session(id).await.unwrap(), None, "{id}");
    }
    assert_eq!(r.a.handoff_code("code_a").await.unwrap(), None);
    assert_eq!(r.a.take_handoff_code("code_a").await.unwrap(), None);
    assert_eq!(r.a.handoff_of("cust_a").await.unwrap(), None);
    // Nobody else's.
    assert!(r.a.session("s_other").await.unwrap().is_some());
    assert!(r.a.handoff_code("code_b").await.unwrap().is_some());
    // A session started afterwards is not ended by the earlier call, and a second call
    // finds nothing more to end.
    r.a.put_session("s_new", &session("cust_a"), ttl)
        .await
        .unwrap();
    assert!(r.b.session("s_new").await.unwrap().is_some());
    assert_eq!(r.b.end_sessions_of("cust_a").await.unwrap(), 1);
    assert_eq!(r.b.end_sessions_of("cust_a").await.unwrap(), 0);
}
