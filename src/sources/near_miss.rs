//! Files that look like an export (a JSON object, an array of objects, JSON lines; a YAML
//! mapping that shares a key with a format) but match no format a family reads: listed under `skipped` with the closest known
//! shape named, judged by how many of each format's characteristic keys
//! ([`Family::characteristic_keys`](super::Family::characteristic_keys)) the file has. Such a
//! file is still scanned for secrets as text; the entry says why it was not read as data (an
//! export of an older or newer API version, a tool's own wrapper, a file that is not an export).

use crate::discover::probe::{Content, JsonShape};

use super::FAMILIES;

/// Keys named in a reason, at most.
const KEYS_SHOWN: usize = 6;

/// Why a file that looks like an export was not read as one; `None` for content that does not
/// look like an export (text, an empty object, an array of strings).
pub fn near_miss(content: &Content) -> Option<String> {
    let (what, shape) = match content {
        Content::Json(shape) if shape.is_array => ("JSON array of objects", shape.clone()),
        Content::Json(shape) => ("JSON object", shape.clone()),
        Content::JsonLines(shape) => ("JSON lines", shape.clone()),
        Content::Yaml { keys } => (
            "YAML mapping",
            JsonShape {
                keys: keys.clone(),
                ..JsonShape::default()
            },
        ),
        _ => return None,
    };
    if shape.keys.is_empty() {
        return None;
    }
    let closest = closest(&shape);
    // YAML is mostly configuration (CI workflows, compose files); only a mapping that shares a
    // key with a format deprov reads (the register) is taken for an export it missed.
    if matches!(content, Content::Yaml { .. }) && closest.is_none() {
        return None;
    }
    let mut keys: Vec<&str> = shape.keys.iter().map(String::as_str).collect();
    let more = keys.len() > KEYS_SHOWN;
    keys.truncate(KEYS_SHOWN);
    let keys = format!("{}{}", keys.join(", "), if more { ", …" } else { "" });
    let closest = match closest {
        Some(Closest {
            format,
            shared,
            lacking,
        }) => {
            let lacks = if lacking.is_empty() {
                String::new()
            } else {
                format!("; lacks {}", lacking.join(", "))
            };
            format!(
                "closest known shape: {format} (shares {}{lacks})",
                shared.join(", ")
            )
        }
        None => "no known export shape shares its keys".to_string(),
    };
    Some(format!(
        "{what} that matches no export deprov reads (keys: {keys}); {closest}; scanned for secrets as text only"
    ))
}

/// The format whose characteristic keys the file has most of.
#[derive(Debug, PartialEq, Eq)]
struct Closest {
    format: String,
    shared: Vec<&'static str>,
    lacking: Vec<&'static str>,
}

fn closest(shape: &JsonShape) -> Option<Closest> {
    let mut best: Option<(usize, usize, Closest)> = None;
    for family in FAMILIES {
        for (format, keys) in family.characteristic_keys() {
            let (shared, lacking): (Vec<&'static str>, Vec<&'static str>) =
                keys.iter().partition(|key| has_key(shape, key));
            if shared.is_empty() {
                continue;
            }
            // More keys shared first, then a larger share of the format's keys; the first
            // family in `FAMILIES` order on a tie, so the answer never depends on anything else.
            let score = (shared.len(), shared.len() * 1000 / keys.len());
            let better = best
                .as_ref()
                .is_none_or(|(count, share, _)| score > (*count, *share));
            if better {
                best = Some((
                    score.0,
                    score.1,
                    Closest {
                        format,
                        shared,
                        lacking,
                    },
                ));
            }
        }
    }
    best.map(|(_, _, closest)| closest)
}

/// `key` among the file's keys or one level down; `parent.key` under `parent` only.
fn has_key(shape: &JsonShape, key: &str) -> bool {
    match key.split_once('.') {
        Some((parent, inner)) if !parent.starts_with('@') => shape.nested_has(parent, inner),
        _ => shape.has(key) || shape.nested.values().any(|keys| keys.contains(key)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn json(keys: &[&str], nested: &[(&str, &[&str])], is_array: bool) -> Content {
        Content::Json(JsonShape {
            is_array,
            keys: keys.iter().map(|k| k.to_string()).collect(),
            nested: nested
                .iter()
                .map(|(k, inner)| (k.to_string(), inner.iter().map(|i| i.to_string()).collect()))
                .collect(),
            documents: 1,
        })
    }

    #[test]
    fn the_closest_shape_is_named_by_shared_keys() {
        // A deploy key list of a shape GitHub never wrote: no `id`, so not read.
        let reason = near_miss(&json(&["key", "title", "fingerprint"], &[], true)).unwrap();
        assert_eq!(
            reason,
            "JSON array of objects that matches no export deprov reads (keys: fingerprint, key, \
             title); closest known shape: github/deploy-keys (shares key, title; lacks read_only, \
             verified, added_by); scanned for secrets as text only"
        );
        // Nested keys count: a Vault response whose `data` holds an unknown shape.
        let reason = near_miss(&json(
            &["request_id", "lease_duration", "data"],
            &[("data", &["accessor", "ttl"])],
            false,
        ))
        .unwrap();
        assert!(
            reason.contains("closest known shape: vault/token-lookup (shares request_id, lease_duration, data.accessor;"),
            "{reason}"
        );
        // A Graph page of objects that are not applications.
        let reason = near_miss(&json(
            &["@odata.context", "value"],
            &[("value", &["id", "displayName", "mail"])],
            false,
        ))
        .unwrap();
        assert!(
            reason.contains("closest known shape: azure/applications (shares @odata.context;"),
            "{reason}"
        );
        // A register-like YAML file with its keys misspelt.
        let reason = near_miss(&Content::Yaml {
            keys: ["people", "owners"].iter().map(|k| k.to_string()).collect(),
        })
        .unwrap();
        assert!(
            reason.starts_with("YAML mapping that matches no export deprov reads (keys: owners, people); closest known shape: register/register-yaml (shares people; lacks identities, teams)"),
            "{reason}"
        );
    }

    #[test]
    fn files_sharing_nothing_say_so_and_non_exports_are_not_listed() {
        let reason = near_miss(&json(&["name", "version", "dependencies"], &[], false)).unwrap();
        assert!(
            reason.ends_with("(keys: dependencies, name, version); no known export shape shares its keys; scanned for secrets as text only"),
            "{reason}"
        );
        // An array of strings, an empty object, text: nothing that looks like an export.
        assert_eq!(near_miss(&json(&[], &[], true)), None);
        assert_eq!(near_miss(&json(&[], &[], false)), None);
        assert_eq!(near_miss(&Content::Text), None);
        assert_eq!(near_miss(&Content::Binary), None);
        // YAML configuration that shares nothing with an export (a CI workflow).
        let workflow = Content::Yaml {
            keys: ["jobs", "on"].iter().map(|k| k.to_string()).collect(),
        };
        assert_eq!(near_miss(&workflow), None);
    }

    #[test]
    fn every_declared_key_list_is_non_empty_and_names_a_real_format() {
        for family in FAMILIES {
            for (format, keys) in family.characteristic_keys() {
                assert!(!keys.is_empty(), "{format}");
                assert!(
                    format.starts_with(&format!("{}/", family.source())),
                    "{format}"
                );
            }
        }
    }
}
