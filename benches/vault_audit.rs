//! Vault audit log benchmark: generates a synthetic file audit device log (deterministic; about
//! 1 KB per line, request/response pairs of many AppRole roles, Kubernetes service accounts,
//! people, root, unauthenticated requests, a few plain accessors) and streams it through the
//! family's audit parser on one core, printing throughput and peak memory.
//!
//! `cargo bench --bench vault_audit -- [MEGABYTES] [SEED]` (default 2048 MB, seed 42).

use std::fs::File;
use std::io::{BufReader, BufWriter, Write};
#[path = "support/measure.rs"]
mod measure;

use std::time::Instant;

use deprov::sources::vault::audit;
use measure::peak_rss_mib;

/// xorshift64*: deterministic and dependency-free.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }

    fn below(&mut self, n: u64) -> u64 {
        self.next() % n
    }

    fn hex(&mut self, out: &mut String, digits: usize) {
        const HEX: &[u8; 16] = b"0123456789abcdef";
        let mut left = digits;
        while left > 0 {
            let mut word = self.next();
            for _ in 0..left.min(16) {
                out.push(HEX[(word & 0xf) as usize] as char);
                word >>= 4;
            }
            left = left.saturating_sub(16);
        }
    }
}

const ROLES: u64 = 5_000;
const SERVICE_ACCOUNTS: u64 = 2_000;
const PEOPLE: u64 = 300;
const PLAIN_TOKENS: u64 = 20_000;

/// Appends one audit line (without its line break) at `second` since the log's start.
fn line(rng: &mut Rng, out: &mut String, second: u64, response: bool) {
    let day = 1 + (second / 86_400) % 28;
    let (h, m, s) = ((second / 3600) % 24, (second / 60) % 60, second % 60);
    let nanos = 1 + rng.below(999_999_999);
    // Go's RFC3339Nano drops trailing zeros, so lengths vary now and then.
    let nanos = if nanos.is_multiple_of(10) {
        format!("{nanos:09}").trim_end_matches('0').to_string()
    } else {
        format!("{nanos:09}")
    };
    let kind = if response { "response" } else { "request" };
    out.push_str(&format!(
        "{{\"time\":\"2026-10-{day:02}T{h:02}:{m:02}:{s:02}.{nanos}Z\",\"type\":\"{kind}\","
    ));
    let who = rng.below(100);
    out.push_str("\"auth\":{\"client_token\":\"hmac-sha256:");
    rng.hex(out, 64);
    out.push_str("\",\"accessor\":\"");
    if who < 3 {
        // A device with hmac_accessor=false; tokens are reused across many requests.
        let token = rng.below(PLAIN_TOKENS);
        out.push_str(&format!("{token:08x}-4a5f-4e6b-9c3d-2f1a8e7b6d54"));
    } else {
        out.push_str("hmac-sha256:");
        rng.hex(out, 64);
    }
    out.push('"');
    match who {
        0..=59 => {
            let role = rng.below(ROLES);
            let mount = if role.is_multiple_of(7) {
                "approle-ci"
            } else {
                "approle"
            };
            out.push_str(&format!(
                ",\"display_name\":\"{mount}\",\"policies\":[\"default\",\"app-{role}\"],\"token_policies\":[\"default\",\"app-{role}\"],\"metadata\":{{\"role_name\":\"svc-{role:05}\"}},\"entity_id\":\"{role:08x}-5d2f-4e8a-b9c6-1f3d5a7e9b20\""
            ));
        }
        60..=79 => {
            let sa = rng.below(SERVICE_ACCOUNTS);
            out.push_str(&format!(
                ",\"display_name\":\"kubernetes-ns{0}-app{1}\",\"policies\":[\"default\",\"k8s-{1}\"],\"metadata\":{{\"role\":\"app{1}\",\"service_account_name\":\"app{1}\",\"service_account_namespace\":\"ns{0}\",\"service_account_uid\":\"1b3d5f7a-9c2e-4a6c-8e0a-{1:012}\"}},\"entity_id\":\"{1:08x}-0d2f-4c5e-b7a9-1f3e5c7a9b02\"",
                sa % 40,
                sa
            ));
        }
        80..=89 => {
            let person = rng.below(PEOPLE);
            out.push_str(&format!(
                ",\"display_name\":\"userpass-user{person}\",\"policies\":[\"default\",\"dev\"],\"metadata\":{{\"username\":\"user{person}\"}},\"entity_id\":\"{person:08x}-1b3d-4f5a-8c7e-9a1b3c5d7e8f\""
            ));
        }
        90..=91 => out.push_str(",\"display_name\":\"root\",\"policies\":[\"root\"]"),
        _ => out.push_str(",\"display_name\":\"token\",\"policies\":[\"default\"]"),
    }
    out.push_str(",\"token_type\":\"service\",\"token_ttl\":3600,\"token_issue_time\":\"2026-10-01T00:00:00Z\",\"policy_results\":{\"allowed\":true,\"granting_policies\":[{\"name\":\"app\",\"namespace_id\":\"root\",\"type\":\"acl\"}]}},");
    out.push_str("\"request\":{\"id\":\"");
    rng.hex(out, 32);
    out.push_str("\",\"operation\":\"read\",\"mount_point\":\"secret/\",\"mount_type\":\"kv\",\"mount_accessor\":\"kv_5c9e1a7b\",\"mount_running_version\":\"v0.16.1+builtin\",\"mount_class\":\"secret\",\"client_token\":\"hmac-sha256:");
    rng.hex(out, 64);
    out.push_str("\",\"client_token_accessor\":\"hmac-sha256:");
    rng.hex(out, 64);
    out.push_str(&format!(
        "\",\"namespace\":{{\"id\":\"root\"}},\"path\":\"secret/data/team{}/app{}/config\",\"data\":{{\"version\":\"hmac-sha256:",
        rng.below(50),
        rng.below(1000)
    ));
    rng.hex(out, 64);
    out.push_str(&format!(
        "\"}},\"remote_address\":\"10.20.{}.{}\",\"remote_port\":{}}}",
        rng.below(256),
        rng.below(256),
        1024 + rng.below(60_000)
    ));
    if response {
        out.push_str(",\"response\":{\"mount_point\":\"secret/\",\"mount_type\":\"kv\",\"mount_accessor\":\"kv_5c9e1a7b\",\"mount_running_plugin_version\":\"v0.16.1+builtin\",\"mount_class\":\"secret\",\"data\":{\"data\":{\"password\":\"hmac-sha256:");
        rng.hex(out, 64);
        out.push_str("\"},\"metadata\":{\"version\":3}}}");
    }
    out.push('}');
}

fn generate(path: &std::path::Path, megabytes: u64, seed: u64) -> std::io::Result<(u64, u64)> {
    let mut rng = Rng(seed.max(1));
    let mut writer = BufWriter::with_capacity(1 << 20, File::create(path)?);
    let target = megabytes * 1024 * 1024;
    let (mut written, mut lines) = (0u64, 0u64);
    let mut text = String::with_capacity(4096);
    let mut second = 0u64;
    while written < target {
        second += rng.below(2);
        for response in [false, true] {
            text.clear();
            line(&mut rng, &mut text, second, response);
            text.push('\n');
            writer.write_all(text.as_bytes())?;
            written += text.len() as u64;
            lines += 1;
        }
    }
    writer.flush()?;
    Ok((written, lines))
}

fn main() {
    let args: Vec<String> = std::env::args()
        .skip(1)
        .filter(|a| !a.starts_with("--"))
        .collect();
    let megabytes: u64 = args.first().and_then(|a| a.parse().ok()).unwrap_or(2048);
    let seed: u64 = args.get(1).and_then(|a| a.parse().ok()).unwrap_or(42);
    let dir = tempfile::tempdir().expect("temp dir");
    let path = dir.path().join("vault-audit.log");
    let started = Instant::now();
    let (bytes, lines) = generate(&path, megabytes, seed).expect("generate the log");
    println!(
        "generated {:.0} MB, {lines} lines ({:.0} bytes/line) in {:.1?}",
        bytes as f64 / 1e6,
        bytes as f64 / lines as f64,
        started.elapsed()
    );
    let rss_before = peak_rss_mib();
    let started = Instant::now();
    let file = File::open(&path).expect("open the log");
    let summary = audit::read_lines(BufReader::with_capacity(1 << 20, file)).expect("read the log");
    let elapsed = started.elapsed();
    assert_eq!(summary.lines, lines, "every line read");
    assert_eq!(summary.malformed, 0, "{:?}", summary.malformed_examples);
    println!(
        "parsed {} entries into {} subjects in {:.2?}: {:.0} MB/s on one core",
        summary.entries,
        summary.uses.len(),
        elapsed,
        bytes as f64 / 1e6 / elapsed.as_secs_f64()
    );
    println!(
        "peak RSS {:.1} MiB (before parsing {:.1} MiB)",
        peak_rss_mib(),
        rss_before
    );
}
