//! An nhi-scan inventory record, as the tool's README ("The inventory format") and its loader
//! (`nhiscan/ingest.py`) define it: only `id` and `name` are required, unknown fields are
//! ignored, and the posture fields hold the tool's enum words.

use serde::Deserialize;
use serde_json::Value;

/// One non-human identity of the inventory. Fields the tool may write as other types than the
/// documented ones (a number for an ID, a string for a list) are read leniently, like its loader.
#[derive(Debug, Clone, Default, Deserialize)]
pub struct NhiRecord {
    #[serde(default)]
    pub id: Option<Value>,
    #[serde(default)]
    pub name: Option<Value>,
    /// `service_account`, `api_key`, `oauth_app`, `service_principal`, `managed_identity`,
    /// `workload_identity`, `ci_cd_token`, `pat`, `webhook`, `secret`, `ai_agent`.
    #[serde(default, rename = "type")]
    pub kind: Option<String>,
    #[serde(default)]
    pub owner: Option<String>,
    /// How it authenticates: `static_secret`, `api_key`, `certificate`, `federated`, `managed`,
    /// `short_lived_token`, `none`. The tool's default when absent is `static_secret`.
    #[serde(default)]
    pub credential: Option<String>,
    /// Days since the credential was rotated when the inventory was written; `null`: never or
    /// unknown.
    #[serde(default)]
    pub last_rotated_days: Option<Value>,
    /// Days since its last activity when the inventory was written; `null`: unknown.
    #[serde(default)]
    pub last_used_days: Option<Value>,
    /// Permission strings (a single string is one scope).
    #[serde(default)]
    pub scopes: Option<Value>,
}

/// The text of a scalar: a string as it is, a number as written.
pub fn text_of(value: Option<&Value>) -> Option<String> {
    match value? {
        Value::String(text) => Some(text.trim().to_string()).filter(|t| !t.is_empty()),
        Value::Number(number) => Some(number.to_string()),
        _ => None,
    }
}

/// A day count: a non-negative whole number (a float is rounded down); `None` for `null` and for
/// anything else, which the caller warns about.
pub fn days_of(value: Option<&Value>) -> Result<Option<u32>, String> {
    match value {
        None | Some(Value::Null) => Ok(None),
        Some(Value::Number(n)) => n
            .as_f64()
            .filter(|d| d.is_finite() && *d >= 0.0 && *d < 1_000_000.0)
            .map(|d| Some(d.floor() as u32))
            .ok_or_else(|| format!("{n} is not a day count")),
        Some(other) => Err(format!("{other} is not a day count")),
    }
}

/// The scopes: a list of strings, or one string.
pub fn scopes_of(value: Option<&Value>) -> Vec<String> {
    match value {
        Some(Value::String(scope)) => vec![scope.clone()],
        Some(Value::Array(items)) => items.iter().filter_map(|i| text_of(Some(i))).collect(),
        _ => Vec::new(),
    }
}
