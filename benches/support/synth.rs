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
    /// Valid certificates of retired workloads: one DPV003 each.
    pub dpv003: usize,
    /// Secrets of retired identities found where they do not belong: access keys committed to
    /// a repository, GCP private keys a Terraform state holds, credentials in a retired agent's
    /// MCP configuration. One DPV004 each.
    pub dpv004: usize,
    /// Secrets of active registered identities in the same places (a GCP private key a state
    /// holds, an active agent's MCP credential): one LEAK002 each.
    pub leak002: usize,
    /// Credentials of retired identities a Terraform state still provisions: one DPV011 each.
    pub dpv011: usize,
    /// Agent configurations that still name a retired agent (its MCP server): one DPV008 each.
    pub dpv008: usize,
    /// Certificates (part of `credentials`).
    pub certificates: usize,
    /// Repository commits written.
    pub commits: usize,
    /// Access key IDs of retired identities' active keys, for planting in repositories.
    pub retired_keys: Vec<String>,
    /// Credentials a Terraform state may provision (one in [`PROVISIONED_EVERY`] of the AWS
    /// users' first keys and of the GCP service accounts' first keys, registered identities
    /// only), for [`terraform`].
    pub provisionable: Vec<Provisionable>,
}

/// A credential that infrastructure code manages.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Provisionable {
    /// `aws_iam_access_key` or `google_service_account_key`.
    pub resource_type: &'static str,
    /// The access key ID, or the key's full resource name.
    pub id: String,
    /// The IAM user's name, or `projects/P/serviceAccounts/EMAIL`.
    pub owner: String,
    /// The AWS account of an IAM user's key (the state names it in `data.aws_caller_identity`,
    /// so that deprov can form the user's ARN); empty for a GCP key.
    pub account: String,
    pub retired: bool,
}

/// One in this many AWS users and GCP service accounts has its first key managed by Terraform.
pub const PROVISIONED_EVERY: usize = 25;

impl Expected {
    fn add(&mut self, other: Expected) {
        self.credentials += other.credentials;
        self.identities += other.identities;
        self.dpv001 += other.dpv001;
        self.inv001 += other.inv001;
        self.dpv003 += other.dpv003;
        self.dpv004 += other.dpv004;
        self.leak002 += other.leak002;
        self.dpv011 += other.dpv011;
        self.dpv008 += other.dpv008;
        self.certificates += other.certificates;
        self.commits += other.commits;
        self.retired_keys.extend(other.retired_keys);
        self.provisionable.extend(other.provisionable);
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

/// Identities per file of a CSV register (`DEPROV_BENCH_REGISTER=csv`): about 150 MB.
pub const CSV_ROWS_PER_FILE: usize = 2_000_000;

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
        self.add_kind(rng, id, alias, None, expected)
    }

    /// [`Register::add`] with the register's `kind` (`agent`…) when it is not the default.
    fn add_kind(
        &mut self,
        rng: &mut Rng,
        id: &str,
        alias: &str,
        kind: Option<&str>,
        expected: &mut Expected,
    ) -> Fate {
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
                "  - id: {id}\n{}    status: {}\n{}    owner: {owner}\n    aliases: [\"{alias}\"]\n",
                kind.map(|k| format!("    kind: {k}\n")).unwrap_or_default(),
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
        const PEOPLE_AND_TEAMS: &str = "people:\n  - id: departed@example.com\n    status: departed\n    departed_at: 2026-01-01\nteams:\n  - id: team-a\n";
        if std::env::var("DEPROV_BENCH_REGISTER").as_deref() == Ok("csv") {
            self.write_identities_csv(dir)?;
            return std::fs::write(
                dir.join("register.yaml"),
                format!("identities: []\n{PEOPLE_AND_TEAMS}"),
            );
        }
        self.text.push_str(PEOPLE_AND_TEAMS);
        std::fs::write(dir.join("register.yaml"), self.text)
    }

    /// The identities in the CMDB CSV form the README names for very large estates
    /// (`DEPROV_BENCH_REGISTER=csv`), [`CSV_ROWS_PER_FILE`] to a file so that each stays under
    /// the default file-size limit; people and teams, which the CSV form does not hold, stay in
    /// a small YAML register beside them.
    fn write_identities_csv(&self, dir: &Path) -> std::io::Result<()> {
        const HEADER: &str = "id,kind,status,retired_at,owner,aliases\n";
        let mut rows: Vec<String> = Vec::new();
        let mut row: Option<[String; 6]> = None;
        let finish = |row: Option<[String; 6]>, rows: &mut Vec<String>| {
            if let Some(fields) = row {
                rows.push(fields.join(","));
            }
        };
        for line in self.text.lines().skip(1) {
            if let Some(id) = line.strip_prefix("  - id: ") {
                finish(row.take(), &mut rows);
                row = Some([
                    id.to_string(),
                    String::new(),
                    String::new(),
                    String::new(),
                    String::new(),
                    String::new(),
                ]);
            } else if let (Some(fields), Some((key, value))) =
                (row.as_mut(), line.trim().split_once(": "))
            {
                let slot = match key {
                    "kind" => 1,
                    "status" => 2,
                    "retired_at" => 3,
                    "owner" => 4,
                    "aliases" => 5,
                    _ => continue,
                };
                fields[slot] = if key == "aliases" {
                    value
                        .trim_matches(|c| c == '[' || c == ']')
                        .split(',')
                        .map(|alias| alias.trim().trim_matches('"'))
                        .collect::<Vec<_>>()
                        .join(";")
                } else {
                    value.to_string()
                };
            }
        }
        finish(row, &mut rows);
        for (n, chunk) in rows.chunks(CSV_ROWS_PER_FILE).enumerate() {
            let mut text = String::from(HEADER);
            for row in chunk {
                text.push_str(row);
                text.push('\n');
            }
            std::fs::write(
                dir.join(format!("register-identities-{:03}.csv", n + 1)),
                text,
            )?;
        }
        Ok(())
    }
}

/// Writes the organisation of a shape: `full`, `mixed`, or one family alone with every identity
/// in one system (`aws`, `gcp`, `azure`, `kubernetes`) or, with `-spread`, in systems of
/// [`IDENTITIES_PER_SPREAD_SYSTEM`] identities (`aws-spread`, `gcp-spread`).
pub fn org(shape: &str, dir: &Path, credentials: usize, seed: u64) -> std::io::Result<Expected> {
    match shape {
        "full" => full_org(dir, credentials, seed),
        "mixed" => mixed_org(dir, credentials, seed),
        _ => match shape.strip_suffix("-spread") {
            Some(family) => {
                family_org(dir, family, credentials, seed, IDENTITIES_PER_SPREAD_SYSTEM)
            }
            None => family_org(dir, shape, credentials, seed, ONE_SYSTEM),
        },
    }
}

/// Identities per system (AWS account, GCP project) in the spread shapes; the others put every
/// identity of a family in one system.
pub const IDENTITIES_PER_SPREAD_SYSTEM: usize = 1_000;

/// Every identity in one system: `usize::MAX` identities per system.
pub const ONE_SYSTEM: usize = usize::MAX;

/// Writes an AWS organisation with `credentials` access keys (two per user), every user in one
/// account.
pub fn aws_org(dir: &Path, credentials: usize, seed: u64) -> std::io::Result<Expected> {
    aws_org_in(dir, credentials, seed, ONE_SYSTEM)
}

/// [`aws_org`] with `per_account` users per account.
pub fn aws_org_in(
    dir: &Path,
    credentials: usize,
    seed: u64,
    per_account: usize,
) -> std::io::Result<Expected> {
    let mut register = Register::new();
    let mut rng = Rng::new(seed);
    let expected = aws(dir, credentials, &mut rng, &mut register, per_account)?;
    register.write(dir)?;
    Ok(expected)
}

/// One family alone, its `credentials` over systems of `per_system` identities where the family
/// names its systems (AWS accounts, GCP projects); Entra (`azure:entra`) and Kubernetes
/// (`kubernetes:cluster`) exports do not name theirs, so those are always one system.
pub fn family_org(
    dir: &Path,
    family: &str,
    credentials: usize,
    seed: u64,
    per_system: usize,
) -> std::io::Result<Expected> {
    let mut register = Register::new();
    let mut rng = Rng::new(seed);
    let expected = match family {
        "aws" => aws(dir, credentials, &mut rng, &mut register, per_system)?,
        "gcp" => gcp(dir, credentials, &mut rng, &mut register, per_system)?,
        "azure" => azure(dir, credentials, &mut rng, &mut register)?,
        "kubernetes" => kubernetes(dir, credentials, &mut rng, &mut register)?,
        other => {
            return Err(std::io::Error::new(
                std::io::ErrorKind::InvalidInput,
                format!("no family {other}"),
            ))
        }
    };
    register.write(dir)?;
    Ok(expected)
}

/// Writes an organisation over every family deprov reads: AWS (30 %), GCP (15 %), Azure (10 %),
/// Kubernetes (10 %), GitHub (10 %), Vault tokens (10 %), a SaaS inventory in nhi-scan's format
/// (3 %, a fifth of it AI agents) and certificate stores (12 %), `credentials` in all. Beside
/// them, what holds no credential of its own but keeps or leaks one:
/// - repositories where keys of retired identities were committed (DPV004);
/// - Terraform states (format version 4) managing one in [`PROVISIONED_EVERY`] of the
///   registered AWS users' and GCP service accounts' first keys (DPV011 for the retired ones;
///   the GCP private key each state holds is DPV004 or LEAK002; the AWS keys were created with a
///   PGP key, so their secret is encrypted);
/// - agents' MCP configurations (`.mcp.json`, `claude_desktop_config.json`) of one in ten
///   registered SaaS agents, holding a credential under the server keyed by the agent's name
///   (LEAK002 for an active agent; DPV004 and DPV008 for a retired one).
///
/// The SaaS inventory is nhi-scan's format because it needs no mapping: a mapped CSV would need
/// an `inventories:` config, which a scanned tree never supplies (the benchmark's plan uses the
/// default config, as `deprov scan DIR` would).
pub fn full_org(dir: &Path, credentials: usize, seed: u64) -> std::io::Result<Expected> {
    let mut register = Register::new();
    let mut rng = Rng::new(seed);
    let mut expected = Expected::default();
    let share = |percent: usize| credentials * percent / 100;
    expected.add(aws(dir, share(30), &mut rng, &mut register, ONE_SYSTEM)?);
    expected.add(gcp(dir, share(15), &mut rng, &mut register, ONE_SYSTEM)?);
    expected.add(azure(dir, share(10), &mut rng, &mut register)?);
    expected.add(kubernetes(dir, share(10), &mut rng, &mut register)?);
    expected.add(github(dir, share(10), &mut rng, &mut register)?);
    expected.add(vault(dir, share(10), &mut rng, &mut register)?);
    expected.add(saas(dir, share(3), &mut rng, &mut register)?);
    let certificates = credentials.saturating_sub(share(88));
    expected.add(certificates_org(
        dir,
        certificates,
        &mut rng,
        &mut register,
    )?);
    let keys = std::mem::take(&mut expected.retired_keys);
    expected.add(repositories(dir, &keys, credentials, &mut rng)?);
    let provisioned = std::mem::take(&mut expected.provisionable);
    expected.add(terraform(dir, &provisioned, &mut rng)?);
    register.write(dir)?;
    Ok(expected)
}

/// Writes an organisation spread over AWS (40 %), GCP (20 %), Azure (15 %), Kubernetes (15 %)
/// and GitHub (10 %), `credentials` in all.
pub fn mixed_org(dir: &Path, credentials: usize, seed: u64) -> std::io::Result<Expected> {
    let mut register = Register::new();
    let mut rng = Rng::new(seed);
    let mut expected = Expected::default();
    expected.add(aws(
        dir,
        credentials * 40 / 100,
        &mut rng,
        &mut register,
        ONE_SYSTEM,
    )?);
    expected.add(gcp(
        dir,
        credentials * 20 / 100,
        &mut rng,
        &mut register,
        ONE_SYSTEM,
    )?);
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

/// `AKIA` and 16 base-32 characters, as real key IDs are (repository detectors check this).
fn aws_key_id(n: usize) -> String {
    const ALPHABET: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
    let mut id = String::from("AKIA");
    let mut rest = n as u64;
    let mut digits = [b'A'; 16];
    for digit in digits.iter_mut().rev() {
        *digit = ALPHABET[(rest % 32) as usize];
        rest /= 32;
    }
    id.push_str(std::str::from_utf8(&digits).unwrap_or("AAAAAAAAAAAAAAAA"));
    id
}

/// The system of the `i`-th identity: one named `one` when every identity shares it, else one
/// per `per_system` identities, named by `numbered`.
fn system_name(
    i: usize,
    per_system: usize,
    one: &str,
    numbered: impl Fn(usize) -> String,
) -> String {
    if per_system == ONE_SYSTEM {
        one.to_string()
    } else {
        numbered(i / per_system.max(1))
    }
}

fn aws(
    dir: &Path,
    credentials: usize,
    rng: &mut Rng,
    register: &mut Register,
    per_account: usize,
) -> std::io::Result<Expected> {
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
        let account = system_name(i, per_account, "111122223333", |n| {
            format!("{:012}", 200_000_000_000 + n)
        });
        let arn = format!("arn:aws:iam::{account}:user/{name}");
        let created = NOW_EPOCH - (30 + rng.below(900) as i64) * DAY;
        let fate = register.add(rng, &name, &arn, &mut expected);
        let mut slots = String::new();
        for slot in 1..=2 {
            let rotated = created + (rng.below(20) as i64) * DAY;
            let active = slot == 1 || rng.chance(40);
            let key_id = aws_key_id(i * 2 + slot);
            if active && fate.retired {
                expected.dpv001 += 1;
                if slot == 1 {
                    expected.retired_keys.push(key_id.clone());
                }
            }
            if slot == 1 && fate.registered && i % PROVISIONED_EVERY == 0 {
                expected.provisionable.push(Provisionable {
                    resource_type: "aws_iam_access_key",
                    id: key_id.clone(),
                    owner: name.clone(),
                    account: account.clone(),
                    retired: fate.retired,
                });
            }
            let used = if rng.chance(15) {
                "N/A,N/A,N/A".to_string()
            } else {
                let at = (NOW_EPOCH - (rng.below(200) as i64) * DAY).max(rotated + DAY);
                format!("{},us-east-1,s3", iso(at))
            };
            let _ = write!(slots, "{},{},{},", active, iso(rotated), used);
            keys.push(&format!(
                "{{\"UserName\":\"{name}\",\"AccessKeyId\":\"{key_id}\",\"Status\":\"{}\",\"CreateDate\":\"{}\"}}",
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
    per_project: usize,
) -> std::io::Result<Expected> {
    std::fs::create_dir_all(dir.join("gcp/keys"))?;
    let mut expected = Expected::default();
    let mut accounts = Pager::new(usize::MAX);
    let mut keys = Pager::new(1000);
    let accounts_needed = credentials.div_ceil(2);
    let mut written = 0;
    for i in 0..accounts_needed {
        let project = system_name(i, per_project, "synth-prod", |n| format!("synth-{n:05}"));
        let email = format!("sa-{i:07}@{project}.iam.gserviceaccount.com");
        let fate = register.add(rng, &format!("gcp-sa-{i:07}"), &email, &mut expected);
        accounts.push(&format!(
            "{{\"name\":\"projects/{project}/serviceAccounts/{email}\",\"projectId\":\"{project}\",\"uniqueId\":\"1{i:020}\",\"email\":\"{email}\",\"displayName\":\"sa {i}\"}}"
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
            if k == 0 && fate.registered && i % PROVISIONED_EVERY == 0 {
                expected.provisionable.push(Provisionable {
                    resource_type: "google_service_account_key",
                    id: format!("projects/{project}/serviceAccounts/{email}/keys/{i:037}{k:03}"),
                    owner: format!("projects/{project}/serviceAccounts/{email}"),
                    account: String::new(),
                    retired: fate.retired,
                });
            }
            keys.push(&format!(
                "{{\"name\":\"projects/{project}/serviceAccounts/{email}/keys/{i:037}{k:03}\",\"validAfterTime\":\"{}\",\"validBeforeTime\":\"{before}\",\"keyAlgorithm\":\"KEY_ALG_RSA_2048\",\"keyOrigin\":\"GOOGLE_PROVIDED\",\"keyType\":\"USER_MANAGED\"{}}}",
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

/// Vault tokens issued to AppRole logins, one lookup file per accessor (the API-path layout).
fn vault(
    dir: &Path,
    credentials: usize,
    rng: &mut Rng,
    register: &mut Register,
) -> std::io::Result<Expected> {
    let tokens = dir.join("vault/auth/token/accessors");
    std::fs::create_dir_all(&tokens)?;
    let mut expected = Expected {
        credentials,
        ..Expected::default()
    };
    // Two tokens per role.
    let mut fate = None;
    for i in 0..credentials {
        let role = format!("vrole-{:07}", i / 2);
        if i % 2 == 0 {
            fate = Some(register.add(
                rng,
                &role,
                &format!("auth/approle/role/{role}"),
                &mut expected,
            ));
        }
        let created = NOW_EPOCH - (1 + rng.below(60) as i64) * DAY;
        let expires = NOW_EPOCH + (1 + rng.below(30) as i64) * DAY;
        if fate.is_some_and(|f| f.retired) {
            expected.dpv001 += 1;
        }
        let accessor = guid(rng);
        std::fs::write(
            tokens.join(format!("{accessor}.json")),
            format!(
                "{{\"data\":{{\"accessor\":\"{accessor}\",\"creation_time\":{created},\"creation_ttl\":{},\"display_name\":\"approle\",\"entity_id\":\"\",\"expire_time\":\"{}\",\"explicit_max_ttl\":0,\"id\":\"\",\"meta\":{{\"role_name\":\"{role}\"}},\"num_uses\":0,\"orphan\":true,\"path\":\"auth/approle/login\",\"policies\":[\"default\",\"app\"],\"renewable\":true,\"ttl\":{},\"type\":\"service\"}}}}\n",
                expires - created,
                iso_z(expires),
                expires - NOW_EPOCH
            ),
        )?;
    }
    Ok(expected)
}

/// `len` letters and digits from the generator: a credential's value.
fn token(rng: &mut Rng, len: usize) -> String {
    const ALPHABET: &[u8] = b"ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz23456789";
    (0..len)
        .map(|_| ALPHABET[rng.below(ALPHABET.len() as u64) as usize] as char)
        .collect()
}

/// A SaaS inventory in nhi-scan's JSON format (pages of 1,000 records): one identity and one
/// stored credential per record (`nhi-scan:ID`, registered under that alias), a fifth of them AI
/// agents (register `kind: agent`). One in ten registered agents has an MCP configuration on its
/// host that holds a credential under the server keyed by its name, alternately Claude Code's
/// `.mcp.json` and Claude Desktop's `claude_desktop_config.json`.
fn saas(
    dir: &Path,
    credentials: usize,
    rng: &mut Rng,
    register: &mut Register,
) -> std::io::Result<Expected> {
    const TYPES: [(&str, &str); 4] = [
        ("oauth_app", "static_secret"),
        ("api_key", "api_key"),
        ("service_account", "static_secret"),
        ("pat", "api_key"),
    ];
    std::fs::create_dir_all(dir.join("saas"))?;
    let mut expected = Expected {
        credentials,
        ..Expected::default()
    };
    let mut records = Pager::new(1000);
    let mut agents_registered = 0usize;
    for i in 0..credentials {
        let agent = i % 5 == 0;
        let id = if agent {
            format!("agent-{i:07}")
        } else {
            format!("saas-{i:07}")
        };
        let fate = register.add_kind(
            rng,
            &id,
            &format!("nhi-scan:{id}"),
            agent.then_some("agent"),
            &mut expected,
        );
        if fate.retired {
            expected.dpv001 += 1;
        }
        let (kind, credential) = if agent {
            ("ai_agent", "api_key")
        } else {
            TYPES[rng.below(TYPES.len() as u64) as usize]
        };
        records.push(&format!(
            "{{\"id\":\"{id}\",\"name\":\"{kind} {i}\",\"type\":\"{kind}\",\"owner\":\"team-a\",\"environment\":\"prod\",\"privilege\":\"scoped\",\"credential\":\"{credential}\",\"secret_storage\":\"vault\",\"last_rotated_days\":{},\"last_used_days\":{},\"exposure\":\"internal\",\"scopes\":[\"records:read\"],\"autonomous\":{agent}}}",
            rng.below(400),
            rng.below(120)
        ));
        if !(agent && fate.registered) {
            continue;
        }
        agents_registered += 1;
        if agents_registered % 10 != 1 {
            continue;
        }
        let host = dir.join(format!("agents/host-{i:07}"));
        std::fs::create_dir_all(&host)?;
        let file = if agents_registered % 20 == 1 {
            ".mcp.json"
        } else {
            "claude_desktop_config.json"
        };
        std::fs::write(
            host.join(file),
            format!(
                "{{\n  \"mcpServers\": {{\n    \"{id}\": {{\n      \"command\": \"npx\",\n      \"args\": [\"-y\", \"@example/records-mcp\"],\n      \"env\": {{\n        \"RECORDS_API_KEY\": \"{}\",\n        \"RECORDS_REGION\": \"eu-west-1\"\n      }}\n    }}\n  }}\n}}\n",
                token(rng, 40)
            ),
        )?;
        if fate.retired {
            expected.dpv004 += 1;
            expected.dpv008 += 1;
        } else {
            expected.leak002 += 1;
        }
    }
    write_pages(dir, "saas/nhi-inventory", &records.finish(), |p| {
        format!("[\n{p}\n]")
    })?;
    Ok(expected)
}

/// Terraform states (format version 4) of 100 managed keys each, in one directory per state
/// (one configuration each): the keys of `provisioned`. A retired identity's key is DPV011. A
/// GCP key's state holds its private key in plain (DPV004 of a retired identity, LEAK002 of an
/// active one); the AWS keys were created with a PGP key, so the state holds only the
/// encrypted secret.
fn terraform(
    dir: &Path,
    provisioned: &[Provisionable],
    rng: &mut Rng,
) -> std::io::Result<Expected> {
    use base64::Engine;
    let mut expected = Expected::default();
    for (n, chunk) in provisioned.chunks(100).enumerate() {
        let mut resources = Vec::with_capacity(chunk.len() + 1);
        // The account the configuration deploys to, as `terraform state pull` records the
        // usual `data "aws_caller_identity"` (the users of one state share an account).
        if let Some(account) = chunk
            .iter()
            .find(|key| !key.account.is_empty())
            .map(|key| &key.account)
        {
            resources.push(format!(
                "    {{\n      \"mode\": \"data\",\n      \"type\": \"aws_caller_identity\",\n      \"name\": \"current\",\n      \"provider\": \"provider[\\\"registry.terraform.io/hashicorp/aws\\\"]\",\n      \"instances\": [\n        {{\n          \"schema_version\": 0,\n          \"attributes\": {{\"account_id\": \"{account}\", \"arn\": \"arn:aws:iam::{account}:user/terraform\", \"id\": \"{account}\", \"user_id\": \"AIDATERRAFORMSYNTH01\"}},\n          \"sensitive_attributes\": []\n        }}\n      ]\n    }}"
            ));
        }
        for (k, key) in chunk.iter().enumerate() {
            let name = format!("key_{k:03}");
            let attributes = match key.resource_type {
                "aws_iam_access_key" => format!(
                    "\"create_date\": \"{}\", \"encrypted_secret\": \"wcBMA{}\", \"encrypted_ses_smtp_password_v4\": null, \"id\": \"{}\", \"key_fingerprint\": \"{}\", \"pgp_key\": \"keybase:platform\", \"secret\": null, \"ses_smtp_password_v4\": null, \"status\": \"Active\", \"user\": \"{}\"",
                    iso_z(NOW_EPOCH - 400 * DAY),
                    token(rng, 60),
                    key.id,
                    token(rng, 16),
                    key.owner
                ),
                _ => {
                    let private_key = base64::engine::general_purpose::STANDARD
                        .encode(token(rng, 96).as_bytes());
                    format!(
                        "\"id\": \"{id}\", \"keepers\": null, \"key_algorithm\": \"KEY_ALG_RSA_2048\", \"name\": \"{id}\", \"private_key\": \"{private_key}\", \"private_key_type\": \"TYPE_GOOGLE_CREDENTIALS_FILE\", \"public_key\": \"LS0tLS1CRUdJTiBDRVJUSUZJQ0FURS0tLS0tCg==\", \"public_key_data\": null, \"public_key_type\": \"TYPE_X509_PEM_FILE\", \"service_account_id\": \"{}\", \"valid_after\": \"{}\", \"valid_before\": \"9999-12-31T23:59:59Z\"",
                        key.owner,
                        iso_z(NOW_EPOCH - 400 * DAY),
                        id = key.id
                    )
                }
            };
            let (provider, sensitive) = match key.resource_type {
                "aws_iam_access_key" => ("aws", "secret"),
                _ => ("google", "private_key"),
            };
            resources.push(format!(
                "    {{\n      \"module\": \"module.stack_{n:04}\",\n      \"mode\": \"managed\",\n      \"type\": \"{}\",\n      \"name\": \"{name}\",\n      \"provider\": \"provider[\\\"registry.terraform.io/hashicorp/{provider}\\\"]\",\n      \"instances\": [\n        {{\n          \"schema_version\": 0,\n          \"attributes\": {{{attributes}}},\n          \"sensitive_attributes\": [[{{\"type\": \"get_attr\", \"value\": \"{sensitive}\"}}]],\n          \"private\": \"bnVsbA==\"\n        }}\n      ]\n    }}",
                key.resource_type
            ));
            if key.retired {
                expected.dpv011 += 1;
            }
            if key.resource_type == "google_service_account_key" {
                if key.retired {
                    expected.dpv004 += 1;
                } else {
                    expected.leak002 += 1;
                }
            }
        }
        let stack = dir.join(format!("terraform/stack-{n:04}"));
        std::fs::create_dir_all(&stack)?;
        std::fs::write(
            stack.join("terraform.tfstate"),
            format!(
                "{{\n  \"version\": 4,\n  \"terraform_version\": \"1.9.8\",\n  \"serial\": {},\n  \"lineage\": \"{}\",\n  \"outputs\": {{}},\n  \"resources\": [\n{}\n  ],\n  \"check_results\": null\n}}\n",
                1 + rng.below(200),
                guid(rng),
                resources.join(",\n")
            ),
        )?;
    }
    Ok(expected)
}

/// Certificates in trust bundles of 1,000: copies of a real certificate of the example
/// organisation with serial and names rewritten in place (same lengths, so the DER stays well
/// formed). One workload per certificate, named by its DNS name.
fn certificates_org(
    dir: &Path,
    count: usize,
    rng: &mut Rng,
    register: &mut Register,
) -> std::io::Result<Expected> {
    use base64::Engine;
    const TEMPLATE_NAME: &[u8] = b"frontend.web.example.com";
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let chain = std::fs::read(root.join("testdata/example-org/certs/services/frontend-chain.pem"))?;
    let invalid =
        |what: &str| std::io::Error::new(std::io::ErrorKind::InvalidData, what.to_string());
    let template = deprov::x509::pem_blocks(&chain)
        .into_iter()
        .next()
        .and_then(|b| b.contents.ok())
        .ok_or_else(|| invalid("template PEM"))?;
    let facts = deprov::x509::certificate_facts(&template).map_err(|_| invalid("template"))?;
    let serial = hex::decode(&facts.serial).map_err(|_| invalid("serial"))?;
    let serial_at = template
        .windows(serial.len())
        .position(|w| w == serial.as_slice())
        .ok_or_else(|| invalid("serial in DER"))?;
    let name_at: Vec<usize> = template
        .windows(TEMPLATE_NAME.len())
        .enumerate()
        .filter(|(_, w)| *w == TEMPLATE_NAME)
        .map(|(i, _)| i)
        .collect();
    let mut expected = Expected {
        credentials: count,
        certificates: count,
        ..Expected::default()
    };
    let per_bundle = 1000;
    for bundle in 0..count.div_ceil(per_bundle) {
        let mut pem = String::new();
        for n in bundle * per_bundle..((bundle + 1) * per_bundle).min(count) {
            let mut der = template.clone();
            let len = serial.len();
            der[serial_at + len - 4..serial_at + len].copy_from_slice(&(n as u32).to_be_bytes());
            let name = format!("c{n:07}.web.example.com");
            for &at in &name_at {
                der[at..at + TEMPLATE_NAME.len()].copy_from_slice(name.as_bytes());
            }
            let fate = register.add(
                rng,
                &format!("workload-c{n:07}"),
                &format!("dns:{name}"),
                &mut expected,
            );
            if fate.retired {
                expected.dpv003 += 1;
            }
            pem.push_str("-----BEGIN CERTIFICATE-----\n");
            let body = base64::engine::general_purpose::STANDARD.encode(&der);
            for line in body.as_bytes().chunks(64) {
                pem.push_str(std::str::from_utf8(line).unwrap_or_default());
                pem.push('\n');
            }
            pem.push_str("-----END CERTIFICATE-----\n");
        }
        let store = dir.join(format!("certs/store-{:03}", bundle % 10));
        std::fs::create_dir_all(&store)?;
        std::fs::write(store.join(format!("bundle-{bundle:04}.pem")), pem)?;
    }
    Ok(expected)
}

/// Infrastructure repositories (one per 100,000 credentials, at least one) whose history holds
/// configuration files; one in a hundred retired identities' keys was committed with its secret,
/// and a later commit deleted a quarter of those files (history still holds them).
fn repositories(
    dir: &Path,
    retired_keys: &[String],
    credentials: usize,
    rng: &mut Rng,
) -> std::io::Result<Expected> {
    use git2::{Repository, Signature, Time};
    let git_error = |e: git2::Error| std::io::Error::other(e.to_string());
    let repos = credentials.div_ceil(100_000).max(1);
    let planted: Vec<&String> = retired_keys.iter().step_by(100).collect();
    let mut expected = Expected {
        dpv004: planted.len(),
        ..Expected::default()
    };
    for r in 0..repos {
        let path = dir.join(format!("repos/infra-{r:02}"));
        std::fs::create_dir_all(&path)?;
        let repo = Repository::init(&path).map_err(git_error)?;
        let mut files: Vec<(String, String)> = Vec::new();
        // Ordinary configuration, the bulk of the history.
        for f in 0..(credentials / repos / 50).max(10) {
            files.push((
                format!("services/svc-{f:05}/config.yaml"),
                format!(
                    "service: svc-{f:05}\nreplicas: {}\nregion: us-east-1\nimage: registry.example.com/svc-{f:05}:{}\n",
                    1 + rng.below(5),
                    rng.below(1000)
                ),
            ));
        }
        for (k, key) in planted.iter().enumerate().filter(|(k, _)| k % repos == r) {
            let secret: String = (0..40)
                .map(|_| {
                    let alphabet =
                        b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789/+";
                    alphabet[rng.below(64) as usize] as char
                })
                .collect();
            files.push((
                format!("deploy/env-{k:05}.env"),
                format!("AWS_ACCESS_KEY_ID={key}\nAWS_SECRET_ACCESS_KEY={secret}\nAWS_DEFAULT_REGION=us-east-1\n"),
            ));
        }
        let mut parent: Option<git2::Oid> = None;
        let batches = files.chunks(500.max(files.len() / 20 + 1));
        let mut time = NOW_EPOCH - 300 * DAY;
        let mut all: Vec<(String, git2::Oid)> = Vec::new();
        let commit = |all: &[(String, git2::Oid)],
                      message: &str,
                      time: i64,
                      parent: Option<git2::Oid>|
         -> Result<git2::Oid, git2::Error> {
            let mut builder = git2::build::TreeUpdateBuilder::new();
            for (path, oid) in all {
                builder.upsert(path.as_str(), *oid, git2::FileMode::Blob);
            }
            let empty = repo.treebuilder(None)?.write()?;
            let base = match parent {
                Some(p) => repo.find_commit(p)?.tree()?,
                None => repo.find_tree(empty)?,
            };
            let tree = builder.create_updated(&repo, &base)?;
            let tree = repo.find_tree(tree)?;
            let sig = Signature::new("Synth", "synth@example.com", &Time::new(time, 0))?;
            let parents: Vec<git2::Commit> = parent
                .iter()
                .filter_map(|p| repo.find_commit(*p).ok())
                .collect();
            let parents: Vec<&git2::Commit> = parents.iter().collect();
            repo.commit(Some("HEAD"), &sig, &sig, message, &tree, &parents)
        };
        for batch in batches {
            let mut added = Vec::new();
            for (path, content) in batch {
                let oid = repo.blob(content.as_bytes()).map_err(git_error)?;
                added.push((path.clone(), oid));
            }
            time += DAY;
            parent = Some(commit(&added, "add configuration", time, parent).map_err(git_error)?);
            all.extend(added);
            expected.commits += 1;
        }
        // A clean-up commit deletes a quarter of the env files: they remain in history.
        let tree = repo
            .find_commit(parent.ok_or_else(|| std::io::Error::other("no commit"))?)
            .and_then(|c| c.tree())
            .map_err(git_error)?;
        let mut builder = git2::build::TreeUpdateBuilder::new();
        for (path, _) in all
            .iter()
            .filter(|(p, _)| p.starts_with("deploy/"))
            .step_by(4)
        {
            builder.remove(path.as_str());
        }
        let cleaned = builder.create_updated(&repo, &tree).map_err(git_error)?;
        let cleaned = repo.find_tree(cleaned).map_err(git_error)?;
        let sig = Signature::new("Synth", "synth@example.com", &Time::new(time + DAY, 0))
            .map_err(git_error)?;
        let head = repo
            .find_commit(parent.unwrap_or(git2::Oid::ZERO_SHA1))
            .map_err(git_error)?;
        repo.commit(
            Some("HEAD"),
            &sig,
            &sig,
            "remove old env files",
            &cleaned,
            &[&head],
        )
        .map_err(git_error)?;
        expected.commits += 1;
        // The working tree matches HEAD.
        repo.checkout_head(Some(git2::build::CheckoutBuilder::new().force()))
            .map_err(git_error)?;
    }
    Ok(expected)
}
