#![deny(missing_docs)]
//! The pure core: everything the app decides, with no browser, no timers and no I/O, so it
//! compiles for wasm32 and native alike and is tested natively.
//!
//! - [`api`]: the Cybrid API shapes, tolerant of values added later.
//! - [`failure`]: the failure-code catalog and the verdict on a finished verification.
//! - [`tips`] and [`text`]: the preparation tips and every customer-facing text, by language.
//! - [`branding`]: the integrator's brand settings and their contrast check; [`settings`]:
//!   what the session sets for the page (brand, language, Persona's, the host page).
//! - [`business`]: business customers (KYB): their prep and their words;
//!   [`document_request`]: what a compliance document request asks for.
//! - [`flow`]: the verification flow as a state machine.
//! - [`device`]: what the device and browser mean for the camera; [`camera`]: what a camera
//!   frame says about light, sharpness and glare; [`rehearsal`]: trying the camera first.
//! - [`http`]: which call each request makes and which answer each reply becomes;
//!   [`json`]: the small JSON reader and writer behind the API types.
//! - [`polling`]: backoff and deadlines; [`time`]: API timestamps.

pub mod api;
pub mod branding;
pub mod business;
pub mod camera;
pub mod camera_advice;
pub mod catalog;
pub mod device;
pub mod document_request;
pub mod failure;
pub mod flow;
pub mod http;
pub mod json;
pub mod polling;
#[cfg(test)]
mod reading_level;
pub mod rehearsal;
pub mod settings;
pub mod text;
pub mod time;
pub mod tips;
