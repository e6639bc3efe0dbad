//! The shell's part of the second wasm module: opening Persona's window, which only a tap on
//! "Start" (or "Continue") reaches. The module also holds the later screens (`ui/later.rs`,
//! its other split point): the shell and the UI each enter it through their own point, so
//! neither names the other, and the module is fetched once for both.

use super::Shell;
use crate::core::text::Lang;

/// Persona's window to open, for this inquiry.
pub struct OpenPersona {
    pub shell: Shell,
    pub inquiry_id: String,
    pub session_token: Option<String>,
    pub language: Lang,
}

/// The module did not arrive (offline, a dropped request).
type NotLoaded = leptos::wasm_split::SplitLoaderError;

/// The second module's side: everything only it reaches moves into it.
fn open(persona: OpenPersona) {
    // No camera of the rehearsal may be open when Persona asks for its own.
    crate::camera::stop_all();
    let OpenPersona {
        shell,
        inquiry_id,
        session_token,
        language,
    } = persona;
    shell.launch(&inquiry_id, session_token.as_deref(), language);
}

/// The split point. (Arguments by value: they are passed across modules.)
#[cfg(kyc_split)]
#[leptos::wasm_split::wasm_split(
    later,
    fallible,
    wasm_split_path = ::leptos::wasm_split,
    preload(fetch_module)
)]
fn enter(persona: OpenPersona) -> Result<(), NotLoaded> {
    open(persona);
    Ok(())
}

#[cfg(not(kyc_split))]
async fn enter(persona: OpenPersona) -> Result<(), NotLoaded> {
    open(persona);
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

/// Opens Persona's window from the second module, which [`fetch`] said is there (so this
/// cannot fail: a module that arrived stays).
pub async fn run(persona: OpenPersona) {
    let _ = enter(persona).await;
}
