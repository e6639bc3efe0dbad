//! The app put together: the shell, which performs the flow's effects, and the UI, which
//! renders its screens, are made and wired here, so that neither names the other.

use leptos::prelude::*;

use crate::core::flow::{Event, Flow};
use crate::core::text::Msg;
use crate::language::I18n;
use crate::shell::Shell;
use crate::ui::{apply_branding, later, t, Address, Header, Later, LaterScreen, Page, ScreenView};

/// The whole app: starts the flow and lays out the page: header (brand, language), offline
/// banner and the current screen. A language switch renders the page again in the new
/// language; the flow itself carries on untouched, and so does the link made for the
/// customer's own browser.
#[component]
pub fn App() -> impl IntoView {
    let i18n = I18n::start();
    provide_context(i18n);
    let address = Address::of_page();
    let shell = Shell::new(move |path| address.show(path), i18n);
    // A branded page carries the settings: the integrator's look from the first screen.
    if let Some(settings) = document()
        .get_element_by_id("kyc-settings")
        .and_then(|block| block.text_content())
    {
        let _ = shell.keep_settings(&settings);
    }
    let page = page(shell);
    provide_context(page);
    // Under an unknown address the page says "not found" and its link loads `/` afresh:
    // the flow (requests, host events, Persona) must not run unseen behind it.
    if address.is_known_now() {
        shell.start();
    }
    on_cleanup(move || shell.shut_down());
    // The integrator's language and brand, once the session brings them.
    Effect::new(move |_| {
        let settings = page.settings.get();
        i18n.configured(settings.language.as_deref());
        apply_branding(&settings.branding);
    });
    // Persona opens in the page's language.
    Effect::new(move |_| shell.set_language(i18n.lang()));
    // The path changes with every screen; whether it is one of ours rarely does. Read
    // directly, the path would rebuild the screen view on every change, beside the view's
    // own update.
    let known = Memo::new(move |_| address.is_known());
    view! {
        {move || {
            let _ = i18n.lang();
            view! {
                <Header />
                {move || {
                    // Offline, or a request failed and goes again: said above every screen
                    // (offline as an alert; a retry, which may come and go, as a status).
                    let (msg, role) = if !page.online.get() {
                        (Msg::OfflineBanner, "alert")
                    } else if page.retrying.get() {
                        (Msg::RetryingBanner, "status")
                    } else {
                        return None;
                    };
                    Some(view! { <p class="offline" role=role>{t(msg)}</p> })
                }}
                // The session is about to end for want of a request (WCAG 2.2.1): said
                // above every screen, with the one press that keeps it.
                {move || {
                    page.session_ending.get().then(|| match later::call_now(later::Call::SessionEnding) {
                        Some(later::Reply::Screen(banner)) => banner,
                        _ => ().into_any(),
                    })
                }}
                <main id="main">
                    {move || {
                        if known.get() {
                            view! { <ScreenView /> }.into_any()
                        } else {
                            view! { <LaterScreen which=Later::NotFound /> }.into_any()
                        }
                    }}
                </main>
            }
        }}
    }
}

/// What the screens read and do, wired to the shell's flow.
fn page(shell: Shell) -> Page {
    let flow = shell.flow();
    let screen = Memo::new(move |_| flow.with(Flow::screen));
    Page {
        screen,
        settings: shell.settings(),
        online: Signal::derive(move || flow.with(Flow::online)),
        retrying: Signal::derive(move || flow.with(Flow::retrying)),
        session_ending: Signal::derive(move || flow.with(Flow::session_ending)),
        act: Callback::new(move |action| shell.dispatch(Event::User(action))),
        preload: Callback::new(move |()| shell.preload_persona()),
        device: shell.device(),
        link_for_browser: Memo::new(move |_| flow.with(|f| f.link_for_browser().clone())),
        rehearsing: RwSignal::new(false),
        business: Signal::derive(move || flow.with(Flow::business)),
    }
}

/// Mounts [`App`] into `#app` (or the body when the page has no such element), replacing the
/// static first paint that `index.html` carries. The page's bootstrap script (`pattern_script`
/// in `Trunk.toml`) starts the wasm only once that paint has reached the screen.
pub fn mount() {
    let target = document()
        .get_element_by_id("app")
        .and_then(|el| wasm_bindgen::JsCast::dyn_into::<web_sys::HtmlElement>(el).ok());
    match target {
        Some(el) => {
            el.set_inner_html("");
            leptos::mount::mount_to(el, App).forget();
        }
        None => leptos::mount::mount_to_body(App),
    }
}
