//! Register benchmark: the same lifecycle register of N identities (default 675,000, each with
//! an owner and one alias, a tenth retired) written as YAML and as the CMDB CSV form, each
//! parsed and normalized as a scan reads it (`sources::register::parse`), timed by wall and CPU.
//!
//! `cargo bench --bench register -- [IDENTITIES]`. The figures are in docs/PERFORMANCE.md
//! ("Registers of millions of identities").

#[cfg(not(target_env = "msvc"))]
#[global_allocator]
static ALLOCATOR: tikv_jemallocator::Jemalloc = tikv_jemallocator::Jemalloc;

#[path = "support/measure.rs"]
mod measure;

use std::fmt::Write as _;
use std::time::Instant;

use deprov::discover::probe::Probe;
use deprov::discover::FileInput;
use deprov::sources::register::{self, Format};
use measure::{cpu_seconds, peak_rss_mib};

fn main() {
    let identities: usize = std::env::args()
        .skip(1)
        .find_map(|a| a.parse().ok())
        .unwrap_or(675_000);
    let (yaml, csv) = registers(identities);
    let dir = tempfile::tempdir().expect("temp dir");
    println!(
        "register of {identities} identities, {} threads",
        rayon::current_num_threads()
    );
    for (name, text, format) in [
        ("identities.csv", &csv, Format::IdentitiesCsv),
        ("register.yaml", &yaml, Format::Yaml),
    ] {
        let path = dir.path().join(name);
        std::fs::write(&path, text).expect("write register");
        let input = FileInput {
            path: path.clone(),
            rel: name.to_string(),
            size: text.len() as u64,
        };
        let probe = Probe::read(&input, u64::MAX).expect("probe");
        let (cpu0, t0) = (cpu_seconds(), Instant::now());
        let (register, _) = register::parse(&probe, format, None).expect("register parses");
        println!(
            "  {name:<15} {:>6.1} MB: {:>6.2?} wall, {:>5.2} s CPU, {} identities, peak {:.0} MiB",
            text.len() as f64 / 1e6,
            t0.elapsed(),
            cpu_seconds() - cpu0,
            register.identities.len(),
            peak_rss_mib()
        );
        assert_eq!(register.identities.len(), identities);
    }
}

/// The same entries in both forms.
fn registers(identities: usize) -> (String, String) {
    let mut yaml = String::from("identities:\n");
    let mut csv = String::from("id,kind,status,retired_at,owner,aliases\n");
    for i in 0..identities {
        let retired = i % 10 == 3;
        let alias = format!("arn:aws:iam::111122223333:user/svc-{i:07}");
        let _ = write!(
            yaml,
            "  - id: svc-{i:07}\n    kind: service\n    status: {}\n{}    owner: team-a\n    aliases: [\"{alias}\"]\n",
            if retired { "retired" } else { "active" },
            if retired { "    retired_at: 2026-06-01\n" } else { "" }
        );
        let _ = writeln!(
            csv,
            "svc-{i:07},service,{},{},team-a,{alias}",
            if retired { "retired" } else { "active" },
            if retired { "2026-06-01" } else { "" }
        );
    }
    yaml.push_str("teams:\n  - id: team-a\n");
    (yaml, csv)
}
