//! Serde types close to the Microsoft Graph JSON of Entra ID: application and service principal
//! objects with their password and key credentials, and the two beta sign-in activity reports.
//! Dates stay text here; `normalize` reads them with the sentinels and the documentation's
//! malformed offsets in mind.
//!
//! Secret material is never kept: `secretText` (set on creation responses) is reduced to its
//! digest while it is read (`sources::leak`), so that a file that holds it is reported as a
//! leak; `hint` (the first characters of a secret) has no field and is skipped by serde. A key credential's `key` (present when `$select`ed) is reduced
//! while it is read to the SPKI fingerprint of the certificate it holds; a `Symmetric` key is
//! not a certificate and leaves nothing.

use serde::{Deserialize, Deserializer};

use crate::sources::leak::SecretField;

/// A Graph collection page, `{"@odata.context", "value": [...], "@odata.nextLink"?}`.
#[derive(Debug, Clone, Deserialize)]
#[serde(bound(deserialize = "T: Deserialize<'de>"))]
pub struct Page<T> {
    #[serde(default = "Vec::new", deserialize_with = "null_as_default")]
    pub value: Vec<T>,
    /// Present when the listing continues on another page.
    #[serde(rename = "@odata.nextLink", default)]
    pub next_link: Option<String>,
}

/// An application object (an "app registration"). `objectId`, `startDate` and `endDate` are the
/// names the pre-2.37 `az` (AAD Graph) used.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct Application {
    #[serde(alias = "objectId")]
    pub id: Option<String>,
    pub app_id: Option<String>,
    pub display_name: Option<String>,
    pub created_date_time: Option<String>,
    pub deleted_date_time: Option<String>,
    #[serde(deserialize_with = "null_as_default")]
    pub password_credentials: Vec<PasswordCredential>,
    #[serde(deserialize_with = "null_as_default")]
    pub key_credentials: Vec<KeyCredential>,
    /// Only with `$expand=owners`.
    #[serde(deserialize_with = "null_as_default")]
    pub owners: Vec<DirectoryObject>,
}

/// A service principal object (an "enterprise application", or a managed identity).
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct ServicePrincipal {
    #[serde(alias = "objectId")]
    pub id: Option<String>,
    pub app_id: Option<String>,
    pub display_name: Option<String>,
    pub app_display_name: Option<String>,
    /// `false`: nobody can sign in as this principal in the tenant.
    pub account_enabled: Option<bool>,
    pub service_principal_type: Option<ServicePrincipalType>,
    /// The tenant that owns the application: the scanned tenant for its own apps, another one
    /// for third-party and Microsoft first-party apps.
    pub app_owner_organization_id: Option<String>,
    /// For a user-assigned managed identity, holds its Azure resource ID.
    #[serde(deserialize_with = "null_as_default")]
    pub alternative_names: Vec<String>,
    pub created_date_time: Option<String>,
    pub deleted_date_time: Option<String>,
    #[serde(deserialize_with = "null_as_default")]
    pub password_credentials: Vec<PasswordCredential>,
    #[serde(deserialize_with = "null_as_default")]
    pub key_credentials: Vec<KeyCredential>,
    /// Only with `$expand=owners`.
    #[serde(deserialize_with = "null_as_default")]
    pub owners: Vec<DirectoryObject>,
}

/// `servicePrincipalType`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
pub enum ServicePrincipalType {
    Application,
    ManagedIdentity,
    Legacy,
    SocialIdp,
    #[serde(other)]
    Other,
}

/// A client secret's metadata. Its `hint` has no field on purpose; its `secretText` (only in
/// an `addPassword` response, or a listing a script merged one into) is kept as a digest.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct PasswordCredential {
    pub key_id: Option<String>,
    pub display_name: Option<String>,
    #[serde(alias = "startDate")]
    pub start_date_time: Option<String>,
    #[serde(alias = "endDate")]
    pub end_date_time: Option<String>,
    pub secret_text: SecretField,
}

/// A certificate (or symmetric key) credential's metadata. Its `key` body has no field.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct KeyCredential {
    pub key_id: Option<String>,
    pub display_name: Option<String>,
    #[serde(rename = "type")]
    pub key_type: Option<KeyCredentialType>,
    pub usage: Option<KeyCredentialUsage>,
    #[serde(alias = "startDate")]
    pub start_date_time: Option<String>,
    #[serde(alias = "endDate")]
    pub end_date_time: Option<String>,
    /// Lowercase hex SHA-256 of the certificate's SubjectPublicKeyInfo, from `key`.
    #[serde(rename = "key", deserialize_with = "spki_fingerprint")]
    pub spki_sha256: Option<String>,
}

/// `keyCredential.type`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
pub enum KeyCredentialType {
    AsymmetricX509Cert,
    X509CertAndPassword,
    Symmetric,
    #[serde(other)]
    Other,
}

impl KeyCredentialType {
    pub fn as_str(self) -> &'static str {
        match self {
            KeyCredentialType::AsymmetricX509Cert => "AsymmetricX509Cert",
            KeyCredentialType::X509CertAndPassword => "X509CertAndPassword",
            KeyCredentialType::Symmetric => "Symmetric",
            KeyCredentialType::Other => "other type",
        }
    }
}

/// `keyCredential.usage`: `Verify` keys authenticate the app, `Sign` keys sign tokens (SAML).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
pub enum KeyCredentialUsage {
    Verify,
    Sign,
    #[serde(other)]
    Other,
}

impl KeyCredentialUsage {
    pub fn as_str(self) -> &'static str {
        match self {
            KeyCredentialUsage::Verify => "Verify",
            KeyCredentialUsage::Sign => "Sign",
            KeyCredentialUsage::Other => "other usage",
        }
    }
}

/// An owner from `$expand=owners`: a user, or another service principal.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct DirectoryObject {
    #[serde(rename = "@odata.type")]
    pub odata_type: Option<String>,
    pub user_principal_name: Option<String>,
    pub mail: Option<String>,
}

/// A row of `GET /beta/reports/servicePrincipalSignInActivities`.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct ServicePrincipalSignInActivity {
    pub app_id: Option<String>,
    pub last_sign_in_activity: Option<SignInActivity>,
    pub delegated_client_sign_in_activity: Option<SignInActivity>,
    pub delegated_resource_sign_in_activity: Option<SignInActivity>,
    pub application_authentication_client_sign_in_activity: Option<SignInActivity>,
    pub application_authentication_resource_sign_in_activity: Option<SignInActivity>,
}

impl ServicePrincipalSignInActivity {
    /// Each activity the row can carry, with its field name.
    pub fn activities(&self) -> [(&'static str, Option<&SignInActivity>); 5] {
        [
            ("lastSignInActivity", self.last_sign_in_activity.as_ref()),
            (
                "delegatedClientSignInActivity",
                self.delegated_client_sign_in_activity.as_ref(),
            ),
            (
                "delegatedResourceSignInActivity",
                self.delegated_resource_sign_in_activity.as_ref(),
            ),
            (
                "applicationAuthenticationClientSignInActivity",
                self.application_authentication_client_sign_in_activity
                    .as_ref(),
            ),
            (
                "applicationAuthenticationResourceSignInActivity",
                self.application_authentication_resource_sign_in_activity
                    .as_ref(),
            ),
        ]
    }
}

/// A row of `GET /beta/reports/appCredentialSignInActivities`: one credential's last sign-in.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct AppCredentialSignInActivity {
    pub app_id: Option<String>,
    pub key_id: Option<String>,
    pub key_type: Option<CredentialKeyType>,
    pub credential_origin: Option<CredentialOrigin>,
    pub sign_in_activity: Option<SignInActivity>,
}

/// `appCredentialSignInActivity.keyType`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "camelCase")]
pub enum CredentialKeyType {
    ClientSecret,
    Certificate,
    #[serde(other)]
    Other,
}

impl CredentialKeyType {
    pub fn as_str(self) -> &'static str {
        match self {
            CredentialKeyType::ClientSecret => "client secret",
            CredentialKeyType::Certificate => "certificate",
            CredentialKeyType::Other => "credential",
        }
    }
}

/// `appCredentialSignInActivity.credentialOrigin`: which object holds the credential.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "camelCase")]
pub enum CredentialOrigin {
    Application,
    ServicePrincipal,
    #[serde(other)]
    Other,
}

impl CredentialOrigin {
    pub fn as_str(self) -> &'static str {
        match self {
            CredentialOrigin::Application => "application",
            CredentialOrigin::ServicePrincipal => "service principal",
            CredentialOrigin::Other => "unknown origin",
        }
    }
}

/// `signInActivity`: a missing object or a null date means no recorded sign-in.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct SignInActivity {
    pub last_sign_in_date_time: Option<String>,
}

/// Reduces a `key` body to the SPKI fingerprint of the certificate it holds: the text lives only
/// for the duration of this call, so a symmetric key's value is never kept.
fn spki_fingerprint<'de, D: Deserializer<'de>>(
    deserializer: D,
) -> Result<Option<String>, D::Error> {
    use base64::Engine;
    let Some(text) = Option::<String>::deserialize(deserializer)? else {
        return Ok(None);
    };
    let der = base64::engine::general_purpose::STANDARD
        .decode(text.trim())
        .ok();
    Ok(der
        .and_then(|der| crate::x509::certificate_facts(&der).ok())
        .map(|facts| facts.spki_sha256))
}

/// Reads `null` as the type's default: collectors that serialise an absent collection as `null`
/// mean an empty one, and `#[serde(default)]` alone rejects `null`.
fn null_as_default<'de, D, T>(deserializer: D) -> Result<T, D::Error>
where
    D: Deserializer<'de>,
    T: Default + Deserialize<'de>,
{
    Ok(Option::<T>::deserialize(deserializer)?.unwrap_or_default())
}
