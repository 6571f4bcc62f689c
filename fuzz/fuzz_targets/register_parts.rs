//! A YAML register read in parts (`src/sources/register/parts.rs`) against the same text read
//! whole: the cut is lexical and checked, so the two must agree on every text (the same entries,
//! or both an error). Cuts after every entry, or every second, as the first byte says.
#![no_main]

use deprov::sources::register::parts;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Some((&first, rest)) = data.split_first() else {
        return;
    };
    let Ok(text) = std::str::from_utf8(rest) else {
        return;
    };
    let per_part = 1 + usize::from(first % 2);
    assert!(
        parts::agrees_with_whole(text, per_part),
        "read in parts differs from read whole: {text:?}"
    );
});
