//! Where a file sits in a Vault export: the API path it mirrors (found by its anchors anywhere in
//! the relative path) and the Vault system it belongs to (the directory just before the anchor).
//! Only names come from here; what a file *is* is decided by its content.

/// The system name when the API path starts at the scanned root (or the file is outside the
/// export layout).
pub const DEFAULT_SYSTEM: &str = "vault";

/// The API path shapes whose names deprov needs.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ApiPath {
    /// `auth/MOUNT/role/NAME`
    Role { mount: String, name: String },
    /// `auth/MOUNT/role/NAME/role-id`
    RoleId { mount: String, name: String },
    /// `auth/MOUNT/role/NAME/secret-id` (the list of secret ID accessors)
    SecretIdList { mount: String, name: String },
    /// `auth/MOUNT/role/NAME/secret-id-accessor/[lookup/]ACCESSOR`
    SecretIdAccessor { mount: String, name: String },
    /// `auth/MOUNT/login[/…]`: a login response
    Login { mount: String },
    /// `auth/token/accessors` (the list of token accessors)
    TokenAccessorList,
    /// Any other `auth/…` path (`auth/token/accessors/ACCESSOR`, `auth/token/lookup-self`).
    OtherAuth,
    /// `identity/entity/…`, `identity/entity-alias/…`, `identity/group/…`
    Identity,
    /// `sys/leases/lookup[/PREFIX…]`; `prefix` is what follows `lookup/`.
    Leases { prefix: String },
    /// `MOUNT/metadata/PATH`
    KvMetadata { mount: String, path: String },
    /// `MOUNT/cert/SERIAL` or `MOUNT/certs/SERIAL`
    PkiCert { mount: String, serial: String },
    /// `MOUNT/certs` (the list of serials)
    PkiCertList { mount: String },
}

/// A file's place in the export.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ExportPath {
    /// The Vault system: the last directory before the API path, or [`DEFAULT_SYSTEM`].
    pub system: String,
    /// Everything before the API path (`example-org/vault`), empty at the root; files of one
    /// export share it.
    pub prefix: String,
    /// `None` when the file is outside the export layout (a single `vault read` output).
    pub api: Option<ApiPath>,
}

impl ExportPath {
    /// Finds the API path in a relative file path (`/`-separated), trying each position from the
    /// left so that the outermost anchor wins.
    pub fn locate(rel: &str) -> ExportPath {
        let mut components: Vec<&str> = rel.split('/').filter(|c| !c.is_empty()).collect();
        if let Some(last) = components.last_mut() {
            *last = strip_json_extension(last);
        }
        for start in 0..components.len() {
            if let Some(api) = match_at(&components[start..]) {
                let prefix = components[..start].join("/");
                let system = components[..start]
                    .last()
                    .map_or(DEFAULT_SYSTEM, |c| *c)
                    .to_string();
                return ExportPath {
                    system,
                    prefix,
                    api: Some(api),
                };
            }
        }
        // Outside the layout the file's own directory is still the best name for its system:
        // files of one export directory then stay together.
        let dirs = &components[..components.len().saturating_sub(1)];
        ExportPath {
            system: dirs.last().map_or(DEFAULT_SYSTEM, |c| *c).to_string(),
            prefix: dirs.join("/"),
            api: None,
        }
    }
}

fn strip_json_extension(name: &str) -> &str {
    match name.rsplit_once('.') {
        Some((stem, ext)) if !stem.is_empty() && ext.eq_ignore_ascii_case("json") => stem,
        _ => name,
    }
}

/// The API path that starts at `c[0]`, if any.
fn match_at(c: &[&str]) -> Option<ApiPath> {
    match c {
        ["auth", rest @ ..] if !rest.is_empty() => Some(match_auth(rest)),
        ["identity", kind, ..] if matches!(*kind, "entity" | "entity-alias" | "group") => {
            Some(ApiPath::Identity)
        }
        ["sys", "leases", "lookup", rest @ ..] => Some(ApiPath::Leases {
            prefix: rest.join("/"),
        }),
        [mount, "metadata", path @ ..] if !path.is_empty() => Some(ApiPath::KvMetadata {
            mount: mount.to_string(),
            path: path.join("/"),
        }),
        [mount, "cert" | "certs", serial] => Some(ApiPath::PkiCert {
            mount: mount.to_string(),
            serial: serial.to_string(),
        }),
        [mount, "certs"] => Some(ApiPath::PkiCertList {
            mount: mount.to_string(),
        }),
        _ => None,
    }
}

/// What follows `auth/`. Mounts may span several components (`auth/team/approle/role/x`).
fn match_auth(rest: &[&str]) -> ApiPath {
    if rest == ["token", "accessors"] {
        return ApiPath::TokenAccessorList;
    }
    for (at, component) in rest.iter().enumerate().skip(1) {
        let mount = || rest[..at].join("/");
        match (*component, &rest[at + 1..]) {
            ("role", [name]) => {
                return ApiPath::Role {
                    mount: mount(),
                    name: name.to_string(),
                }
            }
            ("role", [name, "role-id"]) => {
                return ApiPath::RoleId {
                    mount: mount(),
                    name: name.to_string(),
                }
            }
            ("role", [name, "secret-id"]) => {
                return ApiPath::SecretIdList {
                    mount: mount(),
                    name: name.to_string(),
                }
            }
            (
                "role",
                [name, "secret-id-accessor", _] | [name, "secret-id-accessor", "lookup", _],
            ) => {
                return ApiPath::SecretIdAccessor {
                    mount: mount(),
                    name: name.to_string(),
                }
            }
            ("login", _) => return ApiPath::Login { mount: mount() },
            _ => {}
        }
    }
    ApiPath::OtherAuth
}

/// The mount of an auth path as tokens and leases record it: `auth/MOUNT/login…` → `MOUNT`.
pub fn login_mount(path: &str) -> Option<String> {
    let rest = path.strip_prefix("auth/")?;
    let components: Vec<&str> = rest.split('/').collect();
    let at = components.iter().position(|c| *c == "login")?;
    (at > 0).then(|| components[..at].join("/"))
}

/// The role an API request path names: `auth/MOUNT/role/NAME[/…]` → `auth/MOUNT/role/NAME`
/// (a secret ID generated for it, its role ID read).
pub fn role_of_path(path: &str) -> Option<String> {
    let components: Vec<&str> = path.strip_prefix("auth/")?.split('/').collect();
    let at = components.iter().position(|c| *c == "role")?;
    let name = components.get(at + 1).filter(|n| !n.is_empty())?;
    (at > 0).then(|| role_id_path(&components[..at].join("/"), name))
}

/// The register's alias form of a login role.
pub fn role_id_path(mount: &str, name: &str) -> String {
    format!("auth/{mount}/role/{name}")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn api(rel: &str) -> Option<ApiPath> {
        ExportPath::locate(rel).api
    }

    #[test]
    fn anchors_are_found_under_any_prefix_and_name_the_system() {
        let at = ExportPath::locate("example-org/vault/auth/approle/role/ci-legacy.json");
        assert_eq!(at.system, "vault");
        assert_eq!(at.prefix, "example-org/vault");
        assert_eq!(
            at.api,
            Some(ApiPath::Role {
                mount: "approle".into(),
                name: "ci-legacy".into()
            })
        );
        let root = ExportPath::locate("auth/token/accessors/abc.json");
        assert_eq!(
            (root.system.as_str(), root.api),
            ("vault", Some(ApiPath::OtherAuth))
        );
    }

    #[test]
    fn any_mount_name_works_even_nested() {
        assert_eq!(
            api("prod/auth/team/approle-ci/role/deploy/secret-id-accessor/0b1.json"),
            Some(ApiPath::SecretIdAccessor {
                mount: "team/approle-ci".into(),
                name: "deploy".into()
            })
        );
        assert_eq!(
            api("auth/approle-ci/role/deploy/role-id.json"),
            Some(ApiPath::RoleId {
                mount: "approle-ci".into(),
                name: "deploy".into()
            })
        );
        assert_eq!(
            api("auth/approle/role/deploy/secret-id.json"),
            Some(ApiPath::SecretIdList {
                mount: "approle".into(),
                name: "deploy".into()
            })
        );
        assert_eq!(
            api("auth/approle/login.json"),
            Some(ApiPath::Login {
                mount: "approle".into()
            })
        );
        assert_eq!(
            api("auth/token/accessors.json"),
            Some(ApiPath::TokenAccessorList)
        );
    }

    #[test]
    fn secret_engines_and_sys_paths() {
        assert_eq!(
            api("v/kv-prod/metadata/ci/legacy-db.json"),
            Some(ApiPath::KvMetadata {
                mount: "kv-prod".into(),
                path: "ci/legacy-db".into()
            })
        );
        assert_eq!(
            api("v/pki_int/certs/17:67:16.json"),
            Some(ApiPath::PkiCert {
                mount: "pki_int".into(),
                serial: "17:67:16".into()
            })
        );
        assert_eq!(
            api("v/pki/certs.json"),
            Some(ApiPath::PkiCertList {
                mount: "pki".into()
            })
        );
        assert_eq!(
            api("sys/leases/lookup/database/creds/readonly/abc.json"),
            Some(ApiPath::Leases {
                prefix: "database/creds/readonly/abc".into()
            })
        );
        assert_eq!(api("identity/entity/id/0f.json"), Some(ApiPath::Identity));
    }

    #[test]
    fn files_outside_the_layout_have_no_api_path() {
        let at = ExportPath::locate("token_lookup.json");
        assert_eq!((at.system.as_str(), at.api), ("vault", None));
        let at = ExportPath::locate("samples/vault/approle_read_role.json");
        assert_eq!(
            (at.system.as_str(), at.prefix.as_str()),
            ("vault", "samples/vault")
        );
        assert_eq!(ExportPath::locate("").api, None);
    }

    #[test]
    fn login_mounts_come_from_token_paths() {
        assert_eq!(
            login_mount("auth/approle/login").as_deref(),
            Some("approle")
        );
        assert_eq!(
            login_mount("auth/ldap2/login/tesla").as_deref(),
            Some("ldap2")
        );
        assert_eq!(login_mount("auth/token/create"), None);
        assert_eq!(login_mount("auth/login"), None);
        assert_eq!(login_mount(""), None);
    }
}
