//! Browser tests: each screen component rendered from a given state in headless Chromium,
//! clicked like a customer would, with the DOM checked after the reactive system settles.
#![cfg(target_arch = "wasm32")]

use kyc_onboarding::core::device::{DeviceNotice, Platform};
use kyc_onboarding::core::document_request::DocumentAsk;
use kyc_onboarding::core::failure::FailureCode;
use kyc_onboarding::core::flow::{
    CheckingStage, ExpiryCause, HandoffLink, LinkForBrowser, PersonaErrorCode, PhoneProgress,
    PreparingStage, Problem, Screen, UserAction,
};
use kyc_onboarding::core::settings::Settings;
use kyc_onboarding::core::text::Msg;
use kyc_onboarding::core::tips::TipGroup;
use kyc_onboarding::ui::{DeviceNotices, NotFound, Page, ScreenView};
use leptos::prelude::*;
use wasm_bindgen::JsCast;
use wasm_bindgen_test::*;

wasm_bindgen_test_configure!(run_in_browser);

/// A screen mounted in its own container, with the actions it sent.
struct Mounted {
    root: web_sys::HtmlElement,
    screen: RwSignal<Screen>,
    settings: RwSignal<Settings>,
    actions: RwSignal<Vec<UserAction>>,
    _handle: Box<dyn std::any::Any>,
}

impl Mounted {
    fn text(&self, selector: &str) -> String {
        self.root
            .query_selector(selector)
            .unwrap()
            .unwrap_or_else(|| panic!("no {selector}"))
            .text_content()
            .unwrap_or_default()
    }

    /// Whether the mounted screen's text includes `text`.
    fn shows(&self, text: &str) -> bool {
        self.root.text_content().unwrap_or_default().contains(text)
    }

    fn count(&self, selector: &str) -> u32 {
        self.root.query_selector_all(selector).unwrap().length()
    }

    fn h1(&self) -> String {
        self.text("h1")
    }

    /// Clicks the button labelled `label`.
    fn click(&self, label: Msg) {
        let buttons = self.root.query_selector_all("button").unwrap();
        for i in 0..buttons.length() {
            let b: web_sys::HtmlElement = buttons.item(i).unwrap().unchecked_into();
            if b.text_content().unwrap_or_default() == label.en() {
                b.click();
                return;
            }
        }
        panic!("no button labelled {:?}", label.en());
    }
}

fn container() -> web_sys::HtmlElement {
    let doc = document();
    let el: web_sys::HtmlElement = doc.create_element("div").unwrap().unchecked_into();
    doc.body().unwrap().append_child(&el).unwrap();
    el
}

/// Mounts the screen view for `screen`, on a device the check found
/// nothing to say about.
fn mount(screen: Screen) -> Mounted {
    mount_on(screen, Vec::new())
}

/// Mounts the screen view for `screen`, on a device with `notices`.
fn mount_on(screen: Screen, notices: Vec<DeviceNotice>) -> Mounted {
    let root = container();
    let screen = RwSignal::new(screen);
    let actions = RwSignal::new(Vec::new());
    let settings = RwSignal::new(Settings {
        sandbox: true,
        ..Settings::default()
    });
    let handle = leptos::mount::mount_to(root.clone(), move || {
        provide_context(Page {
            screen: Memo::new(move |_| screen.get()),
            settings: settings.read_only(),
            online: Signal::derive(|| true),
            retrying: Signal::derive(|| false),
            session_ending: Signal::derive(|| false),
            act: Callback::new(move |a| actions.update(|list| list.push(a))),
            preload: Callback::new(|()| {}),
            device: Signal::derive(move || Some(notices.clone())),
            link_for_browser: Memo::new(|_| LinkForBrowser::default()),
            rehearsing: RwSignal::new(false),
            business: Signal::derive(|| false),
        });
        view! { <ScreenView /> }.into_any()
    });
    Mounted {
        root,
        screen,
        settings,
        actions,
        _handle: Box::new(handle),
    }
}

/// Lets the reactive system run its pending updates (memos, then the views that follow them).
async fn settle() {
    for _ in 0..3 {
        leptos::task::tick().await;
    }
}

#[wasm_bindgen_test]
async fn every_screen_renders_its_heading() {
    let screens = [
        Screen::Loading,
        Screen::Prep,
        Screen::Preparing(PreparingStage::WaitingForInquiry),
        Screen::StillPreparing,
        Screen::Capture,
        Screen::Paused { documents: None },
        Screen::Paused {
            documents: Some(DocumentAsk::Either),
        },
        Screen::DocumentRefused {
            reasons: vec![FailureCode::DocumentQualityCheckFailure],
        },
        Screen::Checking(CheckingStage::Decision),
        Screen::StillChecking,
        Screen::Verified,
        Screen::Review { reasons: vec![] },
        Screen::Retry {
            reasons: vec![],
            tips: vec![TipGroup::IdPhoto],
            camera: None,
        },
        Screen::Rejected { reasons: vec![] },
        Screen::ContactSupport { reasons: vec![] },
        Screen::Frozen,
        Screen::Expired(ExpiryCause::Unclear),
        Screen::Expired(ExpiryCause::Renewal),
        Screen::SlowWait(PreparingStage::OpeningCapture),
        Screen::SessionEnded,
        Screen::Problem(Problem::Network),
    ];
    for screen in screens {
        let m = mount(screen.clone());
        settle().await;
        assert_eq!(m.h1(), screen.title().en(), "{screen:?}");
        assert_eq!(m.count("h1"), 1, "one h1 on {screen:?}");
        assert_eq!(m.h1().trim(), m.h1(), "{screen:?}");
    }
}

#[wasm_bindgen_test]
async fn prep_shows_what_is_needed_the_tips_and_starts() {
    let m = mount(Screen::Prep);
    settle().await;
    assert_eq!(m.count(".needs li"), 4);
    assert_eq!(m.count("details.tip-group"), TipGroup::PREP.len() as u32);
    for (i, group) in TipGroup::PREP.iter().enumerate() {
        let el = m
            .root
            .query_selector_all("details.tip-group")
            .unwrap()
            .item(i as u32)
            .unwrap();
        let el: web_sys::Element = el.unchecked_into();
        assert_eq!(el.get_attribute("data-group").as_deref(), Some(group.id()));
        assert!(
            el.query_selector("svg.illustration").unwrap().is_some(),
            "{group:?} has a drawing"
        );
        assert!(!el.has_attribute("open"), "collapsed at first");
    }
    m.click(Msg::PrepStart);
    assert_eq!(m.actions.get_untracked(), [UserAction::Start]);
}

#[wasm_bindgen_test]
async fn preparing_updates_its_status_in_place() {
    let m = mount(Screen::Preparing(PreparingStage::Looking));
    settle().await;
    let status = m
        .root
        .query_selector("[data-testid=progress]")
        .unwrap()
        .unwrap();
    assert_eq!(status.get_attribute("role").as_deref(), Some("status"));
    assert!(m
        .text("[data-testid=progress]")
        .contains(Msg::StageLooking.en()));
    let heading = m.root.query_selector("h1").unwrap().unwrap();
    m.screen.set(Screen::Preparing(PreparingStage::Creating));
    settle().await;
    assert!(m
        .text("[data-testid=progress]")
        .contains(Msg::StageCreating.en()));
    let same = m.root.query_selector("h1").unwrap().unwrap();
    assert!(
        heading.is_same_node(Some(&same)),
        "the screen is not remounted for a new stage"
    );
    m.screen.set(Screen::StillPreparing);
    settle().await;
    assert_eq!(m.h1(), Msg::StillPreparingTitle.en());
    m.click(Msg::KeepWaiting);
    assert_eq!(m.actions.get_untracked(), [UserAction::KeepWaiting]);
    // The live region is on the page, empty, before the tap fills it (a region inserted
    // with its text is often not announced).
    let region = m
        .root
        .query_selector("[data-testid=come-back-later]")
        .unwrap()
        .expect("the live region is there before the tap");
    assert_eq!(region.get_attribute("role").as_deref(), Some("status"));
    assert_eq!(region.text_content().unwrap_or_default(), "");
    m.click(Msg::ComeBackLater);
    settle().await;
    assert_eq!(
        region.text_content().unwrap_or_default(),
        Msg::ComeBackLaterBody.en(),
        "the same region, now filled"
    );
}

#[wasm_bindgen_test]
async fn paused_offers_resume_and_the_tips() {
    let m = mount(Screen::Paused { documents: None });
    settle().await;
    assert!(m.shows(Msg::PausedBody.en()));
    m.click(Msg::Resume);
    m.click(Msg::ReadTipsAgain);
    assert_eq!(
        m.actions.get_untracked(),
        [UserAction::Resume, UserAction::StartOver]
    );
}

#[wasm_bindgen_test]
async fn paused_shows_a_blocked_camera() {
    // Back from Persona's window after refusing the camera there, at a computer.
    let m = mount_on(
        Screen::Paused { documents: None },
        vec![
            DeviceNotice::Desktop,
            DeviceNotice::CameraBlocked(Platform::Desktop),
        ],
    );
    settle().await;
    let shown: Vec<String> = (0..m.count("[data-notice]"))
        .map(|i| {
            m.root
                .query_selector_all("[data-notice]")
                .unwrap()
                .item(i)
                .unwrap()
                .unchecked_into::<web_sys::Element>()
                .get_attribute("data-notice")
                .unwrap()
        })
        .collect();
    assert_eq!(shown, ["desktop", "camera-blocked"], "what the check found");
    m.click(Msg::ContinueOnPhone);
    assert_eq!(m.actions.get_untracked(), [UserAction::ContinueOnPhone]);
}

#[wasm_bindgen_test]
async fn a_document_request_says_what_to_send_and_sends_it() {
    let m = mount(Screen::Paused {
        documents: Some(DocumentAsk::Either),
    });
    settle().await;
    let text = m.root.text_content().unwrap();
    assert!(text.contains(Msg::DocumentsRequestedBody.en()), "{text}");
    assert!(
        text.contains(Msg::TipDocumentKinds.en()),
        "the tips are open: {text}"
    );
    assert!(
        !text.contains(Msg::ReadTipsAgain.en()),
        "the ID tips do not apply"
    );
    m.click(Msg::SendDocument);
    assert_eq!(m.actions.get_untracked(), [UserAction::Resume]);
}

#[wasm_bindgen_test]
async fn a_refused_document_says_why_and_sends_it_again() {
    let m = mount(Screen::DocumentRefused {
        reasons: vec![FailureCode::DocumentQualityCheckFailure],
    });
    settle().await;
    let text = m.root.text_content().unwrap();
    // Seed 001: the document's picture could not be read; how to photograph one follows.
    assert!(text.contains("not clear enough to read"), "{text}");
    assert!(text.contains("four corners"), "{text}");
    m.click(Msg::SendAnotherDocument);
    assert_eq!(m.actions.get_untracked(), [UserAction::SendDocumentAgain]);
}

#[wasm_bindgen_test]
async fn retry_names_the_reasons_and_opens_the_first_tips() {
    let reasons = vec![
        FailureCode::IdQualityCheckFailure,
        FailureCode::IdDoubleSideCheckFailure,
        FailureCode::IdCheckFailure,
    ];
    let m = mount(Screen::Retry {
        reasons,
        tips: vec![TipGroup::IdPhoto, TipGroup::Device],
        camera: None,
    });
    settle().await;
    assert_eq!(m.count(".reasons li"), 3);
    assert_eq!(m.text(".reasons li"), Msg::ReasonIdQuality.en());
    let groups = m.root.query_selector_all("details.tip-group").unwrap();
    assert_eq!(groups.length(), 2);
    let first: web_sys::Element = groups.item(0).unwrap().unchecked_into();
    let second: web_sys::Element = groups.item(1).unwrap().unchecked_into();
    assert!(first.has_attribute("open") && !second.has_attribute("open"));
    assert_eq!(
        first.get_attribute("data-group").as_deref(),
        Some(TipGroup::IdPhoto.id())
    );
    m.click(Msg::TryAgain);
    assert_eq!(m.actions.get_untracked(), [UserAction::Start]);
}

#[wasm_bindgen_test]
async fn retry_after_a_blurry_id_photo_says_what_the_camera_check_found() {
    use kyc_onboarding::core::rehearsal::{Checks, Outcome};
    let screen = |camera| Screen::Retry {
        reasons: vec![FailureCode::IdQualityCheckFailure],
        tips: vec![TipGroup::IdPhoto, TipGroup::Device],
        camera,
    };
    // No check made: the check is offered, nothing is said about one.
    let m = mount(screen(None));
    settle().await;
    assert_eq!(m.count("[data-camera-check]"), 0);
    assert!(m.shows(Msg::CamCheck.en()));
    // A check that found glare on the ID: said again, with what to do.
    let glare = Outcome {
        finished: true,
        id: Checks {
            light: Some(true),
            sharpness: Some(true),
            glare: Some(false),
            resolution: Some(true),
        },
        selfie: Checks::default(),
    };
    let m = mount(screen(Some(glare)));
    settle().await;
    assert!(m
        .text("[data-camera-check] h2")
        .contains(Msg::CamBackTitle.en()));
    assert_eq!(m.text("[data-camera-check] li"), Msg::CamGlare.en());
    assert!(m.shows(Msg::CamBackTry.en()));
    // A check that found nothing wrong says the camera was up to it.
    let fine = Outcome {
        id: Checks {
            glare: Some(true),
            ..glare.id
        },
        ..glare
    };
    let m = mount(screen(Some(fine)));
    settle().await;
    assert!(m
        .text("[data-camera-check]")
        .contains(Msg::CamBackFine.en()));
}

#[wasm_bindgen_test]
async fn review_explains_and_may_mention_documents() {
    let m = mount(Screen::Review {
        reasons: vec![
            FailureCode::AddressCheckFailure,
            FailureCode::NameCheckFailure,
        ],
    });
    settle().await;
    assert_eq!(m.count(".reasons li"), 1, "the same reason once");
    assert!(m.shows(Msg::ReviewDocuments.en()));
    assert_eq!(m.count("button"), 0, "nothing to do");
    let m = mount(Screen::Review {
        reasons: vec![FailureCode::WatchlistCheckFailure],
    });
    settle().await;
    let text = m.root.text_content().unwrap();
    assert!(!text.contains("watchlist"), "AML details are not disclosed");
    assert_eq!(
        (m.count(".reasons"), m.count("h2")),
        (0, 0),
        "no list that would only repeat the heading"
    );
    assert!(!text.contains(Msg::ReviewDocuments.en()));
    let m = mount(Screen::Review {
        reasons: vec![
            FailureCode::WatchlistCheckFailure,
            FailureCode::AddressCheckFailure,
        ],
    });
    settle().await;
    assert_eq!(m.text(".reasons li"), Msg::ReasonRecordsMatch.en());
    assert_eq!(m.count(".reasons li"), 1, "the neutral reason is left out");
}

#[wasm_bindgen_test]
async fn support_screens_show_unknown_codes_honestly_and_no_retry() {
    let m = mount(Screen::ContactSupport {
        reasons: vec![
            FailureCode::Unknown("<b>hologram</b>".into()),
            FailureCode::IdCheckFailure,
        ],
    });
    settle().await;
    assert_eq!(m.count(".codes code"), 1);
    assert_eq!(
        m.text(".codes code"),
        "<b>hologram</b>",
        "shown as text, not markup"
    );
    assert_eq!(m.count(".codes b"), 0);
    let m = mount(Screen::Rejected {
        reasons: vec![FailureCode::SelfieFailure],
    });
    settle().await;
    assert_eq!(m.count("button"), 0);
    assert_eq!(m.count(".codes"), 0, "rejection codes are not listed");
}

#[wasm_bindgen_test]
async fn problems_say_what_happened_and_offer_the_right_action() {
    let m = mount(Screen::Problem(Problem::Server { status: 503 }));
    settle().await;
    let body = Msg::ProblemServerBody.en().replace("{status}", "503");
    let text = m.root.text_content().unwrap();
    assert!(text.contains(&body));
    assert!(
        text.contains(Msg::SupportDefault.en()),
        "the body says to contact support if it keeps happening: the screen says how"
    );
    m.click(Msg::TryAgain);
    assert_eq!(m.actions.get_untracked(), [UserAction::Retry]);
    let m = mount(Screen::Problem(Problem::Persona(
        PersonaErrorCode::ApplicationError,
    )));
    settle().await;
    assert!(m.shows(Msg::PersonaApplicationError.en()));
    m.click(Msg::Resume);
    assert_eq!(
        m.actions.get_untracked(),
        [UserAction::Resume],
        "Persona problems resume, and the button says so"
    );
    let m = mount(Screen::Problem(Problem::Persona(
        PersonaErrorCode::InactiveTemplate,
    )));
    settle().await;
    assert_eq!(m.count("button"), 0, "only support can fix this");
    let m = mount(Screen::Problem(Problem::UnknownCustomerState(
        "<i>paused</i>".into(),
    )));
    settle().await;
    let text = m.root.text_content().unwrap();
    assert!(text.contains(Msg::UnknownCustomerBody.en()));
    assert!(
        !text.contains("paused"),
        "an API value means nothing to the customer"
    );
    assert_eq!(m.count("main i, section i"), 0);
}

#[wasm_bindgen_test]
async fn outcomes_with_a_single_action() {
    let m = mount(Screen::Expired(ExpiryCause::TimeRanOut));
    settle().await;
    m.click(Msg::StartAgain);
    let m2 = mount(Screen::SessionEnded);
    settle().await;
    m2.click(Msg::CheckAgain);
    assert_eq!(m.actions.get_untracked(), [UserAction::Start]);
    assert_eq!(m2.actions.get_untracked(), [UserAction::Retry]);
    let m3 = mount(Screen::Verified);
    settle().await;
    assert_eq!(m3.count("button"), 0);
}

#[wasm_bindgen_test]
async fn a_new_screens_heading_takes_focus_except_under_personas_window() {
    let m = mount(Screen::Checking(CheckingStage::Decision));
    settle().await;
    let focused = || document().active_element().unwrap();
    assert_eq!(focused().tag_name(), "H1");
    // Under Persona's window (which has focus, the app being inert) the heading leaves
    // focus alone.
    let outside = document().create_element("button").unwrap();
    document().body().unwrap().append_child(&outside).unwrap();
    outside
        .unchecked_ref::<web_sys::HtmlElement>()
        .focus()
        .unwrap();
    m.screen.set(Screen::Capture);
    settle().await;
    assert_eq!(m.h1(), Msg::CaptureTitle.en());
    assert_eq!(focused(), outside, "focus stays where it was");
    // The next screen's heading takes it, so a screen reader reads where the customer is.
    m.screen.set(Screen::Verified);
    settle().await;
    assert_eq!(m.h1(), Msg::VerifiedTitle.en());
    assert_eq!(focused().tag_name(), "H1", "focus moves to the new heading");
    outside.remove();
}

#[wasm_bindgen_test]
async fn device_notices_render_only_what_was_found() {
    let root = container();
    let notices = RwSignal::new(Vec::<DeviceNotice>::new());
    let _h = leptos::mount::mount_to(
        root.clone(),
        move || view! { <DeviceNotices notices=notices /> },
    );
    settle().await;
    assert_eq!(root.query_selector_all(".notice").unwrap().length(), 0);
    assert!(
        root.query_selector(".device-check").unwrap().is_none(),
        "nothing to say, nothing shown"
    );
    notices.set(vec![
        DeviceNotice::InAppBrowser(Platform::Ios),
        DeviceNotice::Desktop,
    ]);
    settle().await;
    assert_eq!(root.query_selector_all(".notice").unwrap().length(), 2);
    let in_app = root
        .query_selector("[data-notice=in-app-browser]")
        .unwrap()
        .unwrap();
    assert!(in_app.class_list().contains("warning"));
    assert!(in_app
        .text_content()
        .unwrap()
        .contains(Msg::DeviceInAppIos.en()));
    assert!(
        in_app.query_selector("button").unwrap().is_some(),
        "a copy-link button"
    );
}

#[wasm_bindgen_test]
async fn unknown_routes_show_a_way_back() {
    let root = container();
    let _h = leptos::mount::mount_to(root.clone(), NotFound);
    settle().await;
    assert_eq!(
        root.query_selector("h1")
            .unwrap()
            .unwrap()
            .text_content()
            .unwrap(),
        Msg::NotFoundTitle.en()
    );
    let link = root.query_selector("a").unwrap().unwrap();
    assert_eq!(link.get_attribute("href").as_deref(), Some("/"));
}

#[wasm_bindgen_test]
async fn handoff_shows_the_code_the_link_and_the_phone_progress() {
    let m = mount(Screen::Handoff {
        link: None,
        phone: PhoneProgress::WaitingForPhone,
        device: None,
    });
    settle().await;
    assert_eq!(m.count(".qr"), 0, "no code yet");
    assert!(m.shows(Msg::HandoffMaking.en()));
    m.screen.set(Screen::Handoff {
        link: Some(HandoffLink {
            path: "/handoff/c0de".into(),
            expires_ms: Some(600_000),
            confirm: Some("0427".into()),
        }),
        phone: PhoneProgress::WaitingForPhone,
        device: None,
    });
    settle().await;
    // Drawn by the server for this code (the time it expires tells it from the next).
    let qr = m.root.query_selector("img.qr").unwrap().expect("a QR code");
    assert_eq!(
        qr.get_attribute("alt").as_deref(),
        Some(Msg::HandoffQrLabel.en())
    );
    assert_eq!(
        qr.get_attribute("src").as_deref(),
        Some("/handoff/qr.svg?v=600000&lang=en")
    );
    let origin = web_sys::window().unwrap().location().origin().unwrap();
    assert_eq!(
        m.text("[data-testid=handoff-link]"),
        format!("{origin}/handoff/c0de")
    );
    assert_eq!(
        m.text("[data-testid=phone-progress]"),
        Msg::PhoneWaiting.en()
    );
    assert_eq!(
        m.text("[data-testid=confirm]"),
        "0427",
        "the number to compare"
    );
    m.click(Msg::UseThisDevice);
    m.screen.set(Screen::Handoff {
        link: Some(HandoffLink {
            path: "/handoff/c0de".into(),
            expires_ms: None,
            confirm: None,
        }),
        phone: PhoneProgress::InProgress,
        device: Some("Connected: Chrome on Android".into()),
    });
    settle().await;
    assert_eq!(
        m.text("[data-testid=phone-progress]"),
        Msg::PhoneInProgress.en()
    );
    let labels: Vec<String> = (0..m.count("button"))
        .map(|i| {
            m.root
                .query_selector_all("button")
                .unwrap()
                .item(i)
                .unwrap()
                .text_content()
                .unwrap()
        })
        .collect();
    assert!(
        labels.contains(&Msg::UseThisDevice.en().to_owned()),
        "this device can take it back even while the phone works (a phone gone quiet)"
    );
    assert!(
        !labels.contains(&Msg::NewCode.en().to_owned()),
        "no new code while the phone uses this one"
    );
    assert!(labels.contains(&Msg::NotMyPhone.en().to_owned()));
    assert_eq!(
        m.text("[data-testid=phone-device]"),
        "Connected: Chrome on Android"
    );
    // Reloaded while the phone works: the link is gone and no new one is being made.
    m.screen.set(Screen::Handoff {
        link: None,
        phone: PhoneProgress::WaitingForPhone,
        device: None,
    });
    settle().await;
    assert!(m.shows(Msg::HandoffMaking.en()));
    m.screen.set(Screen::Handoff {
        link: None,
        phone: PhoneProgress::InProgress,
        device: None,
    });
    settle().await;
    assert!(
        !m.shows(Msg::HandoffMaking.en()),
        "{}",
        m.root.text_content().unwrap()
    );
    // Its code lapsed: a new one can be made.
    m.screen.set(Screen::Handoff {
        link: None,
        phone: PhoneProgress::CodeExpired,
        device: None,
    });
    settle().await;
    m.click(Msg::NewCode);
    assert_eq!(
        m.actions.get_untracked(),
        [UserAction::UseThisDevice, UserAction::NewCode]
    );
}

#[wasm_bindgen_test]
async fn inside_another_app_starting_here_is_not_the_main_button() {
    let start_class = |m: &Mounted| {
        let buttons = m.root.query_selector_all(".actions button").unwrap();
        (0..buttons.length())
            .map(|i| {
                buttons
                    .item(i)
                    .unwrap()
                    .unchecked_into::<web_sys::Element>()
            })
            .find(|b| b.text_content().unwrap_or_default() == Msg::PrepStart.en())
            .expect("a start button")
            .class_name()
    };
    let m = mount(Screen::Prep);
    settle().await;
    assert!(start_class(&m).contains("primary"), "{}", start_class(&m));
    let m = mount_on(
        Screen::Prep,
        vec![DeviceNotice::InAppBrowser(Platform::Android)],
    );
    settle().await;
    assert!(start_class(&m).contains("secondary"), "{}", start_class(&m));
    m.click(Msg::PrepStart);
    assert_eq!(
        m.actions.get_untracked(),
        [UserAction::Start],
        "still there for who wants to try"
    );
}

#[wasm_bindgen_test]
async fn the_session_ended_screen_points_back_to_the_app() {
    let m = mount(Screen::SessionEnded);
    settle().await;
    let button = m.root.query_selector(".actions button").unwrap().unwrap();
    assert_eq!(button.text_content().unwrap(), Msg::CheckAgain.en());
    assert!(
        button.class_name().contains("secondary"),
        "the body's advice (go back to the app) is the main way on"
    );
}

/// The screen's link back to the integrator's app.
fn return_link(m: &Mounted) -> web_sys::Element {
    m.root
        .query_selector("[data-testid=return-link]")
        .unwrap()
        .expect("a way back")
}

#[wasm_bindgen_test]
async fn where_nothing_is_left_to_do_a_way_back_to_the_integrator() {
    let m = mount(Screen::Verified);
    settle().await;
    assert_eq!(
        m.count("[data-testid=return-link]"),
        0,
        "none unless configured"
    );
    m.settings.update(|s| {
        s.branding.return_url = Some("acmebank://kyc/done".into());
        s.branding.name = Some("Acme Bank".into());
    });
    m.screen.set(Screen::Review {
        reasons: Vec::new(),
    });
    settle().await;
    let link = return_link(&m);
    assert_eq!(
        link.text_content().unwrap(),
        Msg::ReturnToBrand.en().replace("{name}", "Acme Bank")
    );
    assert_eq!(
        link.get_attribute("href").as_deref(),
        Some("acmebank://kyc/done")
    );
    assert_eq!(link.get_attribute("target").as_deref(), Some("_top"));
    assert!(link.class_name().contains("primary"));

    // Without a brand name, the app; on the support screens, after contacting support.
    m.settings.update(|s| s.branding.name = None);
    m.screen.set(Screen::Rejected {
        reasons: vec![FailureCode::SelfieFailure],
    });
    settle().await;
    let link = return_link(&m);
    assert_eq!(link.text_content().unwrap(), Msg::ReturnToApp.en());
    assert!(link.class_name().contains("secondary"));
    for screen in [
        Screen::Review {
            reasons: Vec::new(),
        },
        Screen::SessionEnded,
    ] {
        m.screen.set(screen.clone());
        settle().await;
        assert_eq!(m.count("[data-testid=return-link]"), 1, "{screen:?}");
    }
}

#[wasm_bindgen_test]
async fn at_a_computer_a_retry_or_an_expiry_can_move_to_the_phone() {
    // The retry's first tips may say a phone camera does better than a webcam.
    for screen in [
        Screen::Retry {
            reasons: vec![FailureCode::IdQualityCheckFailure],
            tips: vec![TipGroup::IdPhoto, TipGroup::Device],
            camera: None,
        },
        Screen::Expired(ExpiryCause::IdExpired),
    ] {
        let m = mount_on(screen, vec![DeviceNotice::Desktop]);
        settle().await;
        m.click(Msg::ContinueOnPhone);
        assert_eq!(m.actions.get_untracked(), [UserAction::ContinueOnPhone]);
    }
}

#[wasm_bindgen_test]
async fn a_screen_shown_as_it_was_built_is_built_again_when_its_data_changes() {
    // A document asked for, then the review's codes say which one.
    let m = mount(Screen::Paused {
        documents: Some(DocumentAsk::Either),
    });
    settle().await;
    assert!(m.shows(DocumentAsk::Either.body().en()));
    m.screen.set(Screen::Paused {
        documents: Some(DocumentAsk::BankStatement),
    });
    settle().await;
    assert!(
        m.shows(DocumentAsk::BankStatement.body().en()),
        "the screen says the document now asked for"
    );
    assert!(!m.shows(DocumentAsk::Either.body().en()));
    // One problem after another.
    m.screen.set(Screen::Problem(Problem::Network));
    settle().await;
    assert_eq!(m.h1(), Msg::ProblemNetworkTitle.en());
    m.screen.set(Screen::Problem(Problem::PersonaUnavailable));
    settle().await;
    assert_eq!(m.h1(), Msg::PersonaUnavailableTitle.en());
    assert!(m.shows(Msg::PersonaUnavailableBody.en()));
}
