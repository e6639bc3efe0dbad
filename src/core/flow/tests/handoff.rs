//! The handoff a bystander cannot keep: the code is replaced before it lapses, ended when
//! the customer leaves it, and a phone the customer does not know is ended at once.

use super::*;
use crate::core::http::{call_for, read, Method};

/// A code as the server makes it at `now`: it lapses [`HANDOFF_CODE_LIFETIME`] later.
fn minted(now: Millis, code: &str) -> Answer {
    Answer::HandoffMinted {
        path: format!("/handoff/{code}"),
        expires_ms: Some(now + HANDOFF_CODE_LIFETIME),
        confirm: Some("0427".into()),
    }
}

fn phone_status(code: HandoffCode, phone: Option<&str>) -> Answer {
    Answer::HandoffStatus {
        code,
        verification: None,
        phone: phone.map(str::to_owned),
    }
}

fn waiting_without_code() -> Effect {
    Effect::Show(Screen::Handoff {
        link: None,
        phone: PhoneProgress::WaitingForPhone,
        device: None,
    })
}

/// From the prep screen to a shown code whose first look at the phone is on its way.
fn showing_code(h: &mut Harness) {
    h.loaded(None, vec![]);
    h.send(Event::User(UserAction::ContinueOnPhone));
    let fx = h.send(minted(h.now, "first"));
    assert_eq!(
        fx[..2],
        [
            timer(1, HANDOFF_POLL_MS),
            refresh(HANDOFF_CODE_LIFETIME - HANDOFF_REFRESH_BEFORE)
        ],
        "polled, and replaced half a minute before it lapses"
    );
    assert!(
        matches!(
            h.flow.screen(),
            Screen::Handoff {
                link: Some(HandoffLink { confirm: Some(ref digits), .. }),
                ..
            } if digits == "0427"
        ),
        "the number to compare with the phone's is shown"
    );
    h.advance(2_000);
    assert_eq!(
        h.send(Event::TimerFired(h.last_timer())),
        [sent(Request::FetchHandoffStatus)]
    );
}

#[test]
fn the_shown_code_is_replaced_before_it_lapses_while_no_phone_has_come() {
    let mut h = Harness::new();
    showing_code(&mut h);
    assert_eq!(
        h.send(phone_status(HandoffCode::Active, None)),
        [timer(2, HANDOFF_POLL_MS)]
    );
    // Fired early (an older code's timer): nothing happens.
    assert!(h
        .send(Event::TimerFired(TimerId::HandoffRefresh))
        .is_empty());
    h.advance(HANDOFF_CODE_LIFETIME - HANDOFF_REFRESH_BEFORE - 2_000);
    assert_eq!(
        h.send(Event::TimerFired(TimerId::HandoffRefresh)),
        [sent(Request::MintHandoff), waiting_without_code()],
        "a new code, without the customer doing anything"
    );
    assert!(
        h.send(Event::TimerFired(TimerId::Request(2))).is_empty(),
        "the old code's look is off"
    );
    let fx = h.send(minted(h.now, "second"));
    assert!(fx.contains(&refresh(HANDOFF_CODE_LIFETIME - HANDOFF_REFRESH_BEFORE)));
    // Once a phone has come, its code is not replaced under it.
    h.advance(2_000);
    h.send(Event::TimerFired(h.last_timer()));
    h.send(phone_status(HandoffCode::Used, Some("Chrome on Android")));
    h.advance(HANDOFF_CODE_LIFETIME);
    assert!(h
        .send(Event::TimerFired(TimerId::HandoffRefresh))
        .is_empty());
    assert_eq!(h.flow.in_flight(), None);
}

#[test]
fn a_code_near_the_sessions_end_is_replaced_no_sooner_than_half_a_minute() {
    let mut h = Harness::new();
    h.loaded(None, vec![]);
    h.send(Event::User(UserAction::ContinueOnPhone));
    let fx = h.send(Answer::HandoffMinted {
        path: "/handoff/short".into(),
        expires_ms: Some(h.now + 20_000),
        confirm: None,
    });
    assert!(fx.contains(&refresh(HANDOFF_REFRESH_BEFORE)), "{fx:?}");
}

#[test]
fn leaving_an_unused_code_ends_it_but_not_a_phones() {
    let mut h = Harness::new();
    showing_code(&mut h);
    assert_eq!(
        h.send(Event::User(UserAction::UseThisDevice)),
        [
            Effect::MarkHandoff(false),
            sent(Request::CancelHandoff),
            Effect::Show(Screen::Prep)
        ]
    );
    // The cancel is sent and forgotten: its answer, or its failure, changes nothing.
    let call = call_for(&Request::CancelHandoff);
    assert_eq!(
        (call.kind, call.method, call.path.as_str()),
        (RequestKind::HandoffCancel, Method::Post, "/handoff/cancel")
    );
    assert!(h
        .send(read(RequestKind::HandoffCancel, "").unwrap())
        .is_empty());
    assert!(h.send(failed(RequestKind::HandoffCancel, 503)).is_empty());
    assert!(h
        .send(Event::User(UserAction::ContinueOnPhone))
        .contains(&sent(Request::MintHandoff)));

    // A phone is using the code: taking the verification back here leaves the code be.
    let mut h = Harness::new();
    showing_code(&mut h);
    h.send(phone_status(HandoffCode::Used, Some("Safari on iPhone")));
    let fx = h.send(Event::User(UserAction::UseThisDevice));
    assert!(!fx.contains(&sent(Request::CancelHandoff)), "{fx:?}");
}

#[test]
fn this_isnt_my_phone_ends_the_phone_and_shows_a_new_code() {
    let mut h = Harness::new();
    showing_code(&mut h);
    assert!(
        h.send(Event::User(UserAction::NotMyPhone)).is_empty(),
        "no phone yet"
    );
    assert_eq!(
        h.send(phone_status(HandoffCode::Used, Some("Chrome on Android"))),
        [
            timer(2, HANDOFF_POLL_MS),
            Effect::Show(Screen::Handoff {
                link: Some(HandoffLink {
                    path: "/handoff/first".into(),
                    expires_ms: Some(T0 + HANDOFF_CODE_LIFETIME),
                    confirm: Some("0427".into()),
                }),
                phone: PhoneProgress::Connected,
                device: Some("Chrome on Android".into()),
            })
        ]
    );
    assert_eq!(
        h.send(Event::User(UserAction::NotMyPhone)),
        [sent(Request::RevokeHandoff), waiting_without_code()]
    );
    assert!(
        h.send(Event::User(UserAction::NotMyPhone)).is_empty(),
        "once"
    );
    assert!(h.send(Event::TimerFired(TimerId::Request(2))).is_empty());
    let call = call_for(&Request::RevokeHandoff);
    assert_eq!(
        (call.kind, call.method, call.path.as_str()),
        (RequestKind::HandoffRevoke, Method::Post, "/handoff/revoke")
    );
    // The answer is the new code.
    let body = r#"{"path":"/handoff/second","expires_at":null,"confirm":"5190"}"#;
    let fx = h.send(read(RequestKind::HandoffRevoke, body).unwrap());
    assert!(
        fx.contains(&Effect::Show(Screen::Handoff {
            link: Some(HandoffLink {
                path: "/handoff/second".into(),
                expires_ms: None,
                confirm: Some("5190".into()),
            }),
            phone: PhoneProgress::WaitingForPhone,
            device: None,
        })),
        "{fx:?}"
    );
    h.advance(2_000);
    h.send(Event::TimerFired(h.last_timer()));
    assert!(h
        .send(phone_status(HandoffCode::Active, None))
        .contains(&timer(4, HANDOFF_POLL_MS)));
}

#[test]
fn a_revoke_refused_for_the_session_ends_it_and_a_lost_one_is_said() {
    let mut h = Harness::new();
    showing_code(&mut h);
    h.send(phone_status(HandoffCode::Used, Some("Chrome on Android")));
    h.send(Event::User(UserAction::NotMyPhone));
    assert_eq!(
        h.send(failed(RequestKind::HandoffRevoke, 401)),
        [Effect::Show(Screen::SessionEnded)],
        "and no cancel: that session is over"
    );
    // Not waited out in the background like a look at the phone: the customer is told.
    let mut h = Harness::new();
    showing_code(&mut h);
    h.send(phone_status(HandoffCode::Used, Some("Chrome on Android")));
    h.send(Event::User(UserAction::NotMyPhone));
    for _ in 0..RetryPolicy::HTTP.max_attempts - 1 {
        h.send(failed(RequestKind::HandoffRevoke, 503));
        h.send(Event::TimerFired(h.last_timer()));
    }
    h.send(failed(RequestKind::HandoffRevoke, 503));
    assert_eq!(
        h.flow.screen(),
        Screen::Problem(Problem::Server { status: 503 })
    );
}
