//! Browser tests: mount components in headless Chromium and drive them like a customer.
#![cfg(target_arch = "wasm32")]

use kyc_onboarding::ui::PrepScreen;
use leptos::prelude::*;
use wasm_bindgen::JsCast;
use wasm_bindgen_test::*;

wasm_bindgen_test_configure!(run_in_browser);

/// A fresh container in the page for one test.
fn container() -> web_sys::HtmlElement {
    let doc = document();
    let el: web_sys::HtmlElement = doc.create_element("div").unwrap().unchecked_into();
    doc.body().unwrap().append_child(&el).unwrap();
    el
}

#[wasm_bindgen_test]
async fn start_button_shows_progress_when_clicked() {
    let root = container();
    let _handle = leptos::mount::mount_to(root.clone(), PrepScreen);

    let heading = root.query_selector("h1").unwrap().expect("a heading");
    assert_eq!(heading.text_content().unwrap(), "Before you start");

    let button: web_sys::HtmlButtonElement = root
        .query_selector("button")
        .unwrap()
        .expect("a button")
        .unchecked_into();
    assert_eq!(button.text_content().unwrap(), "Start verification");
    assert!(!button.disabled());

    button.click();
    leptos::task::tick().await;

    assert_eq!(button.text_content().unwrap(), "Starting…");
    assert!(button.disabled(), "the button is disabled while starting");
}
