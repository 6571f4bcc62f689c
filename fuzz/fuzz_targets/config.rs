//! `.deprov.yaml` (`src/config.rs`): parsing, validation against the built-in catalog
//! (suppressions: dates, globs, rule codes), keystore passwords, limits, and the thresholds
//! handed to Cedar as the request context. Errors are rendered as the CLI renders them.
//! Input: the file itself.
#![no_main]

use std::sync::OnceLock;

use deprov::catalog::Catalog;
use deprov::config::Config;
use deprov::engine::entities::{RequestBuilder, SharedEntities};
use deprov::inventory::{correlate, Inventory, Records, Register};
use deprov_fuzz::render;
use libfuzzer_sys::fuzz_target;

fn catalog() -> &'static Catalog {
    static CATALOG: OnceLock<Catalog> = OnceLock::new();
    CATALOG.get_or_init(|| Catalog::builtin().expect("the built-in catalog loads"))
}

fn empty() -> &'static (Inventory, SharedEntities) {
    static EMPTY: OnceLock<(Inventory, SharedEntities)> = OnceLock::new();
    EMPTY.get_or_init(|| {
        let inventory = correlate(Register::default(), Records::default());
        let shared = SharedEntities::build(&inventory).expect("entities of an empty inventory");
        (inventory, shared)
    })
}

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let mut config = match Config::parse(".deprov.yaml", text) {
        Ok(config) => config,
        Err(e) => {
            let _ = render(&e);
            return;
        }
    };
    if let Err(e) = config.validate(catalog()) {
        let _ = render(&e);
        return;
    }
    let _ = config.limits.max_file_bytes();
    let _ = config.keystore_passwords();
    let _ = config.honours_inline_allows();
    let (inventory, shared) = empty();
    let _ = RequestBuilder::new(shared, inventory, &config.thresholds, jiff::Timestamp::UNIX_EPOCH);
});
