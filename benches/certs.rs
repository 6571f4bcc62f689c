//! Certificate stores at scale: 100,000 certificates in 100 trust bundles, parsed and judged end
//! to end, with a register retiring one workload in ten (each is then a DPV003 finding).
//!
//! `cargo bench --bench certs -- [CERTIFICATES]`. The certificates are copies of one real
//! certificate of the example organisation with their serial and names rewritten in place
//! (same lengths, so the DER stays well formed; signatures are not checked by deprov).

// The allocator of the `deprov` binary, so that the numbers are the binary's.
#[cfg(not(target_env = "msvc"))]
#[global_allocator]
static ALLOCATOR: tikv_jemallocator::Jemalloc = tikv_jemallocator::Jemalloc;

#[path = "support/measure.rs"]
mod measure;

use std::fmt::Write as _;
use std::time::Instant;

use base64::Engine;
use deprov::catalog::Catalog;
use deprov::config::Config;
use deprov::engine::PolicyPack;
use deprov::scan::{self, ScanPlan};
use measure::peak_rss_mib;

const TEMPLATE_NAME: &[u8] = b"frontend.web.example.com";

fn main() {
    let count: usize = std::env::args()
        .skip(1)
        .find(|a| !a.starts_with("--"))
        .and_then(|a| a.parse().ok())
        .unwrap_or(100_000);
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
    let chain = std::fs::read(root.join("testdata/example-org/certs/services/frontend-chain.pem"))
        .expect("template");
    let template = deprov::x509::pem_blocks(&chain)
        .blocks
        .remove(0)
        .contents
        .expect("template PEM");
    let facts = deprov::x509::certificate_facts(&template).expect("template certificate");
    let serial = hex::decode(&facts.serial).expect("serial");
    let serial_at = template
        .windows(serial.len())
        .position(|w| w == serial.as_slice())
        .expect("serial in DER");
    let name_at: Vec<usize> = template
        .windows(TEMPLATE_NAME.len())
        .enumerate()
        .filter(|(_, w)| *w == TEMPLATE_NAME)
        .map(|(i, _)| i)
        .collect();

    let dir = tempfile::tempdir().expect("temp dir");
    let started = Instant::now();
    let mut register = String::from("identities:\n");
    let mut retired = 0;
    let per_bundle = 1000;
    for bundle in 0..count.div_ceil(per_bundle) {
        let mut pem = String::new();
        for n in bundle * per_bundle..((bundle + 1) * per_bundle).min(count) {
            let mut der = template.clone();
            let tag = format!("{n:08x}");
            let len = serial.len();
            der[serial_at + len - 4..serial_at + len].copy_from_slice(&(n as u32).to_be_bytes());
            let name = format!("f{n:07}.web.example.com");
            for &at in &name_at {
                der[at..at + TEMPLATE_NAME.len()].copy_from_slice(name.as_bytes());
            }
            let _ = write!(pem, "# certificate {tag}\n-----BEGIN CERTIFICATE-----\n");
            let body = base64::engine::general_purpose::STANDARD.encode(&der);
            for line in body.as_bytes().chunks(64) {
                pem.push_str(std::str::from_utf8(line).unwrap_or_default());
                pem.push('\n');
            }
            pem.push_str("-----END CERTIFICATE-----\n");
            if n % 10 == 0 {
                retired += 1;
                let _ = write!(
                    register,
                    "  - id: workload-{n}\n    kind: workload\n    status: retired\n    retired_at: 2026-07-01\n    owner: team-a\n    aliases: [\"dns:{name}\"]\n"
                );
            }
        }
        let store = dir.path().join(format!("store-{:03}", bundle % 10));
        std::fs::create_dir_all(&store).expect("store");
        std::fs::write(store.join(format!("bundle-{bundle:04}.pem")), pem).expect("bundle");
    }
    register.push_str("teams:\n  - id: team-a\n");
    std::fs::write(dir.path().join("register.yaml"), register).expect("register");
    println!(
        "generated {count} certificates in {:.2?}",
        started.elapsed()
    );

    let catalog = Catalog::builtin().expect("catalog");
    let pack = PolicyPack::load(None, &catalog, |_| true).expect("pack");
    let plan = ScanPlan {
        paths: vec![dir.path().to_path_buf()],
        register_files: vec![],
        without_register: false,
        now: "2026-11-25T00:00:00Z".parse().expect("now"),
        config: Config::default(),
        catalog,
        pack,
        source_options: Default::default(),
        baseline: None,
        git: Default::default(),
        detectors: deprov::sources::exposure::secrets::DetectorSet::builtin().expect("detectors"),
        shard: None,
    };
    let t0 = Instant::now();
    let (result, stages) = scan::scan_timed(&plan).expect("scan");
    let total = t0.elapsed();
    let count_rule = |code: &str| result.findings.iter().filter(|f| *f.rule == *code).count();
    println!(
        "certificates: {}, findings: {} (DPV003 {}, INV001 {})",
        result.inventory.records.credentials.len(),
        result.findings.len(),
        count_rule("DPV003"),
        count_rule("INV001")
    );
    println!(
        "stages: read+parse {:.2?}, correlate {:.2?}, cedar {:.2?}, findings {:.2?}",
        stages.read, stages.correlate, stages.evaluate, stages.findings
    );
    println!(
        "parsed and judged in {total:.2?}, peak RSS {:.0} MiB",
        peak_rss_mib()
    );
    assert_eq!(result.inventory.records.credentials.len(), count);
    assert_eq!(count_rule("DPV003"), retired);
    assert_eq!(count_rule("INV001"), count - retired);
    assert!(result.skipped.is_empty());
}
