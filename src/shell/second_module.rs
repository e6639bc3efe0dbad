//! The shell's part of the second wasm module: opening Persona's window and making the
//! in-app browser's link, which only a tap on "Start" or on "Open in your browser" reaches.
//! The module also holds the later screens (`ui/later.rs`, its other split point); the
//! shell and the UI enter it each through their own point, so neither names the other.

use super::Shell;
use crate::browser_link::LinkForBrowser;
use crate::core::text::Lang;
use crate::device::PendingCopy;

/// What the shell does in the second module.
pub enum Job {
    /// Open Persona's window for this inquiry.
    OpenPersona {
        shell: Shell,
        inquiry_id: String,
        session_token: Option<String>,
        language: Lang,
    },
    /// Mint the link for the customer's own browser and finish the copy started in the tap.
    MakeLink {
        shell: Shell,
        copying: PendingCopy,
        out: LinkForBrowser,
    },
}

/// The module did not arrive (offline, a dropped request).
type NotLoaded = leptos::wasm_split::SplitLoaderError;

/// The second module's side: everything only it reaches moves into it.
fn perform(job: Job) {
    match job {
        Job::OpenPersona {
            shell,
            inquiry_id,
            session_token,
            language,
        } => {
            // No camera of the rehearsal may be open when Persona asks for its own.
            crate::camera::stop_all();
            shell.launch(&inquiry_id, session_token.as_deref(), language);
        }
        Job::MakeLink {
            shell,
            copying,
            out,
        } => leptos::task::spawn_local(shell.make_link(copying, out)),
    }
}

/// The split point. (Arguments by value: they are passed across modules.)
#[cfg(kyc_split)]
#[leptos::wasm_split::wasm_split(
    later,
    fallible,
    wasm_split_path = ::leptos::wasm_split,
    preload(fetch_module)
)]
fn enter(job: Job) -> Result<(), NotLoaded> {
    perform(job);
    Ok(())
}

#[cfg(not(kyc_split))]
async fn enter(job: Job) -> Result<(), NotLoaded> {
    perform(job);
    Ok(())
}

#[cfg(not(kyc_split))]
async fn fetch_module() -> Result<(), NotLoaded> {
    Ok(())
}

/// Waits for the second module; false when it cannot arrive.
pub async fn fetch() -> bool {
    fetch_module().await.is_ok()
}

/// Does `job` in the second module, which [`fetch`] said is there (so this cannot fail: a
/// module that arrived stays).
pub async fn run(job: Job) {
    let _ = enter(job).await;
}
