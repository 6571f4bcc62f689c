//! Normalization of identifiers so that the register's aliases and the sources' native IDs meet.
//!
//! Matching is exact, except where the identifier's own system treats case as insignificant:
//! email addresses (GCP service accounts, people), DNS names, GUIDs (Entra appIds) and hex
//! fingerprints.

/// The prefix of an identity carried by its register name (an MCP server keyed by a registered
/// agent's name): joined to registered agents only (`correlate::correlate_exposures`).
pub const AGENT_NAME_PREFIX: &str = "agent:";

/// The form under which an identifier is indexed and looked up.
pub fn normalize(identifier: &str) -> String {
    let trimmed = identifier.trim();
    if let Some(name) = strip_prefix_ci(trimmed, "dns:") {
        return format!("dns:{}", name.trim_end_matches('.').to_ascii_lowercase());
    }
    if let Some(hex) = strip_prefix_ci(trimmed, "sha256:") {
        let hex: String = hex
            .chars()
            .filter(|c| *c != ':' && !c.is_whitespace())
            .collect();
        return format!("sha256:{}", hex.to_ascii_lowercase());
    }
    if is_email(trimmed) || is_guid(trimmed) {
        return trimmed.to_ascii_lowercase();
    }
    trimmed.to_string()
}

fn strip_prefix_ci<'a>(text: &'a str, prefix: &str) -> Option<&'a str> {
    // `get`, not indexing: the byte at `prefix.len()` may fall inside a multi-byte character
    // (`José`), which is then simply not the prefix.
    text.get(..prefix.len())
        .filter(|head| head.eq_ignore_ascii_case(prefix))
        .and_then(|_| text.get(prefix.len()..))
}

/// `local@domain` with no scheme, no spaces and no ARN or path structure.
pub fn is_email(text: &str) -> bool {
    let Some((local, domain)) = text.split_once('@') else {
        return false;
    };
    !local.is_empty()
        && domain.contains('.')
        && !text.contains([' ', '/', ':'])
        && !domain.contains('@')
}

/// `8-4-4-4-12` hex digits.
pub fn is_guid(text: &str) -> bool {
    let groups: Vec<&str> = text.split('-').collect();
    groups.len() == 5
        && groups
            .iter()
            .zip([8, 4, 4, 4, 12])
            .all(|(g, n)| g.len() == n && g.bytes().all(|b| b.is_ascii_hexdigit()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn case_is_ignored_only_where_the_system_ignores_it() {
        assert_eq!(
            normalize("CI-Bot@Proj.iam.gserviceaccount.com"),
            "ci-bot@proj.iam.gserviceaccount.com"
        );
        assert_eq!(normalize("dns:Mesh.Example.COM."), "dns:mesh.example.com");
        assert_eq!(normalize("SHA256:AB:cd:EF"), "sha256:abcdef");
        assert_eq!(
            normalize("0A1B2C3D-0000-4000-8000-ABCDEFABCDEF"),
            "0a1b2c3d-0000-4000-8000-abcdefabcdef"
        );
        // Regression (fuzz target `aws`): a multi-byte character across a prefix's length.
        assert_eq!(normalize("José"), "José");
        assert_eq!(normalize("sha2é:AB"), "sha2é:AB");
        // ARNs, Kubernetes and Vault names are exact.
        assert_eq!(
            normalize("arn:aws:iam::111122223333:user/CI-Legacy"),
            "arn:aws:iam::111122223333:user/CI-Legacy"
        );
        assert_eq!(
            normalize("system:serviceaccount:NS:Name"),
            "system:serviceaccount:NS:Name"
        );
        assert_eq!(
            normalize("auth/approle/role/Deploy"),
            "auth/approle/role/Deploy"
        );
    }
}
