//! Microsoft Entra ID (Graph JSON): applications and service principals with their password and
//! key credentials (`value` pages or `az` bare arrays), and the sign-in activity reports (service
//! principal and per credential).
//!
//! Format decisions:
//! - **Recognition** is by content: the `@odata.context` fragment when the file has one
//!   (`#applications`, `#applications(owners())`, `#applications/$entity`,
//!   `#directory/deletedItems/microsoft.graph.application`, `#servicePrincipals`,
//!   `#reports/…SignInActivities`, `#microsoft.graph.passwordCredential`), else the keys of the
//!   objects: `servicePrincipalType`, `accountEnabled`, `appOwnerOrganizationId`,
//!   `servicePrincipalNames` exist only on service principals; `keyId` with `credentialOrigin` or
//!   `signInActivity` is a credential sign-in row; the `*SignInActivity` objects a service
//!   principal sign-in row. Graph pages, `az` bare arrays, single objects (`GET …/{id}`) and
//!   several pages concatenated in one file are read; a page with `@odata.nextLink` is read with a
//!   warning that the listing continues elsewhere. The pre-2.37 `az` names (`objectId`,
//!   `startDate`, `endDate`) are accepted.
//! - **An `addPassword` response** (a lone passwordCredential) does not name the application it
//!   was added to, so it gives no credential record. Its `secretText` is the client secret
//!   itself: the file is reported as a leak (`sources::leak`), attributed through its `keyId` to
//!   the credential an application or service principal listing of the scan holds (LEAK001 when
//!   none does). A response without its secret, and an `addKey` response, hold nothing usable
//!   and are skipped with that reason. A `secretText` in a listing (a script that merged a
//!   response into it) is reported the same way, attributed to its application.
//! - **One system**, `azure:entra`: the exports do not name the tenant they were taken from
//!   (`@odata.context` is tenant-independent, `appOwnerOrganizationId` is the app's home tenant
//!   and is absent from applications and reports). appIds are unique across tenants, so one
//!   system joins every file; a scan of several tenants conflates only the service principals of
//!   one multi-tenant app.
//! - **Identities**: an application and its service principal are two accounts with the same
//!   `native_id`, the appId (lowercased), each with its object ID as alias. Applications are
//!   `service`; service principals are `workload` when `ManagedIdentity`, else `service`.
//!   `deletedDateTime` → deleted; `accountEnabled: false` → disabled; no `accountEnabled` →
//!   unknown. The pair shares its worst state: a disabled or deleted service principal makes the
//!   application record disabled or deleted, and a deleted application its service principal
//!   (it can no longer sign in). Correlation takes the first account of the credential's system
//!   as the holder's state (DPV009), and with both records carrying it, that is the service
//!   principal's state whichever comes first.
//! - **Owners** come from `$expand=owners`: the first user owner's UPN, or its `mail` when the
//!   UPN is a guest's `…#EXT#@…` form, lowercased.
//! - **Credentials** sit on the application or on the service principal; both are read. A
//!   `passwordCredential` is a client secret, a `keyCredential` a client certificate; the ID is
//!   the `keyId`; `startDateTime` is both creation and last rotation; `endDateTime` the expiry
//!   (2299/9999 values are "never"). Status is active: a passed expiry is judged at `--now`.
//!   A `keyCredential.key` (only there when `$select`ed) is reduced to the `spki-sha256:`
//!   fingerprint of its certificate, so a committed private key can be matched to it.
//!   A credential without `keyId` is kept as `APPID#passwordCredentials[N]`, with a warning.
//! - **Microsoft first-party service principals** (owned by the Microsoft tenants), hundreds in
//!   every tenant, are managed by Microsoft and not reported (a warning counts them), like AWS's
//!   service-linked roles; one that carries a credential of its own is reported, since adding
//!   one is a known persistence technique. Sign-in rows of the principals left out are counted
//!   in a warning, not reported.
//! - **Sign-in reports**: a `servicePrincipalSignInActivities` row is one use of the appId at the
//!   latest of its five activity dates (client and resource sides alike: a retired app still
//!   used as a resource is still in use). An `appCredentialSignInActivities` row with a date is a
//!   use of that credential; a row with no date says the credential is tracked and has no
//!   recorded sign-in (`LastUse::Never`). Credentials the report does not list stay unknown:
//!   the report may be filtered or cut at a page.
//! - **Timestamps** that are not valid RFC 3339 but readable (the documentation's `-8:00`
//!   offsets) are read with a warning naming the field and value; unreadable ones are absent,
//!   with a warning.
//! - Not read: the Graph PowerShell SDK's `ConvertTo-Json` output (PascalCase keys), app role
//!   assignments and OAuth2 permission grants (no grants are produced), and
//!   `federatedIdentityCredentials` (a separate endpoint, no secret to leave behind).

mod model;
mod normalize;

pub use normalize::assemble;

use serde::de::DeserializeOwned;

use super::SourceError;
use crate::discover::probe::{Content, JsonShape, Probe};
use model::{
    AppCredentialSignInActivity, Application, Page, PasswordCredential, ServicePrincipal,
    ServicePrincipalSignInActivity,
};

crate::sources::formats! {
    pub enum Format {
        Applications => "applications",
        ServicePrincipals => "service-principals",
        ServicePrincipalSignInActivities => "service-principal-sign-in-activities",
        AppCredentialSignInActivities => "app-credential-sign-in-activities",
        /// `POST …/addPassword` response: a lone passwordCredential.
        AddPasswordResponse => "add-password-response",
        /// `POST …/addKey` response: a lone keyCredential.
        AddKeyResponse => "add-key-response",
    }
}

/// Keys only service principal objects have.
const SERVICE_PRINCIPAL_KEYS: [&str; 4] = [
    "servicePrincipalType",
    "accountEnabled",
    "appOwnerOrganizationId",
    "servicePrincipalNames",
];

/// Keys an application object has (any of them, with `appId` and an object ID).
const APPLICATION_KEYS: [&str; 7] = [
    "passwordCredentials",
    "keyCredentials",
    "displayName",
    "createdDateTime",
    "signInAudience",
    "identifierUris",
    "requiredResourceAccess",
];

const SIGN_IN_ACTIVITY_KEYS: [&str; 5] = [
    "lastSignInActivity",
    "delegatedClientSignInActivity",
    "delegatedResourceSignInActivity",
    "applicationAuthenticationClientSignInActivity",
    "applicationAuthenticationResourceSignInActivity",
];

pub fn detect(probe: &Probe) -> Option<Format> {
    let Content::Json(shape) = &probe.content else {
        return None;
    };
    if shape.has("@odata.context") {
        if let Some(format) = odata_context(&probe.head).and_then(|c| format_of_context(&c)) {
            return Some(format);
        }
    }
    if shape.is_array {
        return format_of_object(&shape.keys);
    }
    if shape.has("value") {
        return shape.nested.get("value").and_then(format_of_object);
    }
    format_of_object(&shape.keys).or_else(|| format_of_credential_object(shape))
}

/// The format a collection element (or a single object) has, by its keys.
fn format_of_object(keys: &std::collections::BTreeSet<String>) -> Option<Format> {
    let has = |k: &str| keys.contains(k);
    if !has("appId") {
        return None;
    }
    if has("keyId") && (has("credentialOrigin") || has("signInActivity") || has("keyType")) {
        return Some(Format::AppCredentialSignInActivities);
    }
    if SIGN_IN_ACTIVITY_KEYS.iter().any(|k| has(k)) {
        return Some(Format::ServicePrincipalSignInActivities);
    }
    if !(has("id") || has("objectId")) {
        return None;
    }
    if SERVICE_PRINCIPAL_KEYS.iter().any(|k| has(k)) {
        Some(Format::ServicePrincipals)
    } else if APPLICATION_KEYS.iter().any(|k| has(k)) {
        Some(Format::Applications)
    } else {
        None
    }
}

/// A lone credential object without `@odata.context`: a creation response saved by a script.
fn format_of_credential_object(shape: &JsonShape) -> Option<Format> {
    if !shape.has("keyId") || !(shape.has("startDateTime") || shape.has("endDateTime")) {
        return None;
    }
    if shape.has("secretText") || shape.has("hint") {
        Some(Format::AddPasswordResponse)
    } else if shape.has("type") && shape.has("usage") {
        Some(Format::AddKeyResponse)
    } else {
        None
    }
}

/// The `@odata.context` URL of a Graph response, read from the head of the file (the shape keeps
/// keys, not values).
fn odata_context(head: &[u8]) -> Option<String> {
    const KEY: &[u8] = b"\"@odata.context\"";
    let at = memchr::memmem::find(head, KEY)?;
    let rest = head.get(at + KEY.len()..)?;
    let rest = rest.trim_ascii_start().strip_prefix(b":")?;
    let rest = rest.trim_ascii_start().strip_prefix(b"\"")?;
    let end = memchr::memchr(b'"', rest)?;
    let text = std::str::from_utf8(rest.get(..end)?).ok()?;
    // Some serialisers escape `/` as `\/`.
    Some(text.replace('\\', ""))
}

/// The format a context URL names, from its fragment's last entity-set segment:
/// `…$metadata#applications(owners())` → applications, `…#applications/$entity` → one
/// application, `…#directory/deletedItems/microsoft.graph.application` → deleted applications.
fn format_of_context(context: &str) -> Option<Format> {
    let (_, fragment) = context.rsplit_once('#')?;
    let segment = fragment
        .split('/')
        .rfind(|s| !s.is_empty() && !s.starts_with('$'))?;
    let name = segment.split('(').next().unwrap_or(segment);
    match name.to_ascii_lowercase().as_str() {
        "applications" | "microsoft.graph.application" => Some(Format::Applications),
        "serviceprincipals" | "microsoft.graph.serviceprincipal" => Some(Format::ServicePrincipals),
        "serviceprincipalsigninactivities" => Some(Format::ServicePrincipalSignInActivities),
        "appcredentialsigninactivities" => Some(Format::AppCredentialSignInActivities),
        "microsoft.graph.passwordcredential" => Some(Format::AddPasswordResponse),
        "microsoft.graph.keycredential" => Some(Format::AddKeyResponse),
        _ => None,
    }
}

/// The objects of one file: every page or array it holds, in order.
#[derive(Debug, Clone)]
pub struct Listing<T> {
    pub items: Vec<T>,
    /// The (last) page says the listing continues on another page.
    pub continues: bool,
}

/// One parsed Entra file.
#[derive(Debug, Clone)]
pub enum AzureFile {
    Applications(Listing<Application>),
    ServicePrincipals(Listing<ServicePrincipal>),
    ServicePrincipalSignIns(Listing<ServicePrincipalSignInActivity>),
    AppCredentialSignIns(Listing<AppCredentialSignInActivity>),
    /// `addPassword` responses that hold their secret, and the line of the first `secretText`.
    AddedPasswords {
        passwords: Vec<PasswordCredential>,
        line: Option<u32>,
    },
}

impl super::FamilyFile for AzureFile {
    fn record_count(&self) -> usize {
        match self {
            AzureFile::Applications(list) => list
                .items
                .iter()
                .map(|a| 1 + a.password_credentials.len() + a.key_credentials.len())
                .sum(),
            AzureFile::ServicePrincipals(list) => list
                .items
                .iter()
                .map(|s| 1 + s.password_credentials.len() + s.key_credentials.len())
                .sum(),
            AzureFile::ServicePrincipalSignIns(list) => list.items.len(),
            AzureFile::AppCredentialSignIns(list) => list.items.len(),
            // Each is a leaked secret, reported as an exposure rather than a credential.
            AzureFile::AddedPasswords { passwords, .. } => passwords.len(),
        }
    }

    /// Defects worth telling the user about; the file is still read.
    fn warnings(&self) -> Vec<String> {
        let continues = match self {
            AzureFile::Applications(list) => list.continues,
            AzureFile::ServicePrincipals(list) => list.continues,
            AzureFile::ServicePrincipalSignIns(list) => list.continues,
            AzureFile::AppCredentialSignIns(list) => list.continues,
            AzureFile::AddedPasswords { .. } => false,
        };
        if continues {
            vec!["page has `@odata.nextLink`: the listing continues on another page; include the following pages in the scan".into()]
        } else {
            Vec::new()
        }
    }
}

pub fn parse(probe: &Probe, format: Format) -> Result<AzureFile, SourceError> {
    let bytes = super::whole(probe)?;
    Ok(match format {
        Format::Applications => AzureFile::Applications(read_listing(probe, bytes, format)?),
        Format::ServicePrincipals => {
            AzureFile::ServicePrincipals(read_listing(probe, bytes, format)?)
        }
        Format::ServicePrincipalSignInActivities => {
            AzureFile::ServicePrincipalSignIns(read_listing(probe, bytes, format)?)
        }
        Format::AppCredentialSignInActivities => {
            AzureFile::AppCredentialSignIns(read_listing(probe, bytes, format)?)
        }
        Format::AddPasswordResponse => {
            // An export that cannot be read leaves a gap (it may hold a secret), but its error
            // carries no snippet: the line around the error may be the secret's.
            let unreadable = |e: serde_json::Error| {
                SourceError::io(
                    probe.input.rel.clone(),
                    format!("an addPassword response that does not parse: {e}"),
                )
            };
            let text = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
            let passwords: Vec<PasswordCredential> = serde_json::Deserializer::from_slice(text)
                .into_iter::<PasswordCredential>()
                .collect::<Result<Vec<_>, _>>()
                .map_err(unreadable)?
                .into_iter()
                .filter(|p| p.secret_text.live().is_some())
                .collect();
            if passwords.is_empty() {
                return Err(not_attributable(
                    probe,
                    "addPassword",
                    " without its secretText",
                ));
            }
            AzureFile::AddedPasswords {
                passwords,
                line: crate::sources::leak::line_of(text, "\"secretText\""),
            }
        }
        Format::AddKeyResponse => return Err(not_attributable(probe, "addKey", "")),
    })
}

/// A creation response with nothing to report: it does not name its application, and holds no
/// secret.
fn not_attributable(probe: &Probe, call: &str, what: &str) -> SourceError {
    SourceError::Unusable {
        path: probe.input.rel.clone(),
        message: format!(
            "an {call} response{what} does not name its application; it cannot be attributed \
             (scan the application or service principal listing instead)"
        ),
    }
}

/// How the objects of a file are wrapped, decided from the first document's shape.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Wrapper {
    /// `{"value": [...]}` Graph pages.
    Page,
    /// `az … list` bare arrays.
    Array,
    /// One object (`GET …/{id}`).
    Single,
}

/// Reads every top-level JSON value of the file (several for concatenated pages).
fn read_listing<T: DeserializeOwned>(
    probe: &Probe,
    bytes: &[u8],
    format: Format,
) -> Result<Listing<T>, SourceError> {
    let wrapper = match probe.content.json() {
        Some(shape) if shape.is_array => Wrapper::Array,
        Some(shape) if shape.has("value") => Wrapper::Page,
        _ => Wrapper::Single,
    };
    // Windows tools write a byte-order mark that serde_json does not skip.
    let text = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    let json = |e: serde_json::Error| SourceError::json(probe.input, bytes, format.name(), &e);
    let mut listing = Listing {
        items: Vec::new(),
        continues: false,
    };
    let stream = serde_json::Deserializer::from_slice(text);
    match wrapper {
        Wrapper::Page => {
            for page in stream.into_iter::<Page<T>>() {
                let page = page.map_err(json)?;
                listing.items.extend(page.value);
                listing.continues = page.next_link.is_some();
            }
        }
        Wrapper::Array => {
            for items in stream.into_iter::<Vec<T>>() {
                listing.items.extend(items.map_err(json)?);
            }
        }
        Wrapper::Single => {
            for item in stream.into_iter::<T>() {
                listing.items.push(item.map_err(json)?);
            }
        }
    }
    Ok(listing)
}

/// The Azure / Entra ID (Microsoft Graph) family.
pub struct Azure;

impl super::Family for Azure {
    type Format = Format;
    type File = AzureFile;

    fn source(&self) -> crate::inventory::SourceFamily {
        crate::inventory::SourceFamily::Azure
    }

    fn recognise(&self, probe: &Probe) -> Option<Format> {
        detect(probe)
    }

    fn parse(
        &self,
        probe: &Probe,
        format: Format,
        _context: &super::ParseContext,
    ) -> Result<AzureFile, SourceError> {
        parse(probe, format)
    }

    fn characteristic_keys(&self) -> &'static [(Format, &'static [&'static str])] {
        &[
            (
                Format::Applications,
                &[
                    "appId",
                    "passwordCredentials",
                    "keyCredentials",
                    "signInAudience",
                    "@odata.context",
                ],
            ),
            (
                Format::ServicePrincipals,
                &[
                    "appId",
                    "servicePrincipalType",
                    "servicePrincipalNames",
                    "accountEnabled",
                    "appOwnerOrganizationId",
                ],
            ),
            (
                Format::ServicePrincipalSignInActivities,
                &[
                    "appId",
                    "lastSignInActivity",
                    "delegatedClientSignInActivity",
                    "applicationAuthenticationClientSignInActivity",
                ],
            ),
            (
                Format::AppCredentialSignInActivities,
                &[
                    "appId",
                    "keyId",
                    "credentialOrigin",
                    "signInActivity",
                    "expirationDate",
                ],
            ),
            (
                Format::AddPasswordResponse,
                &[
                    "keyId",
                    "secretText",
                    "hint",
                    "startDateTime",
                    "endDateTime",
                ],
            ),
        ]
    }

    fn assemble(
        &self,
        files: Vec<(crate::discover::FileInput, AzureFile)>,
        assembly: &mut super::Assembly,
    ) -> Result<super::Contribution, super::family::AssembleError> {
        Ok(assemble(files, assembly).into())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::discover::FileInput;
    use crate::sources::FamilyFile as _;

    /// Writes `text` to a file and hands its probe to `check`.
    fn with_probe<R>(text: &str, check: impl FnOnce(&Probe) -> R) -> R {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("export.json");
        std::fs::write(&path, text).unwrap();
        let input = FileInput {
            path,
            rel: "export.json".into(),
            size: text.len() as u64,
        };
        let probe = Probe::read(&input, u64::MAX).unwrap();
        check(&probe)
    }

    #[test]
    fn contexts_name_their_entity_sets() {
        let base = "https://graph.microsoft.com/v1.0/$metadata#";
        let cases = [
            ("applications", Some(Format::Applications)),
            ("applications(owners())", Some(Format::Applications)),
            (
                "applications(id,appId,owners())",
                Some(Format::Applications),
            ),
            ("applications/$entity", Some(Format::Applications)),
            (
                "directory/deletedItems/microsoft.graph.application",
                Some(Format::Applications),
            ),
            ("servicePrincipals", Some(Format::ServicePrincipals)),
            (
                "reports/servicePrincipalSignInActivities",
                Some(Format::ServicePrincipalSignInActivities),
            ),
            (
                "reports/appCredentialSignInActivities",
                Some(Format::AppCredentialSignInActivities),
            ),
            (
                "microsoft.graph.passwordCredential",
                Some(Format::AddPasswordResponse),
            ),
            (
                "microsoft.graph.keyCredential",
                Some(Format::AddKeyResponse),
            ),
            ("users", None),
        ];
        for (fragment, expected) in cases {
            assert_eq!(
                format_of_context(&format!("{base}{fragment}")),
                expected,
                "{fragment}"
            );
        }
        assert_eq!(format_of_context("no fragment"), None);
    }

    #[test]
    fn the_context_is_read_from_the_head() {
        assert_eq!(
            odata_context(
                br#"{ "@odata.context" : "https:\/\/graph\/$metadata#applications", "value": []}"#
            )
            .as_deref(),
            Some("https://graph/$metadata#applications")
        );
        // `owners@odata.context` is not the response's context.
        assert_eq!(odata_context(br#"{"owners@odata.context": "x"}"#), None);
        assert_eq!(odata_context(br#"{"@odata.context": 5}"#), None);
        assert_eq!(odata_context(br#"{"@odata.context": "unterminated"#), None);
    }

    #[test]
    fn shapes_without_context_are_told_apart() {
        let cases = [
            (
                r#"[{"id":"o","appId":"a","servicePrincipalType":"Application"}]"#,
                Some(Format::ServicePrincipals),
            ),
            (
                r#"[{"id":"o","appId":"a","passwordCredentials":[]}]"#,
                Some(Format::Applications),
            ),
            (
                r#"[{"objectId":"o","appId":"a","displayName":"x"}]"#,
                Some(Format::Applications),
            ),
            (
                r#"{"value":[{"appId":"a","keyId":"k","credentialOrigin":"application"}]}"#,
                Some(Format::AppCredentialSignInActivities),
            ),
            (
                r#"{"value":[{"appId":"a","id":"x","lastSignInActivity":null}]}"#,
                Some(Format::ServicePrincipalSignInActivities),
            ),
            (
                r#"{"keyId":"k","startDateTime":"2022-01-01T00:00:00Z","secretText":"s"}"#,
                Some(Format::AddPasswordResponse),
            ),
            (
                r#"{"keyId":"k","endDateTime":"2022-01-01T00:00:00Z","type":"AsymmetricX509Cert","usage":"Verify"}"#,
                Some(Format::AddKeyResponse),
            ),
            (
                r#"{"id":"o","appId":"a","accountEnabled":true}"#,
                Some(Format::ServicePrincipals),
            ),
            // GitHub-style snake case, and objects without appId, are not Entra's.
            (r#"[{"id":1,"app_id":2,"key_id":"k"}]"#, None),
            (
                r#"{"value":[{"id":"u","userPrincipalName":"a@b.c"}]}"#,
                None,
            ),
            (r#"{"value":[]}"#, None),
        ];
        for (text, expected) in cases {
            assert_eq!(with_probe(text, detect), expected, "{text}");
        }
    }

    #[test]
    fn pages_arrays_single_objects_and_concatenated_pages_are_read() {
        let text = r#"{"@odata.context":"https://graph.microsoft.com/v1.0/$metadata#applications","value":[{"id":"o1","appId":"a1"}],"@odata.nextLink":"https://graph.microsoft.com/v1.0/applications?$skiptoken=x"}
{"@odata.context":"https://graph.microsoft.com/v1.0/$metadata#applications","value":[{"id":"o2","appId":"a2"}]}"#;
        let file = with_probe(text, |p| parse(p, Format::Applications)).unwrap();
        let AzureFile::Applications(list) = &file else {
            panic!("not applications: {file:?}");
        };
        assert_eq!(list.items.len(), 2);
        // The last page has no next link: the listing is complete.
        assert!(file.warnings().is_empty());

        let file = with_probe(
            r#"{"value":[{"id":"o1","appId":"a1","accountEnabled":true}],"@odata.nextLink":"n"}"#,
            |p| parse(p, Format::ServicePrincipals),
        )
        .unwrap();
        assert!(file.warnings()[0].contains("@odata.nextLink"));
        assert_eq!(file.record_count(), 1);

        let file = with_probe(
            "\u{feff}[{\"id\":\"o\",\"appId\":\"a\",\"passwordCredentials\":[{\"keyId\":\"k\"}]}]",
            |p| parse(p, Format::Applications),
        )
        .unwrap();
        assert_eq!(file.record_count(), 2);

        let file = with_probe(
            r#"{"@odata.context":"https://graph.microsoft.com/v1.0/$metadata#servicePrincipals/$entity","id":"o","appId":"a"}"#,
            |p| parse(p, Format::ServicePrincipals),
        )
        .unwrap();
        assert_eq!(file.record_count(), 1);
    }

    #[test]
    fn secrets_are_never_read() {
        let text = r#"[{"id":"o","appId":"a","passwordCredentials":[{"keyId":"k","hint":"Qx7","secretText":"Qx7~planted-secret-text","startDateTime":"2025-01-01T00:00:00Z"}],"keyCredentials":[{"keyId":"c","type":"AsymmetricX509Cert","usage":"Verify","key":"TUlJQ3BsYW50ZWQta2V5"}]}]"#;
        let file = with_probe(text, |p| parse(p, Format::Applications)).unwrap();
        let debug = format!("{file:?}");
        assert!(!debug.contains("planted-secret"), "{debug}");
        assert!(!debug.contains("Qx7"), "{debug}");
        assert!(!debug.contains("TUlJQ3BsYW50ZWQta2V5"), "{debug}");
        // A secretText merged into a listing is a leak of the listing, attributed to its app.
        let ((records, exposures), _) =
            crate::sources::Assembly::alone_with_exposures(assemble, vec![(input(), file)]);
        assert_eq!(records.credentials.len(), 2);
        let [exposure] = &exposures[..] else {
            panic!("one exposure: {exposures:?}");
        };
        assert_eq!(exposure.carries, vec!["k", "a"]);
        assert_eq!(exposure.evidence.locate.as_deref(), Some("k"));
    }

    #[test]
    fn an_add_password_response_is_read_for_its_secret_only() {
        let text = "{\"@odata.context\":\"https://graph.microsoft.com/v1.0/$metadata#microsoft.graph.passwordCredential\",\"keyId\":\"6449CB68-995E-4A16-8E14-13009429EF35\",\n\"secretText\":\"Qx7~planted-secret-text\",\"startDateTime\":\"2022-05-07T06:53:38Z\"}";
        let (format, file) =
            with_probe(text, |p| (detect(p), parse(p, Format::AddPasswordResponse)));
        assert_eq!(format, Some(Format::AddPasswordResponse));
        let file = file.unwrap();
        assert!(!format!("{file:?}").contains("planted"));
        let (records, warnings) =
            crate::sources::Assembly::alone_with_exposures(assemble, vec![(input(), file)]);
        assert!(records.0.is_empty() && warnings.is_empty());
        let [exposure] = &records.1[..] else {
            panic!("one exposure: {:?}", records.1);
        };
        assert_eq!(
            exposure.carries,
            vec!["6449cb68-995e-4a16-8e14-13009429ef35"]
        );
        assert_eq!(exposure.evidence.line, Some(2));
        assert_eq!(exposure.detector, "export/azure-client-secret");
    }

    fn input() -> FileInput {
        FileInput {
            path: "add-password.json".into(),
            rel: "add-password.json".into(),
            size: 0,
        }
    }

    #[test]
    fn creation_responses_without_a_secret_are_refused_with_their_reason() {
        for (text, format, call) in [
            (
                r#"{"@odata.context":"https://graph.microsoft.com/v1.0/$metadata#microsoft.graph.passwordCredential","keyId":"k","secretText":null,"hint":"Qx7","startDateTime":"2022-05-07T06:53:38Z"}"#,
                Format::AddPasswordResponse,
                "an addPassword response without its secretText",
            ),
            (
                r#"{"keyId":"k","endDateTime":"2022-01-01T00:00:00Z","type":"AsymmetricX509Cert","usage":"Verify"}"#,
                Format::AddKeyResponse,
                "an addKey response",
            ),
        ] {
            let reason = with_probe(text, |p| parse(p, format)).unwrap_err().reason();
            assert!(
                reason.starts_with(&format!(
                    "{call} does not name its application; it cannot be attributed"
                )),
                "{reason}"
            );
        }
        // A broken response is a gap, and its error does not quote the file.
        let err = with_probe(
            r#"{"keyId":"k","startDateTime":"2022","secretText":"Qx7~planted" "#,
            |p| parse(p, Format::AddPasswordResponse),
        )
        .unwrap_err();
        assert!(!err.is_unusable());
        assert!(!format!("{}{:?}", err.reason(), err).contains("planted"));
    }

    #[test]
    fn wrong_types_are_syntax_errors_with_a_line() {
        let text = "{\"value\": [\n  {\"id\": \"o\", \"appId\": \"a\",\n   \"accountEnabled\": \"yes\"}\n]}";
        let reason = with_probe(text, |p| parse(p, Format::ServicePrincipals))
            .unwrap_err()
            .reason();
        assert!(reason.contains("line 3"), "{reason}");
        assert!(reason.contains("expected a boolean"), "{reason}");
    }
}
