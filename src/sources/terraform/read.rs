//! Terraform JSON → resource instances: each instance's address, what the next apply does with
//! it, its identifying attributes, and the digests of its secret attributes, each with its line.
//!
//! An attribute is secret when the file marks it sensitive (`sensitive_attributes` of a state,
//! `sensitive_values` of `terraform show -json`, `before_sensitive`/`after_sensitive` of a plan)
//! or when its name says so (`secret`, `password`, `private_key`, … for files written before
//! Terraform tracked sensitivity). A secret attribute's text is read only to be judged
//! (`leak::is_live`) and hashed; only identifying attributes (IDs, ARNs, names, members) are
//! kept. Lines come from where the borrowed raw text of each value starts in the file, counted
//! in one pass over the sorted offsets.

use std::collections::{BTreeMap, HashMap};
use std::fmt;

use serde_json::value::RawValue;
use serde_json::Value;
use sha2::{Digest, Sha256};

use super::model::{Module, Plan, ShownState, StateFile, Values};
use crate::inventory::ProvisionChange;
use crate::sources::leak::{is_live, LineCursor, SecretField};

/// The SHA-256 of a secret attribute's live text. Never shown, not even in `Debug`: a plain
/// digest of a weak secret is as good as the secret.
#[derive(Clone, Copy, PartialEq, Eq, Hash)]
pub struct SecretDigest(pub [u8; 32]);

impl fmt::Debug for SecretDigest {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("SecretDigest(withheld)")
    }
}

/// A secret attribute of an instance (or a sensitive output): its name, digest and line.
#[derive(Debug, Clone)]
pub struct SecretAttribute {
    /// The top-level attribute (`secret`), or the output's name.
    pub name: String,
    pub digest: SecretDigest,
    pub line: u32,
    offset: usize,
}

/// One resource instance of a state or plan.
#[derive(Debug, Clone)]
pub struct Instance {
    /// `module.ci.aws_iam_access_key.deploy`, `data.aws_caller_identity.current`.
    pub address: String,
    pub resource_type: String,
    /// A managed resource, not a data source.
    pub managed: bool,
    /// What the next apply does with it; `None` for what only gives context (data sources, a
    /// plan's prior state and planned values).
    pub change: Option<ProvisionChange>,
    /// The identifying attributes (IDs, ARNs, names, members): nothing secret.
    pub attributes: BTreeMap<String, Value>,
    pub secrets: Vec<SecretAttribute>,
    pub line: u32,
    offset: usize,
}

impl Instance {
    /// A string attribute, when it is a non-empty string.
    pub fn text(&self, name: &str) -> Option<&str> {
        self.attributes
            .get(name)
            .and_then(Value::as_str)
            .map(str::trim)
            .filter(|s| !s.is_empty())
    }
}

/// What one file holds.
#[derive(Debug, Clone, Default)]
pub struct Read {
    pub instances: Vec<Instance>,
    /// Sensitive outputs of the root module, whose values the file holds in plain.
    pub outputs: Vec<SecretAttribute>,
    pub warnings: Vec<String>,
}

/// Attributes kept: what names an identity, a credential or a grant. Nothing else is kept, so a
/// secret the file does not mark (in a tag, a policy document) never leaves the reader.
const IDENTIFYING: &[&str] = &[
    "id",
    "arn",
    "name",
    "path",
    "user",
    "users",
    "user_name",
    "username",
    "role",
    "roles",
    "group",
    "groups",
    "unique_id",
    "status",
    "policy_arn",
    "account_id",
    "email",
    "project",
    "service_account_id",
    "member",
    "members",
    "client_id",
    "application_id",
    "application_object_id",
    "object_id",
    "display_name",
    "key_id",
    "service_principal_id",
    "metadata",
    "subject",
    "role_ref",
    "backend",
    "role_name",
    "role_id",
    "accessor",
    "repository",
    "key",
    "title",
    "read_only",
    "type",
    "ssh_public_key_id",
    "service_specific_credential_id",
    "service_name",
    "certificate_id",
    "secret_name",
];

/// Attributes that hold secret material whatever the file marks (states written before
/// Terraform 0.15 mark nothing). PGP-encrypted forms (`encrypted_secret`) are not secrets.
const SECRET_ATTRIBUTES: &[&str] = &[
    "secret",
    "password",
    "private_key",
    "private_key_pem",
    "private_key_pem_pkcs8",
    "private_key_openssh",
    "ses_smtp_password_v4",
    "secret_id",
    "wrapping_token",
    "client_secret",
    "client_token",
    "plaintext_value",
    "secret_string",
    "master_password",
    "access_token",
];

/// Secret attributes of particular resource types, whose names say nothing by themselves.
const SECRET_ATTRIBUTES_OF: &[(&str, &str)] = &[
    ("azuread_application_password", "value"),
    ("azuread_service_principal_password", "value"),
    ("random_password", "result"),
    ("random_password", "bcrypt_hash"),
    ("kubernetes_secret", "data"),
    ("kubernetes_secret", "binary_data"),
    ("kubernetes_secret_v1", "data"),
    ("kubernetes_secret_v1", "binary_data"),
    ("vault_generic_secret", "data"),
    ("vault_generic_secret", "data_json"),
    ("vault_kv_secret_v2", "data"),
    ("vault_kv_secret_v2", "data_json"),
];

fn is_secret_attribute(resource_type: &str, name: &str) -> bool {
    SECRET_ATTRIBUTES.contains(&name) || SECRET_ATTRIBUTES_OF.contains(&(resource_type, name))
}

/// One step of a path into a value.
#[derive(Debug, Clone, PartialEq)]
enum Step {
    Attr(String),
    Index(Value),
}

/// Which parts of an object the file marks sensitive.
#[derive(Debug, Default)]
struct Marks {
    /// The whole object (`after_sensitive: true`).
    whole: bool,
    paths: Vec<Vec<Step>>,
}

impl Marks {
    /// A state's `sensitive_attributes`: a list of paths of `{"type": "get_attr" | "index",
    /// "value": …}` steps. A file that writes them as a shape with `true` leaves is read so too.
    fn of_state(value: &Value) -> Marks {
        let Value::Array(paths) = value else {
            return Marks::of_shape(value);
        };
        let paths = paths
            .iter()
            .filter_map(|path| {
                let steps = path.as_array()?;
                steps
                    .iter()
                    .map(|step| match step.get("type").and_then(Value::as_str)? {
                        "get_attr" => Some(Step::Attr(step.get("value")?.as_str()?.to_string())),
                        "index" => {
                            let key = step.get("value")?;
                            Some(Step::Index(key.get("value").unwrap_or(key).clone()))
                        }
                        _ => None,
                    })
                    .collect::<Option<Vec<Step>>>()
            })
            .filter(|path| !path.is_empty())
            .collect();
        Marks {
            whole: false,
            paths,
        }
    }

    /// `sensitive_values`, `before_sensitive`, `after_sensitive`: the value's shape with
    /// `true` where it is sensitive.
    fn of_shape(value: &Value) -> Marks {
        fn walk(value: &Value, prefix: &mut Vec<Step>, out: &mut Vec<Vec<Step>>) {
            match value {
                Value::Bool(true) => out.push(prefix.clone()),
                Value::Object(map) => {
                    for (key, child) in map {
                        prefix.push(Step::Attr(key.clone()));
                        walk(child, prefix, out);
                        prefix.pop();
                    }
                }
                Value::Array(items) => {
                    for (i, child) in items.iter().enumerate() {
                        prefix.push(Step::Index(Value::from(i)));
                        walk(child, prefix, out);
                        prefix.pop();
                    }
                }
                _ => {}
            }
        }
        if value == &Value::Bool(true) {
            return Marks {
                whole: true,
                paths: Vec::new(),
            };
        }
        let mut paths = Vec::new();
        walk(value, &mut Vec::new(), &mut paths);
        Marks {
            whole: false,
            paths,
        }
    }

    /// The marked paths by top-level attribute, below it (an empty path: all of it). Built once
    /// per object, so that many attributes and many marks cost their sum, not their product.
    fn by_attribute(&self) -> HashMap<&str, Vec<&[Step]>> {
        let mut by_attribute: HashMap<&str, Vec<&[Step]>> = HashMap::new();
        for path in &self.paths {
            if let Some((Step::Attr(first), rest)) = path.split_first() {
                by_attribute.entry(first.as_str()).or_default().push(rest);
            }
        }
        by_attribute
    }
}

/// The reading of one file: offsets are relative to `base`, the file's bytes.
struct Reader<'b> {
    base: &'b [u8],
    read: Read,
}

impl<'b> Reader<'b> {
    fn new(base: &'b [u8]) -> Self {
        Reader {
            base,
            read: Read::default(),
        }
    }

    /// Where borrowed raw text starts in the file.
    fn offset(&self, raw: &RawValue) -> usize {
        let start = self.base.as_ptr() as usize;
        (raw.get().as_ptr() as usize)
            .checked_sub(start)
            .filter(|offset| *offset <= self.base.len())
            .unwrap_or(0)
    }

    /// An object's identifying attributes, and the digests of its secret ones.
    fn object(
        &self,
        raw: Option<&RawValue>,
        marks: &Marks,
        resource_type: &str,
    ) -> (BTreeMap<String, Value>, Vec<SecretAttribute>) {
        let mut attributes = BTreeMap::new();
        let mut secrets = Vec::new();
        let Some(raw) = raw else {
            return (attributes, secrets);
        };
        // Anything but an object (`null`) holds nothing.
        let Ok(fields) = serde_json::from_str::<BTreeMap<String, &RawValue>>(raw.get()) else {
            return (attributes, secrets);
        };
        let marked = marks.by_attribute();
        for (name, value) in fields {
            let below: &[&[Step]] = marked.get(name.as_str()).map_or(&[], Vec::as_slice);
            let whole = marks.whole
                || is_secret_attribute(resource_type, &name)
                || below.contains(&&[][..]);
            if whole || !below.is_empty() {
                let digest = if whole {
                    digest_whole(value)
                } else {
                    digest_parts(value, below)
                };
                if let Some(digest) = digest {
                    secrets.push(SecretAttribute {
                        name,
                        digest,
                        line: 0,
                        offset: self.offset(value),
                    });
                }
                continue;
            }
            if IDENTIFYING.contains(&name.as_str()) {
                if let Ok(value) = serde_json::from_str::<Value>(value.get()) {
                    attributes.insert(name, value);
                }
            }
        }
        (attributes, secrets)
    }

    /// A string read from raw text (an address, a name), or `None` with a warning.
    fn string(&mut self, raw: &RawValue, what: &str) -> Option<String> {
        match serde_json::from_str::<String>(raw.get()) {
            Ok(text) if !text.trim().is_empty() => Some(text),
            _ => {
                self.read
                    .warnings
                    .push(format!("a resource whose {what} is not a string; not read"));
                None
            }
        }
    }

    fn output(&mut self, name: &str, value: Option<&RawValue>) {
        if let Some(value) = value {
            if let Some(digest) = digest_whole(value) {
                let offset = self.offset(value);
                self.read.outputs.push(SecretAttribute {
                    name: name.to_string(),
                    digest,
                    line: 0,
                    offset,
                });
            }
        }
    }

    /// The resources of a `values` module and its children, as context (a plan's prior state
    /// and planned values) or as what a shown state keeps.
    fn module(&mut self, module: &Module, provisions: bool) {
        // Depth-first with an explicit stack: a hostile file cannot nest deeper than serde's
        // recursion limit, but nothing here needs recursion.
        let mut stack = vec![module];
        while let Some(module) = stack.pop() {
            for resource in &module.resources {
                let Some(address) = self.string(resource.address, "address") else {
                    continue;
                };
                let managed = resource.mode.as_deref() != Some("data");
                let (attributes, secrets) = self.object(
                    resource.values,
                    &Marks::of_shape(&resource.sensitive_values),
                    &resource.resource_type,
                );
                let change = (provisions && managed).then_some(if resource.deposed_key.is_some() {
                    ProvisionChange::Destroy
                } else {
                    ProvisionChange::Keep
                });
                self.read.instances.push(Instance {
                    address,
                    resource_type: resource.resource_type.clone(),
                    managed,
                    change,
                    attributes,
                    secrets,
                    line: 0,
                    offset: self.offset(resource.address),
                });
            }
            // Children in file order once popped.
            stack.extend(module.child_modules.iter().rev());
        }
    }

    fn values(&mut self, values: &Values, provisions: bool) {
        for (name, output) in &values.outputs {
            if output.sensitive {
                self.output(name, output.value);
            }
        }
        if let Some(root) = &values.root_module {
            self.module(root, provisions);
        }
    }

    /// Lines of every offset, counted in one pass over them in file order.
    fn finish(mut self) -> Read {
        let mut offsets: Vec<usize> = self
            .read
            .instances
            .iter()
            .flat_map(|i| std::iter::once(i.offset).chain(i.secrets.iter().map(|s| s.offset)))
            .chain(self.read.outputs.iter().map(|o| o.offset))
            .collect();
        offsets.sort_unstable();
        offsets.dedup();
        let mut cursor = LineCursor::new(self.base);
        let lines: HashMap<usize, u32> = offsets
            .into_iter()
            .map(|offset| (offset, cursor.line_at(offset)))
            .collect();
        let line = |offset: usize| lines.get(&offset).copied().unwrap_or(1);
        for instance in &mut self.read.instances {
            instance.line = line(instance.offset);
            for secret in &mut instance.secrets {
                secret.line = line(secret.offset);
            }
        }
        for output in &mut self.read.outputs {
            output.line = line(output.offset);
        }
        self.read
    }
}

/// The digest of a whole value's live text: a string's own SHA-256 (as every export's secret is
/// hashed), or one over the live strings of a map or list (a Secret's `data`).
fn digest_whole(raw: &RawValue) -> Option<SecretDigest> {
    if raw.get().starts_with('"') {
        return serde_json::from_str::<SecretField>(raw.get())
            .ok()?
            .live()
            .map(|d| SecretDigest(*d));
    }
    digest_parts(raw, &[&[]])
}

/// The digest of the live strings at `paths` in a value (each path's strings, nested ones
/// included).
fn digest_parts(raw: &RawValue, paths: &[&[Step]]) -> Option<SecretDigest> {
    let value: Value = serde_json::from_str(raw.get()).ok()?;
    let mut leaves: Vec<[u8; 32]> = Vec::new();
    for path in paths {
        let mut node = Some(&value);
        for step in *path {
            node = node.and_then(|n| match (step, n) {
                (Step::Attr(key), Value::Object(map)) => map.get(key),
                (Step::Index(Value::Number(i)), Value::Array(items)) => {
                    i.as_u64().and_then(|i| items.get(usize::try_from(i).ok()?))
                }
                (Step::Index(Value::String(key)), Value::Object(map)) => map.get(key),
                _ => None,
            });
        }
        if let Some(node) = node {
            live_strings(node, &mut leaves);
        }
    }
    match leaves.as_slice() {
        [] => None,
        [one] => Some(SecretDigest(*one)),
        many => {
            let mut hasher = Sha256::new();
            for leaf in many {
                hasher.update(leaf);
            }
            Some(SecretDigest(hasher.finalize().into()))
        }
    }
}

/// The SHA-256 of every live string in a value, in document order (maps by key).
fn live_strings(value: &Value, out: &mut Vec<[u8; 32]>) {
    let mut stack = vec![value];
    while let Some(value) = stack.pop() {
        match value {
            Value::String(text) if is_live(text) => {
                out.push(Sha256::digest(text.as_bytes()).into())
            }
            Value::Array(items) => stack.extend(items.iter().rev()),
            Value::Object(map) => stack.extend(map.values().rev()),
            _ => {}
        }
    }
}

/// `module.x.data.TYPE.NAME[KEY]`, as Terraform writes an instance's address.
fn address(
    module: Option<&str>,
    managed: bool,
    resource_type: &str,
    name: &str,
    key: Option<&Value>,
) -> String {
    let mut address = String::new();
    if let Some(module) = module.filter(|m| !m.is_empty()) {
        address.push_str(module);
        address.push('.');
    }
    if !managed {
        address.push_str("data.");
    }
    address.push_str(resource_type);
    address.push('.');
    address.push_str(name);
    match key {
        Some(Value::Number(n)) => address.push_str(&format!("[{n}]")),
        Some(Value::String(key)) => {
            address.push('[');
            address.push_str(&serde_json::to_string(key).unwrap_or_default());
            address.push(']');
        }
        _ => {}
    }
    address
}

/// A state file (format version 4). Another version is refused by the caller.
pub fn state(base: &[u8], state: &StateFile) -> Read {
    let mut reader = Reader::new(base);
    for (name, output) in &state.outputs {
        if output.sensitive {
            reader.output(name, output.value);
        }
    }
    for resource in &state.resources {
        let Some(name) = reader.string(resource.name, "name") else {
            continue;
        };
        let managed = resource.mode.as_deref() != Some("data");
        for instance in &resource.instances {
            let key = instance
                .index_key
                .and_then(|k| serde_json::from_str::<Value>(k.get()).ok());
            let marks = Marks::of_state(&instance.sensitive_attributes);
            let (mut attributes, mut secrets) =
                reader.object(instance.attributes, &marks, &resource.resource_type);
            if instance.attributes.is_none() {
                (attributes, secrets) =
                    reader.object(instance.attributes_flat, &marks, &resource.resource_type);
            }
            let change = managed.then_some(if instance.deposed.is_some() {
                ProvisionChange::Destroy
            } else {
                ProvisionChange::Keep
            });
            reader.read.instances.push(Instance {
                address: address(
                    resource.module.as_deref(),
                    managed,
                    &resource.resource_type,
                    &name,
                    key.as_ref(),
                ),
                resource_type: resource.resource_type.clone(),
                managed,
                change,
                attributes,
                secrets,
                line: 0,
                offset: reader.offset(instance.index_key.unwrap_or(resource.name)),
            });
        }
    }
    reader.finish()
}

/// `terraform show -json` of a state.
pub fn shown_state(base: &[u8], state: &ShownState) -> Read {
    let mut reader = Reader::new(base);
    if let Some(values) = &state.values {
        reader.values(values, true);
    }
    reader.finish()
}

/// What a plan's actions do; `None` for a data source read.
fn change_of(actions: &[String]) -> Result<Option<ProvisionChange>, ()> {
    let actions: Vec<&str> = actions.iter().map(String::as_str).collect();
    Ok(Some(match actions.as_slice() {
        ["no-op"] => ProvisionChange::Keep,
        ["create"] => ProvisionChange::Create,
        ["update"] => ProvisionChange::Update,
        ["delete", "create"] | ["create", "delete"] => ProvisionChange::Replace,
        ["delete"] => ProvisionChange::Destroy,
        ["forget"] => ProvisionChange::Forget,
        ["read"] => return Ok(None),
        _ => return Err(()),
    }))
}

/// `terraform show -json PLAN`: what each resource change does to it, from `resource_changes`;
/// the prior state and planned values give context (data sources, secrets) and fill in
/// identifying attributes a change leaves out.
pub fn plan(base: &[u8], plan: &Plan) -> Read {
    let mut reader = Reader::new(base);
    let mut unknown_actions: BTreeMap<String, usize> = BTreeMap::new();
    for resource in &plan.resource_changes {
        let Some(address) = reader.string(resource.address, "address") else {
            continue;
        };
        let managed = resource.mode.as_deref() != Some("data");
        let change = match change_of(&resource.change.actions) {
            Ok(change) => change,
            Err(()) => {
                *unknown_actions
                    .entry(resource.change.actions.join(","))
                    .or_default() += 1;
                // Read conservatively: it may well survive the apply.
                Some(ProvisionChange::Keep)
            }
        };
        let change = change.filter(|_| managed);
        let (before, before_secrets) = reader.object(
            resource.change.before,
            &Marks::of_shape(&resource.change.before_sensitive),
            &resource.resource_type,
        );
        let (after, after_secrets) = reader.object(
            resource.change.after,
            &Marks::of_shape(&resource.change.after_sensitive),
            &resource.resource_type,
        );
        let attributes = match change {
            // What goes away is described by what it was.
            Some(ProvisionChange::Destroy | ProvisionChange::Forget) => before,
            // A data source read: what it read.
            None if after.is_empty() => before,
            None => after,
            // The same object before and after: the prior values fill what the plan leaves out.
            Some(ProvisionChange::Keep | ProvisionChange::Update) => {
                let mut attributes = after;
                for (name, value) in before {
                    attributes.entry(name).or_insert(value);
                }
                attributes
            }
            // A new object: nothing of the old one (its ID, its ARN) describes it.
            Some(ProvisionChange::Create | ProvisionChange::Replace) => after,
        };
        let mut secrets = before_secrets;
        secrets.extend(after_secrets);
        reader.read.instances.push(Instance {
            address,
            resource_type: resource.resource_type.clone(),
            managed,
            change,
            attributes,
            secrets,
            line: 0,
            offset: reader.offset(resource.address),
        });
    }
    for (actions, count) in unknown_actions {
        reader.read.warnings.push(format!(
            "{count} resource change(s) with actions [{actions}], which deprov does not know; read as kept by the apply"
        ));
    }
    // Context: the planned values and the prior state, merged into the changes by address.
    let first = reader.read.instances.len();
    if let Some(values) = &plan.planned_values {
        reader.values(values, false);
    }
    if let Some(values) = plan.prior_state.as_ref().and_then(|s| s.values.as_ref()) {
        reader.values(values, false);
    }
    let context = reader.read.instances.split_off(first);
    let mut by_address: HashMap<String, usize> = reader
        .read
        .instances
        .iter()
        .enumerate()
        .map(|(i, instance)| (instance.address.clone(), i))
        .collect();
    for instance in context {
        match by_address.get(&instance.address) {
            Some(&i) => {
                let target = &mut reader.read.instances[i];
                if matches!(
                    target.change,
                    Some(ProvisionChange::Keep | ProvisionChange::Update)
                ) {
                    for (name, value) in instance.attributes {
                        target.attributes.entry(name).or_insert(value);
                    }
                }
                target.secrets.extend(instance.secrets);
            }
            None => {
                by_address.insert(instance.address.clone(), reader.read.instances.len());
                reader.read.instances.push(instance);
            }
        }
    }
    // One secret per attribute and value: a plan repeats its values in several places.
    for instance in &mut reader.read.instances {
        let mut seen = std::collections::HashSet::new();
        instance
            .secrets
            .retain(|s| seen.insert((s.name.clone(), s.digest)));
    }
    let mut seen = std::collections::HashSet::new();
    reader
        .read
        .outputs
        .retain(|o| seen.insert((o.name.clone(), o.digest)));
    reader.finish()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn addresses_follow_terraform() {
        assert_eq!(
            address(
                Some("module.ci"),
                true,
                "aws_iam_access_key",
                "deploy",
                None
            ),
            "module.ci.aws_iam_access_key.deploy"
        );
        assert_eq!(
            address(None, false, "aws_caller_identity", "current", None),
            "data.aws_caller_identity.current"
        );
        assert_eq!(
            address(
                None,
                true,
                "aws_iam_user",
                "users",
                Some(&Value::from("foo.bar"))
            ),
            "aws_iam_user.users[\"foo.bar\"]"
        );
        assert_eq!(
            address(
                None,
                true,
                "aws_iam_role_policy_attachment",
                "ec2",
                Some(&Value::from(1))
            ),
            "aws_iam_role_policy_attachment.ec2[1]"
        );
    }

    #[test]
    fn marks_of_both_forms_agree() {
        let state = Marks::of_state(&serde_json::json!([
            [{"type": "get_attr", "value": "secret"}],
            [{"type": "get_attr", "value": "connection"}, {"type": "index", "value": {"value": 0, "type": "number"}}, {"type": "get_attr", "value": "password"}]
        ]));
        let shape = Marks::of_shape(&serde_json::json!({
            "secret": true, "tags_all": {}, "connection": [{"password": true}]
        }));
        let sorted = |paths: &[Vec<Step>]| {
            let mut paths: Vec<String> = paths.iter().map(|p| format!("{p:?}")).collect();
            paths.sort();
            paths
        };
        assert_eq!(sorted(&state.paths), sorted(&shape.paths));
        assert!(Marks::of_shape(&Value::Bool(true)).whole);
        let by_attribute = state.by_attribute();
        assert_eq!(by_attribute["secret"], vec![&[][..]]);
        assert_eq!(by_attribute["connection"].len(), 1);
        assert!(!by_attribute.contains_key("user"));
    }

    #[test]
    fn secrets_are_digests_and_never_identifying() {
        let text = r#"{"id": "AKIA1", "user": "ci", "secret": "wJalrXUtnFEMI", "ses_smtp_password_v4": null,
            "tags": {"k": "v"}, "connection": [{"host": "h", "password": "s3cr3t-pw"}], "encrypted_secret": "wcFM"}"#;
        let raw: &RawValue = serde_json::from_str(text).unwrap();
        let reader = Reader::new(text.as_bytes());
        let marks = Marks::of_shape(&serde_json::json!({"connection": [{"password": true}]}));
        let (attributes, secrets) = reader.object(Some(raw), &marks, "aws_iam_access_key");
        assert_eq!(
            attributes.keys().collect::<Vec<_>>(),
            vec!["id", "user"],
            "tags, connection and the encrypted secret are not kept"
        );
        let names: Vec<&str> = secrets.iter().map(|s| s.name.as_str()).collect();
        assert_eq!(names, vec!["connection", "secret"]);
        assert_eq!(
            secrets[1].digest.0,
            <[u8; 32]>::from(Sha256::digest(b"wJalrXUtnFEMI"))
        );
        assert_eq!(
            secrets[0].digest.0,
            <[u8; 32]>::from(Sha256::digest(b"s3cr3t-pw")),
            "only the marked part of a block"
        );
        assert!(!format!("{secrets:?}").contains("wJalr"));
        assert_eq!(&text[secrets[1].offset..secrets[1].offset + 6], "\"wJalr");
    }

    #[test]
    fn plan_actions() {
        let of = |a: &[&str]| change_of(&a.iter().map(|s| s.to_string()).collect::<Vec<_>>());
        assert_eq!(of(&["no-op"]), Ok(Some(ProvisionChange::Keep)));
        assert_eq!(
            of(&["create", "delete"]),
            Ok(Some(ProvisionChange::Replace))
        );
        assert_eq!(of(&["delete"]), Ok(Some(ProvisionChange::Destroy)));
        assert_eq!(of(&["read"]), Ok(None));
        assert_eq!(of(&["teleport"]), Err(()));
    }
}
