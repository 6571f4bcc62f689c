//! Terraform: what the next apply will keep alive. Reads state files (format version 4,
//! `terraform.tfstate` or `terraform state pull`), `terraform show -json` of a state
//! (`values.root_module` with its `child_modules`) and of a plan (`resource_changes[]` with
//! `change.actions`, `planned_values`, `prior_state`), recognised by their keys.
//!
//! Format decisions:
//! - A resource that is an identity, a credential or a grant (`aws_iam_user`,
//!   `aws_iam_access_key`, `aws_iam_*_policy_attachment`, `google_service_account(_key)`,
//!   `google_*_iam_member`/`_binding`, `azuread_application(_password)`,
//!   `azuread_service_principal(_password)`, `kubernetes_service_account`,
//!   `kubernetes_(cluster_)role_binding`, `vault_approle_auth_backend_role(_secret_id)`,
//!   `github_repository_deploy_key`, … in `resources.rs`) becomes a provision record: its address,
//!   its holder in the alias form the other families use, the credential's native ID when known,
//!   and what the next apply does with it (a state keeps what it holds; a plan says). It is never
//!   an account, credential or grant of the system itself: the state is what the code wants.
//! - The configuration is the file's directory: its system is `terraform:DIRECTORY`, and its
//!   files (a state and a plan side by side) are one configuration for naming holders.
//! - Secret attributes (marked sensitive by the file, or named `secret`, `password`,
//!   `private_key`, …) are reduced to a digest while they are read and reported as secrets of
//!   the file (`sources::leak`), attributed to the resource's identity; sensitive outputs
//!   likewise, unattributed unless they repeat a resource's secret. The value is never kept.
//! - State format version 3 and older (Terraform 0.11) is refused as unreadable.
//! - Read inside repositories as well: a committed state is a leak, and provision records only
//!   add findings (they change no account's or credential's state).
//! - Lines are where each value's raw text starts in the file (a resource's `address`, a state
//!   resource's `name` or instance `index_key`, a secret attribute's value).

mod model;
mod normalize;
mod read;
mod resources;

pub use normalize::assemble;

use super::SourceError;
use crate::discover::probe::{Content, Probe};

crate::sources::formats! {
    pub enum Format {
        State => "state",
        ShownState => "show-json-state",
        Plan => "plan-json",
    }
}

pub fn detect(probe: &Probe) -> Option<Format> {
    let Content::Json(shape) = &probe.content else {
        return None;
    };
    if shape.is_array {
        return None;
    }
    if shape.has_all(&["version", "lineage", "serial"]) {
        Some(Format::State)
    } else if shape.has("format_version")
        && (shape.has("resource_changes") || shape.has("planned_values"))
    {
        Some(Format::Plan)
    } else if shape.has("format_version")
        && shape.has("values")
        && shape
            .nested
            .get("values")
            .is_some_and(|keys| keys.contains("root_module") || keys.contains("outputs"))
    {
        Some(Format::ShownState)
    } else {
        None
    }
}

/// One parsed state or plan.
#[derive(Debug, Clone)]
pub struct TerraformFile {
    pub format: Format,
    /// The directory the file is in: the configuration it belongs to.
    pub directory: String,
    pub read: read::Read,
}

impl super::FamilyFile for TerraformFile {
    fn record_count(&self) -> usize {
        self.read
            .instances
            .iter()
            .filter(|i| i.change.is_some() && resources::is_provisioning(&i.resource_type))
            .count()
    }

    fn warnings(&self) -> Vec<String> {
        self.read.warnings.clone()
    }
}

/// The directory of a path as reports show it (`.` for the scanned root).
fn directory_of(rel: &str) -> String {
    match rel.rsplit_once('/') {
        Some((dir, _)) if !dir.is_empty() => dir.to_string(),
        _ => ".".to_string(),
    }
}

pub fn parse(probe: &Probe, format: Format) -> Result<TerraformFile, SourceError> {
    let bytes = super::whole(probe)?;
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    let json_error =
        |e: serde_json::Error| SourceError::json(probe.input, bytes, format.name(), &e);
    let read = match format {
        Format::State => {
            let state: model::StateFile = serde_json::from_slice(bytes).map_err(json_error)?;
            if state.version != 4 {
                return Err(SourceError::content(
                    probe.input,
                    bytes,
                    crate::sources::leak::top_level_key(bytes, &["version"]),
                    format!(
                        "state format version {} (Terraform {}) is not read: deprov reads version 4, written by Terraform 0.12 and later; upgrade the state or give `terraform show -json` output",
                        state.version,
                        state.terraform_version.as_deref().unwrap_or("0.11 or older")
                    ),
                    "state format version",
                ));
            }
            read::state(bytes, &state)
        }
        Format::ShownState => {
            let state: model::ShownState = serde_json::from_slice(bytes).map_err(json_error)?;
            read::shown_state(bytes, &state)
        }
        Format::Plan => {
            let plan: model::Plan = serde_json::from_slice(bytes).map_err(json_error)?;
            read::plan(bytes, &plan)
        }
    };
    Ok(TerraformFile {
        format,
        directory: directory_of(&probe.input.rel),
        read,
    })
}

/// The Terraform family.
pub struct Terraform;

impl super::Family for Terraform {
    type Format = Format;
    type File = TerraformFile;

    fn source(&self) -> crate::inventory::SourceFamily {
        crate::inventory::SourceFamily::Terraform
    }

    fn recognise(&self, probe: &Probe) -> Option<Format> {
        detect(probe)
    }

    fn parse(
        &self,
        probe: &Probe,
        format: Format,
        _context: &super::ParseContext,
    ) -> Result<TerraformFile, SourceError> {
        parse(probe, format)
    }

    /// A state committed to a repository is the classic leak, and what a state provisions can
    /// only add findings.
    fn in_repository(&self, _format: Format) -> super::InRepository {
        super::InRepository::Read
    }

    fn assemble(
        &self,
        files: Vec<(crate::discover::FileInput, TerraformFile)>,
        assembly: &mut super::Assembly,
    ) -> Result<super::Contribution, super::family::AssembleError> {
        Ok(assemble(files, assembly).into())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::discover::FileInput;

    fn probe_of(rel: &str, text: &str) -> (tempfile::TempDir, FileInput) {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("file.json");
        std::fs::write(&path, text).unwrap();
        let input = FileInput {
            path,
            rel: rel.into(),
            size: text.len() as u64,
        };
        (dir, input)
    }

    fn detect_json(text: &str) -> Option<Format> {
        let (_dir, input) = probe_of("x.json", text);
        let probe = Probe::read(&input, 1 << 20).unwrap();
        detect(&probe)
    }

    #[test]
    fn detects_every_shape_by_content() {
        assert_eq!(
            detect_json(
                r#"{"version": 4, "terraform_version": "1.5.7", "serial": 3, "lineage": "x", "outputs": {}, "resources": []}"#
            ),
            Some(Format::State)
        );
        assert_eq!(
            detect_json(
                r#"{"format_version": "1.2", "terraform_version": "1.5.7", "planned_values": {}, "resource_changes": []}"#
            ),
            Some(Format::Plan)
        );
        assert_eq!(
            detect_json(
                r#"{"format_version": "1.0", "terraform_version": "1.5.7", "values": {"root_module": {}}}"#
            ),
            Some(Format::ShownState)
        );
        assert_eq!(detect_json(r#"{"format_version": "1.0"}"#), None);
        assert_eq!(detect_json(r#"{"version": 1, "etag": "e"}"#), None);
    }

    #[test]
    fn directories_name_configurations() {
        assert_eq!(directory_of("terraform.tfstate"), ".");
        assert_eq!(directory_of("infra/ci/terraform.tfstate"), "infra/ci");
    }

    /// Many instances, and one instance with many attributes and as many sensitive paths, are
    /// read in time linear in the file (the timeout is only a hang guard).
    #[test]
    fn large_states_are_read_in_linear_time() {
        let (sender, receiver) = std::sync::mpsc::channel();
        std::thread::spawn(move || {
            let instances: Vec<String> = (0..20_000)
                .map(|i| format!(r#"{{"index_key": "u{i}", "attributes": {{"name": "u{i}", "arn": "arn:aws:iam::111122223333:user/u{i}"}}, "sensitive_attributes": []}}"#))
                .collect();
            let attributes: Vec<String> = (0..20_000)
                .map(|i| format!(r#""a{i}": "v{i}-s3cr3t""#))
                .collect();
            let paths: Vec<String> = (0..20_000)
                .map(|i| format!(r#"[{{"type": "get_attr", "value": "a{i}"}}]"#))
                .collect();
            let text = format!(
                r#"{{"version": 4, "serial": 1, "lineage": "l", "resources": [
                  {{"mode": "managed", "type": "aws_iam_user", "name": "users", "instances": [{}]}},
                  {{"mode": "managed", "type": "random_password", "name": "p", "instances": [{{"attributes": {{{}}}, "sensitive_attributes": [{}]}}]}}]}}"#,
                instances.join(","),
                attributes.join(","),
                paths.join(",")
            );
            let (_dir, input) = probe_of("big.tfstate", &text);
            let probe = Probe::read(&input, 1 << 30).unwrap();
            let file = parse(&probe, Format::State).unwrap();
            let ((records, exposures), _) =
                crate::sources::Assembly::alone_with_exposures(assemble, vec![(input, file)]);
            let _ = sender.send((records.provisions.len(), exposures.len()));
        });
        let (provisions, exposures) = receiver
            .recv_timeout(std::time::Duration::from_secs(60))
            .expect("reading a large state did not finish");
        assert_eq!((provisions, exposures), (20_000, 20_000));
    }

    #[test]
    fn an_old_state_is_refused_with_its_version() {
        let (_dir, input) = probe_of(
            "old.tfstate",
            r#"{"version": 3, "terraform_version": "0.11.14", "serial": 1, "lineage": "l", "modules": []}"#,
        );
        let probe = Probe::read(&input, 1 << 20).unwrap();
        assert_eq!(detect(&probe), Some(Format::State));
        let error = parse(&probe, Format::State).unwrap_err();
        assert!(error.reason().contains("version 3"), "{}", error.reason());
    }
}
