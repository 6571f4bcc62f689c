//! Content sniffing: what a file looks like (JSON and its key shape, JSON lines, CSV header,
//! YAML keys, PEM, DER, text) so that each source family can recognise its exports by content,
//! never by file name.

use std::collections::{BTreeMap, BTreeSet};
use std::fmt;
use std::io::Read;

use serde::de::{DeserializeSeed, Deserializer, IgnoredAny, MapAccess, SeqAccess, Visitor};

use super::FileInput;

/// How much of a file is read to decide what it is before deciding to read it whole.
pub const HEAD_BYTES: usize = 64 * 1024;

/// The keys of a JSON object, and for each object- or array-valued key, the keys of that object
/// or of the array's first object.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct JsonShape {
    pub is_array: bool,
    /// Top-level keys (for an array: the first element's keys).
    pub keys: BTreeSet<String>,
    /// One level deeper, per key.
    pub nested: BTreeMap<String, BTreeSet<String>>,
    /// Number of top-level JSON values in the file (several for `gh --paginate` output).
    pub documents: usize,
}

impl JsonShape {
    pub fn has(&self, key: &str) -> bool {
        self.keys.contains(key)
    }

    pub fn has_all(&self, keys: &[&str]) -> bool {
        keys.iter().all(|k| self.keys.contains(*k))
    }

    pub fn nested_has(&self, key: &str, inner: &str) -> bool {
        self.nested.get(key).is_some_and(|k| k.contains(inner))
    }
}

/// What kind of content a file holds.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Content {
    /// One or more JSON values (objects or arrays), read whole.
    Json(JsonShape),
    /// One JSON object per line; only the first line's shape is known (the file may be huge).
    JsonLines(JsonShape),
    /// JSON that does not parse: the error message, line and column.
    BrokenJson {
        message: String,
        line: usize,
        column: usize,
    },
    /// Comma-separated text with this header row.
    Csv { header: Vec<String> },
    /// A YAML mapping with these top-level keys.
    Yaml { keys: BTreeSet<String> },
    /// PEM armour (`-----BEGIN …-----`).
    Pem,
    /// A DER-encoded ASN.1 SEQUENCE.
    Der,
    /// Other text.
    Text,
    /// Other binary content.
    Binary,
}

impl Content {
    pub fn json(&self) -> Option<&JsonShape> {
        match self {
            Content::Json(shape) | Content::JsonLines(shape) => Some(shape),
            _ => None,
        }
    }
}

/// A file with its head and (when read) its whole content, and what it looks like.
pub struct Probe<'a> {
    pub input: &'a FileInput,
    pub head: Vec<u8>,
    /// The whole file, when it was small enough or needed whole to sniff it.
    pub bytes: Option<Vec<u8>>,
    pub content: Content,
}

impl<'a> Probe<'a> {
    /// Reads and sniffs a file. `max_bytes` bounds what is read whole.
    pub fn read(input: &'a FileInput, max_bytes: u64) -> std::io::Result<Probe<'a>> {
        let mut file = super::open_regular(&input.path)?;
        let mut head = Vec::with_capacity(HEAD_BYTES.min(input.size as usize));
        (&mut file).take(HEAD_BYTES as u64).read_to_end(&mut head)?;
        let whole = head.len() < HEAD_BYTES;

        if let Some(shape) = json_lines_shape(&head, whole) {
            let bytes = if whole { Some(head.clone()) } else { None };
            return Ok(Probe {
                input,
                head,
                bytes,
                content: Content::JsonLines(shape),
            });
        }
        let bytes = if whole {
            head.clone()
        } else if input.size <= max_bytes {
            let mut all = head.clone();
            // The file may have grown since discovery measured it: never read past the limit.
            let rest = max_bytes
                .saturating_sub(head.len() as u64)
                .saturating_add(1);
            (&mut file).take(rest).read_to_end(&mut all)?;
            if all.len() as u64 > max_bytes {
                return Err(std::io::Error::other(
                    "the file grew above the size limit (limits.max_file_size_mb) while being read",
                ));
            }
            all
        } else {
            return Ok(Probe {
                input,
                content: sniff_head_only(&head),
                head,
                bytes: None,
            });
        };
        let content = sniff(&bytes, input);
        Ok(Probe {
            input,
            head,
            bytes: Some(bytes),
            content,
        })
    }

    /// Sniffs content already in memory exactly as [`Probe::read`] sniffs a file of that content
    /// with no size limit (a JSON-lines file of `HEAD_BYTES` or more keeps only its head, and its
    /// parser then streams `input.path`). For the fuzz targets (`fuzz/`) and tests.
    #[doc(hidden)]
    pub fn from_bytes(input: &'a FileInput, bytes: Vec<u8>) -> Probe<'a> {
        let head = bytes[..bytes.len().min(HEAD_BYTES)].to_vec();
        let whole = bytes.len() < HEAD_BYTES;
        if let Some(shape) = json_lines_shape(&head, whole) {
            return Probe {
                input,
                head,
                bytes: whole.then_some(bytes),
                content: Content::JsonLines(shape),
            };
        }
        let content = sniff(&bytes, input);
        Probe {
            input,
            head,
            bytes: Some(bytes),
            content,
        }
    }

    /// The whole file. Parsers of formats that are read whole call this; it is present for every
    /// format except large JSON lines and files above the size limit.
    pub fn bytes(&self) -> Option<&[u8]> {
        self.bytes.as_deref()
    }
}

fn trim_start(bytes: &[u8]) -> &[u8] {
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    let start = bytes
        .iter()
        .position(|b| !b.is_ascii_whitespace())
        .unwrap_or(bytes.len());
    &bytes[start..]
}

/// A file is JSON lines when its first line is a complete JSON object and more lines follow
/// (even broken ones: a JSON-lines reader counts and reports them).
fn json_lines_shape(head: &[u8], whole: bool) -> Option<JsonShape> {
    let text = trim_start(head);
    if !text.starts_with(b"{") {
        return None;
    }
    let end = memchr::memchr(b'\n', text)?;
    let first = &text[..end];
    let rest = trim_start(&text[end..]);
    if rest.is_empty() && whole {
        return None;
    }
    let mut shape = shape_of_value(first).ok()?;
    shape.documents = 1;
    Some(shape)
}

/// `[section]` alone on the first line: an INI or TOML file, not a JSON array.
fn starts_with_section_header(text: &[u8]) -> bool {
    let end = memchr::memchr(b'\n', text).unwrap_or(text.len());
    let line = text[..end].trim_ascii_end();
    line.len() > 2
        && line.starts_with(b"[")
        && line.ends_with(b"]")
        && line[1..line.len() - 1]
            .iter()
            .all(|b| b.is_ascii_alphanumeric() || b"_.- \"'".contains(b))
}

fn sniff(bytes: &[u8], input: &FileInput) -> Content {
    let text = trim_start(bytes);
    if (text.starts_with(b"{") || text.starts_with(b"[")) && !starts_with_section_header(text) {
        return match shape_of_documents(text) {
            Ok(shape) => Content::Json(shape),
            Err(e) => {
                let skipped = bytes.len() - text.len();
                let prefix_lines = bytes[..skipped].iter().filter(|&&b| b == b'\n').count();
                Content::BrokenJson {
                    message: e.to_string(),
                    line: e.line() + prefix_lines,
                    column: e.column(),
                }
            }
        };
    }
    if text.starts_with(b"-----BEGIN ") || contains(bytes, b"\n-----BEGIN ") {
        return Content::Pem;
    }
    if bytes.len() > 4
        && bytes[0] == 0x30
        && (bytes[1] == 0x82 || bytes[1] == 0x81 || bytes[1] == 0x83)
    {
        return Content::Der;
    }
    if looks_binary(bytes) {
        return Content::Binary;
    }
    if let Some(header) = csv_header(text) {
        return Content::Csv { header };
    }
    if is_yaml_name(input) || text.starts_with(b"---") {
        if let Some(keys) = yaml_keys(bytes) {
            return Content::Yaml { keys };
        }
    }
    Content::Text
}

fn sniff_head_only(head: &[u8]) -> Content {
    if looks_binary(head) {
        Content::Binary
    } else {
        Content::Text
    }
}

fn contains(haystack: &[u8], needle: &[u8]) -> bool {
    memchr::memmem::find(haystack, needle).is_some()
}

fn looks_binary(bytes: &[u8]) -> bool {
    let sample = &bytes[..bytes.len().min(8192)];
    memchr::memchr(0, sample).is_some()
        || std::str::from_utf8(sample).is_err() && {
            // A multi-byte character cut at the sample's end is still text.
            let valid = match std::str::from_utf8(sample) {
                Ok(_) => sample.len(),
                Err(e) => e.valid_up_to(),
            };
            sample.len() - valid > 4
        }
}

/// The header of a CSV file: the first line, with commas, no JSON or YAML punctuation.
fn csv_header(text: &[u8]) -> Option<Vec<String>> {
    let end = memchr::memchr(b'\n', text).unwrap_or(text.len());
    let line = std::str::from_utf8(&text[..end])
        .ok()?
        .trim_end_matches('\r');
    if !line.contains(',') || line.contains(['{', '[', ':']) {
        return None;
    }
    let header: Vec<String> = line
        .split(',')
        .map(|s| s.trim().trim_matches('"').to_string())
        .collect();
    header
        .iter()
        .all(|h| !h.is_empty() && h.len() < 64)
        .then_some(header)
}

fn is_yaml_name(input: &FileInput) -> bool {
    input
        .path
        .extension()
        .and_then(|e| e.to_str())
        .is_some_and(|e| e.eq_ignore_ascii_case("yaml") || e.eq_ignore_ascii_case("yml"))
}

/// The keys of a YAML file's top-level block mapping, read off the lines that start at column 0.
/// A sniff, not a parse: choosing the reader for a file must not cost a full parse (a register
/// of 70 MB took 2.3 s more); the reader parses the file properly and reports any error with its
/// line. Content indented under a key (block scalars, nested mappings) never starts at column 0,
/// so it cannot pose as a key. A top-level sequence or scalar, a complex key or a second
/// document is not a mapping deprov reads: `None`.
fn yaml_keys(bytes: &[u8]) -> Option<BTreeSet<String>> {
    let text = std::str::from_utf8(bytes).ok()?;
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let mut keys = BTreeSet::new();
    let mut document_started = false;
    for line in text.lines() {
        let line = line.trim_end();
        if line.is_empty() || line.starts_with([' ', '\t', '#']) {
            continue;
        }
        if let Some(rest) = line.strip_prefix("---") {
            let marker_only = rest.is_empty() || rest.trim_start().starts_with('#');
            if document_started || !keys.is_empty() || !marker_only {
                return None;
            }
            document_started = true;
            continue;
        }
        if line == "..." {
            break;
        }
        if line.starts_with('%') && !document_started && keys.is_empty() {
            continue;
        }
        keys.insert(top_level_key(line)?.to_string());
    }
    (!keys.is_empty()).then_some(keys)
}

/// `key:` or `key: value` (plain, single- or double-quoted key) on a column-0 line.
fn top_level_key(line: &str) -> Option<&str> {
    let (key, rest) = match line.as_bytes()[0] {
        quote @ (b'"' | b'\'') => {
            let close = line[1..].find(quote as char)? + 1;
            (&line[1..close], &line[close + 1..])
        }
        b'-' | b'[' | b'{' | b'?' | b':' | b'&' | b'*' | b'!' | b'|' | b'>' | b'@' | b'`'
        | b'%' => return None,
        _ => {
            let colon = line
                .match_indices(':')
                .map(|(i, _)| i)
                .find(|&i| line[i + 1..].is_empty() || line[i + 1..].starts_with([' ', '\t']))?;
            (line[..colon].trim_end(), &line[colon..])
        }
    };
    let after = rest.strip_prefix(':')?;
    (after.is_empty() || after.starts_with([' ', '\t'])).then_some(key)
}

/// Parses every top-level JSON value, keeping the first one's shape.
fn shape_of_documents(text: &[u8]) -> Result<JsonShape, serde_json::Error> {
    let mut stream = serde_json::Deserializer::from_slice(text).into_iter::<ShapeSeedOwned>();
    let mut shape = match stream.next() {
        Some(first) => first?.0,
        None => JsonShape::default(),
    };
    shape.documents = 1;
    for next in stream {
        next?;
        shape.documents += 1;
    }
    Ok(shape)
}

fn shape_of_value(text: &[u8]) -> Result<JsonShape, serde_json::Error> {
    serde_json::from_slice::<ShapeSeedOwned>(text).map(|s| s.0)
}

/// Deserializes a value keeping only its shape (keys), skipping everything else.
struct ShapeSeedOwned(JsonShape);

impl<'de> serde::Deserialize<'de> for ShapeSeedOwned {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_any(TopVisitor).map(ShapeSeedOwned)
    }
}

struct TopVisitor;

impl<'de> Visitor<'de> for TopVisitor {
    type Value = JsonShape;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a JSON object or array")
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<JsonShape, A::Error> {
        let mut shape = JsonShape::default();
        while let Some(key) = map.next_key::<String>()? {
            let inner = map.next_value_seed(KeysSeed)?;
            if let Some(inner) = inner {
                shape.nested.insert(key.clone(), inner);
            }
            shape.keys.insert(key);
        }
        Ok(shape)
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<JsonShape, A::Error> {
        let mut shape = JsonShape {
            is_array: true,
            ..JsonShape::default()
        };
        if let Some(first) = seq.next_element_seed(ElementSeed)? {
            shape.keys = first.keys;
            shape.nested = first.nested;
        }
        while seq.next_element::<IgnoredAny>()?.is_some() {}
        Ok(shape)
    }

    fn visit_str<E>(self, _: &str) -> Result<JsonShape, E> {
        Ok(JsonShape::default())
    }
    fn visit_bool<E>(self, _: bool) -> Result<JsonShape, E> {
        Ok(JsonShape::default())
    }
    fn visit_i64<E>(self, _: i64) -> Result<JsonShape, E> {
        Ok(JsonShape::default())
    }
    fn visit_u64<E>(self, _: u64) -> Result<JsonShape, E> {
        Ok(JsonShape::default())
    }
    fn visit_f64<E>(self, _: f64) -> Result<JsonShape, E> {
        Ok(JsonShape::default())
    }
    fn visit_unit<E>(self) -> Result<JsonShape, E> {
        Ok(JsonShape::default())
    }
}

/// The first element of a top-level array: an object's keys and its nested keys.
struct ElementSeed;

impl<'de> DeserializeSeed<'de> for ElementSeed {
    type Value = JsonShape;
    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<JsonShape, D::Error> {
        deserializer.deserialize_any(TopVisitor)
    }
}

/// For a nested value: an object's keys, or the keys of an array's first object.
struct KeysSeed;

impl<'de> DeserializeSeed<'de> for KeysSeed {
    type Value = Option<BTreeSet<String>>;
    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<Self::Value, D::Error> {
        deserializer.deserialize_any(KeysVisitor)
    }
}

struct KeysVisitor;

impl<'de> Visitor<'de> for KeysVisitor {
    type Value = Option<BTreeSet<String>>;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("any JSON value")
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
        let mut keys = BTreeSet::new();
        while let Some(key) = map.next_key::<String>()? {
            map.next_value::<IgnoredAny>()?;
            keys.insert(key);
        }
        Ok(Some(keys))
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Self::Value, A::Error> {
        let first = seq.next_element_seed(KeysSeed)?.flatten();
        while seq.next_element::<IgnoredAny>()?.is_some() {}
        Ok(first)
    }

    fn visit_str<E>(self, _: &str) -> Result<Self::Value, E> {
        Ok(None)
    }
    fn visit_bool<E>(self, _: bool) -> Result<Self::Value, E> {
        Ok(None)
    }
    fn visit_i64<E>(self, _: i64) -> Result<Self::Value, E> {
        Ok(None)
    }
    fn visit_u64<E>(self, _: u64) -> Result<Self::Value, E> {
        Ok(None)
    }
    fn visit_f64<E>(self, _: f64) -> Result<Self::Value, E> {
        Ok(None)
    }
    fn visit_unit<E>(self) -> Result<Self::Value, E> {
        Ok(None)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn keys(text: &str) -> Option<Vec<String>> {
        yaml_keys(text.as_bytes()).map(|k| k.into_iter().collect())
    }

    #[test]
    fn yaml_top_level_keys_are_sniffed_from_column_zero() {
        let register = concat!(
            "\u{feff}# register\r\n---\r\nidentities:\r\n  - id: a\r\n",
            "    note: |\r\n      people: not a key\r\n\"people\": []\r\nteams: # none\r\n",
        );
        assert_eq!(keys(register).unwrap(), ["identities", "people", "teams"]);
        assert_eq!(
            keys("%YAML 1.2\nhttp://x: 1\n'a: b': 2\n").unwrap(),
            ["a: b", "http://x"]
        );
    }

    #[test]
    fn yaml_that_is_not_one_block_mapping_has_no_keys() {
        for text in [
            "- identities: []\n",
            "identities: []\n---\npeople: []\n",
            "--- |\nidentities: x\n",
            "? complex\n: key\n",
            "just a scalar\n",
            "key:value\n",
            "",
            "# only a comment\n",
        ] {
            assert_eq!(keys(text), None, "{text:?}");
        }
    }

    #[test]
    fn shapes_objects_arrays_and_pages() {
        let shape =
            shape_of_documents(br#"{"Users":[{"Arn":"a","X":{}}],"IsTruncated":false}"#).unwrap();
        assert!(shape.has("Users"));
        assert!(shape.nested_has("Users", "Arn"));
        let shape = shape_of_documents(br#"[{"id":1,"key":"k"}][{"id":2}]"#).unwrap();
        assert!(shape.is_array && shape.has("key"));
        assert_eq!(shape.documents, 2);
    }

    #[test]
    fn json_lines_are_recognised_from_the_first_line() {
        let shape = json_lines_shape(
            b"{\"name\":\"a\",\"asset_type\":\"t\"}\n{\"name\":\"b\"}\n",
            true,
        )
        .unwrap();
        assert!(shape.has("asset_type"));
        assert!(json_lines_shape(b"{\n  \"a\": 1\n}\n", true).is_none());
    }

    #[test]
    fn deep_nesting_is_an_error_not_a_crash() {
        let deep = "[".repeat(100_000);
        assert!(shape_of_documents(deep.as_bytes()).is_err());
    }

    #[test]
    fn ini_sections_are_not_json() {
        assert!(starts_with_section_header(b"[database]\nhost = x\n"));
        assert!(starts_with_section_header(b"[tool.poetry]\n"));
        assert!(!starts_with_section_header(b"[1, 2]\n"));
        assert!(!starts_with_section_header(b"[{\"a\": 1}]"));
    }

    #[test]
    fn csv_headers_are_read() {
        assert_eq!(
            csv_header(b"id,kind,status\nx,y,z\n").unwrap(),
            vec!["id", "kind", "status"]
        );
        assert!(csv_header(b"{\"a\":1}").is_none());
    }
}
