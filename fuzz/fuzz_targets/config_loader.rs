//! The config loader on arbitrary text: a config or every problem with its line, never a panic.
#![no_main]

use bridgebot::config::Config;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    if let Err(diagnostics) = Config::from_toml("bridgebot.toml", &text) {
        assert!(!diagnostics.0.is_empty(), "an error must say what is wrong");
        let _ = diagnostics.to_string();
    }
});
