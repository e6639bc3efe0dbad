//! The warning before a quiet session's idle end, and "Stay here" (WCAG 2.2.1: a time limit
//! is announced at least 20 seconds before it ends and can be extended by a simple action).

use super::*;

const IDLE: Millis = 15 * MINUTE;

/// A fresh page whose session lasts `IDLE` without a request, up to the prep screen.
fn on_prep(h: &mut Harness) -> Vec<Effect> {
    h.send(Event::AppStarted {
        remembered: None,
        handoff: false,
        starting: false,
    });
    h.send(Answer::SessionLoaded {
        customer_guid: CUSTOMER.into(),
        server_ms: None,
        idle_ms: Some(IDLE),
    });
    h.send(Answer::CustomerLoaded(customer("unverified")));
    h.send(Answer::VerificationsListed(vec![]))
}

fn idle_timer(fx: &[Effect]) -> Option<(TimerId, u32)> {
    fx.iter().find_map(|e| match e {
        Effect::StartTimer { id, ms } if *id == TimerId::IdleWarning => Some((*id, *ms)),
        _ => None,
    })
}

#[test]
fn every_request_starts_the_warning_timer_two_minutes_before_the_idle_end() {
    let mut h = Harness::new();
    h.send(Event::AppStarted {
        remembered: None,
        handoff: false,
        starting: false,
    });
    let fx = h.send(Answer::SessionLoaded {
        customer_guid: CUSTOMER.into(),
        server_ms: None,
        idle_ms: Some(IDLE),
    });
    // The customer record's request went with this step: the timer counts from it.
    assert_eq!(fx[0], fetch_customer());
    assert_eq!(
        idle_timer(&fx),
        Some((TimerId::IdleWarning, (IDLE - 2 * MINUTE) as u32))
    );
    // Without the server's idle time, no timer (and no warning) at all.
    let mut quiet = Harness::new();
    quiet.loaded(None, vec![]);
    assert!(!quiet.flow.session_ending());
}

#[test]
fn a_quiet_screen_warns_before_the_end_and_stay_here_renews_the_session() {
    let mut h = Harness::new();
    assert_eq!(on_prep(&mut h), [Effect::Show(Screen::Prep)]);
    assert!(!h.flow.session_ending());
    // Thirteen minutes on the prep screen without a request: the page warns.
    h.advance(IDLE - 2 * MINUTE);
    assert_eq!(h.send(Event::TimerFired(TimerId::IdleWarning)), []);
    assert!(h.flow.session_ending());
    assert_eq!(
        h.flow.screen(),
        Screen::Prep,
        "nothing the customer sees goes"
    );
    // "Stay here": one request renews the session, and nothing else changes.
    let fx = h.send(Event::User(UserAction::StayHere));
    assert_eq!(fx[0], sent(Request::KeepAlive));
    assert!(!h.flow.session_ending());
    let fx = h.send(Answer::SessionLoaded {
        customer_guid: CUSTOMER.into(),
        server_ms: None,
        idle_ms: Some(IDLE),
    });
    assert_eq!(fx, [], "no new look at the customer or the list");
    assert_eq!(h.flow.in_flight(), None);
    assert_eq!(h.flow.screen(), Screen::Prep);
}

#[test]
fn a_timer_from_before_a_later_request_does_not_warn() {
    let mut h = Harness::new();
    on_prep(&mut h);
    // The customer taps Start eleven minutes in: requests go, the session is renewed.
    h.advance(11 * MINUTE);
    h.send(Event::User(UserAction::Start));
    h.send(Failure(
        RequestKind::ListVerifications,
        HttpError::Status {
            status: 400,
            message_code: None,
            retry_after_ms: None,
        },
    ));
    // The first timer runs out two minutes later: the latest request was two minutes ago.
    h.advance(2 * MINUTE);
    h.send(Event::TimerFired(TimerId::IdleWarning));
    assert!(!h.flow.session_ending());
}

#[test]
fn a_short_idle_time_is_warned_of_halfway_at_least_twenty_seconds_ahead() {
    for idle in [MINUTE, 2 * MINUTE, 4 * MINUTE, 15 * MINUTE, HOUR] {
        let before_end = idle - warn_after(idle);
        assert!(before_end >= 20_000, "{idle}: {before_end}");
        assert!(warn_after(idle) >= idle / 2, "{idle}: not too early");
    }
}

#[test]
fn stay_here_while_a_request_is_on_its_way_sends_nothing_more() {
    let mut h = Harness::new();
    on_prep(&mut h);
    h.advance(IDLE - 2 * MINUTE);
    h.send(Event::TimerFired(TimerId::IdleWarning));
    assert!(h.flow.session_ending());
    h.send(Event::User(UserAction::Start));
    assert!(h.flow.in_flight().is_some());
    assert!(!h.flow.session_ending(), "the tap's request renewed it");
    assert_eq!(h.send(Event::User(UserAction::StayHere)), []);
}

#[test]
fn a_session_that_ended_anyway_says_so_after_stay_here() {
    let mut h = Harness::new();
    on_prep(&mut h);
    h.advance(IDLE + MINUTE);
    h.send(Event::TimerFired(TimerId::IdleWarning));
    h.send(Event::User(UserAction::StayHere));
    h.send(Failure(
        RequestKind::KeepAlive,
        HttpError::Status {
            status: 401,
            message_code: Some("unauthenticated".into()),
            retry_after_ms: None,
        },
    ));
    assert_eq!(h.flow.screen(), Screen::SessionEnded);
}
