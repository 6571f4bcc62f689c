//! The secret detectors (`src/secrets/`) over arbitrary bytes: the keyword prefilter, every
//! built-in pattern, private keys (PEM, PKCS#1/#8, SEC1, OpenSSH), JWTs, `.env` files and MCP
//! configurations (chosen by the path), inline `deprov:allow` comments; and the scan for
//! references to retired identities in configuration files. Input: `path\0content` (seeds use
//! `.env`, `mcp.json`, `config.yaml`, … paths).
#![no_main]

use std::sync::OnceLock;

use deprov::sources::exposure::secrets::DetectorSet;
use deprov::sources::exposure::git::references::{files_system, ReferenceSet};
use deprov_fuzz::split;
use libfuzzer_sys::fuzz_target;

fn detectors() -> &'static DetectorSet {
    static SET: OnceLock<DetectorSet> = OnceLock::new();
    SET.get_or_init(|| DetectorSet::builtin().expect("the built-in detectors compile"))
}

fn references() -> &'static ReferenceSet {
    static SET: OnceLock<ReferenceSet> = OnceLock::new();
    SET.get_or_init(|| {
        ReferenceSet::new(
            [
                "arn:aws:iam::111122223333:user/ci-legacy",
                "ci-legacy@example-project.iam.gserviceaccount.com",
                "system:serviceaccount:ci:deployer",
                "auth/approle/role/ci-legacy",
                "ci-legacy",
            ]
            .map(String::from),
        )
    })
}

fuzz_target!(|data: &[u8]| {
    let (path, content) = split(data);
    let _ = detectors().scan(&path, content);
    let _ = references().scan(&files_system(), &path, content);
});
