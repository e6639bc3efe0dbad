//! The in-app browser's link for the customer's own browser: a request of the machine like
//! any other, beside the flow's own, and a clipboard write begun inside the tap.

use super::*;

/// A customer on the prep screen (in an in-app browser: the screen offers the link).
fn on_prep() -> Harness {
    let mut h = Harness::new();
    assert_eq!(h.loaded(None, vec![]), [Effect::Show(Screen::Prep)]);
    h
}

fn minted(path: &str) -> Answer {
    Answer::HandoffMinted {
        path: path.into(),
        expires_ms: Some(T0 + 600_000),
        confirm: None,
    }
}

#[test]
fn a_tap_begins_the_copy_then_asks_for_the_link_which_finishes_it() {
    let mut h = on_prep();
    assert_eq!(
        h.send(Event::User(UserAction::LinkForBrowser)),
        [Effect::StartCopy, sent(Request::MintHandoff)],
        "the write begins in the tap, before the link exists"
    );
    let link = BrowserLink {
        path: "/handoff/c0de".into(),
        lang: Lang::En,
    };
    assert_eq!(
        h.send(minted("/handoff/c0de")),
        [Effect::FinishCopy(Some(link.clone()))]
    );
    assert_eq!(
        link.url("https://kyc.example"),
        "https://kyc.example/handoff/c0de"
    );
    assert_eq!(h.send(Event::LinkCopied(true)), []);
    assert_eq!(
        *h.flow.link_for_browser(),
        LinkForBrowser {
            making: None,
            made: Some(link),
            failed: false,
            copied: true,
        }
    );
    assert_eq!(h.flow.screen(), Screen::Prep, "nothing else changes");
}

#[test]
fn taps_wait_for_the_link_being_made() {
    let mut h = on_prep();
    h.send(Event::User(UserAction::LinkForBrowser));
    assert_eq!(
        h.send(Event::User(UserAction::LinkForBrowser)),
        [],
        "a second link would end the first"
    );
    h.send(minted("/handoff/first"));
    assert_eq!(
        h.send(Event::User(UserAction::LinkForBrowser)),
        [Effect::StartCopy, sent(Request::MintHandoff)],
        "once made, a tap makes a fresh one"
    );
    let link = h.flow.link_for_browser();
    assert!(!link.copied, "the fresh one is not on the clipboard yet");
    assert_eq!(
        link.made.as_ref().map(|l| l.path.as_str()),
        Some("/handoff/first")
    );
}

#[test]
fn a_link_that_cannot_be_made_ends_the_copy_with_nothing() {
    let mut h = on_prep();
    h.send(Event::User(UserAction::LinkForBrowser));
    assert_eq!(
        h.send(Failure(RequestKind::Handoff, HttpError::Network)),
        [Effect::FinishCopy(None)],
        "no retry: the customer taps again"
    );
    h.send(Event::LinkCopied(false));
    let link = h.flow.link_for_browser();
    assert!(link.failed && !link.copied && link.made.is_none());
    assert_eq!(
        h.flow.screen(),
        Screen::Prep,
        "the flow's own requests are not affected"
    );
    // Again, once online: the note of the failure goes.
    h.send(Event::User(UserAction::LinkForBrowser));
    assert!(!h.flow.link_for_browser().failed);
}

#[test]
fn the_link_goes_beside_the_flows_own_request_and_each_answer_finds_its_own() {
    let mut h = on_prep();
    h.send(Event::User(UserAction::LinkForBrowser));
    assert_eq!(
        h.send(Event::User(UserAction::Start)),
        [
            list_verifications(),
            Effect::Show(Screen::Preparing(PreparingStage::Looking))
        ],
        "the tap on Start is not held up by the link"
    );
    // The link comes back first, then the list.
    assert_eq!(
        h.send(minted("/handoff/c0de")),
        [Effect::FinishCopy(Some(BrowserLink {
            path: "/handoff/c0de".into(),
            lang: Lang::En,
        }))]
    );
    assert_eq!(
        h.send(Answer::VerificationsListed(vec![])),
        [
            create(),
            Effect::Show(Screen::Preparing(PreparingStage::Creating))
        ]
    );
}

#[test]
fn the_link_opens_in_the_language_of_the_page_when_it_was_made() {
    let mut h = on_prep();
    h.send(Event::Language(Lang::EsMx));
    h.send(Event::User(UserAction::LinkForBrowser));
    h.send(minted("/handoff/c0de"));
    h.send(Event::Language(Lang::FrCa));
    let made = h.flow.link_for_browser().made.clone().expect("made");
    assert_eq!(made.lang, Lang::EsMx, "the copied link stays the one shown");
    assert_eq!(
        made.url("https://kyc.example"),
        "https://kyc.example/handoff/c0de?lang=es-MX"
    );
}
