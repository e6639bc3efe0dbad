//! The device check on the prep screen: shown only where something is wrong or worth
//! saying. Checks the browser cannot answer are skipped, never blocking.

use leptos::prelude::*;

use super::t;
use crate::core::device::{assess, DeviceNotice};
use crate::core::text::Msg;

/// Shows what the device check found.
#[component]
pub fn DeviceCheck() -> impl IntoView {
    let page = expect_context::<super::Page>();
    let notices = Signal::derive(move || page.device.get().unwrap_or_default());
    view! { <DeviceNotices notices=notices /> }
}

/// How long the prep screen waits for a browser that is slow to answer the checks; after
/// that it shows without their findings, which appear when (if ever) they arrive.
const PATIENCE: std::time::Duration = std::time::Duration::from_millis(1500);

/// Runs the checks once and returns their findings as a signal: `None` until they are in or
/// [`PATIENCE`] runs out, so a browser that never answers cannot block the customer.
pub fn run_device_check() -> Signal<Option<Vec<DeviceNotice>>> {
    let notices = RwSignal::new(None);
    leptos::task::spawn_local(async move {
        let facts = crate::device::gather().await;
        notices.set(Some(assess(&facts)));
    });
    set_timeout(
        move || {
            if notices.with_untracked(Option::is_none) {
                notices.set(Some(Vec::new()));
            }
        },
        PATIENCE,
    );
    notices.into()
}

/// The notices themselves (separate so tests can render any set).
#[component]
pub fn DeviceNotices(
    /// What to show.
    #[prop(into)]
    notices: Signal<Vec<DeviceNotice>>,
) -> impl IntoView {
    view! {
        <Show when=move || !notices.with(Vec::is_empty)>
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
        </Show>
    }
}

/// One notice; the in-app browser one has a copy-link button.
#[component]
fn Notice(notice: DeviceNotice) -> impl IntoView {
    let copied = RwSignal::new(false);
    let copy = move |_| {
        leptos::task::spawn_local(async move {
            let href = web_sys::window()
                .and_then(|w| w.location().href().ok())
                .unwrap_or_default();
            if crate::device::copy(&href).await {
                copied.set(true);
            }
        });
    };
    let class = if notice.is_warning() {
        "notice warning"
    } else {
        "notice"
    };
    view! {
        <div class=class data-notice=notice.id()>
            <h3>{t(notice.title())}</h3>
            <p>{t(notice.body())}</p>
            {matches!(notice, DeviceNotice::InAppBrowser(_))
                .then(|| {
                    view! {
                        <button type="button" class="button secondary" on:click=copy>
                            {move || t(if copied.get() { Msg::DeviceLinkCopied } else { Msg::DeviceCopyLink })}
                        </button>
                    }
                })}
        </div>
    }
}
