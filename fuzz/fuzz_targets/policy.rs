//! Policy pack loading (`src/engine/policies.rs`): the built-in pack plus one fuzzed user
//! `.cedar` file, parsed, checked against the catalog and validated strictly against the schema,
//! as `deprov scan --policies DIR` and `deprov policy check DIR` do once they have read the
//! directory (the engine reads no files). Errors are rendered as the CLI renders them. Input:
//! the `.cedar` file.
#![no_main]

use std::sync::OnceLock;

use deprov::catalog::Catalog;
use deprov::engine::policies::{PolicyFile, PolicyPack};
use deprov_fuzz::render;
use libfuzzer_sys::fuzz_target;

fn catalog() -> &'static Catalog {
    static CATALOG: OnceLock<Catalog> = OnceLock::new();
    CATALOG.get_or_init(|| Catalog::builtin().expect("the built-in catalog loads"))
}

fuzz_target!(|data: &[u8]| {
    // A policy file that is not UTF-8 is refused when it is read, before the engine sees it.
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let user = PolicyFile {
        path: "user.cedar".into(),
        text: text.to_string(),
        builtin: false,
    };
    match PolicyPack::load([user], catalog(), |_| true) {
        Ok(pack) => {
            let _ = pack.active_rules();
            let _ = pack.fresh_action_sets();
        }
        Err(e) => {
            let _ = render(&e);
        }
    }
});
