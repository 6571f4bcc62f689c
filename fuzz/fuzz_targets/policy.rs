//! Policy pack loading (`src/engine/policies.rs`): the built-in pack plus a `--policies DIR`
//! holding one fuzzed `.cedar` file, parsed, checked against the catalog and validated strictly
//! against the schema, as `deprov scan --policies DIR` and `deprov policy check DIR` do.
//! Errors are rendered as the CLI renders them. Input: the `.cedar` file.
#![no_main]

use std::sync::OnceLock;

use deprov::catalog::Catalog;
use deprov::engine::policies::PolicyPack;
use deprov_fuzz::render;
use libfuzzer_sys::fuzz_target;

struct Fixture {
    catalog: Catalog,
    dir: tempfile::TempDir,
}

fn fixture() -> &'static Fixture {
    static FIXTURE: OnceLock<Fixture> = OnceLock::new();
    FIXTURE.get_or_init(|| Fixture {
        catalog: Catalog::builtin().expect("the built-in catalog loads"),
        dir: tempfile::tempdir().expect("a temporary directory"),
    })
}

fuzz_target!(|data: &[u8]| {
    let fixture = fixture();
    let policy = fixture.dir.path().join("user.cedar");
    if std::fs::write(&policy, data).is_err() {
        return;
    }
    match PolicyPack::load(Some(fixture.dir.path()), &fixture.catalog, |_| true) {
        Ok(pack) => {
            let _ = pack.active_rules();
            let _ = pack.fresh_action_sets();
        }
        Err(e) => {
            let _ = render(&e);
        }
    }
});
