//! The shell around the core: holds the flow in a signal, feeds it events, and performs the
//! effects it asks for (HTTP, timers, Persona, storage, navigation). It decides nothing.

use std::cell::{Cell, RefCell};
use std::collections::VecDeque;
use std::rc::Rc;
use std::time::Duration;

use leptos::prelude::*;

use crate::api;
use crate::core::api::{parse, SessionInfo, NO_SESSION_IN_SANDBOX};
use crate::core::flow::{step, Effect, Event, Flow, HttpError, PersonaErrorCode, RequestKind};
use crate::core::http;
use crate::core::settings::Settings;
use crate::core::text::Lang;
use crate::core::text::Msg;
use crate::device::{recheck_device, run_device_check, PendingCopy};
use crate::host;
use crate::language::I18n;
use crate::persona::{self, PersonaClient};

mod second_module;

/// Where the verification this tab follows is remembered, in the tab's session storage: a
/// reload picks it up; a new tab or device finds it in the customer's list instead. Never in
/// local storage, where it would outlive the visit on a shared device. Never a token.
const REMEMBERED_KEY: &str = "kyc-onboarding.verification";
/// Set in this tab's session storage while it follows the customer's phone.
const HANDOFF_KEY: &str = "kyc-onboarding.handoff";
/// Set in this tab's session storage from "Start verification" until a verification is taken
/// up, so a reload in between carries on.
const STARTING_KEY: &str = "kyc-onboarding.starting";

struct Inner {
    api_base: String,
    queue: RefCell<VecDeque<Event>>,
    busy: Cell<bool>,
    /// Sent with POSTs; in memory only.
    csrf: RefCell<Option<String>>,
    persona: RefCell<Option<PersonaClient>>,
    /// The SDK script's load, shared by every launch and the preload.
    sdk: RefCell<Option<js_sys::Promise>>,
    /// How many loads of the SDK this page has started (each retry has its own address).
    sdk_loads: Cell<u32>,
    /// Persona's cache has been warmed (or is being warmed) by this page.
    preloaded: Cell<bool>,
    /// A clipboard write started in a tap, waiting for its text (`Effect::StartCopy`).
    copying: RefCell<Option<PendingCopy>>,
    navigate: Box<dyn Fn(&str)>,
}

/// Handle to the running flow; cheap to copy into components and callbacks.
#[derive(Clone, Copy)]
pub struct Shell {
    flow: RwSignal<Flow>,
    /// What the device check found (run at start, and again when Persona's window closes).
    device: RwSignal<Option<Vec<crate::core::device::DeviceNotice>>>,
    /// The session's settings: read by the screens, written only here.
    settings: (ReadSignal<Settings>, WriteSignal<Settings>),
    i18n: I18n,
    inner: StoredValue<Rc<Inner>, LocalStorage>,
}

fn tab_storage() -> Option<web_sys::Storage> {
    web_sys::window().and_then(|w| w.session_storage().ok().flatten())
}

/// Sets or clears a flag in this tab's session storage (a flag only: no data).
fn mark(key: &str, on: bool) {
    if let Some(s) = tab_storage() {
        let _ = if on {
            s.set_item(key, "1")
        } else {
            s.remove_item(key)
        };
    }
}

fn now() -> i64 {
    js_sys::Date::now() as i64
}

impl Shell {
    /// A shell that navigates with `navigate` (the router's, replacing history entries).
    pub fn new(navigate: impl Fn(&str) + 'static, i18n: I18n) -> Shell {
        Shell {
            flow: RwSignal::new(Flow::new(i18n.lang_now())),
            device: run_device_check(),
            settings: signal(Settings::default()),
            i18n,
            inner: StoredValue::new_local(Rc::new(Inner {
                api_base: api::base(),
                queue: RefCell::new(VecDeque::new()),
                busy: Cell::new(false),
                csrf: RefCell::new(None),
                persona: RefCell::new(None),
                sdk: RefCell::new(None),
                sdk_loads: Cell::new(0),
                preloaded: Cell::new(false),
                copying: RefCell::new(None),
                navigate: Box::new(navigate),
            })),
        }
    }

    /// The flow, for the screens to read: only [`Shell::dispatch`] writes it. (The signal
    /// itself, not a read-only view of it: that view's reading code would be a second copy
    /// in the first load, about 0.4 KB.)
    pub fn flow(&self) -> RwSignal<Flow> {
        self.flow
    }

    /// The session's settings, for the screens to read.
    pub fn settings(&self) -> ReadSignal<Settings> {
        self.settings.0
    }

    /// What the device check found, for the screens to read.
    pub fn device(&self) -> Signal<Option<Vec<crate::core::device::DeviceNotice>>> {
        self.device.into()
    }

    /// Starts the flow: reads the remembered verification, listens for connectivity.
    pub fn start(&self) {
        let remembered = tab_storage().and_then(|s| s.get_item(REMEMBERED_KEY).ok().flatten());
        let shell = *self;
        let online = web_sys::window()
            .map(|w| w.navigator().on_line())
            .unwrap_or(true);
        window_event_listener(leptos::ev::online, move |_| {
            shell.dispatch(Event::Connectivity { online: true })
        });
        window_event_listener(leptos::ev::offline, move |_| {
            shell.dispatch(Event::Connectivity { online: false })
        });
        let marked = |key| {
            tab_storage()
                .and_then(|s| s.get_item(key).ok().flatten())
                .is_some()
        };
        self.dispatch(Event::AppStarted {
            remembered,
            handoff: marked(HANDOFF_KEY),
            starting: marked(STARTING_KEY),
        });
        if !online {
            self.dispatch(Event::Connectivity { online: false });
        }
    }

    /// Feeds an event to the core and performs the effects. Events raised while effects run
    /// wait their turn, so effects always run in the order the core emitted them.
    pub fn dispatch(&self, event: Event) {
        let inner = self.inner.get_value();
        inner.queue.borrow_mut().push_back(event);
        if inner.busy.replace(true) {
            return;
        }
        loop {
            let Some(event) = inner.queue.borrow_mut().pop_front() else {
                break;
            };
            let (next, effects) = step(self.flow.get_untracked(), now(), event);
            self.flow.set(next);
            for effect in effects {
                self.perform(&inner, effect);
            }
        }
        inner.busy.set(false);
    }

    fn perform(&self, inner: &Rc<Inner>, effect: Effect) {
        let shell = *self;
        match effect {
            Effect::Send(id, request) => {
                let call = http::call_for(&request);
                let base = inner.api_base.clone();
                let csrf = inner.csrf.borrow().clone().unwrap_or_default();
                leptos::task::spawn_local(async move {
                    let result = api::exchange(&base, &call, &csrf).await;
                    if call.kind == RequestKind::Session {
                        match &result {
                            Ok(body) => shell.keep_session(body),
                            Err(HttpError::Status {
                                message_code: Some(code),
                                ..
                            }) if code == NO_SESSION_IN_SANDBOX => {
                                shell.settings.1.update(|s| s.sandbox = true)
                            }
                            Err(_) => {}
                        }
                    }
                    shell.dispatch(Event::Answered(id, http::answer(call.kind, result)));
                });
            }
            Effect::StartTimer { id, ms } => {
                set_timeout(
                    move || shell.dispatch(Event::TimerFired(id)),
                    Duration::from_millis(u64::from(ms)),
                );
            }
            Effect::LaunchPersona {
                inquiry_id,
                session_token,
                language,
            } => {
                let sdk = self.sdk();
                let launch = self.flow.with_untracked(Flow::launch_pending);
                leptos::task::spawn_local(async move {
                    let ready = persona::sdk_ready(&sdk).await;
                    if !ready {
                        // At once: the next launch loads the script afresh.
                        shell.forget_sdk(&sdk);
                    }
                    // The code that opens Persona is in the second module (fetched on the
                    // prep screen, so in practice long there).
                    let loaded = ready && second_module::fetch().await;
                    // The script took so long that the flow gave up on this launch (or moved
                    // on): opening Persona now would put it over another screen, and its
                    // failure now must not close a Persona opened since.
                    let current = launch.is_some()
                        && shell.flow.with_untracked(Flow::launch_pending) == launch;
                    if !current {
                        return;
                    }
                    if !loaded {
                        return shell.dispatch(Event::PersonaUnavailable);
                    }
                    second_module::run(second_module::OpenPersona {
                        shell,
                        inquiry_id,
                        session_token: session_token.map(|s| s.0),
                        language,
                    })
                    .await;
                });
            }
            Effect::DestroyPersona => {
                // Deferred: this may run inside one of the client's own callbacks.
                let client = inner.persona.borrow_mut().take();
                persona::mark_open(false);
                match client {
                    Some(client) => leptos::task::spawn_local(async move { client.destroy() }),
                    // Given up before Persona was even made (its script still loading): the
                    // next launch loads the script afresh instead of waiting on a stalled load.
                    None => drop(inner.sdk.borrow_mut().take()),
                }
            }
            Effect::Remember(guid) => {
                if let Some(s) = tab_storage() {
                    let _ = s.set_item(REMEMBERED_KEY, &guid);
                }
            }
            Effect::Forget => {
                if let Some(s) = tab_storage() {
                    let _ = s.remove_item(REMEMBERED_KEY);
                }
            }
            Effect::MarkHandoff(on) => mark(HANDOFF_KEY, on),
            Effect::MarkStarting(on) => mark(STARTING_KEY, on),
            Effect::Notify(event) => {
                let origin = self.settings.0.with_untracked(|s| s.host_origin.clone());
                host::notify(&event, origin.as_deref());
            }
            Effect::Show(screen) => (inner.navigate)(screen.path()),
            Effect::StartCopy => drop(inner.copying.replace(Some(PendingCopy::start()))),
            Effect::FinishCopy(link) => {
                let copying = inner.copying.take();
                let origin = web_sys::window().and_then(|w| w.location().origin().ok());
                let url = link.zip(origin).map(|(link, origin)| link.url(&origin));
                leptos::task::spawn_local(async move {
                    let copied = match copying {
                        Some(copying) => copying.finish(url.as_deref()).await,
                        None => false,
                    };
                    shell.dispatch(Event::LinkCopied(copied));
                });
            }
        }
    }

    /// Keeps what the session's answer says beyond the customer: the CSRF token (in memory
    /// only) and the settings.
    fn keep_session(&self, body: &str) {
        if let Some(csrf) = self.keep_settings(body) {
            *self.inner.get_value().csrf.borrow_mut() = Some(csrf);
        }
    }

    /// Keeps the settings of a session's answer, or of the page (a branded page carries
    /// them, for the app to look like the integrator's from its first screen, even with no
    /// session at all); the answer's CSRF token.
    pub fn keep_settings(&self, body: &str) -> Option<String> {
        let (settings, csrf) = Settings::of(parse::<SessionInfo>(body).ok()?);
        self.settings.1.set(settings);
        Some(csrf)
    }

    /// The SDK's load, started on first use.
    fn sdk(&self) -> js_sys::Promise {
        let inner = self.inner.get_value();
        let mut sdk = inner.sdk.borrow_mut();
        sdk.get_or_insert_with(|| {
            let attempt = inner.sdk_loads.replace(inner.sdk_loads.get() + 1);
            let url = self
                .settings
                .0
                .with_untracked(|s| s.persona.sdk_url_for(attempt));
            persona::load_sdk(&url)
        })
        .clone()
    }

    /// Forgets a failed load of the SDK so the next use loads it afresh, unless a newer
    /// load has taken its place already.
    fn forget_sdk(&self, failed: &js_sys::Promise) {
        let inner = self.inner.get_value();
        let mut sdk = inner.sdk.borrow_mut();
        if sdk
            .as_ref()
            .is_some_and(|current| js_sys::Object::is(current, failed))
        {
            *sdk = None;
        }
    }

    /// Loads the SDK and warms Persona's cache while the customer reads the tips, once per
    /// page (the prep screen mounts again on a language switch or a return to it).
    pub fn preload_persona(&self) {
        let inner = self.inner.get_value();
        if inner.preloaded.replace(true) {
            return;
        }
        let sdk = self.sdk();
        let shell = *self;
        leptos::task::spawn_local(async move {
            if persona::sdk_ready(&sdk).await {
                let host = shell.settings.0.with_untracked(|s| s.persona.host.clone());
                persona::preload(host.as_deref());
            } else {
                // Tried again on the next visit to the prep screen.
                shell.inner.get_value().preloaded.set(false);
                shell.forget_sdk(&sdk);
            }
        });
    }

    fn launch(&self, inquiry_id: &str, session_token: Option<&str>, language: Lang) {
        let settings = self.settings.0.get_untracked();
        let shell = *self;
        let callbacks = persona::Callbacks {
            on_ready: Box::new(move || {
                persona::mark_open(true);
                if let Some(client) = shell.inner.get_value().persona.borrow().as_ref() {
                    client.open();
                }
                shell.dispatch(Event::PersonaReady);
            }),
            on_complete: Box::new(move |status| {
                persona::mark_open(false);
                shell.dispatch(Event::PersonaCompleted { status })
            }),
            on_cancel: Box::new(move || {
                persona::mark_open(false);
                // A camera refused in Persona's window: the saved screen says how to allow it.
                recheck_device(shell.device);
                shell.dispatch(Event::PersonaCancelled)
            }),
            on_error: Box::new(move |code| {
                persona::mark_open(false);
                recheck_device(shell.device);
                shell.dispatch(Event::PersonaErrored {
                    code: PersonaErrorCode::parse(&code),
                })
            }),
            on_event: Box::new(move |name| {
                // The name only: event metadata may carry personal data.
                leptos::logging::log!("persona event: {name}");
                shell.dispatch(Event::PersonaEvent { name });
            }),
        };
        let options = persona::Options {
            inquiry_id,
            session_token,
            language: language.persona_locale(),
            iframe_title: self.i18n.text_now(Msg::PersonaFrameTitle),
            config: &settings.persona,
        };
        match PersonaClient::new(&options, callbacks) {
            Ok(client) => {
                // A previous client, if any, goes first.
                drop(self.inner.get_value().persona.replace(Some(client)));
            }
            Err(_) => self.dispatch(Event::PersonaUnavailable),
        }
    }

    /// Tells the flow the page's language, for Persona.
    pub fn set_language(&self, lang: Lang) {
        self.dispatch(Event::Language(lang));
    }

    /// Destroys Persona when the app goes away.
    pub fn shut_down(&self) {
        if let Some(inner) = self.inner.try_get_value() {
            drop(inner.persona.borrow_mut().take());
        }
    }
}
