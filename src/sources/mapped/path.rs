//! The JSON paths of a mapping: where the records of a JSON or YAML inventory are
//! (`records: "$.items[*]"`) and where a field is inside a record (`owner.email`,
//! `roles[*].name`). A small subset of JSONPath (RFC 9535), enough for exports, resolved in one
//! walk of the value: a leading `$` (optional in fields), `.name` or `['name']` for a member
//! (a name may hold spaces; quote it when it holds `.` or `[`), `[*]` for every item of an array
//! (or every member of an object), `[N]` for one item. Recursive descent (`..`), filters and
//! slices are refused with a message, never misread.

use serde_json::Value;

/// One step of a path.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Step {
    /// A member of an object.
    Member(String),
    /// Every item of an array, every member value of an object.
    Each,
    /// One item of an array.
    Index(usize),
}

/// A parsed path.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct JsonPath {
    pub steps: Vec<Step>,
}

/// Why a path does not parse: what is wrong and at which character.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{message} (character {at})")]
pub struct PathError {
    pub message: String,
    /// 1-based character position.
    pub at: usize,
}

impl JsonPath {
    /// Parses `$`, `$.items[*]`, `owner.email`, `['a.b'][0]`.
    pub fn parse(text: &str) -> Result<JsonPath, PathError> {
        let chars: Vec<char> = text.chars().collect();
        let error = |at: usize, message: &str| PathError {
            message: message.to_string(),
            at: at + 1,
        };
        let mut steps = Vec::new();
        let mut i = 0;
        if chars.first() == Some(&'$') {
            i = 1;
        } else if chars.is_empty() {
            return Err(error(0, "the path is empty"));
        } else if chars[0] != '[' {
            // A bare first member: `owner.email`.
            let (name, next) = member_name(&chars, 0);
            if name.is_empty() {
                return Err(error(0, "a member name is missing"));
            }
            steps.push(Step::Member(name));
            i = next;
        }
        while i < chars.len() {
            match chars[i] {
                '.' => {
                    if chars.get(i + 1) == Some(&'.') {
                        return Err(error(i, "recursive descent (`..`) is not supported"));
                    }
                    if chars.get(i + 1) == Some(&'*') {
                        steps.push(Step::Each);
                        i += 2;
                        continue;
                    }
                    let (name, next) = member_name(&chars, i + 1);
                    if name.is_empty() {
                        return Err(error(i + 1, "a member name is missing after `.`"));
                    }
                    steps.push(Step::Member(name));
                    i = next;
                }
                '[' => {
                    let close = chars[i..]
                        .iter()
                        .position(|&c| c == ']')
                        .map(|p| i + p)
                        .ok_or_else(|| error(i, "`[` is not closed"))?;
                    let inner: String = chars[i + 1..close].iter().collect();
                    let inner = inner.trim();
                    if inner == "*" {
                        steps.push(Step::Each);
                    } else if let Some(quoted) = quoted_name(inner) {
                        steps.push(Step::Member(quoted));
                    } else if let Ok(index) = inner.parse::<usize>() {
                        steps.push(Step::Index(index));
                    } else if inner.starts_with('?') {
                        return Err(error(i, "filters (`[?…]`) are not supported"));
                    } else {
                        return Err(error(
                            i,
                            "inside `[…]` write `*`, an index (`0`) or a quoted name (`'a.b'`)",
                        ));
                    }
                    i = close + 1;
                }
                _ => return Err(error(i, "expected `.` or `[` here")),
            }
        }
        Ok(JsonPath { steps })
    }

    /// Whether the path can select several values (it has a `[*]`).
    pub fn is_multi(&self) -> bool {
        self.steps.contains(&Step::Each)
    }

    /// Every value the path selects in `value`, in document order. A member that is present with
    /// `null` is selected (as `null`): the field exists.
    pub fn select<'v>(&self, value: &'v Value, out: &mut Vec<&'v Value>) {
        select(&self.steps, value, out);
    }
}

fn select<'v>(steps: &[Step], value: &'v Value, out: &mut Vec<&'v Value>) {
    let Some((step, rest)) = steps.split_first() else {
        out.push(value);
        return;
    };
    match (step, value) {
        (Step::Member(name), Value::Object(map)) => {
            if let Some(inner) = map.get(name) {
                select(rest, inner, out);
            }
        }
        (Step::Index(index), Value::Array(items)) => {
            if let Some(inner) = items.get(*index) {
                select(rest, inner, out);
            }
        }
        (Step::Each, Value::Array(items)) => items.iter().for_each(|v| select(rest, v, out)),
        (Step::Each, Value::Object(map)) => map.values().for_each(|v| select(rest, v, out)),
        _ => {}
    }
}

/// A member name written after `.`: up to the next `.` or `[`.
fn member_name(chars: &[char], start: usize) -> (String, usize) {
    let end = chars[start..]
        .iter()
        .position(|&c| c == '.' || c == '[')
        .map_or(chars.len(), |p| start + p);
    (chars[start..end].iter().collect(), end)
}

/// `'name'` or `"name"`, without its quotes.
fn quoted_name(inner: &str) -> Option<String> {
    let quote = inner.chars().next().filter(|c| *c == '\'' || *c == '"')?;
    let body = inner.strip_prefix(quote)?.strip_suffix(quote)?;
    Some(body.to_string())
}

/// The fields a record has, as paths a mapping can name (`owner.email`, `roles[*].name`),
/// sorted, for telling the user what exists when a mapped field does not. At most `limit`.
pub fn field_paths(records: &[&Value], limit: usize) -> Vec<String> {
    let mut found = std::collections::BTreeSet::new();
    for record in records {
        leaves(record, String::new(), &mut found, limit, 0);
        if found.len() >= limit {
            break;
        }
    }
    found.into_iter().take(limit).collect()
}

/// How deep [`field_paths`] looks into a record.
const MAX_DEPTH: usize = 6;

fn leaves(
    value: &Value,
    prefix: String,
    found: &mut std::collections::BTreeSet<String>,
    limit: usize,
    depth: usize,
) {
    if found.len() >= limit {
        return;
    }
    match value {
        Value::Object(map) if depth < MAX_DEPTH && !map.is_empty() => {
            for (key, inner) in map {
                let step = if key.contains(['.', '[', ']']) || key.is_empty() {
                    format!("['{key}']")
                } else if prefix.is_empty() {
                    key.clone()
                } else {
                    format!(".{key}")
                };
                leaves(inner, format!("{prefix}{step}"), found, limit, depth + 1);
            }
        }
        Value::Array(items) if depth < MAX_DEPTH && items.iter().any(|i| i.is_object()) => {
            for item in items.iter().filter(|i| i.is_object()).take(8) {
                leaves(item, format!("{prefix}[*]"), found, limit, depth + 1);
            }
        }
        _ if !prefix.is_empty() => {
            found.insert(prefix);
        }
        _ => {}
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn selected(path: &str, value: &Value) -> Vec<Value> {
        let mut out = Vec::new();
        JsonPath::parse(path).unwrap().select(value, &mut out);
        out.into_iter().cloned().collect()
    }

    #[test]
    fn parses_the_forms_exports_need() {
        use Step::*;
        assert_eq!(JsonPath::parse("$").unwrap().steps, vec![]);
        assert_eq!(
            JsonPath::parse("$.items[*]").unwrap().steps,
            vec![Member("items".into()), Each]
        );
        assert_eq!(
            JsonPath::parse("owner.email").unwrap().steps,
            vec![Member("owner".into()), Member("email".into())]
        );
        assert_eq!(
            JsonPath::parse("$['a.b'][0].Created Date").unwrap().steps,
            vec![
                Member("a.b".into()),
                Index(0),
                Member("Created Date".into())
            ]
        );
        assert_eq!(
            JsonPath::parse("roles[*].name").unwrap().steps,
            vec![Member("roles".into()), Each, Member("name".into())]
        );
        assert_eq!(JsonPath::parse("$.*").unwrap().steps, vec![Each]);
    }

    #[test]
    fn refuses_what_it_does_not_support() {
        for (path, what) in [
            ("$..id", "recursive descent"),
            ("$.items[?(@.a)]", "filters"),
            ("$.items[1:2]", "inside `[…]`"),
            ("$.items[", "not closed"),
            ("$.", "missing"),
            ("", "empty"),
            ("$x", "expected"),
        ] {
            let err = JsonPath::parse(path).unwrap_err();
            assert!(err.message.contains(what), "{path}: {err}");
        }
    }

    #[test]
    fn selects_members_items_and_present_nulls() {
        let value = json!({"items": [
            {"id": "a", "owner": {"email": "x@e"}, "roles": [{"name": "r1"}, {"name": "r2"}]},
            {"id": "b", "owner": null}
        ]});
        assert_eq!(
            selected("$.items[*].id", &value),
            vec![json!("a"), json!("b")]
        );
        assert_eq!(selected("items[*].owner.email", &value), vec![json!("x@e")]);
        assert_eq!(selected("$.items[1].owner", &value), vec![Value::Null]);
        assert_eq!(
            selected("$.items[0].roles[*].name", &value),
            vec![json!("r1"), json!("r2")]
        );
        assert!(selected("$.nothing[*]", &value).is_empty());
    }

    #[test]
    fn field_paths_name_leaves_and_arrays() {
        let a = json!({"id": 1, "owner": {"email": "x"}, "roles": [{"name": "r"}], "tags": ["t"], "a.b": 2});
        let paths = field_paths(&[&a], 50);
        assert_eq!(
            paths,
            vec!["['a.b']", "id", "owner.email", "roles[*].name", "tags"]
        );
    }
}
