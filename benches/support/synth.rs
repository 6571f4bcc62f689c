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
    /// Active credentials of retired identities: one DPV001 finding each.
    pub dpv001: usize,
    /// Unregistered identities present in a system: one INV001 each.
    pub inv001: usize,
}

impl Expected {
    fn add(&mut self, other: Expected) {
        self.credentials += other.credentials;
        self.identities += other.identities;
        self.dpv001 += other.dpv001;
        self.inv001 += other.inv001;
    }
}

const NOW_EPOCH: i64 = 1_795_564_800; // 2026-11-25T00:00:00Z
const DAY: i64 = 86_400;

fn iso(epoch: i64) -> String {
    jiff::Timestamp::from_second(epoch)
        .map(|ts| ts.strftime("%Y-%m-%dT%H:%M:%S+00:00").to_string())
        .unwrap_or_default()
}

fn iso_z(epoch: i64) -> String {
    jiff::Timestamp::from_second(epoch)
        .map(|ts| ts.strftime("%Y-%m-%dT%H:%M:%SZ").to_string())
        .unwrap_or_default()
}

/// The register every family adds its identities to.
struct Register {
    text: String,
}

/// Whether an identity is registered, and retired.
#[derive(Clone, Copy)]
struct Fate {
    registered: bool,
    retired: bool,
}

impl Register {
    fn new() -> Self {
        Register {
            text: String::from("identities:\n"),
        }
    }

    /// Decides an identity's fate (90 % registered, 10 % of those retired) and records it.
    fn add(&mut self, rng: &mut Rng, id: &str, alias: &str, expected: &mut Expected) -> Fate {
        let registered = rng.chance(90);
        let retired = registered && rng.chance(10);
        expected.identities += 1;
        if registered {
            let owner = if rng.chance(5) {
                "departed@example.com"
            } else {
                "team-a"
            };
            let _ =
                write!(
                self.text,
                "  - id: {id}\n    status: {}\n{}    owner: {owner}\n    aliases: [\"{alias}\"]\n",
                if retired { "retired" } else { "active" },
                if retired { "    retired_at: 2026-06-01\n" } else { "" }
            );
        } else {
            expected.inv001 += 1;
        }
        Fate {
            registered,
            retired,
        }
    }

    fn write(mut self, dir: &Path) -> std::io::Result<()> {
        self.text.push_str(
            "people:\n  - id: departed@example.com\n    status: departed\n    departed_at: 2026-01-01\nteams:\n  - id: team-a\n",
        );
        std::fs::write(dir.join("register.yaml"), self.text)
    }
}

/// Writes an AWS organisation with `credentials` access keys (two per user).
pub fn aws_org(dir: &Path, credentials: usize, seed: u64) -> std::io::Result<Expected> {
    let mut register = Register::new();
    let mut rng = Rng::new(seed);
    let expected = aws(dir, credentials, &mut rng, &mut register)?;
    register.write(dir)?;
    Ok(expected)
}

/// Writes an organisation spread over AWS (40 %), GCP (20 %), Azure (15 %), Kubernetes (15 %)
/// and GitHub (10 %), `credentials` in all.
pub fn mixed_org(dir: &Path, credentials: usize, seed: u64) -> std::io::Result<Expected> {
    let mut register = Register::new();
    let mut rng = Rng::new(seed);
    let mut expected = Expected::default();
    expected.add(aws(dir, credentials * 40 / 100, &mut rng, &mut register)?);
    expected.add(gcp(dir, credentials * 20 / 100, &mut rng, &mut register)?);
    expected.add(azure(dir, credentials * 15 / 100, &mut rng, &mut register)?);
    expected.add(kubernetes(
        dir,
        credentials * 15 / 100,
        &mut rng,
        &mut register,
    )?);
    expected.add(github(
        dir,
        credentials * 10 / 100,
        &mut rng,
        &mut register,
    )?);
    register.write(dir)?;
    Ok(expected)
}

fn write_pages(
    dir: &Path,
    prefix: &str,
    pages: &[String],
    wrap: impl Fn(&str) -> String,
) -> std::io::Result<()> {
    for (n, page) in pages.iter().enumerate() {
        let mut file = std::fs::File::create(dir.join(format!("{prefix}-{n:05}.json")))?;
        writeln!(file, "{}", wrap(page))?;
    }
    Ok(())
}

/// Splits items into pages of `size`, comma-joined.
struct Pager {
    size: usize,
    pages: Vec<String>,
    current: String,
    count: usize,
}

impl Pager {
    fn new(size: usize) -> Self {
        Pager {
            size,
            pages: Vec::new(),
            current: String::new(),
            count: 0,
        }
    }

    fn push(&mut self, item: &str) {
        if !self.current.is_empty() {
            self.current.push_str(",\n");
        }
        self.current.push_str(item);
        self.count += 1;
        if self.count == self.size {
            self.pages.push(std::mem::take(&mut self.current));
            self.count = 0;
        }
    }

    fn finish(mut self) -> Vec<String> {
        if !self.current.is_empty() {
            self.pages.push(self.current);
        }
        self.pages
    }
}

fn aws(
    dir: &Path,
    credentials: usize,
    rng: &mut Rng,
    register: &mut Register,
) -> std::io::Result<Expected> {
    const ACCOUNT: &str = "111122223333";
    let users = credentials.div_ceil(2);
    std::fs::create_dir_all(dir.join("aws/access-keys"))?;
    let mut expected = Expected {
        credentials: users * 2,
        ..Expected::default()
    };
    let mut report = String::from(
        "user,arn,user_creation_time,password_enabled,password_last_used,password_last_changed,password_next_rotation,mfa_active,access_key_1_active,access_key_1_last_rotated,access_key_1_last_used_date,access_key_1_last_used_region,access_key_1_last_used_service,access_key_2_active,access_key_2_last_rotated,access_key_2_last_used_date,access_key_2_last_used_region,access_key_2_last_used_service,cert_1_active,cert_1_last_rotated,cert_2_active,cert_2_last_rotated\n",
    );
    let mut keys = Pager::new(1000);
    let mut authz = Pager::new(usize::MAX);
    for i in 0..users {
        let name = format!("svc-{i:07}");
        let arn = format!("arn:aws:iam::{ACCOUNT}:user/{name}");
        let created = NOW_EPOCH - (30 + rng.below(900) as i64) * DAY;
        let fate = register.add(rng, &name, &arn, &mut expected);
        let mut slots = String::new();
        for slot in 1..=2 {
            let rotated = created + (rng.below(20) as i64) * DAY;
            let active = slot == 1 || rng.chance(40);
            if active && fate.retired {
                expected.dpv001 += 1;
            }
            let used = if rng.chance(15) {
                "N/A,N/A,N/A".to_string()
            } else {
                let at = (NOW_EPOCH - (rng.below(200) as i64) * DAY).max(rotated + DAY);
                format!("{},us-east-1,s3", iso(at))
            };
            let _ = write!(slots, "{},{},{},", active, iso(rotated), used);
            keys.push(&format!(
                "{{\"UserName\":\"{name}\",\"AccessKeyId\":\"AKIA{i:015}{slot}\",\"Status\":\"{}\",\"CreateDate\":\"{}\"}}",
                if active { "Active" } else { "Inactive" },
                iso(rotated)
            ));
        }
        let _ = writeln!(
            report,
            "{name},{arn},{},false,N/A,N/A,N/A,false,{slots}false,N/A,false,N/A",
            iso(created)
        );
        authz.push(&format!(
            "{{\"UserName\":\"{name}\",\"UserId\":\"AIDA{i:017}\",\"Arn\":\"{arn}\",\"Path\":\"/\",\"CreateDate\":\"{}\",\"GroupList\":[\"workers\"],\"AttachedManagedPolicies\":[{{\"PolicyName\":\"ReadOnlyAccess\",\"PolicyArn\":\"arn:aws:iam::aws:policy/ReadOnlyAccess\"}}],\"Tags\":[]}}",
            iso(created)
        ));
    }
    std::fs::write(dir.join("aws/credential-report.csv"), report)?;
    write_pages(dir, "aws/access-keys/page", &keys.finish(), |p| {
        format!("{{\"AccessKeyMetadata\": [\n{p}\n], \"IsTruncated\": false}}")
    })?;
    write_pages(dir, "aws/authorization-details", &authz.finish(), |p| {
        format!("{{\"UserDetailList\": [\n{p}\n], \"GroupDetailList\": [], \"RoleDetailList\": [], \"Policies\": []}}")
    })?;
    Ok(expected)
}

fn gcp(
    dir: &Path,
    credentials: usize,
    rng: &mut Rng,
    register: &mut Register,
) -> std::io::Result<Expected> {
    const PROJECT: &str = "synth-prod";
    std::fs::create_dir_all(dir.join("gcp/keys"))?;
    let mut expected = Expected::default();
    let mut accounts = Pager::new(usize::MAX);
    let mut keys = Pager::new(1000);
    let accounts_needed = credentials.div_ceil(2);
    let mut written = 0;
    for i in 0..accounts_needed {
        let email = format!("sa-{i:07}@{PROJECT}.iam.gserviceaccount.com");
        let fate = register.add(rng, &format!("gcp-sa-{i:07}"), &email, &mut expected);
        accounts.push(&format!(
            "{{\"name\":\"projects/{PROJECT}/serviceAccounts/{email}\",\"projectId\":\"{PROJECT}\",\"uniqueId\":\"1{i:020}\",\"email\":\"{email}\",\"displayName\":\"sa {i}\"}}"
        ));
        for k in 0..2 {
            if written == credentials {
                break;
            }
            written += 1;
            let after = NOW_EPOCH - (10 + rng.below(400) as i64) * DAY;
            let never = rng.chance(50);
            let before = if never {
                "9999-12-31T23:59:59Z".to_string()
            } else {
                iso_z(after + 180 * DAY)
            };
            let disabled = rng.chance(10);
            let expired = !never && after + 180 * DAY <= NOW_EPOCH;
            if fate.retired && !disabled && !expired {
                expected.dpv001 += 1;
            }
            keys.push(&format!(
                "{{\"name\":\"projects/{PROJECT}/serviceAccounts/{email}/keys/{i:037}{k:03}\",\"validAfterTime\":\"{}\",\"validBeforeTime\":\"{before}\",\"keyAlgorithm\":\"KEY_ALG_RSA_2048\",\"keyOrigin\":\"GOOGLE_PROVIDED\",\"keyType\":\"USER_MANAGED\"{}}}",
                iso_z(after),
                if disabled { ",\"disabled\":true" } else { "" }
            ));
        }
    }
    expected.credentials += written;
    write_pages(dir, "gcp/service-accounts", &accounts.finish(), |p| {
        format!("[\n{p}\n]")
    })?;
    write_pages(dir, "gcp/keys/page", &keys.finish(), |p| {
        format!("[\n{p}\n]")
    })?;
    Ok(expected)
}

fn guid(rng: &mut Rng) -> String {
    let a = rng.next();
    let b = rng.next();
    format!(
        "{:08x}-{:04x}-4{:03x}-8{:03x}-{:012x}",
        a >> 32,
        (a >> 16) & 0xffff,
        a & 0xfff,
        b >> 52,
        b & 0xffff_ffff_ffff
    )
}

fn azure(
    dir: &Path,
    credentials: usize,
    rng: &mut Rng,
    register: &mut Register,
) -> std::io::Result<Expected> {
    std::fs::create_dir_all(dir.join("azure"))?;
    let mut expected = Expected::default();
    let mut apps = Pager::new(500);
    let mut written = 0;
    let mut i = 0;
    while written < credentials {
        let app_id = guid(rng);
        let fate = register.add(rng, &format!("entra-app-{i:07}"), &app_id, &mut expected);
        let mut secrets = String::new();
        for k in 0..2 {
            if written == credentials {
                break;
            }
            written += 1;
            let start = NOW_EPOCH - (10 + rng.below(500) as i64) * DAY;
            let end = start + (90 + rng.below(700) as i64) * DAY;
            if fate.retired && end > NOW_EPOCH {
                expected.dpv001 += 1;
            }
            let _ = write!(
                secrets,
                "{}{{\"keyId\":\"{}\",\"displayName\":\"secret {k}\",\"startDateTime\":\"{}\",\"endDateTime\":\"{}\",\"hint\":null}}",
                if k == 0 { "" } else { "," },
                guid(rng),
                iso_z(start),
                iso_z(end)
            );
        }
        apps.push(&format!(
            "{{\"id\":\"{}\",\"appId\":\"{app_id}\",\"displayName\":\"app {i}\",\"createdDateTime\":\"2024-01-01T00:00:00Z\",\"passwordCredentials\":[{secrets}],\"keyCredentials\":[]}}",
            guid(rng)
        ));
        i += 1;
    }
    expected.credentials += written;
    write_pages(dir, "azure/applications", &apps.finish(), |p| {
        format!("{{\"@odata.context\":\"https://graph.microsoft.com/v1.0/$metadata#applications\",\"value\":[\n{p}\n]}}")
    })?;
    Ok(expected)
}

fn kubernetes(
    dir: &Path,
    credentials: usize,
    rng: &mut Rng,
    register: &mut Register,
) -> std::io::Result<Expected> {
    std::fs::create_dir_all(dir.join("kubernetes"))?;
    let mut expected = Expected {
        credentials,
        ..Expected::default()
    };
    let mut accounts = Pager::new(usize::MAX);
    let mut secrets = Pager::new(2000);
    for i in 0..credentials {
        let ns = format!("ns-{:04}", i % 500);
        let name = format!("workload-{i:07}");
        let fate = register.add(
            rng,
            &format!("k8s-{i:07}"),
            &format!("system:serviceaccount:{ns}:{name}"),
            &mut expected,
        );
        let created = NOW_EPOCH - (10 + rng.below(700) as i64) * DAY;
        if fate.retired {
            expected.dpv001 += 1;
        }
        accounts.push(&format!(
            "{{\"apiVersion\":\"v1\",\"kind\":\"ServiceAccount\",\"metadata\":{{\"name\":\"{name}\",\"namespace\":\"{ns}\",\"uid\":\"{}\",\"creationTimestamp\":\"{}\"}}}}",
            guid(rng),
            iso_z(created)
        ));
        secrets.push(&format!(
            "{{\"apiVersion\":\"v1\",\"kind\":\"Secret\",\"type\":\"kubernetes.io/service-account-token\",\"metadata\":{{\"name\":\"{name}-token\",\"namespace\":\"{ns}\",\"uid\":\"{}\",\"creationTimestamp\":\"{}\",\"annotations\":{{\"kubernetes.io/service-account.name\":\"{name}\"}}}}}}",
            guid(rng),
            iso_z(created)
        ));
    }
    write_pages(dir, "kubernetes/serviceaccounts", &accounts.finish(), |p| {
        format!("{{\"apiVersion\":\"v1\",\"kind\":\"List\",\"items\":[\n{p}\n],\"metadata\":{{\"resourceVersion\":\"\"}}}}")
    })?;
    write_pages(dir, "kubernetes/secrets", &secrets.finish(), |p| {
        format!("{{\"apiVersion\":\"v1\",\"kind\":\"List\",\"items\":[\n{p}\n],\"metadata\":{{\"resourceVersion\":\"\"}}}}")
    })?;
    Ok(expected)
}

fn github(
    dir: &Path,
    credentials: usize,
    rng: &mut Rng,
    register: &mut Register,
) -> std::io::Result<Expected> {
    std::fs::create_dir_all(dir.join("github"))?;
    let mut expected = Expected {
        credentials,
        ..Expected::default()
    };
    let mut pats = Pager::new(100);
    for i in 0..credentials {
        let login = format!("bot-{i:07}");
        let fate = register.add(
            rng,
            &format!("gh-{i:07}"),
            &format!("github:{login}"),
            &mut expected,
        );
        let granted = NOW_EPOCH - (10 + rng.below(400) as i64) * DAY;
        let expires = if rng.chance(30) {
            None
        } else {
            Some(granted + (30 + rng.below(500) as i64) * DAY)
        };
        let expired = expires.is_some_and(|e| e <= NOW_EPOCH);
        if fate.retired && !expired {
            expected.dpv001 += 1;
        }
        pats.push(&format!(
            "{{\"id\":{i},\"owner\":{{\"login\":\"{login}\",\"id\":{i},\"type\":\"Bot\"}},\"repository_selection\":\"all\",\"permissions\":{{}},\"access_granted_at\":\"{}\",\"token_id\":{},\"token_name\":\"pat {i}\",\"token_expired\":{expired},\"token_expires_at\":{},\"token_last_used_at\":null}}",
            iso_z(granted),
            1_000_000 + i,
            expires.map_or("null".to_string(), |e| format!("\"{}\"", iso_z(e)))
        ));
    }
    let pages = pats.finish();
    // `gh api --paginate` prints the pages back to back in one file.
    let mut file = std::fs::File::create(dir.join("github/fine-grained-pats.json"))?;
    for page in pages {
        writeln!(file, "[\n{page}\n]")?;
    }
    Ok(expected)
}
