//! Synthetic organisations in the real export formats, seeded and deterministic, with planted
//! gaps in known proportions so that a benchmark can check the number of findings it gets.
//!
//! Shared by `benches/scan.rs` and `examples/synth.rs` (`cargo run --release --example synth`).
#![allow(dead_code)]

use std::fmt::Write as _;
use std::io::Write;
use std::path::Path;

/// A small, fast, seeded generator (xorshift64*): the same seed gives the same organisation.
pub struct Rng(u64);

impl Rng {
    pub fn new(seed: u64) -> Self {
        Rng(seed.max(1))
    }

    pub fn next(&mut self) -> u64 {
        let mut x = self.0;
        x ^= x >> 12;
        x ^= x << 25;
        x ^= x >> 27;
        self.0 = x;
        x.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }

    /// True with probability `percent`/100.
    pub fn chance(&mut self, percent: u64) -> bool {
        self.next() % 100 < percent
    }

    pub fn below(&mut self, n: u64) -> u64 {
        self.next() % n.max(1)
    }
}

/// What was planted, to compare with what the scan finds.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct Expected {
    pub credentials: usize,
    pub identities: usize,
    /// Active keys of retired identities: one DPV001 finding each.
    pub dpv001: usize,
    /// Unregistered users: one INV001 each.
    pub inv001: usize,
}

const ACCOUNT: &str = "111122223333";
const NOW_EPOCH: i64 = 1_795_564_800; // 2026-11-25T00:00:00Z
const DAY: i64 = 86_400;

fn iso(epoch: i64) -> String {
    let ts = jiff::Timestamp::from_second(epoch).expect("in range");
    ts.strftime("%Y-%m-%dT%H:%M:%S+00:00").to_string()
}

fn key_id(i: usize, slot: usize) -> String {
    format!("AKIA{:015}{}", i, slot)
}

/// Writes an AWS organisation with `credentials` access keys (two per user) into `dir`:
/// a register, a credential report, `list-access-keys` pages and authorization details.
pub fn aws_org(dir: &Path, credentials: usize, seed: u64) -> std::io::Result<Expected> {
    let mut rng = Rng::new(seed);
    let users = credentials.div_ceil(2);
    std::fs::create_dir_all(dir.join("aws/access-keys"))?;
    let mut expected = Expected {
        credentials: users * 2,
        identities: users,
        ..Expected::default()
    };

    let mut register = String::from("identities:\n");
    let mut report = String::from(
        "user,arn,user_creation_time,password_enabled,password_last_used,password_last_changed,password_next_rotation,mfa_active,access_key_1_active,access_key_1_last_rotated,access_key_1_last_used_date,access_key_1_last_used_region,access_key_1_last_used_service,access_key_2_active,access_key_2_last_rotated,access_key_2_last_used_date,access_key_2_last_used_region,access_key_2_last_used_service,cert_1_active,cert_1_last_rotated,cert_2_active,cert_2_last_rotated\n",
    );
    let mut pages: Vec<String> = Vec::new();
    let mut page = String::new();
    let mut authz = String::from("{\"UserDetailList\": [\n");
    for i in 0..users {
        let name = format!("svc-{i:07}");
        let arn = format!("arn:aws:iam::{ACCOUNT}:user/{name}");
        let created = NOW_EPOCH - (30 + rng.below(900) as i64) * DAY;
        let registered = rng.chance(90);
        let retired = registered && rng.chance(10);
        if registered {
            let owner = if rng.chance(5) {
                "departed@example.com"
            } else {
                "team-a"
            };
            let _ = write!(
                register,
                "  - id: {name}\n    status: {}\n{}    owner: {owner}\n    aliases: [{arn}]\n",
                if retired { "retired" } else { "active" },
                if retired {
                    "    retired_at: 2026-06-01\n"
                } else {
                    ""
                }
            );
        } else {
            expected.inv001 += 1;
        }
        let mut slots = String::new();
        for slot in 1..=2 {
            let rotated = created + (rng.below(20) as i64) * DAY;
            let active = slot == 1 || rng.chance(40);
            if active && retired {
                expected.dpv001 += 1;
            }
            let used = if rng.chance(15) {
                "N/A,N/A,N/A".to_string()
            } else {
                let at = (NOW_EPOCH - (rng.below(200) as i64) * DAY).max(rotated + DAY);
                format!("{},us-east-1,s3", iso(at))
            };
            let _ = write!(slots, "{},{},{},", active, iso(rotated), used);
            let _ = write!(
                page,
                "{}{{\"UserName\":\"{name}\",\"AccessKeyId\":\"{}\",\"Status\":\"{}\",\"CreateDate\":\"{}\"}}",
                if page.is_empty() { "" } else { ",\n" },
                key_id(i, slot),
                if active { "Active" } else { "Inactive" },
                iso(rotated)
            );
        }
        let _ = writeln!(
            report,
            "{name},{arn},{},false,N/A,N/A,N/A,false,{slots}false,N/A,false,N/A",
            iso(created)
        );
        if (i + 1) % 500 == 0 {
            pages.push(std::mem::take(&mut page));
        }
        let _ = write!(
            authz,
            "{}{{\"UserName\":\"{name}\",\"UserId\":\"AIDA{i:017}\",\"Arn\":\"{arn}\",\"Path\":\"/\",\"CreateDate\":\"{}\",\"GroupList\":[\"workers\"],\"AttachedManagedPolicies\":[{{\"PolicyName\":\"ReadOnlyAccess\",\"PolicyArn\":\"arn:aws:iam::aws:policy/ReadOnlyAccess\"}}],\"Tags\":[]}}",
            if i == 0 { "" } else { ",\n" },
            iso(created)
        );
    }
    if !page.is_empty() {
        pages.push(page);
    }
    authz.push_str("\n], \"GroupDetailList\": [], \"RoleDetailList\": [], \"Policies\": []}\n");
    register.push_str("people:\n  - id: departed@example.com\n    status: departed\n    departed_at: 2026-01-01\nteams:\n  - id: team-a\n");

    std::fs::write(dir.join("register.yaml"), register)?;
    std::fs::write(dir.join("aws/credential-report.csv"), report)?;
    std::fs::write(dir.join("aws/authorization-details.json"), authz)?;
    for (n, page) in pages.iter().enumerate() {
        let mut file =
            std::fs::File::create(dir.join(format!("aws/access-keys/page-{n:05}.json")))?;
        writeln!(
            file,
            "{{\"AccessKeyMetadata\": [\n{page}\n], \"IsTruncated\": false}}"
        )?;
    }
    Ok(expected)
}
