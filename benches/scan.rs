//! End-to-end scan benchmark on a synthetic organisation: discovery, parsing, correlation,
//! Cedar evaluation and JSON output, timed per stage, with the planted gaps checked.
//!
//! `cargo bench --bench scan -- [CREDENTIALS] [SEED] [SHAPE]` (default 100000 credentials, seed
//! 42, every source family: `full`). The JSON report is written to a file, as a scheduled run
//! would. `DEPROV_BENCH_SHARD=K/N` runs one shard of a sharded scan (the planted-gap checks then
//! do not apply).
//!
//! Sharded runs (issue 19): `DEPROV_BENCH_SHARDS=N` writes the organisation once, runs each of
//! the N shards in its own process (this benchmark again, with `DEPROV_BENCH_SHARD=K/N`), each
//! writing its JSON report, then merges them in another process, and prints each process's wall
//! time, CPU time and peak memory. `DEPROV_BENCH_DIR=DIR` writes the organisation to DIR, or
//! reuses it when DIR already holds one (`generated` marker; the planted-gap checks then need
//! the same size and seed). `DEPROV_BENCH_OUT=FILE` keeps the JSON report.
//! `DEPROV_BENCH_MERGE_ALSO="merged.html merged.oscal.json"` has the merge write those reports
//! too (format by extension).
//! `DEPROV_BENCH_REGISTER=csv` writes the register's identities in the CMDB CSV form (files of
//! 2,000,000 rows) instead of YAML: the form for very large estates (at 10M credentials the YAML
//! register is 700 MB, above the default file-size limit, which the scan refuses).
//!
//! The planted gaps checked: DPV001 (active credentials of retired identities in every family),
//! INV001 (unregistered identities), DPV003 (valid certificates of retired workloads), DPV004
//! (retired identities' keys committed to repositories, GCP private keys in Terraform states,
//! credentials in retired agents' MCP configurations), LEAK002 (the same of active identities),
//! DPV011 (keys of retired identities Terraform states still manage) and DPV008 (MCP
//! configurations still naming a retired agent); see `full_org` in `support/synth.rs`.
//!
//! Shapes: `full` (every family), `mixed` (the cloud families and GitHub), and one family alone
//! with every identity in one system (`aws`: one account; `gcp`: one project; `azure`: one Entra
//! tenant; `kubernetes`: one cluster) or, with `-spread`, in systems of 1,000 identities
//! (`aws-spread`, `gcp-spread`): the same identities, only the number of systems differs.

// The allocator of the `deprov` binary, so that the numbers are the binary's.
#[cfg(not(target_env = "msvc"))]
#[global_allocator]
static ALLOCATOR: tikv_jemallocator::Jemalloc = tikv_jemallocator::Jemalloc;
deprov::allocator_settings!();

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
    if let Ok(files) = std::env::var("DEPROV_BENCH_MERGE") {
        merge_files(&files);
        return;
    }
    let temp = tempfile::tempdir().expect("temp dir");
    let dir = std::env::var_os("DEPROV_BENCH_DIR")
        .map(std::path::PathBuf::from)
        .unwrap_or_else(|| temp.path().to_path_buf());
    let marker = dir.join("generated");
    let started = Instant::now();
    let expected = if marker.exists() {
        println!("reusing the organisation in {}", dir.display());
        None
    } else {
        std::fs::create_dir_all(&dir).expect("bench dir");
        let expected = synth::org(shape, &dir, credentials, seed).expect("generate");
        std::fs::write(&marker, format!("{credentials} {seed} {shape}\n")).expect("marker");
        println!(
            "generated {} credentials ({} identities) in {:.2?}",
            expected.credentials,
            expected.identities,
            started.elapsed()
        );
        Some(expected)
    };
    println!("shape: {shape}");
    if let Some(count) = std::env::var("DEPROV_BENCH_SHARDS")
        .ok()
        .and_then(|n| n.parse::<u32>().ok())
    {
        run_shards(&dir, count);
        return;
    }

    let catalog = Catalog::builtin().expect("catalog");
    let config = Config::default();
    let pack = PolicyPack::load(None, &catalog, |_| true).expect("pack");
    let plan = ScanPlan {
        paths: vec![dir.clone()],
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
        compliance: None,
    };
    println!(
        "  {:>7.2?} json begins: RSS {:.0} MiB, peak {:.0} MiB",
        t0.elapsed(),
        rss_mib(),
        peak_rss_mib()
    );
    let out = tempfile::NamedTempFile::new().expect("report file");
    let file = match std::env::var_os("DEPROV_BENCH_OUT") {
        Some(path) => std::fs::File::create(path).expect("report file"),
        None => out.as_file().try_clone().expect("report file"),
    };
    let mut sink = std::io::BufWriter::with_capacity(deprov::commands::OUTPUT_BUFFER, &file);
    JsonReporter.write(&context, &mut sink).expect("render");
    std::io::Write::flush(&mut sink).expect("flush");
    drop(sink);
    let report_bytes = file.metadata().map_or(0, |m| m.len());
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
        "findings: {} (DPV001 {}, INV001 {}, DPV003 {}, DPV004 {}, LEAK002 {}, DPV011 {}, DPV008 {}); JSON report {:.1} MB",
        result.findings.len(),
        count("DPV001"),
        count("INV001"),
        count("DPV003"),
        count("DPV004"),
        count("LEAK002"),
        count("DPV011"),
        count("DPV008"),
        report_bytes as f64 / 1e6
    );
    println!(
        "| {} | {} | {:.2} s | {:.2} s | {:.0} MiB | {} |",
        result.totals.credentials,
        result.requests,
        total.as_secs_f64(),
        cpu,
        peak_rss_mib(),
        result.findings.len()
    );
    let Some(expected) = expected.filter(|_| plan.shard.is_none()) else {
        return;
    };
    assert_eq!(count("DPV001"), expected.dpv001, "planted DPV001");
    assert_eq!(count("INV001"), expected.inv001, "planted INV001");
    assert_eq!(count("DPV003"), expected.dpv003, "planted DPV003");
    assert_eq!(count("DPV004"), expected.dpv004, "planted DPV004");
    assert_eq!(count("LEAK002"), expected.leak002, "planted LEAK002");
    assert_eq!(count("DPV011"), expected.dpv011, "planted DPV011");
    assert_eq!(count("DPV008"), expected.dpv008, "planted DPV008");
    assert!(result.skipped.is_empty(), "skipped: {:?}", result.skipped);
    assert!(result.policy_errors.is_empty());
}

/// Runs every shard of a sharded scan of `dir` in its own process, then the merge in another,
/// and prints each one's wall time, CPU time and peak memory (as that process measured them).
fn run_shards(dir: &std::path::Path, count: u32) {
    let exe = std::env::current_exe().expect("benchmark binary");
    let args: Vec<String> = std::env::args().skip(1).collect();
    let reports = tempfile::tempdir_in(dir.parent().unwrap_or(dir)).expect("reports dir");
    let mut files = Vec::new();
    let mut rows = Vec::new();
    let child = |envs: &[(&str, String)]| {
        let started = Instant::now();
        let output = std::process::Command::new(&exe)
            .args(&args)
            .env_remove("DEPROV_BENCH_SHARDS")
            .envs(envs.iter().map(|(k, v)| (*k, v.as_str())))
            .env("DEPROV_BENCH_DIR", dir)
            .output()
            .expect("child run");
        let stdout = String::from_utf8_lossy(&output.stdout).to_string();
        assert!(
            output.status.success(),
            "{stdout}{}",
            String::from_utf8_lossy(&output.stderr)
        );
        (stdout, started.elapsed())
    };
    for index in 1..=count {
        let file = reports.path().join(format!("shard-{index}.json"));
        let (stdout, elapsed) = child(&[
            ("DEPROV_BENCH_SHARD", format!("{index}/{count}")),
            ("DEPROV_BENCH_OUT", file.display().to_string()),
        ]);
        let row = stdout
            .lines()
            .rfind(|l| l.starts_with("| "))
            .unwrap_or("")
            .to_string();
        for line in stdout.lines().filter(|l| l.starts_with("  ")) {
            println!("  shard {index}:{line}");
        }
        let size = std::fs::metadata(&file).map_or(0, |m| m.len());
        println!(
            "shard {index}/{count} ({elapsed:.2?} with start-up): {row} {:.1} MB",
            size as f64 / 1e6
        );
        rows.push(row);
        files.push(file);
    }
    let merged = reports.path().join("merged.json");
    let list = files
        .iter()
        .map(|f| f.display().to_string())
        .collect::<Vec<_>>()
        .join("\n");
    let (stdout, _) = child(&[
        ("DEPROV_BENCH_MERGE", list),
        ("DEPROV_BENCH_OUT", merged.display().to_string()),
    ]);
    print!("{stdout}");
    if std::env::var_os("DEPROV_BENCH_SINGLE").is_some() {
        // The merged shards against one run of the whole organisation, byte for byte.
        let single = reports.path().join("single.json");
        let (stdout, _) = child(&[("DEPROV_BENCH_OUT", single.display().to_string())]);
        let row = stdout.lines().rfind(|l| l.starts_with("| ")).unwrap_or("");
        println!("single run: {row}");
        let same = same_bytes(&single, &merged);
        println!("merged report byte-identical to the single run's: {same}");
        assert!(same, "the merged report differs from the single run's");
    }
    println!("shard rows: | credentials (owned) | requests | wall | CPU | peak | findings |");
    for row in rows {
        println!("{row}");
    }
}

/// Whether two files hold the same bytes, read a block at a time (reports of millions of
/// findings are gigabytes).
fn same_bytes(a: &std::path::Path, b: &std::path::Path) -> bool {
    use std::io::Read;
    let (Ok(a), Ok(b)) = (std::fs::File::open(a), std::fs::File::open(b)) else {
        return false;
    };
    let (mut a, mut b) = (std::io::BufReader::new(a), std::io::BufReader::new(b));
    let (mut x, mut y) = (vec![0u8; 1 << 20], vec![0u8; 1 << 20]);
    loop {
        let n = a.read(&mut x).unwrap_or(0);
        if n == 0 {
            return b.read(&mut y).unwrap_or(0) == 0;
        }
        if b.read_exact(&mut y[..n]).is_err() || x[..n] != y[..n] {
            return false;
        }
    }
}

/// `deprov merge` of the shard reports named one per line, to `DEPROV_BENCH_OUT`, measured: the
/// command itself (a streaming k-way merge of the shard files; its JSON report is written one
/// batch of findings at a time).
fn merge_files(list: &str) {
    use clap::Parser;
    let cpu0 = cpu_seconds();
    let t0 = Instant::now();
    let out = std::env::var("DEPROV_BENCH_OUT").expect("DEPROV_BENCH_OUT");
    let mut args: Vec<String> = vec!["deprov".into(), "merge".into()];
    args.extend(list.lines().map(str::to_string));
    // The level the single run's report is written with, so that the two compare byte for byte.
    args.extend(["--fail-on", "high", "--output", &out].map(str::to_string));
    // More outputs of the same merge, by extension (`merged.html merged.oscal.json`), to
    // measure the formats written from aggregates.
    if let Ok(extra) = std::env::var("DEPROV_BENCH_MERGE_ALSO") {
        for path in extra.split_whitespace() {
            args.extend(["--output".to_string(), path.to_string()]);
        }
    }
    let cli = deprov::cli::Cli::parse_from(args);
    deprov::commands::run(cli).expect("merge");
    let (wall, cpu, peak) = (t0.elapsed(), cpu_seconds() - cpu0, peak_rss_mib());
    // The count from the summary, which the report writes before the findings: parsing a
    // report of millions of findings here would take more memory than the merge itself.
    let mut head = Vec::new();
    std::io::Read::read_to_end(
        &mut std::io::Read::take(std::fs::File::open(&out).expect("merged report"), 1 << 16),
        &mut head,
    )
    .expect("merged report");
    let head = String::from_utf8_lossy(&head);
    let findings = head
        .find("\"summary\"")
        .and_then(|at| head[at..].find("\"findings\":").map(|f| at + f + 11))
        .map(|at| {
            head[at..]
                .trim_start()
                .chars()
                .take_while(char::is_ascii_digit)
                .collect::<String>()
        })
        .unwrap_or_default();
    println!(
        "merge: {findings} findings; {wall:.2?} wall, {cpu:.2} s CPU, peak RSS {peak:.0} MiB; JSON {:.1} MB",
        std::fs::metadata(&out).map_or(0, |m| m.len()) as f64 / 1e6
    );
}
