//! Serde types close to Terraform's JSON: the state file (format version 4,
//! `terraform.tfstate`), `terraform show -json` of a state and of a plan. Whatever may hold a
//! secret (a resource's attributes or values, an output's value) is kept as raw JSON text
//! borrowed from the file (`&RawValue`), read only once it is known which of its parts are
//! sensitive; where it sits in the file is where that borrowed text starts.

use std::collections::BTreeMap;

use serde::Deserialize;
use serde_json::value::RawValue;
use serde_json::Value;

/// A state file (`terraform.tfstate`, `terraform state pull`).
#[derive(Debug, Deserialize)]
pub struct StateFile<'a> {
    /// The state format version: 4 since Terraform 0.12; 3 and older have another shape.
    pub version: u64,
    #[serde(default)]
    pub terraform_version: Option<String>,
    #[serde(default, borrow)]
    pub outputs: BTreeMap<String, StateOutput<'a>>,
    #[serde(default, borrow)]
    pub resources: Vec<StateResource<'a>>,
}

/// A root module output of a state file.
#[derive(Debug, Deserialize)]
pub struct StateOutput<'a> {
    #[serde(default, borrow)]
    pub value: Option<&'a RawValue>,
    #[serde(default)]
    pub sensitive: bool,
}

/// A resource of a state file: one per `resource` block (per module instance), with an instance
/// per `count` or `for_each` key.
#[derive(Debug, Deserialize)]
pub struct StateResource<'a> {
    /// `module.ci` or `module.apps["web"].module.roles`; absent in the root module.
    #[serde(default)]
    pub module: Option<String>,
    /// `managed` (a resource) or `data` (a data source).
    #[serde(default)]
    pub mode: Option<String>,
    #[serde(rename = "type")]
    pub resource_type: String,
    /// The resource name, raw: where it is written is the resource's line.
    #[serde(borrow)]
    pub name: &'a RawValue,
    #[serde(default, borrow)]
    pub instances: Vec<StateInstance<'a>>,
}

/// One object of a resource: its attributes, which of them are sensitive, and whether it is a
/// deposed object (replaced, waiting to be destroyed).
#[derive(Debug, Deserialize)]
pub struct StateInstance<'a> {
    /// The `count` index (a number) or `for_each` key (a string), raw.
    #[serde(default, borrow)]
    pub index_key: Option<&'a RawValue>,
    #[serde(default, borrow)]
    pub attributes: Option<&'a RawValue>,
    /// The flattened attributes of a state upgraded from Terraform 0.11 (`"metadata.0.name"`).
    #[serde(default, borrow)]
    pub attributes_flat: Option<&'a RawValue>,
    /// Paths of sensitive values: `[[{"type": "get_attr", "value": "password"}], …]`.
    #[serde(default)]
    pub sensitive_attributes: Value,
    #[serde(default)]
    pub deposed: Option<String>,
}

/// `terraform show -json` of a state: `{"format_version", "values": {"outputs",
/// "root_module"}}`. Also the shape of a plan's `prior_state`.
#[derive(Debug, Deserialize)]
pub struct ShownState<'a> {
    #[serde(default, borrow)]
    pub values: Option<Values<'a>>,
}

/// A state's or a plan's values: the root module's outputs and resources.
#[derive(Debug, Deserialize)]
pub struct Values<'a> {
    #[serde(default, borrow)]
    pub outputs: BTreeMap<String, ShownOutput<'a>>,
    #[serde(default, borrow)]
    pub root_module: Option<Module<'a>>,
}

#[derive(Debug, Deserialize)]
pub struct ShownOutput<'a> {
    #[serde(default)]
    pub sensitive: bool,
    #[serde(default, borrow)]
    pub value: Option<&'a RawValue>,
}

/// A module of `values`: its resources and its child modules.
#[derive(Debug, Deserialize)]
pub struct Module<'a> {
    #[serde(default, borrow)]
    pub resources: Vec<ShownResource<'a>>,
    #[serde(default, borrow)]
    pub child_modules: Vec<Module<'a>>,
}

/// A resource instance of `values`, under its full address.
#[derive(Debug, Deserialize)]
pub struct ShownResource<'a> {
    /// `module.ci.aws_iam_access_key.deploy`, raw: where it is written is the resource's line.
    #[serde(borrow)]
    pub address: &'a RawValue,
    #[serde(default)]
    pub mode: Option<String>,
    #[serde(rename = "type")]
    pub resource_type: String,
    #[serde(default, borrow)]
    pub values: Option<&'a RawValue>,
    /// The shape of `values` with `true` where a value is sensitive.
    #[serde(default)]
    pub sensitive_values: Value,
    /// Set on a deposed object (replaced, waiting to be destroyed).
    #[serde(default)]
    pub deposed_key: Option<String>,
}

/// `terraform show -json PLAN`.
#[derive(Debug, Deserialize)]
pub struct Plan<'a> {
    #[serde(default, borrow)]
    pub resource_changes: Vec<ResourceChange<'a>>,
    #[serde(default, borrow)]
    pub planned_values: Option<Values<'a>>,
    #[serde(default, borrow)]
    pub prior_state: Option<ShownState<'a>>,
}

/// What the plan does to one resource instance.
#[derive(Debug, Deserialize)]
pub struct ResourceChange<'a> {
    #[serde(borrow)]
    pub address: &'a RawValue,
    #[serde(default)]
    pub mode: Option<String>,
    #[serde(rename = "type")]
    pub resource_type: String,
    #[serde(borrow)]
    pub change: Change<'a>,
}

/// A planned change: its actions, and the object before and after (unknown values are left
/// out of `after`).
#[derive(Debug, Deserialize)]
pub struct Change<'a> {
    #[serde(default)]
    pub actions: Vec<String>,
    #[serde(default, borrow)]
    pub before: Option<&'a RawValue>,
    #[serde(default, borrow)]
    pub after: Option<&'a RawValue>,
    #[serde(default)]
    pub before_sensitive: Value,
    #[serde(default)]
    pub after_sensitive: Value,
}
