//! Resolving the shared scan arguments and the config into a `ScanPlan`, once, before any work.

use jiff::Timestamp;

use super::policy_dir::{read_policy_dir, user_catalog_path};
use super::CommandError;
use crate::catalog::Catalog;
use crate::cli::ScanArgs;
use crate::config::Config;
use crate::engine::PolicyPack;
use crate::scan::ScanPlan;
use crate::sources::certs::KeystorePasswords;
use crate::sources::exposure::git::GitOptions;
use crate::sources::exposure::secrets::DetectorSet;
use crate::sources::ParseContext;

/// Loads the config, catalogs and policy pack and checks them against each other.
pub fn resolve(
    args: &ScanArgs,
    baseline: Option<&std::path::Path>,
) -> Result<ScanPlan, CommandError> {
    let (mut config, warning) = Config::load_for_scan(args.config.as_deref(), &args.paths)?;
    if let Some(warning) = warning {
        eprintln!("warning: {}", crate::report::escape::visible(&warning));
    }
    let (catalog, pack) = load_pack(args.policies.as_deref(), &mut config)?;
    let now = match &args.now {
        Some(text) => parse_now(text)?,
        None => Timestamp::now(),
    };
    let mut register_files = args.register.clone();
    if let Some(register) = &config.register {
        let base = config
            .path
            .as_ref()
            .and_then(|p| p.parent())
            .map(|p| p.to_path_buf())
            .unwrap_or_default();
        register_files.push(base.join(register));
    }
    let git = GitOptions {
        history: config.repositories.history && !args.no_history,
        since: args.since.clone(),
        max_blob_bytes: config
            .repositories
            .max_blob_size_mb
            .saturating_mul(1024 * 1024),
        max_file_bytes: config.limits.max_file_bytes(),
        trust_exports: args.trust_repository_exports,
    };
    let config_dir = config
        .path
        .as_ref()
        .and_then(|p| p.parent())
        .map(|p| p.to_path_buf())
        .unwrap_or_default();
    let detector_files: Vec<std::path::PathBuf> = config
        .repositories
        .detectors
        .iter()
        .map(|d| config_dir.join(d))
        .chain(args.detectors.iter().cloned())
        .collect();
    let detectors = if detector_files.is_empty() {
        DetectorSet::builtin()?
    } else {
        DetectorSet::with_user_files(&detector_files)?
    }
    .with_digest_key(config.digest_key()?);
    let source_options = ParseContext {
        keystore_passwords: KeystorePasswords(config.keystore_passwords()?),
        now: Some(now),
        inventories: config.inventories(),
        mapping: None,
    };
    Ok(ScanPlan {
        paths: args.paths.clone(),
        register_files,
        without_register: args.without_register || config.without_register,
        now,
        config,
        catalog,
        pack,
        source_options,
        baseline: baseline.map(crate::triage::Baseline::load).transpose()?,
        git,
        detectors,
        shard: args.shard,
    })
}

/// The catalog (built-in plus a policy directory's `catalog.yaml`) and the validated pack with
/// the config's rule switches applied.
pub fn load_pack(
    policies: Option<&std::path::Path>,
    config: &mut Config,
) -> Result<(Catalog, PolicyPack), CommandError> {
    let user_catalog = policies.and_then(user_catalog_path);
    let catalog = Catalog::with_user_rules(user_catalog.as_deref())?;
    config.validate(&catalog)?;
    let user_files = policies.map(read_policy_dir).transpose()?;
    let pack = PolicyPack::load(user_files.into_iter().flatten(), &catalog, |code| {
        config.rule_enabled(code, catalog.rule(code).is_none_or(|r| r.enabled))
    })?;
    Ok((catalog, pack))
}

fn parse_now(text: &str) -> Result<Timestamp, CommandError> {
    crate::time::parse_timestamp(text).map_err(|e| CommandError::Now {
        value: text.to_string(),
        message: e.to_string(),
    })
}
