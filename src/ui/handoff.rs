//! "Continue on your phone" (on a phone: "on another device"): a QR code with the one-time link, and the phone's progress as
//! the backend reports it. This device never opens its own capture meanwhile.

use leptos::prelude::*;

use super::{t, ActionButton, Heading};
use crate::core::flow::{handoff_url, HandoffLink, PhoneProgress, Screen, UserAction};
use crate::core::text::{Lang, Msg};

/// The QR code of the customer's unused code, with an accessible name. The server draws it
/// (`GET /handoff/qr.svg`, the same link as the text beside it), so the app carries no QR
/// encoder. `made` (when the code was made, or when it expires) tells one code's picture
/// from the next.
#[component]
pub fn QrCodeImage(
    /// Tells this code from the one before.
    made: i64,
    /// The language its link opens in.
    lang: Lang,
) -> impl IntoView {
    let src = format!(
        "{}/handoff/qr.svg?v={made}&lang={}",
        crate::api::base(),
        lang.tag()
    );
    view! { <img class="qr" src=src alt=t(Msg::HandoffQrLabel) data-testid="qr" /> }
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
        Screen::Handoff { link, phone, .. } => (link, phone),
        _ => (None, PhoneProgress::WaitingForPhone),
    });
    let device = Memo::new(move |_| match page.screen.get() {
        Screen::Handoff { device, .. } => device,
        _ => None,
    });
    let link = Memo::new(move |_| state.with(|(link, _)| link.clone()));
    let phone = move || state.with(|(_, phone)| *phone);
    // After a reload the old link is gone: a new one is on its way only while no phone has
    // used the code (the status line says the rest). A memo of its own: a view that read
    // `link` and `state` both would miss a change of `state` that leaves `link` as it was.
    let making = Memo::new(move |_| {
        state.with(|(link, phone)| link.is_none() && *phone == PhoneProgress::WaitingForPhone)
    });
    let origin = web_sys::window()
        .and_then(|w| w.location().origin().ok())
        .unwrap_or_default();
    // From a phone whose camera or browser is in the way, the other device may be anything.
    let (title, intro) = if super::on_phone() {
        (Msg::ContinueOnAnotherDevice, Msg::HandoffIntroOther)
    } else {
        (Msg::HandoffTitle, Msg::HandoffIntro)
    };
    let copied = RwSignal::new(false);
    // A new code is a new link: it has not been copied yet.
    Effect::new(move |_| {
        link.track();
        copied.set(false);
    });
    view! {
        <section class="screen handoff">
            <Heading text=t(title) />
            <p class="lead">{t(intro)}</p>
            {move || match link.get() {
                Some(HandoffLink { path, expires_ms, confirm }) => {
                    let lang = use_context::<super::I18n>().map_or(Lang::En, |i18n| i18n.lang_now());
                    let url = handoff_url(&origin, &path, lang);
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
                            // A backend that leaves the expiry out: the time it is shown.
                            <QrCodeImage
                                made=expires_ms.unwrap_or_else(|| js_sys::Date::now() as i64)
                                lang=lang
                            />
                        </div>
                        // Compared on the phone's page before its Continue (see the server's
                        // `continue_page`).
                        {confirm.map(|digits| view! {
                            <p>{t(Msg::HandoffConfirm)}</p>
                            <p class="confirm"><strong data-testid="confirm">{digits}</strong></p>
                        })}
                        <p>{t(Msg::HandoffLinkLabel)}</p>
                        <p class="link"><code data-testid="handoff-link">{url}</code></p>
                        <div class="actions">
                            // Its label says when the link is copied: a live region, so a
                            // screen reader hears it too (4.1.3).
                            <button type="button" class="button secondary" aria-live="polite" on:click=copy>
                                {move || t(if copied.get() { Msg::DeviceLinkCopied } else { Msg::DeviceCopyLink })}
                            </button>
                        </div>
                        <p class="small muted">{t(Msg::HandoffOnce)}</p>
                    }
                        .into_any()
                }
                None if making.get() => {
                    view! { <p>{t(Msg::HandoffMaking)}</p> }.into_any()
                }
                None => ().into_any(),
            }}
            <p class="status" role="status" aria-live="polite" data-testid="phone-progress">
                {move || t(progress_text(phone()))}
            </p>
            // Which phone came: one the customer does not know is ended at once.
            {move || device.get().map(|name| view! {
                <p data-testid="phone-device">{name}</p>
            })}
            <div class="actions">
                // A new code would end the one the phone is using.
                {move || match phone() {
                    PhoneProgress::Connected | PhoneProgress::InProgress => view! {
                        <ActionButton action=UserAction::NotMyPhone label=Msg::NotMyPhone secondary=true />
                    }
                    .into_any(),
                    _ => view! {
                        <ActionButton action=UserAction::NewCode label=Msg::NewCode secondary=true />
                    }
                    .into_any(),
                }}
                <ActionButton action=UserAction::UseThisDevice label=Msg::UseThisDevice secondary=true />
            </div>
        </section>
    }
}
