//! The device check on the prep screen: shown only where something is wrong or worth
//! saying. Checks the browser cannot answer are skipped, never blocking.

use leptos::prelude::*;

use super::t;
use crate::core::device::DeviceNotice;
use crate::core::flow::UserAction;
use crate::core::text::Msg;

/// Shows what the device check found: on the prep screen, and on the saved screen the
/// customer comes back to from Persona's window (the shell checks again when it closes),
/// where a camera refused there is the likeliest reason to stop.
#[component]
pub fn DeviceCheck() -> impl IntoView {
    let page = expect_context::<super::Page>();
    let notices = Signal::derive(move || page.device.get().unwrap_or_default());
    view! { <DeviceNotices notices=notices /> }
}

/// The notices themselves (separate so tests can render any set).
#[component]
pub fn DeviceNotices(
    /// What to show.
    #[prop(into)]
    notices: Signal<Vec<DeviceNotice>>,
) -> impl IntoView {
    // A memo and `then`, not `<Show>`: the same, in less code on the first screen.
    let any = Memo::new(move |_| !notices.with(Vec::is_empty));
    move || {
        any.get().then(|| {
            view! {
                <section class="device-check" aria-labelledby="device-check-title">
                    <h2 id="device-check-title">{t(Msg::DeviceCheckTitle)}</h2>
                    {move || {
                        notices
                            .get()
                            .into_iter()
                            .map(|n| view! { <Notice notice=n /> })
                            .collect_view()
                    }}
                </section>
            }
        })
    }
}

/// One notice; the in-app browser one offers a link for the customer's own browser.
#[component]
fn Notice(notice: DeviceNotice) -> impl IntoView {
    let class = if notice.is_warning() {
        "notice warning"
    } else {
        "notice"
    };
    view! {
        <div class=class data-notice=notice.id()>
            <h3>{t(notice.title())}</h3>
            <p>{t(notice.body())}</p>
            {matches!(notice, DeviceNotice::InAppBrowser(_)).then(|| view! { <LinkForOwnBrowser /> })}
        </div>
    }
}

/// "Copy link": a one-time link that opens this verification in the customer's own browser
/// (this page's address would not: the session is in this app's browser). Shown as text, to
/// copy by hand when the browser refuses the clipboard.
#[component]
pub fn LinkForOwnBrowser() -> impl IntoView {
    let page = use_context::<super::Page>();
    let link = move || {
        page.map(|page| page.link_for_browser.get())
            .unwrap_or_default()
    };
    // Each tap makes a fresh link (a link works once, for ten minutes, and a new one ends
    // the one before); the flow makes one at a time.
    let copy = move |_| {
        if let Some(page) = page {
            page.act.run(UserAction::LinkForBrowser);
        }
    };
    let origin = web_sys::window()
        .and_then(|w| w.location().origin().ok())
        .unwrap_or_default();
    let label = move || {
        t(if link().copied {
            Msg::DeviceLinkCopied
        } else {
            Msg::DeviceCopyLink
        })
    };
    // The link in its own element, selected whole by one tap when it has to be copied by hand.
    let status = move || {
        let link = link();
        if link.failed {
            Some(view! { {t(Msg::DeviceLinkFailed)} }.into_any())
        } else {
            let url = link.made?.url(&origin);
            Some(view! { {t(Msg::DeviceLinkLabel)} " " <code>{url}</code> }.into_any())
        }
    };
    view! {
        <button type="button" class="button secondary" on:click=copy>
            {label}
        </button>
        <p class="link-for-browser" role="status">{status}</p>
    }
}
