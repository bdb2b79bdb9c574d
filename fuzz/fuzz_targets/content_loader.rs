//! The content loader on arbitrary text: it must answer with content or with diagnostics,
//! never panic. The input either replaces one bundled file or is appended to it, so that
//! mutations also reach validation (duplicate ids, dangling references, limits) with the rest
//! of the real content around them.
#![no_main]

use bridgebot::content::{self, bundled_files};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let [which, mode, rest @ ..] = data else {
        return;
    };
    let mut files = bundled_files();
    let index = usize::from(*which) % files.len();
    let text = String::from_utf8_lossy(rest);
    if mode % 2 == 0 {
        files[index].text = text.into_owned();
    } else {
        files[index].text.push('\n');
        files[index].text.push_str(&text);
    }
    if let Err(diagnostics) = content::parse(&files) {
        assert!(!diagnostics.0.is_empty(), "an error must say what is wrong");
        let _ = diagnostics.to_string();
    }
});
