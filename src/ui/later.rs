//! What a customer needs only after the first screen: the later screens. In the release
//! build they live in a second wasm module (`wasm_split`): the first screen needs none of
//! their code, so the page downloads less before it is useful, and fetches them while the
//! customer reads the tips. Other builds (tests, a build without the size toolchain) link
//! them in: the same code, one module. The shell's part of that module (opening Persona's
//! window, the in-app browser's link) enters it through its own split point
//! (`shell/second_module.rs`).

use leptos::prelude::*;

use super::{t, Heading, LoadingScreen};
use crate::core::flow::Screen;
use crate::core::text::Msg;

/// What the second module is asked to show: a screen of the flow, or one of the two views
/// outside it.
#[derive(Clone, PartialEq, Debug)]
pub enum Later {
    /// A screen of the flow, with what it shows.
    Screen(Screen),
    /// An address that leads nowhere.
    NotFound,
    /// The camera check, in the prep screen's place.
    Rehearsal,
}

/// Builds a view of the second module (reached only through [`answer`], behind the split
/// point): the one switch that hands each screen its own data. Screens whose data changes
/// while they show (a wait, the phone's progress, a review's codes, the camera check's
/// findings) follow the flow themselves; the others are built again when it changes
/// (`ScreenView`).
fn build(which: Later) -> AnyView {
    use super::*;
    let screen = match which {
        Later::Screen(screen) => screen,
        Later::NotFound => return view! { <NotFound /> }.into_any(),
        Later::Rehearsal => return view! { <RehearsalScreen /> }.into_any(),
    };
    match screen {
        // The first module's own: never asked of this one.
        Screen::Loading | Screen::Prep => ().into_any(),
        Screen::BusinessPrep => view! { <BusinessPrepScreen /> }.into_any(),
        Screen::Preparing(_) | Screen::StillPreparing | Screen::SlowWait(_) => {
            view! { <PreparingScreen /> }.into_any()
        }
        Screen::Capture => view! { <CaptureScreen on_phone=false /> }.into_any(),
        Screen::CaptureOnPhone => view! { <CaptureScreen on_phone=true /> }.into_any(),
        Screen::Handoff { .. } => view! { <HandoffScreen /> }.into_any(),
        Screen::Paused { documents } => view! { <PausedScreen asked=documents /> }.into_any(),
        Screen::DocumentRefused { reasons } => {
            view! { <DocumentRefusedScreen codes=reasons /> }.into_any()
        }
        Screen::Checking(_) | Screen::StillChecking => view! { <CheckingScreen /> }.into_any(),
        Screen::Verified => view! { <VerifiedScreen /> }.into_any(),
        Screen::Review { .. } => view! { <ReviewScreen /> }.into_any(),
        Screen::Retry { reasons, tips, .. } => view! { <RetryScreen reasons tips /> }.into_any(),
        screen @ (Screen::Rejected { .. } | Screen::ContactSupport { .. } | Screen::Frozen) => {
            view! { <SupportScreen screen /> }.into_any()
        }
        Screen::Expired(cause) => view! { <ExpiredScreen cause /> }.into_any(),
        Screen::SessionEnded => view! { <SessionEndedScreen /> }.into_any(),
        Screen::Problem(problem) => view! { <ProblemScreen problem /> }.into_any(),
    }
}

/// What the main module asks of the second one.
pub enum Call {
    /// Build a view.
    Screen(Later),
    /// Build the warning that the session is about to end.
    SessionEnding,
    /// Nothing but hand over the English of the later group ([`answer`] does it on every
    /// call): the prep screen's tips.
    Texts,
}

/// What the second module answers.
pub enum Reply {
    Screen(AnyView),
    Done,
}

/// Where the later screens' stylesheet is served (`style/later.css`, copied by trunk).
const STYLESHEET: &str = "/later.css";

/// Links the later screens' stylesheet into the page, once: the first screen's page
/// inlines only what the first screens use (about 0.4 KB gzip less before it shows). The
/// module is entered as soon as it arrives ([`prefetch`]), so the sheet is there before
/// Persona's window or a QR code needs it.
fn link_stylesheet() {
    let page = document();
    if page.get_element_by_id("kyc-later-css").is_some() {
        return;
    }
    if let (Ok(link), Some(head)) = (page.create_element("link"), page.head()) {
        let _ = link.set_attribute("id", "kyc-later-css");
        let _ = link.set_attribute("rel", "stylesheet");
        let _ = link.set_attribute("href", STYLESHEET);
        let _ = head.append_child(&link);
    }
}

/// The second module's side: everything only it reaches moves into it.
fn answer(call: Call) -> Reply {
    if let Some(i18n) = use_context::<crate::language::I18n>() {
        i18n.learn_later_english(Msg::later_en);
    }
    link_stylesheet();
    match call {
        Call::Screen(which) => Reply::Screen(build(which)),
        Call::SessionEnding => Reply::Screen(view! { <super::SessionEndWarning /> }.into_any()),
        Call::Texts => Reply::Done,
    }
}

/// The module did not arrive (offline, a dropped request).
type NotLoaded = leptos::wasm_split::SplitLoaderError;

/// The split point: one for every call, so the loading code is there once. (Arguments by
/// value: they are passed across modules.)
#[cfg(kyc_split)]
#[leptos::wasm_split::wasm_split(
    later,
    fallible,
    wasm_split_path = ::leptos::wasm_split,
    preload(fetch_module)
)]
fn enter(call: Call) -> Result<Reply, NotLoaded> {
    Ok(answer(call))
}

#[cfg(not(kyc_split))]
async fn enter(call: Call) -> Result<Reply, NotLoaded> {
    Ok(answer(call))
}

#[cfg(not(kyc_split))]
async fn fetch_module() -> Result<(), NotLoaded> {
    Ok(())
}

/// Runs `call` in the second module if it is there; `None` when it is not.
pub fn call_now(call: Call) -> Option<Reply> {
    now(enter(call)).and_then(Result::ok)
}

/// Fetches the second module in the background, so the next screen shows at once, and
/// enters it once so the first screen gets the English it carries (the tips inside the
/// prep screen's groups). A failure is left for the screen that needs the module to retry
/// and report.
pub fn prefetch() {
    let owner = Owner::current();
    leptos::task::spawn_local(async move {
        if let (Ok(()), Some(owner)) = (fetch_module().await, owner) {
            owner.with(|| call_now(Call::Texts));
        }
    });
}

/// The result of `future` if it has one without waiting. A fetched module's screen is built
/// at once: no frame of the loading screen, no second focus move.
fn now<F: std::future::Future>(future: F) -> Option<F::Output> {
    let mut context = std::task::Context::from_waker(std::task::Waker::noop());
    match std::pin::pin!(future).poll(&mut context) {
        std::task::Poll::Ready(output) => Some(output),
        std::task::Poll::Pending => None,
    }
}

/// A screen of the second module: the loading screen until the module is there (at once
/// when [`prefetch`] already fetched it), and a way to try again when it cannot arrive.
#[component]
pub fn LaterScreen(
    /// What to show.
    which: Later,
) -> impl IntoView {
    // Two flags, not an enum: signals of `bool` are in the app already (less code).
    let ready = RwSignal::new(false);
    let missing = RwSignal::new(false);
    let settle = move |arrived: bool| {
        if arrived {
            ready.set(true)
        } else {
            missing.set(true)
        }
    };
    let fetch = move || match now(fetch_module()) {
        Some(result) => settle(result.is_ok()),
        None => leptos::task::spawn_local(async move { settle(fetch_module().await.is_ok()) }),
    };
    fetch();
    move || {
        if ready.get() {
            // Loaded: the call returns at once.
            match call_now(Call::Screen(which.clone())) {
                Some(Reply::Screen(screen)) => screen,
                _ => ().into_any(),
            }
        } else if missing.get() {
            view! {
                <section class="screen outcome">
                    <Heading text=t(Msg::PartMissingTitle) />
                    <p class="lead" role="alert">{t(Msg::PartMissingBody)}</p>
                    <div class="actions">
                        <button
                            type="button"
                            class="button"
                            on:click=move |_| {
                                missing.set(false);
                                fetch();
                            }
                        >
                            {t(Msg::TryAgain)}
                        </button>
                    </div>
                </section>
            }
            .into_any()
        } else {
            view! { <LoadingScreen /> }.into_any()
        }
    }
}
