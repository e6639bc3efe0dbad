//! "Continue on your phone": a QR code with the one-time link, and the phone's progress as
//! the backend reports it. This device never opens its own capture meanwhile.

use leptos::prelude::*;

use super::{t, ActionButton, Heading};
use crate::core::flow::{HandoffLink, PhoneProgress, Screen, UserAction};
use crate::core::qr::QrCode;
use crate::core::text::Msg;

/// Modules of white border around the code, as the QR specification asks.
const QUIET: usize = 4;

/// The SVG path of a QR code's dark modules, and the drawing's size in modules.
fn qr_path(text: &str) -> Option<(String, usize)> {
    let code = QrCode::encode(text.as_bytes())?;
    Some((code.svg_path(QUIET), code.size() + 2 * QUIET))
}

/// The QR code for `url`, drawn as SVG with an accessible name.
#[component]
pub fn QrCodeImage(
    /// What the code opens.
    url: String,
) -> impl IntoView {
    qr_path(&url).map(|(path, size)| {
        view! {
            <svg
                class="qr"
                role="img"
                aria-label=t(Msg::HandoffQrLabel)
                viewBox=format!("0 0 {size} {size}")
                shape-rendering="crispEdges"
                data-testid="qr"
            >
                <rect width=size height=size fill="#fff" />
                <path d=path fill="#000" />
            </svg>
        }
    })
}

fn progress_text(phone: PhoneProgress) -> Msg {
    match phone {
        PhoneProgress::WaitingForPhone => Msg::PhoneWaiting,
        PhoneProgress::Connected => Msg::PhoneConnected,
        PhoneProgress::InProgress => Msg::PhoneInProgress,
        PhoneProgress::CodeExpired => Msg::PhoneCodeExpired,
    }
}

/// The handoff screen.
#[component]
pub fn HandoffScreen() -> impl IntoView {
    let page = expect_context::<super::Page>();
    let state = Memo::new(move |_| match page.screen.get() {
        Screen::Handoff { link, phone } => (link, phone),
        _ => (None, PhoneProgress::WaitingForPhone),
    });
    let link = Memo::new(move |_| state.with(|(link, _)| link.clone()));
    let phone = move || state.with(|(_, phone)| *phone);
    let origin = web_sys::window()
        .and_then(|w| w.location().origin().ok())
        .unwrap_or_default();
    let copied = RwSignal::new(false);
    // A new code is a new link: it has not been copied yet.
    Effect::new(move |_| {
        link.track();
        copied.set(false);
    });
    view! {
        <section class="screen handoff">
            <Heading text=t(Msg::HandoffTitle) />
            <p class="lead">{t(Msg::HandoffIntro)}</p>
            {move || match link.get() {
                Some(HandoffLink { path, .. }) => {
                    let url = format!("{origin}{path}");
                    let copy_url = url.clone();
                    let copy = move |_| {
                        let url = copy_url.clone();
                        leptos::task::spawn_local(async move {
                            if crate::device::copy(&url).await {
                                copied.set(true);
                            }
                        });
                    };
                    view! {
                        <div class="qr-box">
                            <QrCodeImage url=url.clone() />
                        </div>
                        <p>{t(Msg::HandoffLinkLabel)}</p>
                        <p class="link"><code data-testid="handoff-link">{url}</code></p>
                        <div class="actions">
                            <button type="button" class="button secondary" on:click=copy>
                                {move || t(if copied.get() { Msg::DeviceLinkCopied } else { Msg::DeviceCopyLink })}
                            </button>
                        </div>
                        <p class="small muted">{t(Msg::HandoffOnce)}</p>
                    }
                        .into_any()
                }
                None => view! { <p>{t(Msg::HandoffMaking)}</p> }.into_any(),
            }}
            <p class="status" role="status" aria-live="polite" data-testid="phone-progress">
                {move || t(progress_text(phone()))}
            </p>
            <div class="actions">
                <ActionButton action=UserAction::NewCode label=Msg::NewCode secondary=true />
                <ActionButton action=UserAction::UseThisDevice label=Msg::UseThisDevice secondary=true />
            </div>
        </section>
    }
}
