//! The Leptos shell: one component per screen, each rendering the core's state.

mod address;
mod capture;
mod checking;
mod device_check;
mod expired;
mod handoff;
mod illustrations;
mod loading;
mod not_found;
mod paused;
mod prep;
mod preparing;
mod problem;
mod retry;
mod review;
mod session_ended;
mod support;
mod tips;
mod verified;

use leptos::prelude::*;

use crate::core::failure::FailureCode;
use crate::core::flow::{Screen, UserAction};
use crate::core::text::Msg;
use crate::shell::{Settings, Shell};

pub use address::Address;
pub use capture::CaptureScreen;
pub use checking::CheckingScreen;
pub use device_check::{DeviceCheck, DeviceNotices};
pub use expired::ExpiredScreen;
pub use handoff::{HandoffScreen, QrCodeImage};
pub use loading::LoadingScreen;
pub use not_found::NotFound;
pub use paused::PausedScreen;
pub use prep::PrepScreen;
pub use preparing::PreparingScreen;
pub use problem::ProblemScreen;
pub use retry::RetryScreen;
pub use review::ReviewScreen;
pub use session_ended::SessionEndedScreen;
pub use support::SupportScreen;
pub use tips::TipGroupView;
pub use verified::VerifiedScreen;

/// The text for a message in the page's language.
pub fn t(msg: Msg) -> &'static str {
    msg.en()
}

/// What every screen reads and can do: the flow's current screen, the session's settings,
/// connectivity, and the customer's actions. The app builds it from the [`Shell`]; tests
/// build it from any state they like.
#[derive(Clone, Copy)]
pub struct Page {
    /// The screen to show.
    pub screen: Signal<Screen>,
    /// Settings from the session.
    pub settings: Signal<Settings>,
    /// False while the browser is offline.
    pub online: Signal<bool>,
    /// Sends what the customer did to the flow.
    pub act: Callback<UserAction>,
    /// Starts loading Persona in the background.
    pub preload: Callback<()>,
}

/// The whole app.
#[component]
pub fn App() -> impl IntoView {
    view! { <Flow /> }
}

/// Starts the flow and lays out the page: header, offline banner, the current screen, and
/// the live region that announces screen changes.
#[component]
fn Flow() -> impl IntoView {
    let address = Address::of_page();
    let shell = Shell::new(move |path| address.show(path));
    let page = shell.page();
    provide_context(page);
    shell.start();
    on_cleanup(move || shell.shut_down());
    let sandbox = move || {
        page.settings
            .with(|s| s.environment.as_deref() == Some("sandbox"))
    };
    view! {
        <header class="top">
            <span class="brand">{t(Msg::AppTitle)}</span>
            <Show when=sandbox>
                <span class="badge">{t(Msg::SandboxBadge)}</span>
            </Show>
        </header>
        <Show when=move || !page.online.get()>
            <p class="offline" role="status">{t(Msg::OfflineBanner)}</p>
        </Show>
        <main id="main">
            {move || {
                if address.is_known() {
                    view! { <ScreenView /> }.into_any()
                } else {
                    view! { <NotFound /> }.into_any()
                }
            }}
        </main>
        <Announcer />
    }
}

/// Which component a screen uses (changes of data within a screen do not remount it).
fn kind(screen: &Screen) -> std::mem::Discriminant<Screen> {
    std::mem::discriminant(screen)
}

/// Renders the flow's current screen.
#[component]
pub fn ScreenView() -> impl IntoView {
    let page = expect_context::<Page>();
    let current = Memo::new(move |_| page.screen.with(kind));
    move || {
        let _ = current.get();
        match page.screen.get_untracked() {
            Screen::Loading => view! { <LoadingScreen /> }.into_any(),
            Screen::Prep => view! { <PrepScreen /> }.into_any(),
            Screen::Preparing(_) | Screen::StillPreparing => {
                view! { <PreparingScreen /> }.into_any()
            }
            Screen::Capture | Screen::CaptureOnPhone => view! { <CaptureScreen /> }.into_any(),
            Screen::Handoff { .. } => view! { <HandoffScreen /> }.into_any(),
            Screen::Paused { .. } => view! { <PausedScreen /> }.into_any(),
            Screen::Checking(_) | Screen::StillChecking => view! { <CheckingScreen /> }.into_any(),
            Screen::Verified => view! { <VerifiedScreen /> }.into_any(),
            Screen::Review { .. } => view! { <ReviewScreen /> }.into_any(),
            Screen::Retry { .. } => view! { <RetryScreen /> }.into_any(),
            Screen::Rejected { .. } | Screen::ContactSupport { .. } | Screen::Frozen => {
                view! { <SupportScreen /> }.into_any()
            }
            Screen::Expired => view! { <ExpiredScreen /> }.into_any(),
            Screen::SessionEnded => view! { <SessionEndedScreen /> }.into_any(),
            Screen::Problem(_) => view! { <ProblemScreen /> }.into_any(),
        }
    }
}

/// A screen's `h1`. It takes focus when the screen appears, so keyboard and screen-reader
/// users start at the top of the new screen; `focus = false` leaves focus alone (Persona's
/// window has it).
#[component]
pub fn Heading(
    /// The heading text, reactive.
    #[prop(into)]
    text: Signal<&'static str>,
    /// Move focus to it on mount.
    #[prop(default = true)]
    focus: bool,
) -> impl IntoView {
    let node = NodeRef::<leptos::html::H1>::new();
    Effect::new(move |_| {
        if let Some(h) = node.get() {
            if focus {
                let _ = h.focus();
            }
        }
    });
    view! {
        <h1 tabindex="-1" node_ref=node>
            {move || text.get()}
        </h1>
    }
}

/// Announces the new screen's heading to screen readers when the screen changes.
#[component]
pub fn Announcer() -> impl IntoView {
    let page = expect_context::<Page>();
    let title = Memo::new(move |_| page.screen.with(Screen::title));
    view! {
        <div class="visually-hidden" role="status" aria-live="polite" aria-atomic="true" data-testid="announcer">
            {move || t(Msg::LiveScreen).replace("{title}", t(title.get()))}
        </div>
    }
}

/// A primary button that sends a user action to the flow.
#[component]
pub fn ActionButton(
    /// What the button does.
    action: UserAction,
    /// Its label.
    label: Msg,
    /// Secondary style.
    #[prop(default = false)]
    secondary: bool,
) -> impl IntoView {
    let page = expect_context::<Page>();
    view! {
        <button
            type="button"
            class=if secondary { "button secondary" } else { "button primary" }
            on:click=move |_| page.act.run(action)
        >
            {t(label)}
        </button>
    }
}

/// The distinct plain-words reasons of a list of failure codes.
pub fn reasons(codes: &[FailureCode]) -> Vec<&'static str> {
    let mut texts: Vec<&'static str> = Vec::new();
    for code in codes {
        let text = t(code.info().reason);
        if !texts.contains(&text) {
            texts.push(text);
        }
    }
    texts
}

/// A list of reasons.
#[component]
pub fn ReasonList(
    /// The failure codes.
    codes: Vec<FailureCode>,
) -> impl IntoView {
    let items = reasons(&codes);
    view! {
        <ul class="reasons">
            {items.into_iter().map(|r| view! { <li>{r}</li> }).collect_view()}
        </ul>
    }
}

/// Mounts [`App`] into `#app` (or the body when the page has no such element), replacing the
/// static first paint that `index.html` carries.
pub fn mount() {
    let target = document()
        .get_element_by_id("app")
        .and_then(|el| wasm_bindgen::JsCast::dyn_into::<web_sys::HtmlElement>(el).ok());
    match target {
        Some(el) => {
            el.set_inner_html("");
            leptos::mount::mount_to(el, App).forget()
        }
        None => leptos::mount::mount_to_body(App),
    }
}
