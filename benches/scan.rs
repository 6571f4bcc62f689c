//! End-to-end scan benchmark on a synthetic organisation: discovery, parsing, correlation,
//! Cedar evaluation and JSON output, timed per stage, with the planted gaps checked.
//!
//! `cargo bench --bench scan -- [CREDENTIALS] [SEED] [SHAPE]` (default 100000 credentials, seed
//! 42, every source family: `full`). The JSON report is written to a file, as a scheduled run
//! would. `DEPROV_BENCH_SHARD=K/N` runs one shard of a sharded scan (the planted-gap checks then
//! do not apply).
//!
//! Shapes: `full` (every family), `mixed` (the cloud families and GitHub), and one family alone
//! with every identity in one system (`aws`: one account; `gcp`: one project; `azure`: one Entra
//! tenant; `kubernetes`: one cluster) or, with `-spread`, in systems of 1,000 identities
//! (`aws-spread`, `gcp-spread`): the same identities, only the number of systems differs.

// The allocator of the `deprov` binary, so that the numbers are the binary's.
#[cfg(not(target_env = "msvc"))]
#[global_allocator]
static ALLOCATOR: tikv_jemallocator::Jemalloc = tikv_jemallocator::Jemalloc;

#[path = "support/measure.rs"]
mod measure;
#[path = "support/synth.rs"]
mod synth;

use measure::{cpu_seconds, peak_rss_mib, rss_mib};

use std::time::Instant;

use deprov::catalog::Catalog;
use deprov::config::Config;
use deprov::engine::PolicyPack;
use deprov::report::{json::JsonReporter, ReportContext, Reporter};
use deprov::scan::{self, ScanPlan};
use deprov::severity::FailOn;

/// Prints the time, the resident and the peak memory as each stage of the scan begins.
struct StageMemory(Instant);

impl scan::Progress for StageMemory {
    fn stage(&self, name: &str, _total: Option<u64>) {
        println!(
            "  {:>7.2?} {name} begins: CPU {:.2} s, RSS {:.0} MiB, peak {:.0} MiB",
            self.0.elapsed(),
            cpu_seconds(),
            rss_mib(),
            peak_rss_mib()
        );
    }
}

fn main() {
    let args: Vec<String> = std::env::args()
        .skip(1)
        .filter(|a| !a.starts_with("--"))
        .collect();
    let credentials: usize = args.first().and_then(|a| a.parse().ok()).unwrap_or(100_000);
    let seed: u64 = args.get(1).and_then(|a| a.parse().ok()).unwrap_or(42);
    let shape = args.get(2).map_or("full", String::as_str);
    let dir = tempfile::tempdir().expect("temp dir");
    let started = Instant::now();
    let expected = synth::org(shape, dir.path(), credentials, seed).expect("generate");
    println!("shape: {shape}");
    println!(
        "generated {} credentials ({} identities) in {:.2?}",
        expected.credentials,
        expected.identities,
        started.elapsed()
    );

    let catalog = Catalog::builtin().expect("catalog");
    let config = Config::default();
    let pack = PolicyPack::load(None, &catalog, |_| true).expect("pack");
    let plan = ScanPlan {
        paths: vec![dir.path().to_path_buf()],
        register_files: vec![],
        without_register: false,
        now: "2026-11-25T00:00:00Z".parse().expect("now"),
        config,
        catalog,
        pack,
        source_options: Default::default(),
        baseline: None,
        git: Default::default(),
        detectors: deprov::sources::exposure::secrets::DetectorSet::builtin().expect("detectors"),
        shard: std::env::var("DEPROV_BENCH_SHARD")
            .ok()
            .map(|s| s.parse().expect("DEPROV_BENCH_SHARD is K/N")),
    };

    let cpu0 = cpu_seconds();
    let t0 = Instant::now();
    let (result, stages) = scan::scan_observed(&plan, &StageMemory(Instant::now())).expect("scan");
    let t_scan = t0.elapsed();
    let context = ReportContext {
        result: &result,
        catalog: &plan.catalog,
        fail_on: FailOn::High,
        color: false,
    };
    println!(
        "  {:>7.2?} json begins: RSS {:.0} MiB, peak {:.0} MiB",
        t0.elapsed(),
        rss_mib(),
        peak_rss_mib()
    );
    let out = tempfile::NamedTempFile::new().expect("report file");
    let mut sink =
        std::io::BufWriter::with_capacity(deprov::commands::OUTPUT_BUFFER, out.as_file());
    JsonReporter.write(&context, &mut sink).expect("render");
    std::io::Write::flush(&mut sink).expect("flush");
    drop(sink);
    let report_bytes = out.as_file().metadata().map_or(0, |m| m.len());
    let total = t0.elapsed();
    let cpu = cpu_seconds() - cpu0;

    let systems: std::collections::HashSet<&deprov::inventory::SystemRef> = result
        .inventory
        .records
        .identities
        .iter()
        .map(|r| &r.system)
        .collect();
    let warnings: usize = result.sources.iter().map(|s| s.warnings.len()).sum();
    println!(
        "systems holding identities: {}; source warnings: {warnings}",
        systems.len()
    );
    println!("requests evaluated: {}", result.requests);
    println!(
        "stages: read+parse {:.2?}, assemble+correlate {:.2?}, cedar {:.2?}, findings {:.2?}, json {:.2?}",
        stages.read,
        stages.correlate,
        stages.evaluate,
        stages.findings,
        total - t_scan
    );
    println!(
        "end-to-end: {:.2?} wall, {:.2} s CPU, peak RSS {:.0} MiB",
        total,
        cpu,
        peak_rss_mib()
    );
    let count = |code: &str| result.findings.iter().filter(|f| *f.rule == *code).count();
    println!(
        "findings: {} (DPV001 {}, INV001 {}, DPV003 {}, DPV004 {}); JSON report {:.1} MB",
        result.findings.len(),
        count("DPV001"),
        count("INV001"),
        count("DPV003"),
        count("DPV004"),
        report_bytes as f64 / 1e6
    );
    println!(
        "| {} | {} | {:.2} s | {:.2} s | {:.0} MiB | {} |",
        expected.credentials,
        result.requests,
        total.as_secs_f64(),
        cpu,
        peak_rss_mib(),
        result.findings.len()
    );
    if plan.shard.is_some() {
        return;
    }
    assert_eq!(count("DPV001"), expected.dpv001, "planted DPV001");
    assert_eq!(count("INV001"), expected.inv001, "planted INV001");
    assert_eq!(count("DPV003"), expected.dpv003, "planted DPV003");
    assert_eq!(count("DPV004"), expected.dpv004, "planted DPV004");
    assert!(result.skipped.is_empty(), "skipped: {:?}", result.skipped);
    assert!(result.policy_errors.is_empty());
}
