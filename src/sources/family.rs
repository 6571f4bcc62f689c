//! The contract every source family implements, and the one list of families. `sources`
//! dispatches over the list; adding a family is a folder that implements [`Family`] and one line
//! in [`FAMILIES`].
//!
//! A family names its own formats and file type; [`AnyFamily`] is the same contract with those
//! erased, so that the list can hold every family and a detected format can be carried as two
//! small numbers ([`Detected`]).

use std::any::Any;

use super::assembly::Assembly;
use super::{certs, SourceError};
use crate::discover::probe::Probe;
use crate::discover::FileInput;
use crate::inventory::{Records, Register, SourceFamily};

/// Everything deprov knows about one kind of export.
pub trait Family: Sync + 'static {
    /// The formats the family recognises.
    type Format: FamilyFormat;
    /// One parsed file.
    type File: FamilyFile;

    /// Which family this is (`aws`, `certs`, …), as reports name it.
    fn source(&self) -> SourceFamily;
    /// The format a file has, judged by its content (never by its name).
    fn recognise(&self, probe: &Probe) -> Option<Self::Format>;
    /// Reads a recognised file.
    fn parse(
        &self,
        probe: &Probe,
        format: Self::Format,
        context: &ParseContext,
    ) -> Result<Self::File, SourceError>;
    /// Work that must run one file at a time in path order, after parsing (so that what a
    /// per-scan budget admits is the same on every run): keystores' key derivations. Says
    /// whether it changed the file.
    fn settle(&self, _file: &mut Self::File, _budget: &mut ScanBudget) -> Result<bool, String> {
        Ok(false)
    }
    /// Whether a file of this format found inside a git repository is read: by default not,
    /// since a repository is attacker-shaped input and a committed export could lower a verdict.
    fn in_repository(&self, _format: Self::Format) -> InRepository {
        InRepository::Refused
    }
    /// What of a file read inside a repository is left out (certificate stores drop their CRLs,
    /// whose signatures are not checked); the warnings to show.
    fn for_repository(&self, _file: &mut Self::File) -> Vec<String> {
        Vec::new()
    }
    /// The keys that mark each format (a deploy key's `key` and `read_only`), so that a file
    /// that looks like an export but matches no format is listed with the closest known shape
    /// named (`near_miss`). A bare key matches a key of the file or one level down (the items
    /// of `value`, `Users`); `parent.key` matches `key` under `parent` only.
    fn characteristic_keys(&self) -> &'static [(Self::Format, &'static [&'static str])] {
        &[]
    }
    /// Joins the family's files into what the inventory is built from. Secret material an
    /// export holds (a `create-access-key` response's secret, a Kubernetes Secret's `data`) is
    /// not a record: the family reports it with [`Assembly::expose`] (see `sources::leak`),
    /// beside its warnings, and `sources::assemble` gathers it from every family.
    fn assemble(
        &self,
        files: Vec<(FileInput, Self::File)>,
        assembly: &mut Assembly,
    ) -> Result<Contribution, AssembleError>;
}

/// The formats of one family; declared with [`formats!`](crate::sources::formats).
pub trait FamilyFormat: Copy + Eq + Send + Sync + 'static {
    /// Every format, once, in declaration order: a detected format is carried as its index.
    const ALL: &'static [Self];
    /// The format's name, as reports show it after the family's (`aws/credential-report-csv`).
    fn name(self) -> &'static str;
}

/// Declares a family's format enum, each variant with the name reports show, and its
/// [`FamilyFormat`] impl: the list of formats and their names cannot drift apart.
macro_rules! formats {
    (
        $(#[$meta:meta])*
        $vis:vis enum $name:ident {
            $( $(#[$variant_meta:meta])* $variant:ident => $text:literal ),+ $(,)?
        }
    ) => {
        $(#[$meta])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
        $vis enum $name {
            $( $(#[$variant_meta])* $variant ),+
        }

        impl $name {
            /// The format's name, as reports show it after the family's.
            pub fn name(self) -> &'static str {
                match self {
                    $( $name::$variant => $text ),+
                }
            }
        }

        impl $crate::sources::FamilyFormat for $name {
            const ALL: &'static [Self] = &[$( $name::$variant ),+];

            fn name(self) -> &'static str {
                $name::name(self)
            }
        }
    };
}
pub(crate) use formats;

/// What every parsed file tells, whatever its family.
pub trait FamilyFile: Send + 'static {
    /// The identities, credentials, grants and uses the file holds (for `sources`).
    fn record_count(&self) -> usize;
    /// What is worth telling about the file; it is still read.
    fn warnings(&self) -> Vec<String>;
    /// What was read, when a record count says too little (an export manifest's origin and
    /// time): the `detail` of the file's entry under `sources`.
    fn detail(&self) -> Option<String> {
        None
    }
    /// When the export was taken, where the file says (an export manifest's `exported_at`, a
    /// credential report's `GeneratedTime`): recorded in evidence bundles.
    fn exported_at(&self) -> Option<jiff::Timestamp> {
        None
    }
}

/// Whether a format is read inside a git repository.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum InRepository {
    /// Read: it can only add findings (certificates).
    Read,
    /// Listed as skipped, and still scanned for secrets and references as code.
    Refused,
}

/// Settings some families need while parsing, resolved once from the config.
#[derive(Debug, Clone, Default)]
pub struct ParseContext {
    pub keystore_passwords: certs::KeystorePasswords,
    /// The evaluation time: register dates after it are scheduled retirements and departures,
    /// an export dated after it is read as undated.
    pub now: Option<jiff::Timestamp>,
    /// The config's `inventories:` mappings.
    pub inventories: std::sync::Arc<super::mapped::Inventories>,
    /// Which of them names the file being parsed (set by the scan for a mapped file).
    pub mapping: Option<usize>,
}

/// Costly work a scan admits in all (key derivations of keystores), charged in path order.
pub type ScanBudget = certs::KdfBudget;

/// What one family's files contribute: records, or (the register family) the register.
#[derive(Debug, Default)]
pub struct Contribution {
    pub records: Records,
    pub register: Option<Register>,
}

impl From<Records> for Contribution {
    fn from(records: Records) -> Self {
        Contribution {
            records,
            register: None,
        }
    }
}

/// Why a family's files could not be joined.
pub type AssembleError = super::RegisterConflicts;

/// A parsed file of some family; only that family reads it.
pub struct ErasedFile(Box<dyn Any + Send>);

impl std::fmt::Debug for ErasedFile {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("ErasedFile")
    }
}

impl ErasedFile {
    /// The parsed file, when it is of this type (for family-specific tests and tools).
    pub fn downcast_mut<T: 'static>(&mut self) -> Option<&mut T> {
        self.0.downcast_mut()
    }
}

/// A file one family parsed, with what every family tells about its files.
#[derive(Debug)]
pub struct Parsed {
    pub file: ErasedFile,
    pub records: usize,
    pub warnings: Vec<String>,
    pub detail: Option<String>,
    pub exported_at: Option<jiff::Timestamp>,
}

/// [`Family`] with its types erased, for the list of families. Implemented for every family.
pub trait AnyFamily: Sync {
    fn source(&self) -> SourceFamily;
    fn recognise(&self, probe: &Probe) -> Option<u8>;
    fn format_name(&self, format: u8) -> &'static str;
    fn parse(
        &self,
        probe: &Probe,
        format: u8,
        context: &ParseContext,
    ) -> Result<Parsed, SourceError>;
    fn settle(
        &self,
        file: &mut ErasedFile,
        budget: &mut ScanBudget,
    ) -> Result<Option<(usize, Vec<String>)>, String>;
    fn in_repository(&self, format: u8) -> InRepository;
    fn for_repository(&self, file: &mut ErasedFile) -> Vec<String>;
    /// [`Family::characteristic_keys`], each format by its `family/format` name.
    fn characteristic_keys(&self) -> Vec<(String, &'static [&'static str])>;
    fn assemble(
        &self,
        files: Vec<(FileInput, ErasedFile)>,
        assembly: &mut Assembly,
    ) -> Result<Contribution, AssembleError>;
}

impl<F: Family> AnyFamily for F {
    fn source(&self) -> SourceFamily {
        Family::source(self)
    }

    fn recognise(&self, probe: &Probe) -> Option<u8> {
        let format = Family::recognise(self, probe)?;
        F::Format::ALL
            .iter()
            .position(|f| *f == format)
            .and_then(|i| u8::try_from(i).ok())
    }

    fn format_name(&self, format: u8) -> &'static str {
        F::Format::ALL
            .get(usize::from(format))
            .map_or("unknown", |&f| f.name())
    }

    fn parse(
        &self,
        probe: &Probe,
        format: u8,
        context: &ParseContext,
    ) -> Result<Parsed, SourceError> {
        let Some(&format) = F::Format::ALL.get(usize::from(format)) else {
            return Err(SourceError::io(probe.input.rel.clone(), "no such format"));
        };
        let file = Family::parse(self, probe, format, context)?;
        Ok(Parsed {
            records: file.record_count(),
            warnings: file.warnings(),
            detail: file.detail(),
            exported_at: file.exported_at(),
            file: ErasedFile(Box::new(file)),
        })
    }

    fn settle(
        &self,
        file: &mut ErasedFile,
        budget: &mut ScanBudget,
    ) -> Result<Option<(usize, Vec<String>)>, String> {
        let Some(file) = file.downcast_mut::<F::File>() else {
            return Ok(None);
        };
        if !Family::settle(self, file, budget)? {
            return Ok(None);
        }
        Ok(Some((file.record_count(), file.warnings())))
    }

    fn in_repository(&self, format: u8) -> InRepository {
        F::Format::ALL
            .get(usize::from(format))
            .map_or(InRepository::Refused, |&f| Family::in_repository(self, f))
    }

    fn for_repository(&self, file: &mut ErasedFile) -> Vec<String> {
        file.downcast_mut::<F::File>()
            .map(|file| Family::for_repository(self, file))
            .unwrap_or_default()
    }

    fn characteristic_keys(&self) -> Vec<(String, &'static [&'static str])> {
        Family::characteristic_keys(self)
            .iter()
            .map(|(format, keys)| (format!("{}/{}", Family::source(self), format.name()), *keys))
            .collect()
    }

    fn assemble(
        &self,
        files: Vec<(FileInput, ErasedFile)>,
        assembly: &mut Assembly,
    ) -> Result<Contribution, AssembleError> {
        let files = files
            .into_iter()
            .filter_map(|(input, file)| {
                file.0.downcast::<F::File>().ok().map(|file| (input, *file))
            })
            .collect();
        Family::assemble(self, files, assembly)
    }
}

/// Every family, in the order files are tried: the register first (it is the source of truth),
/// then the collectors' export manifests, then the export families.
pub static FAMILIES: &[&dyn AnyFamily] = &[
    &super::register::LifecycleRegister,
    &super::manifest::ExportManifests,
    &super::aws::Aws,
    &super::gcp::Gcp,
    &super::azure::Azure,
    &super::kubernetes::Kubernetes,
    &super::github::Github,
    &super::vault::Vault,
    &super::terraform::Terraform,
    &super::certs::Certs,
    &super::nhiscan::NhiScan,
    &super::mapped::Mapped,
];

/// The format a file was recognised as: a family of [`FAMILIES`] and one of its formats.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Detected {
    family: u8,
    format: u8,
}

impl Detected {
    /// The family's index in [`FAMILIES`].
    pub fn family_index(self) -> usize {
        usize::from(self.family)
    }

    /// The family's entry in [`FAMILIES`].
    pub fn family_impl(self) -> &'static dyn AnyFamily {
        FAMILIES[usize::from(self.family)]
    }

    pub fn family(self) -> SourceFamily {
        self.family_impl().source()
    }

    /// The format's index among its family's formats.
    pub fn format(self) -> u8 {
        self.format
    }

    /// `family/format`, as reports show it.
    pub fn name(self) -> String {
        format!(
            "{}/{}",
            self.family(),
            self.family_impl().format_name(self.format)
        )
    }

    pub fn is_register(self) -> bool {
        self.family() == SourceFamily::Register
    }

    /// Whether a file of this format is read inside a git repository.
    pub fn in_repository(self) -> InRepository {
        self.family_impl().in_repository(self.format)
    }

    /// `format` of the family `F`, as a detected format.
    pub fn of<F: Family>(family: &F, format: F::Format) -> Option<Detected> {
        let family_index = FAMILIES
            .iter()
            .position(|f| f.source() == Family::source(family))?;
        let format_index = F::Format::ALL.iter().position(|f| *f == format)?;
        Some(Detected {
            family: u8::try_from(family_index).ok()?,
            format: u8::try_from(format_index).ok()?,
        })
    }
}

/// Recognises a file by content: the first family in [`FAMILIES`] that recognises it.
pub fn detect(probe: &Probe) -> Option<Detected> {
    FAMILIES.iter().enumerate().find_map(|(family, f)| {
        let format = f.recognise(probe)?;
        Some(Detected {
            family: u8::try_from(family).ok()?,
            format,
        })
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A format carried as [`Detected`] is that format again, in every family.
    fn round_trip<F: Family>(family: &F) {
        assert!(
            !F::Format::ALL.is_empty(),
            "{} has no format",
            family.source()
        );
        for (index, &format) in F::Format::ALL.iter().enumerate() {
            let detected = Detected::of(family, format).expect("listed in FAMILIES");
            assert_eq!(usize::from(detected.format()), index);
            assert_eq!(detected.family(), family.source());
            assert_eq!(
                detected.name(),
                format!("{}/{}", family.source(), format.name())
            );
        }
    }

    #[test]
    fn formats_round_trip_through_their_index() {
        use crate::sources::*;
        round_trip(&register::LifecycleRegister);
        round_trip(&manifest::ExportManifests);
        round_trip(&aws::Aws);
        round_trip(&gcp::Gcp);
        round_trip(&azure::Azure);
        round_trip(&kubernetes::Kubernetes);
        round_trip(&github::Github);
        round_trip(&vault::Vault);
        round_trip(&terraform::Terraform);
        round_trip(&certs::Certs);
        round_trip(&nhiscan::NhiScan);
        round_trip(&mapped::Mapped);
        assert_eq!(
            FAMILIES.len(),
            12,
            "a family without a round-trip check above"
        );
        let sources: Vec<SourceFamily> = FAMILIES.iter().map(|f| f.source()).collect();
        assert_eq!(
            sources[0],
            SourceFamily::Register,
            "the register is tried first"
        );
        let unique: std::collections::BTreeSet<&str> = sources.iter().map(|s| s.as_str()).collect();
        assert_eq!(unique.len(), sources.len(), "a family listed twice");
    }
}
