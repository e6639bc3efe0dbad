//! The screens a customer meets only after the first one. In the release build they live in a
//! second wasm module (`wasm_split`): the first screen needs none of their code, so the page
//! downloads less before it is useful, and fetches them while the customer reads the tips.
//! Other builds (tests, a build without the size toolchain) link them in: the same screens,
//! one module.

use leptos::prelude::*;

use super::{t, Heading, LoadingScreen};
use crate::core::flow::Screen;
use crate::core::text::Msg;

/// A screen of the second module.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum Later {
    Capture,
    Handoff,
    Paused,
    Checking,
    Verified,
    Review,
    Retry,
    Support,
    Expired,
    SessionEnded,
}

impl Later {
    /// The second module's screen for `screen`, `None` for the first module's screens.
    pub fn of(screen: &Screen) -> Option<Later> {
        Some(match screen {
            Screen::Capture | Screen::CaptureOnPhone => Later::Capture,
            Screen::Handoff { .. } => Later::Handoff,
            Screen::Paused { .. } => Later::Paused,
            Screen::Checking(_) | Screen::StillChecking => Later::Checking,
            Screen::Verified => Later::Verified,
            Screen::Review { .. } => Later::Review,
            Screen::Retry { .. } => Later::Retry,
            Screen::Rejected { .. } | Screen::ContactSupport { .. } | Screen::Frozen => {
                Later::Support
            }
            Screen::Expired => Later::Expired,
            Screen::SessionEnded => Later::SessionEnded,
            Screen::Loading
            | Screen::Prep
            | Screen::Preparing(_)
            | Screen::StillPreparing
            | Screen::Problem(_) => return None,
        })
    }
}

/// Builds a screen of the second module: the split point. Everything only it reaches moves
/// into that module.
fn build(which: Later) -> AnyView {
    use super::*;
    match which {
        Later::Capture => view! { <CaptureScreen /> }.into_any(),
        Later::Handoff => view! { <HandoffScreen /> }.into_any(),
        Later::Paused => view! { <PausedScreen /> }.into_any(),
        Later::Checking => view! { <CheckingScreen /> }.into_any(),
        Later::Verified => view! { <VerifiedScreen /> }.into_any(),
        Later::Review => view! { <ReviewScreen /> }.into_any(),
        Later::Retry => view! { <RetryScreen /> }.into_any(),
        Later::Support => view! { <SupportScreen /> }.into_any(),
        Later::Expired => view! { <ExpiredScreen /> }.into_any(),
        Later::SessionEnded => view! { <SessionEndedScreen /> }.into_any(),
    }
}

/// The module did not arrive (offline, a dropped request).
type NotLoaded = leptos::wasm_split::SplitLoaderError;

#[cfg(kyc_split)]
#[leptos::wasm_split::wasm_split(
    later,
    fallible,
    wasm_split_path = ::leptos::wasm_split,
    preload(fetch_module)
)]
fn load(which: Later) -> Result<AnyView, NotLoaded> {
    Ok(build(which))
}

#[cfg(not(kyc_split))]
async fn load(which: Later) -> Result<AnyView, NotLoaded> {
    Ok(build(which))
}

#[cfg(not(kyc_split))]
async fn fetch_module() -> Result<(), NotLoaded> {
    Ok(())
}

/// Fetches the second module in the background, so the next screen shows at once. A failure
/// is left for the screen that needs the module to retry and report.
pub fn prefetch() {
    leptos::task::spawn_local(async {
        let _ = fetch_module().await;
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

/// Where the second module stands for a screen that needs it.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Module {
    Loading,
    Ready,
    Missing,
}

/// A screen of the second module: the loading screen until the module is there (at once
/// when [`prefetch`] already fetched it), and a way to try again when it cannot arrive.
#[component]
pub fn LaterScreen(
    /// The screen.
    which: Later,
) -> impl IntoView {
    let module = RwSignal::new(Module::Loading);
    let fetch = move || match now(fetch_module()) {
        Some(result) => module.set(if result.is_ok() {
            Module::Ready
        } else {
            Module::Missing
        }),
        None => leptos::task::spawn_local(async move {
            let ready = fetch_module().await.is_ok();
            module.set(if ready {
                Module::Ready
            } else {
                Module::Missing
            });
        }),
    };
    fetch();
    move || match module.get() {
        Module::Loading => view! { <LoadingScreen /> }.into_any(),
        // Loaded: the call returns at once.
        Module::Ready => match now(load(which)) {
            Some(Ok(screen)) => screen,
            _ => ().into_any(),
        },
        Module::Missing => view! {
            <section class="screen outcome">
                <Heading text=t(Msg::PartMissingTitle) />
                <p class="lead" role="alert">{t(Msg::PartMissingBody)}</p>
                <div class="actions">
                    <button
                        type="button"
                        class="button"
                        on:click=move |_| {
                            module.set(Module::Loading);
                            fetch();
                        }
                    >
                        {t(Msg::TryAgain)}
                    </button>
                </div>
            </section>
        }
        .into_any(),
    }
}
