//! The pure core: everything the app decides, with no browser, no timers and no I/O, so it
//! compiles for wasm32 and native alike and is tested natively.

pub mod polling;
