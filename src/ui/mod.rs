//! The Leptos shell: one component per screen, each rendering the core's state.

mod address;
mod business;
mod capture;
mod checking;
mod device_check;
mod expired;
mod handoff;
mod i18n;
mod illustrations;
pub(crate) mod later;
mod loading;
mod not_found;
mod paused;
mod prep;
mod preparing;
mod problem;
mod rehearsal;
mod retry;
mod review;
mod session_ended;
mod support;
mod tips;
mod verified;

use leptos::prelude::*;

use crate::core::device::DeviceNotice;
use crate::core::failure::FailureCode;
use crate::core::flow::{LinkForBrowser, Screen, UserAction, View};
use crate::core::settings::Settings;
use crate::core::text::Msg;

pub use address::Address;
pub use business::{said, BusinessPrepScreen};
pub use capture::CaptureScreen;
pub use checking::CheckingScreen;
pub use device_check::{DeviceCheck, DeviceNotices};
pub use expired::ExpiredScreen;
pub use handoff::{HandoffScreen, QrCodeImage};
pub use i18n::{t, I18n, LanguageSwitcher};
pub use later::{Later, LaterScreen};
pub use loading::LoadingScreen;
pub use not_found::NotFound;
pub use paused::{DocumentRefusedScreen, PausedScreen};
pub use prep::PrepScreen;
pub use preparing::PreparingScreen;
pub use problem::ProblemScreen;
pub use rehearsal::RehearsalScreen;
pub use retry::RetryScreen;
pub use review::ReviewScreen;
pub use session_ended::{SessionEndWarning, SessionEndedScreen};
pub use support::SupportScreen;
pub use tips::TipGroupView;
pub use verified::VerifiedScreen;

/// What every screen reads and can do: the flow's current screen, the session's settings,
/// connectivity, and the customer's actions. The app builds it from the shell; tests build
/// it from any state they like.
#[derive(Clone, Copy)]
pub struct Page {
    /// The screen to show.
    pub screen: Memo<Screen>,
    /// Settings from the session.
    pub settings: ReadSignal<Settings>,
    /// False while the browser is offline.
    pub online: Signal<bool>,
    /// True while a failed request is about to go again.
    pub retrying: Signal<bool>,
    /// True when the session is about to end for want of a request.
    pub session_ending: Signal<bool>,
    /// Sends what the customer did to the flow.
    pub act: Callback<UserAction>,
    /// Starts loading Persona in the background.
    pub preload: Callback<()>,
    /// What the device check found, `None` while it runs (it starts with the app; the prep
    /// screen waits for it so nothing shifts under the customer's finger).
    pub device: Signal<Option<Vec<crate::core::device::DeviceNotice>>>,
    /// How the one-time link to this verification for the customer's own browser is getting
    /// on (made and copied on `UserAction::LinkForBrowser`).
    pub link_for_browser: Memo<LinkForBrowser>,
    /// True while the camera check shows in the prep screen's place ("Check my camera").
    /// A field here rather than a context of its own: a context's lookup code for one more
    /// type costs the first load about 0.3 KB.
    pub rehearsing: RwSignal<bool>,
    /// The customer is a business (KYB): the later screens speak of the business.
    pub business: Signal<bool>,
}

/// The brand (logo or name), the sandbox badge and the language switcher.
#[component]
pub fn Header() -> impl IntoView {
    let page = expect_context::<Page>();
    let brand = move || {
        let branding = page.settings.with(|s| s.branding.clone());
        match (branding.logo_url, branding.name) {
            (Some(logo), name) => view! {
                <img class="logo" src=logo alt=name.unwrap_or_else(|| t(Msg::AppTitle).to_owned()) />
            }
            .into_any(),
            (None, Some(name)) => view! { <span class="brand">{name}</span> }.into_any(),
            (None, None) => view! { <span class="brand">{t(Msg::AppTitle)}</span> }.into_any(),
        }
    };
    let sandbox = Memo::new(move |_| page.settings.with(|s| s.sandbox));
    view! {
        <header class="top">
            {brand}
            {move || {
                sandbox.get().then(|| view! { <span class="badge sandbox">{t(Msg::SandboxBadge)}</span> })
            }}
            <LanguageSwitcher />
        </header>
    }
}

/// Puts the integrator's colours, radius and font into the page's CSS custom properties.
pub fn apply_branding(branding: &crate::core::branding::Branding) {
    let Some(root) = web_sys::window()
        .and_then(|w| w.document())
        .and_then(|d| d.document_element())
        .and_then(|e| wasm_bindgen::JsCast::dyn_into::<web_sys::HtmlElement>(e).ok())
    else {
        return;
    };
    let style = root.style();
    let radius = branding.radius_px.map(|r| format!("{r}px"));
    for (name, value) in [
        ("--brand-light", branding.primary.as_deref()),
        ("--brand-ink-light", branding.on_primary.as_deref()),
        ("--brand-dark", branding.primary_dark.as_deref()),
        ("--brand-ink-dark", branding.on_primary_dark.as_deref()),
        ("--brand-radius", radius.as_deref()),
        ("--brand-font", branding.font.as_deref()),
    ] {
        let _ = match value {
            Some(v) => style.set_property(name, v),
            None => style.remove_property(name).map(|_| ()),
        };
    }
}

/// A link to the integrator's support, or a sentence saying where to find it. It opens in
/// the whole window, as the return link does: in a frame, many support sites refuse to load,
/// and an app's web view ignores new tabs. What the customer did is kept: a return resumes.
#[component]
pub fn SupportContact() -> impl IntoView {
    let page = expect_context::<Page>();
    move || {
        let branding = page.settings.with(|s| s.branding.clone());
        match branding.support_url {
            Some(url) => view! {
                <p>
                    <a
                        class="button secondary"
                        target="_top"
                        href=url
                        data-testid="support-link"
                    >
                        {branding.support_text.unwrap_or_else(|| t(Msg::SupportLink).to_owned())}
                    </a>
                </p>
            }
            .into_any(),
            None => view! { <p>{t(Msg::SupportDefault)}</p> }.into_any(),
        }
    }
}

/// The way back to the integrator's app, when they set one: "Back to {name}". It leaves a
/// frame for the whole window (a customer embedded in the integrator's page goes back there).
#[component]
pub fn ReturnLink(
    /// Secondary style (where contacting support comes first).
    #[prop(default = false)]
    secondary: bool,
) -> impl IntoView {
    // The session's settings have long arrived when a screen with nothing left to do shows.
    let page = expect_context::<Page>();
    let link = page.settings.with_untracked(|s| {
        s.branding
            .return_link()
            .map(|(url, name)| (url.to_owned(), name.map(str::to_owned)))
    });
    link.map(|(url, name)| {
        let label = match name {
            Some(name) => t(Msg::ReturnToBrand).replace("{name}", &name),
            None => t(Msg::ReturnToApp).to_owned(),
        };
        view! {
            <div class="actions">
                <a
                    class=if secondary { "button secondary" } else { "button primary" }
                    href=url
                    target="_top"
                    data-testid="return-link"
                >
                    {label}
                </a>
            </div>
        }
    })
}

/// What builds the view again when it changes: the screen, or, for a view that shows its
/// screen as it was when built, the screen's data too ([`View::follows_its_screen`]). A wait
/// that turns slow stays the same screen: its heading and status line change in place,
/// announced, and the customer's focus stays where it was.
fn identity(screen: &Screen) -> (std::mem::Discriminant<Screen>, Option<Screen>) {
    match screen {
        Screen::SlowWait(stage) => (std::mem::discriminant(&Screen::Preparing(*stage)), None),
        screen if screen.info().view.follows_its_screen() => (std::mem::discriminant(screen), None),
        screen => (std::mem::discriminant(screen), Some(screen.clone())),
    }
}

/// Renders the flow's current screen.
#[component]
pub fn ScreenView() -> impl IntoView {
    let page = expect_context::<Page>();
    // The prep screen waits for the device check, so its notices never push the tips down
    // under the customer's finger.
    let device_ready = Memo::new(move |_| page.device.with(Option::is_some));
    // Only the prep screen waits for it: when the check ends under any other screen, that
    // screen stays as it is (rebuilt, it would move the customer's focus to its heading).
    let current = Memo::new(move |_| {
        let prep = page
            .screen
            .with(|s| matches!(s, Screen::Prep | Screen::BusinessPrep));
        (page.screen.with(identity), !prep || device_ready.get())
    });
    move || {
        let (_, device_ready) = current.get();
        match page.screen.with_untracked(|screen| screen.info().view) {
            View::Loading => view! { <LoadingScreen /> }.into_any(),
            View::Prep | View::BusinessPrep if !device_ready => {
                view! { <LoadingScreen /> }.into_any()
            }
            // "Check my camera" puts the camera check (second module) in its place.
            View::Prep if !page.rehearsing.get() => view! { <PrepScreen /> }.into_any(),
            View::Prep => view! { <LaterScreen which=Later::Rehearsal /> }.into_any(),
            _ => {
                let which = Later::Screen(page.screen.get_untracked());
                view! { <LaterScreen which /> }.into_any()
            }
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
    // Not when the page is only rendered again in a language just picked: focus stays on
    // the language switcher.
    let picking = use_context::<I18n>().is_some_and(|i18n| i18n.rendering_pick());
    Effect::new(move |_| {
        if let Some(h) = node.get() {
            if focus && !picking {
                let _ = h.focus();
            }
        }
    });
    view! {
        <h1 tabindex="-1" node_ref=node>
            {move || {
                // The tab's title follows: the heading the customer sees (on a phone, the
                // handoff screen's is not the computer's), in the page's language.
                let text = text.get();
                let mut title = text.to_owned();
                title.push_str(" · ");
                title.push_str(t(Msg::AppTitle));
                document().set_title(&title);
                text
            }}
        </h1>
    }
}

/// Whether the device check is done and found no computer.
fn on_phone() -> bool {
    device_found(|notices| !notices.contains(&DeviceNotice::Desktop))
}

/// Whether the device check is done and its notices satisfy `test`.
fn device_found(test: impl Fn(&[DeviceNotice]) -> bool) -> bool {
    use_context::<Page>().is_some_and(|page| {
        page.device
            .with_untracked(|notices| notices.as_deref().is_some_and(&test))
    })
}

/// "Continue on your phone" at a computer; "Continue on another device" on a phone whose
/// camera or browser is in the way. Not on a phone that is fine (nowhere better to go), nor
/// inside another app (its notice has the link for the phone's own browser).
#[component]
pub fn HandoffButton() -> impl IntoView {
    let page = use_context::<Page>();
    move || {
        // Tracked: follows the device check, which runs again when Persona's window closes.
        let label = match page.and_then(|page| page.device.get()).as_deref() {
            Some(notices) if !notices.contains(&DeviceNotice::Desktop) => (!notices
                .iter()
                .any(|n| matches!(n, DeviceNotice::InAppBrowser(_)))
                && notices.iter().any(|n| *n != DeviceNotice::LowBattery))
            .then_some(Msg::ContinueOnAnotherDevice),
            // At a computer, or before the check has answered.
            _ => Some(Msg::ContinueOnPhone),
        };
        // Both ways an `AnyView`, the type the screen switch renders already (for size).
        match label {
            Some(label) => view! {
                <ActionButton action=UserAction::ContinueOnPhone label=label secondary=true />
            }
            .into_any(),
            None => ().into_any(),
        }
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

/// The distinct plain-words reasons of a list of failure codes (a business's in its own words).
pub fn reasons(codes: &[FailureCode]) -> Vec<&'static str> {
    let mut texts: Vec<&'static str> = Vec::new();
    for code in codes {
        let text = said(code.info().reason);
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
