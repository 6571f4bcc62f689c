//! Credentials and grants set aside on disk: a shard's reading (`scan::by_family`) cannot
//! tell which of them are its own until the register and every account are joined, and holding
//! the whole organisation's meanwhile is what a shard must not do. Written as the families are
//! read, read back once, in the order written, so that the records come back exactly as they
//! were (every field, including those the JSON reports leave out: locators, evidence locators).
//!
//! The file is an anonymous temporary file (`$TMPDIR`, removed by the system when the process
//! ends, however it ends); it holds native IDs and evidence like the reports do, never secret
//! material (records hold none). Each record is a frame: its length (4 bytes, little-endian),
//! then its postcard encoding. A frame that does not decode to exactly one record, a file that
//! ends early or goes on past the last record is an error ([`SpillError`]): never a record
//! silently lost or made up.

use std::borrow::Cow;
use std::fs::File;
use std::io::{BufRead, BufReader, BufWriter, Read, Seek, SeekFrom, Write};

use jiff::Timestamp;
use serde::{Deserialize, Serialize};

use super::model::{
    CredentialKind, CredentialRecord, CredentialStatus, EntraObject, Evidence, Expiry, GrantRecord,
    IdentityKind, Issuance, LastUse, Locator, SourceFamily, SystemRef,
};

/// The largest frame read back: a record is a few hundred bytes; a length past this is damage.
const MAX_FRAME: u32 = 64 << 20;

/// Why the spill could not be written or read back.
#[derive(Debug, thiserror::Error)]
pub enum SpillError {
    #[error("could not write or read the temporary file: {0}")]
    Io(#[from] std::io::Error),
    #[error("the temporary file does not read back as written: {0}")]
    Damaged(String),
}

/// Records of one kind, appended to a temporary file.
pub struct Spill<T> {
    file: BufWriter<File>,
    count: usize,
    scratch: Vec<u8>,
    kind: std::marker::PhantomData<T>,
}

/// A record kind the spill holds.
pub trait Spilled: Sized {
    fn encode(&self, into: Vec<u8>) -> Result<Vec<u8>, postcard::Error>;
    fn decode(bytes: &[u8]) -> Result<Self, String>;
}

impl<T: Spilled> Spill<T> {
    pub fn new() -> Result<Self, SpillError> {
        Ok(Spill {
            file: BufWriter::with_capacity(1 << 20, tempfile::tempfile()?),
            count: 0,
            scratch: Vec::new(),
            kind: std::marker::PhantomData,
        })
    }

    pub fn len(&self) -> usize {
        self.count
    }

    pub fn is_empty(&self) -> bool {
        self.count == 0
    }

    pub fn push(&mut self, record: &T) -> Result<(), SpillError> {
        self.scratch.clear();
        let frame = record
            .encode(std::mem::take(&mut self.scratch))
            .map_err(|e| SpillError::Damaged(e.to_string()))?;
        let length = u32::try_from(frame.len())
            .ok()
            .filter(|&n| n <= MAX_FRAME)
            .ok_or_else(|| SpillError::Damaged(format!("a record of {} bytes", frame.len())))?;
        self.file.write_all(&length.to_le_bytes())?;
        self.file.write_all(&frame)?;
        self.scratch = frame;
        self.count += 1;
        Ok(())
    }

    /// The records written, from the first.
    pub fn read_back(self) -> Result<SpillReader<T>, SpillError> {
        let mut file = self
            .file
            .into_inner()
            .map_err(|e| SpillError::Io(e.into_error()))?;
        file.seek(SeekFrom::Start(0))?;
        Ok(SpillReader {
            file: BufReader::with_capacity(1 << 20, file),
            left: self.count,
            frame: Vec::new(),
            kind: std::marker::PhantomData,
        })
    }
}

/// The records of a [`Spill`], in the order written.
pub struct SpillReader<T> {
    file: BufReader<File>,
    left: usize,
    frame: Vec<u8>,
    kind: std::marker::PhantomData<T>,
}

impl<T: Spilled> SpillReader<T> {
    /// The next `at_most` records (fewer at the end; none once all are read).
    pub fn next_chunk(&mut self, at_most: usize) -> Result<Vec<T>, SpillError> {
        let take = at_most.min(self.left);
        let mut chunk = Vec::with_capacity(take);
        for _ in 0..take {
            let mut length = [0u8; 4];
            self.file.read_exact(&mut length)?;
            let length = u32::from_le_bytes(length);
            if length > MAX_FRAME {
                return Err(SpillError::Damaged(format!("a frame of {length} bytes")));
            }
            self.frame.resize(length as usize, 0);
            self.file.read_exact(&mut self.frame)?;
            chunk.push(T::decode(&self.frame).map_err(SpillError::Damaged)?);
        }
        self.left -= take;
        if self.left == 0 && !self.file.fill_buf()?.is_empty() {
            return Err(SpillError::Damaged(
                "more in the file than was written".into(),
            ));
        }
        Ok(chunk)
    }
}

/// The one value a frame holds, and nothing after it.
fn whole<'a, T: Deserialize<'a>>(bytes: &'a [u8]) -> Result<T, String> {
    match postcard::take_from_bytes(bytes) {
        Ok((value, [])) => Ok(value),
        Ok((_, rest)) => Err(format!("{} bytes past a record", rest.len())),
        Err(e) => Err(e.to_string()),
    }
}

/// A timestamp as seconds and nanoseconds: exact, and needs no serde support from `jiff`.
#[derive(Serialize, Deserialize)]
struct Instant(i64, i32);

impl Instant {
    fn of(at: Timestamp) -> Self {
        Instant(at.as_second(), at.subsec_nanosecond())
    }

    fn at(self) -> Result<Timestamp, String> {
        Timestamp::new(self.0, self.1).map_err(|e| e.to_string())
    }
}

fn opt_at(at: Option<Instant>) -> Result<Option<Timestamp>, String> {
    at.map(Instant::at).transpose()
}

#[derive(Serialize, Deserialize)]
struct SpilledEvidence<'a> {
    path: Cow<'a, str>,
    line: Option<u32>,
    detail: Cow<'a, str>,
    locate: Option<Cow<'a, str>>,
}

impl<'a> SpilledEvidence<'a> {
    fn of(evidence: &'a Evidence) -> Self {
        // Taken apart, not read field by field: a field added to `Evidence` must be spilled too.
        let Evidence {
            path,
            line,
            detail,
            locate,
        } = evidence;
        SpilledEvidence {
            path: Cow::Borrowed(path),
            line: *line,
            detail: Cow::Borrowed(detail),
            locate: locate.as_deref().map(Cow::Borrowed),
        }
    }

    fn evidence(self) -> Evidence {
        let mut evidence = Evidence::new(&*self.path, self.detail.into_owned());
        evidence.line = self.line;
        evidence.locate = self.locate.map(Cow::into_owned);
        evidence
    }
}

#[derive(Serialize, Deserialize)]
enum SpilledLocator<'a> {
    Entra(EntraObject),
    Certificate {
        issuer: Cow<'a, str>,
        serial: Cow<'a, str>,
        vault_pki_mount: Option<Cow<'a, str>>,
    },
    GithubPatGrant(u64),
}

impl<'a> SpilledLocator<'a> {
    fn of(locator: &'a Locator) -> Self {
        match locator {
            Locator::Entra(object) => SpilledLocator::Entra(*object),
            Locator::Certificate(issuance) => SpilledLocator::Certificate {
                issuer: Cow::Borrowed(&issuance.issuer),
                serial: Cow::Borrowed(&issuance.serial),
                vault_pki_mount: issuance.vault_pki_mount.as_deref().map(Cow::Borrowed),
            },
            Locator::GithubPatGrant(id) => SpilledLocator::GithubPatGrant(*id),
        }
    }

    fn locator(self) -> Locator {
        match self {
            SpilledLocator::Entra(object) => Locator::Entra(object),
            SpilledLocator::Certificate {
                issuer,
                serial,
                vault_pki_mount,
            } => Locator::Certificate(Issuance {
                issuer: issuer.into_owned(),
                serial: serial.into_owned(),
                vault_pki_mount: vault_pki_mount.map(Cow::into_owned),
            }),
            SpilledLocator::GithubPatGrant(id) => Locator::GithubPatGrant(id),
        }
    }
}

#[derive(Serialize, Deserialize)]
enum SpilledExpiry {
    At(Instant),
    Never,
    NotApplicable,
}

#[derive(Serialize, Deserialize)]
enum SpilledLastUse {
    At(Instant),
    Never,
    Unknown,
}

#[derive(Serialize, Deserialize)]
struct SpilledCredential<'a> {
    family: SourceFamily,
    system: Cow<'a, str>,
    id: Cow<'a, str>,
    kind: CredentialKind,
    holder: Cow<'a, str>,
    status: CredentialStatus,
    created: Option<Instant>,
    last_used: SpilledLastUse,
    last_rotated: Option<Instant>,
    expires: SpilledExpiry,
    privileged: bool,
    trusted: bool,
    fingerprints: Vec<Cow<'a, str>>,
    locator: Option<SpilledLocator<'a>>,
    evidence: SpilledEvidence<'a>,
}

impl Spilled for CredentialRecord {
    fn encode(&self, into: Vec<u8>) -> Result<Vec<u8>, postcard::Error> {
        let SystemRef { family, name } = &self.system;
        let spilled = SpilledCredential {
            family: *family,
            system: Cow::Borrowed(name),
            id: Cow::Borrowed(&self.id),
            kind: self.kind,
            holder: Cow::Borrowed(&self.holder),
            status: self.status,
            created: self.created.map(Instant::of),
            last_used: match self.last_used {
                LastUse::At(at) => SpilledLastUse::At(Instant::of(at)),
                LastUse::Never => SpilledLastUse::Never,
                LastUse::Unknown => SpilledLastUse::Unknown,
            },
            last_rotated: self.last_rotated.map(Instant::of),
            expires: match self.expires {
                Expiry::At(at) => SpilledExpiry::At(Instant::of(at)),
                Expiry::Never => SpilledExpiry::Never,
                Expiry::NotApplicable => SpilledExpiry::NotApplicable,
            },
            privileged: self.privileged,
            trusted: self.trusted,
            fingerprints: self
                .fingerprints
                .iter()
                .map(|f| Cow::Borrowed(&**f))
                .collect(),
            locator: self.locator.as_deref().map(SpilledLocator::of),
            evidence: SpilledEvidence::of(&self.evidence),
        };
        postcard::to_extend(&spilled, into)
    }

    fn decode(bytes: &[u8]) -> Result<Self, String> {
        let s: SpilledCredential = whole(bytes)?;
        Ok(CredentialRecord {
            system: SystemRef::new(s.family, &*s.system),
            id: s.id.into_owned(),
            kind: s.kind,
            holder: s.holder.into_owned(),
            status: s.status,
            created: opt_at(s.created)?,
            last_used: match s.last_used {
                SpilledLastUse::At(at) => LastUse::At(at.at()?),
                SpilledLastUse::Never => LastUse::Never,
                SpilledLastUse::Unknown => LastUse::Unknown,
            },
            last_rotated: opt_at(s.last_rotated)?,
            expires: match s.expires {
                SpilledExpiry::At(at) => Expiry::At(at.at()?),
                SpilledExpiry::Never => Expiry::Never,
                SpilledExpiry::NotApplicable => Expiry::NotApplicable,
            },
            privileged: s.privileged,
            trusted: s.trusted,
            fingerprints: s.fingerprints.into_iter().map(Cow::into_owned).collect(),
            locator: s.locator.map(|l| Box::new(l.locator())),
            evidence: s.evidence.evidence(),
        })
    }
}

#[derive(Serialize, Deserialize)]
struct SpilledGrant<'a> {
    family: SourceFamily,
    system: Cow<'a, str>,
    holder: Cow<'a, str>,
    holder_kind: IdentityKind,
    privilege: Cow<'a, str>,
    dangling: bool,
    evidence: SpilledEvidence<'a>,
}

impl Spilled for GrantRecord {
    fn encode(&self, into: Vec<u8>) -> Result<Vec<u8>, postcard::Error> {
        let SystemRef { family, name } = &self.system;
        let spilled = SpilledGrant {
            family: *family,
            system: Cow::Borrowed(name),
            holder: Cow::Borrowed(&self.holder),
            holder_kind: self.holder_kind,
            privilege: Cow::Borrowed(&self.privilege),
            dangling: self.dangling,
            evidence: SpilledEvidence::of(&self.evidence),
        };
        postcard::to_extend(&spilled, into)
    }

    fn decode(bytes: &[u8]) -> Result<Self, String> {
        let s: SpilledGrant = whole(bytes)?;
        Ok(GrantRecord {
            system: SystemRef::new(s.family, &*s.system),
            holder: s.holder.into_owned(),
            holder_kind: s.holder_kind,
            privilege: s.privilege.into_owned(),
            dangling: s.dangling,
            evidence: s.evidence.evidence(),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(second: i64, nanos: i32) -> Timestamp {
        Timestamp::new(second, nanos).unwrap()
    }

    fn evidence(line: Option<u32>, locate: Option<&str>) -> Evidence {
        let mut evidence = Evidence::new("aws/report.csv", "credential report row of ci-bot");
        evidence.line = line;
        evidence.locate = locate.map(str::to_string);
        evidence
    }

    fn credentials() -> Vec<CredentialRecord> {
        let base = CredentialRecord {
            system: SystemRef::new(SourceFamily::Aws, "123456789012"),
            id: "AKIAIOSFODNN7EXAMPLE".into(),
            kind: CredentialKind::AccessKey,
            holder: "arn:aws:iam::123456789012:user/ci-bot".into(),
            status: CredentialStatus::Active,
            created: Some(at(1_700_000_000, 123_456_789)),
            last_used: LastUse::At(at(1_710_000_000, 0)),
            last_rotated: None,
            expires: Expiry::NotApplicable,
            privileged: false,
            trusted: false,
            fingerprints: Vec::new(),
            locator: None,
            evidence: evidence(Some(7), Some("arn:aws:iam::123456789012:user/ci-bot")),
        };
        let certificate = CredentialRecord {
            system: SystemRef::new(SourceFamily::Certs, "trust/bundle.pem"),
            id: "sha256:ab".into(),
            kind: CredentialKind::ClientCertificate,
            status: CredentialStatus::Inactive,
            created: None,
            last_used: LastUse::Never,
            last_rotated: Some(at(-5, 0)),
            expires: Expiry::At(at(1_800_000_000, 999_999_999)),
            privileged: true,
            trusted: true,
            fingerprints: vec!["spki-sha256:00ff".into(), "other".into()],
            locator: Some(Box::new(Locator::Certificate(Issuance {
                issuer: "CN=Example CA".into(),
                serial: "0a1b".into(),
                vault_pki_mount: Some("pki/".into()),
            }))),
            evidence: evidence(None, None),
            ..base.clone()
        };
        let entra = CredentialRecord {
            system: SystemRef::new(SourceFamily::Azure, "tenant"),
            last_used: LastUse::Unknown,
            expires: Expiry::Never,
            locator: Some(Box::new(Locator::Entra(EntraObject::ManagedIdentity))),
            ..base.clone()
        };
        let edges = CredentialRecord {
            created: Some(at(-5, -123_456_789)),
            last_used: LastUse::At(Timestamp::MIN),
            last_rotated: Some(Timestamp::MAX),
            evidence: evidence(Some(u32::MAX), Some("")),
            fingerprints: vec![String::new()],
            ..base.clone()
        };
        let pat = CredentialRecord {
            system: SystemRef::new(SourceFamily::Github, "org"),
            status: CredentialStatus::Revoked,
            locator: Some(Box::new(Locator::GithubPatGrant(u64::MAX))),
            ..base.clone()
        };
        vec![base, certificate, entra, edges, pat]
    }

    fn round_trip<T: Spilled + std::fmt::Debug>(records: &[T], chunk: usize) -> Vec<T> {
        let mut spill = Spill::new().unwrap();
        for record in records {
            spill.push(record).unwrap();
        }
        assert_eq!(spill.len(), records.len());
        let mut reader = spill.read_back().unwrap();
        let mut back = Vec::new();
        loop {
            let next = reader.next_chunk(chunk).unwrap();
            if next.is_empty() {
                break;
            }
            back.extend(next);
        }
        back
    }

    #[test]
    fn credentials_come_back_exactly_as_written_in_order() {
        let written = credentials();
        for chunk in [1, 3, 100] {
            let back = round_trip(&written, chunk);
            assert_eq!(format!("{written:?}"), format!("{back:?}"), "chunk {chunk}");
        }
    }

    #[test]
    fn grants_come_back_exactly_as_written() {
        let written = vec![
            GrantRecord {
                system: SystemRef::new(SourceFamily::Gcp, "project-1"),
                holder: "deleted:serviceAccount:old@p.iam.gserviceaccount.com".into(),
                holder_kind: IdentityKind::Service,
                privilege: "role:roles/owner on projects/project-1".into(),
                dangling: true,
                evidence: evidence(Some(1), None),
            },
            GrantRecord {
                system: SystemRef::new(SourceFamily::Kubernetes, "prod"),
                holder: "system:serviceaccount:ns:sa".into(),
                holder_kind: IdentityKind::Unknown,
                privilege: String::new(),
                dangling: false,
                evidence: evidence(None, Some("sa")),
            },
        ];
        let back = round_trip(&written, 1);
        assert_eq!(format!("{written:?}"), format!("{back:?}"));
    }

    #[test]
    fn a_damaged_frame_is_an_error_not_a_lost_record() {
        let mut spill = Spill::<GrantRecord>::new().unwrap();
        spill
            .push(&GrantRecord {
                system: SystemRef::new(SourceFamily::Gcp, "p"),
                holder: "h".into(),
                holder_kind: IdentityKind::Unknown,
                privilege: "x".into(),
                dangling: false,
                evidence: evidence(None, None),
            })
            .unwrap();
        // Claim a second record that was never written: the file ends early.
        spill.count += 1;
        let mut reader = spill.read_back().unwrap();
        assert!(reader.next_chunk(10).is_err());
    }

    #[test]
    fn a_file_longer_than_what_was_written_is_an_error() {
        let written = credentials();
        let mut spill = Spill::new().unwrap();
        for record in &written {
            spill.push(record).unwrap();
        }
        // Claim one record fewer than the file holds.
        spill.count -= 1;
        let mut reader = spill.read_back().unwrap();
        assert!(matches!(
            reader.next_chunk(100),
            Err(SpillError::Damaged(_))
        ));
    }

    #[test]
    fn a_frame_with_bytes_past_its_record_is_an_error() {
        let record = &credentials()[0];
        let mut frame = record.encode(Vec::new()).unwrap();
        assert!(CredentialRecord::decode(&frame).is_ok());
        frame.push(0);
        assert!(CredentialRecord::decode(&frame).is_err());
    }
}
