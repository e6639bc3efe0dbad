//! The Persona bindings against the real `persona.js` (npm `persona` 5.9.0): every callback
//! reaches Rust, and after `destroy` no callback fires and no iframe remains.
#![cfg(target_arch = "wasm32")]

use std::cell::RefCell;
use std::rc::Rc;

use kyc_onboarding::core::api::PersonaConfig;
use kyc_onboarding::persona::{Callbacks, Options, PersonaClient};
use wasm_bindgen_test::*;

wasm_bindgen_test_configure!(run_in_browser);

/// The SDK as published; loaded into the test page as a script.
const SDK: &str = include_str!("../node_modules/persona/dist/persona.js");
/// A host nobody listens on: the iframe's load fails, which does not matter here.
const HOST: &str = "localhost:9";

fn load_sdk() {
    let window = web_sys::window().unwrap();
    if js_sys::Reflect::has(&window, &"Persona".into()).unwrap() {
        return;
    }
    let document = window.document().unwrap();
    let script = document.create_element("script").unwrap();
    script.set_text_content(Some(SDK));
    document.head().unwrap().append_child(&script).unwrap();
    assert!(
        js_sys::Reflect::has(&window, &"Persona".into()).unwrap(),
        "the SDK defines Persona"
    );
}

/// Posts a message to the page as if from Persona's iframe (origin `http://localhost:9`).
fn from_persona(container_id: &str, message: &str) {
    let script = format!(
        "window.dispatchEvent(new MessageEvent('message', {{ origin: 'http://{HOST}', data: Object.assign({{ containerId: '{container_id}' }}, {message}) }}))"
    );
    js_sys::eval(&script).unwrap();
}

fn iframes() -> u32 {
    web_sys::window()
        .unwrap()
        .document()
        .unwrap()
        .query_selector_all("iframe.persona-widget__iframe")
        .unwrap()
        .length()
}

fn container_id() -> String {
    web_sys::window()
        .unwrap()
        .document()
        .unwrap()
        .query_selector(".persona-widget__overlay")
        .unwrap()
        .expect("the SDK's overlay")
        .id()
}

/// The session's Persona settings in the sandbox: the simulated widget's host.
fn sandbox() -> PersonaConfig {
    PersonaConfig {
        host: Some(HOST.to_owned()),
        ..PersonaConfig::default()
    }
}

#[wasm_bindgen_test]
fn callbacks_reach_rust_and_stop_after_destroy() {
    load_sdk();
    let seen: Rc<RefCell<Vec<String>>> = Rc::default();
    let record = |prefix: &'static str| {
        let seen = seen.clone();
        move |value: String| seen.borrow_mut().push(format!("{prefix}:{value}"))
    };
    let (ready, complete, cancel, error, event) = (
        record("ready"),
        record("complete"),
        record("cancel"),
        record("error"),
        record("event"),
    );
    let client = PersonaClient::new(
        &Options {
            inquiry_id: "inq_test",
            session_token: Some("tok_test"),
            language: "en-US",
            iframe_title: "Identity check",
            config: &sandbox(),
        },
        Callbacks {
            on_ready: Box::new(move || ready(String::new())),
            on_complete: Box::new(complete),
            on_cancel: Box::new(move || cancel(String::new())),
            on_error: Box::new(error),
            on_event: Box::new(event),
        },
    )
    .expect("the client is constructed");
    assert_eq!(iframes(), 1);
    let iframe = web_sys::window()
        .unwrap()
        .document()
        .unwrap()
        .query_selector("iframe.persona-widget__iframe")
        .unwrap()
        .unwrap();
    let src = iframe.get_attribute("src").unwrap();
    assert!(src.starts_with("http://localhost:9/widget?"), "{src}");
    assert!(
        src.contains("inquiry-id=inq_test") && src.contains("language=en-US"),
        "{src}"
    );
    assert_eq!(
        iframe.get_attribute("title").as_deref(),
        Some("Identity check")
    );

    let id = container_id();
    from_persona(&id, "{ name: 'load' }");
    from_persona(&id, "{ name: 'ready', metadata: {} }");
    client.open();
    from_persona(&id, "{ name: 'complete', metadata: { inquiryId: 'inq_test', status: 'completed', fields: {} } }");
    from_persona(
        &id,
        "{ name: 'fail', metadata: { inquiryId: 'inq_test', status: 'failed', fields: {} } }",
    );
    from_persona(
        &id,
        "{ name: 'exit', metadata: { inquiryId: 'inq_test', sessionToken: 'tok_other' } }",
    );
    from_persona(
        &id,
        "{ name: 'error', error: { status: 409, code: 'unauthenticated' } }",
    );
    from_persona("another-container", "{ name: 'ready', metadata: {} }");

    let got = seen.borrow().clone();
    for expected in [
        "event:load",
        "ready:",
        "complete:completed",
        "complete:failed",
        "cancel:",
        "error:unauthenticated",
    ] {
        assert!(
            got.iter().any(|g| g == expected),
            "{expected} missing from {got:?}"
        );
    }
    assert_eq!(
        got.iter().filter(|g| *g == "ready:").count(),
        1,
        "other containers are ignored"
    );
    assert!(
        !got.iter().any(|g| g.contains("tok_other")),
        "the exit token is not passed on"
    );

    let before = got.len();
    client.destroy();
    assert_eq!(iframes(), 0, "no iframe remains");
    from_persona(&id, "{ name: 'ready', metadata: {} }");
    from_persona(&id, "{ name: 'complete', metadata: { inquiryId: 'inq_test', status: 'completed', fields: {} } }");
    assert_eq!(seen.borrow().len(), before, "no callback after destroy");
}

#[wasm_bindgen_test]
fn contradictory_options_fail_cleanly() {
    load_sdk();
    let result = PersonaClient::new(
        &Options {
            inquiry_id: "",
            session_token: None,
            language: "en",
            iframe_title: "x",
            config: &sandbox(),
        },
        Callbacks {
            on_ready: Box::new(|| {}),
            on_complete: Box::new(|_| {}),
            on_cancel: Box::new(|| {}),
            on_error: Box::new(|_| {}),
            on_event: Box::new(|_| {}),
        },
    );
    assert!(
        result.is_err(),
        "no inquiry and no template: the constructor throws"
    );
    assert_eq!(iframes(), 0);
}
