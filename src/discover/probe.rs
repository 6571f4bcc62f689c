//! Content sniffing: what a file looks like (JSON and its key shape, JSON lines, CSV header,
//! YAML keys, PEM, DER, text) so that each source family can recognise its exports by content,
//! never by file name.

use std::cell::RefCell;
use std::collections::{BTreeMap, BTreeSet};
use std::fmt;
use std::io::{Read, Seek};

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
    /// JSON that does not parse (or of which only the head was read): the error message, line
    /// and column, and the shape of what was read before the error, which is enough to tell a
    /// truncated export from other broken JSON.
    BrokenJson {
        message: String,
        line: usize,
        column: usize,
        partial: JsonShape,
    },
    /// Comma-separated text with this header row.
    Csv { header: Vec<String> },
    /// A YAML mapping with these top-level keys.
    Yaml { keys: BTreeSet<String> },
    /// PEM armour (`-----BEGIN …-----`).
    Pem,
    /// An ASN.1 SEQUENCE: DER, or BER with an indefinite length (`30 80`).
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
    /// The whole file, when it was small enough or needed whole to sniff it; UTF-8 when the
    /// file was decoded from another encoding (see `decoded_from`).
    pub bytes: Option<Vec<u8>>,
    pub content: Content,
    /// The encoding the file was written in, when it was not UTF-8 and `bytes` hold it decoded.
    pub decoded_from: Option<&'static str>,
}

/// How far past the head the end of a long first line is looked for, to recognise a JSON-lines
/// file whose first record is oversized: four times the record limit, so that such a line is
/// seen through and counted while a minified single-line document costs at most this much
/// extra reading.
const FIRST_LINE_SEARCH: u64 = 4 * super::lines::MAX_RECORD_BYTES as u64;

impl<'a> Probe<'a> {
    /// Reads and sniffs a file. `max_bytes` bounds what is read whole.
    pub fn read(input: &'a FileInput, max_bytes: u64) -> std::io::Result<Probe<'a>> {
        let mut file = super::open_regular(&input.path)?;
        let mut head = Vec::with_capacity(HEAD_BYTES.min(input.size as usize));
        (&mut file).take(HEAD_BYTES as u64).read_to_end(&mut head)?;
        let whole = head.len() < HEAD_BYTES;

        let mut lines_shape = json_lines_shape(&head, whole);
        if lines_shape.is_none() && !whole && memchr::memchr(b'\n', &head).is_none() {
            lines_shape = shape_after_long_first_line(&mut file, &head)?;
            if lines_shape.is_some() {
                // The file was read past its head; the parser streams it from the start.
                return Ok(Probe::json_lines(input, head, None, lines_shape));
            }
            file.seek(std::io::SeekFrom::Start(head.len() as u64))?;
        }
        if let Some(shape) = lines_shape {
            let bytes = if whole { Some(head.clone()) } else { None };
            return Ok(Probe::json_lines(input, head, bytes, Some(shape)));
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
                content: sniff_head_only(&head, input),
                head,
                bytes: None,
                decoded_from: None,
            });
        };
        Ok(Probe::of_whole(input, head, bytes))
    }

    fn json_lines(
        input: &'a FileInput,
        head: Vec<u8>,
        bytes: Option<Vec<u8>>,
        shape: Option<JsonShape>,
    ) -> Probe<'a> {
        Probe {
            input,
            head,
            bytes,
            content: Content::JsonLines(shape.unwrap_or_default()),
            decoded_from: None,
        }
    }

    /// A probe of a file read whole: decoded to UTF-8 when written in another encoding, then
    /// sniffed.
    fn of_whole(input: &'a FileInput, head: Vec<u8>, mut bytes: Vec<u8>) -> Probe<'a> {
        let (bytes, decoded_from) = match decode(&bytes) {
            Some((text, encoding)) => (text.into_bytes(), Some(encoding)),
            None => {
                // A UTF-8 byte-order mark (PowerShell's `Set-Content -Encoding UTF8` writes
                // one) is no content: JSON parsers refuse it.
                if bytes.starts_with(b"\xEF\xBB\xBF") {
                    bytes.drain(..3);
                }
                (bytes, None)
            }
        };
        let content = sniff(&bytes, input);
        Probe {
            input,
            head,
            bytes: Some(bytes),
            content,
            decoded_from,
        }
    }

    /// Sniffs content already in memory exactly as [`Probe::read`] sniffs a file of that content
    /// with no size limit (a JSON-lines file of `HEAD_BYTES` or more keeps only its head, and its
    /// parser then streams `input.path`). For the fuzz targets (`fuzz/`) and tests.
    #[doc(hidden)]
    pub fn from_bytes(input: &'a FileInput, bytes: Vec<u8>) -> Probe<'a> {
        let head = bytes[..bytes.len().min(HEAD_BYTES)].to_vec();
        let whole = bytes.len() < HEAD_BYTES;
        let lines_shape = json_lines_shape(&head, whole).or_else(|| {
            let long_first_line = !whole && memchr::memchr(b'\n', &head).is_none();
            long_first_line
                .then(|| {
                    let mut rest = std::io::Cursor::new(&bytes[head.len()..]);
                    shape_after_long_first_line(&mut rest, &head).ok().flatten()
                })
                .flatten()
        });
        if let Some(shape) = lines_shape {
            let bytes = whole.then_some(bytes);
            return Probe::json_lines(input, head, bytes, Some(shape));
        }
        Probe::of_whole(input, head, bytes)
    }

    /// The whole file. Parsers of formats that are read whole call this; it is present for every
    /// format except large JSON lines and files above the size limit.
    pub fn bytes(&self) -> Option<&[u8]> {
        self.bytes.as_deref()
    }
}

/// Text written in another encoding than UTF-8, decoded: UTF-16 with a byte-order mark (what
/// Windows PowerShell 5.1 writes with `>` and `Out-File`), and otherwise Windows-1252, the
/// superset of Latin-1 that Excel and Windows CMDB tools write CSV in. Content with NUL bytes in
/// its first 8 KiB and no UTF-16 mark is binary, not text, and is left alone; so is UTF-8.
/// Decoding Windows-1252 never fails (every byte is a character), so a file that is neither
/// becomes readable text with odd characters, which its parser then judges.
pub fn decode(bytes: &[u8]) -> Option<(String, &'static str)> {
    if let Some((encoding, _)) = encoding_rs::Encoding::for_bom(bytes) {
        if encoding == encoding_rs::UTF_8 {
            return None;
        }
        let (text, _) = encoding.decode_with_bom_removal(bytes);
        return Some((text.into_owned(), encoding.name()));
    }
    if std::str::from_utf8(bytes).is_ok() {
        return None;
    }
    let sample = &bytes[..bytes.len().min(8192)];
    if memchr::memchr(0, sample).is_some() {
        return None;
    }
    let (text, _, _) = encoding_rs::WINDOWS_1252.decode(bytes);
    Some((text.into_owned(), encoding_rs::WINDOWS_1252.name()))
}

fn trim_start(bytes: &[u8]) -> &[u8] {
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    let start = bytes
        .iter()
        .position(|b| !b.is_ascii_whitespace())
        .unwrap_or(bytes.len());
    &bytes[start..]
}

/// How many of a file's first lines decide whether it is JSON lines.
const JSON_LINES_SAMPLE: usize = 32;

/// A file is JSON lines when its first line is a complete JSON object and more lines follow
/// (even broken ones: a JSON-lines reader counts and reports them), or, when the first line is
/// not (a truncated record, an array, a record nested too deep), when at least one of its first
/// lines is a complete object and no fewer than half of them are. A text that parses whole as
/// JSON is then not JSON lines (a pretty-printed document can hold a line that is an object).
/// The shape is the union of the first lines' objects' shapes, so that one odd record (an
/// object of another kind first) does not decide what the file is.
fn json_lines_shape(head: &[u8], whole: bool) -> Option<JsonShape> {
    json_lines_shape_after(trim_start(head), whole, 0)
}

/// [`json_lines_shape`] of `text`, after `bad_before` lines that were not objects (an oversized
/// first line).
fn json_lines_shape_after(text: &[u8], whole: bool, bad_before: usize) -> Option<JsonShape> {
    let mut lines: Vec<&[u8]> = text
        .split(|&b| b == b'\n')
        .map(|l| l.trim_ascii())
        .filter(|l| !l.is_empty())
        .take(JSON_LINES_SAMPLE + 1)
        .collect();
    let more_follow = lines.len() > JSON_LINES_SAMPLE || !whole;
    // The last line of a head that is not the whole file may be cut short.
    if more_follow {
        lines.pop();
    }
    let shapes: Vec<Option<JsonShape>> = lines
        .iter()
        .map(|line| {
            line.starts_with(b"{")
                .then(|| shape_of_value(line).ok())
                .flatten()
        })
        .collect();
    let objects = shapes.iter().filter(|s| s.is_some()).count();
    let first_is_object = bad_before == 0 && shapes.first().is_some_and(Option::is_some);
    let strict = first_is_object && (lines.len() > 1 || more_follow);
    let lenient = objects > 0
        && lines.len() + bad_before >= 2
        && objects * 2 >= lines.len() + bad_before
        && !(whole && bad_before == 0 && shape_of_documents(text).is_ok());
    if !strict && !lenient {
        return None;
    }
    let mut union = JsonShape::default();
    for shape in shapes.into_iter().flatten() {
        union.keys.extend(shape.keys);
        for (key, inner) in shape.nested {
            union.nested.entry(key).or_default().extend(inner);
        }
    }
    union.documents = 1;
    Some(union)
}

/// For a file whose head holds no line break: finds the end of its first line (within
/// [`FIRST_LINE_SEARCH`] bytes) and judges the lines after it as JSON lines, counting the long
/// first line as one that is not an object. Only text that looks like JSON is searched.
fn shape_after_long_first_line<R: Read>(
    file: &mut R,
    head: &[u8],
) -> std::io::Result<Option<JsonShape>> {
    let text = trim_start(head);
    if !(text.starts_with(b"{") || text.starts_with(b"[")) {
        return Ok(None);
    }
    let mut chunk = vec![0u8; HEAD_BYTES];
    let mut searched = head.len() as u64;
    while searched < FIRST_LINE_SEARCH {
        let read = file.read(&mut chunk)?;
        if read == 0 {
            return Ok(None);
        }
        searched += read as u64;
        if let Some(end) = memchr::memchr(b'\n', &chunk[..read]) {
            let mut sample = chunk[end + 1..read].to_vec();
            let wanted = HEAD_BYTES.saturating_sub(sample.len()) as u64;
            file.take(wanted).read_to_end(&mut sample)?;
            let whole = sample.len() < HEAD_BYTES;
            return Ok(json_lines_shape_after(trim_start(&sample), whole, 1));
        }
    }
    Ok(None)
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
    if text.starts_with(b"{") || text.starts_with(b"[") {
        // `["a"]` alone is both a JSON array and an INI or TOML section header: JSON when it
        // parses as JSON, a header otherwise.
        return match shape_of_documents_partial(text) {
            Ok(shape) => Content::Json(shape),
            Err(_) if starts_with_section_header(text) => sniff_text(bytes, text, input),
            Err((e, partial)) => {
                let skipped = bytes.len() - text.len();
                let prefix_lines = bytes[..skipped].iter().filter(|&&b| b == b'\n').count();
                Content::BrokenJson {
                    message: e.to_string(),
                    line: e.line() + prefix_lines,
                    column: e.column(),
                    partial,
                }
            }
        };
    }
    sniff_text(bytes, text, input)
}

/// What content that is not JSON looks like.
fn sniff_text(bytes: &[u8], text: &[u8], input: &FileInput) -> Content {
    if text.starts_with(b"-----BEGIN ") || contains(bytes, b"\n-----BEGIN ") {
        return Content::Pem;
    }
    if looks_like_der(bytes) {
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

/// What the head of a file above the size limit looks like: its JSON shape so far, its CSV
/// header or its YAML keys, so that an export too large to read is still recognised (and its
/// absence reported as an unread export) rather than passed over as text.
fn sniff_head_only(head: &[u8], input: &FileInput) -> Content {
    if looks_binary(head) {
        return Content::Binary;
    }
    match sniff(head, input) {
        // The head ends mid-document: it is never whole JSON.
        Content::Json(partial) => Content::BrokenJson {
            message: "only the head of the file was read".into(),
            line: 1,
            column: 1,
            partial,
        },
        content => content,
    }
}

/// An ASN.1 SEQUENCE of some size, as certificates, CRLs, PKCS#7 and PKCS#12 files open: with a
/// definite length (DER), or with an indefinite one (`30 80`, BER, as CAs and Windows write PKCS#7
/// bundles) whose first element is a SEQUENCE, an OID or an INTEGER (PKCS#7's content type,
/// PKCS#12's version), so that other binary content opening with those two bytes stays binary.
fn looks_like_der(bytes: &[u8]) -> bool {
    bytes.len() > 4
        && bytes[0] == 0x30
        && match bytes[1] {
            0x81..=0x83 => true,
            0x80 => matches!(bytes[2], 0x02 | 0x06 | 0x30),
            _ => false,
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

/// The header of a CSV file: the first line, with commas (or semicolons, which spreadsheet
/// programs write in locales with a decimal comma, when there is no comma), no JSON or YAML
/// punctuation.
fn csv_header(text: &[u8]) -> Option<Vec<String>> {
    let end = memchr::memchr(b'\n', text).unwrap_or(text.len());
    let line = std::str::from_utf8(&text[..end])
        .ok()?
        .trim_end_matches('\r');
    let delimiter = csv_delimiter(line)?;
    if line.contains(['{', '[', ':']) {
        return None;
    }
    let header: Vec<String> = line
        .split(delimiter)
        .map(|s| s.trim().trim_matches('"').to_string())
        .collect();
    header
        .iter()
        .all(|h| !h.is_empty() && h.len() < 64)
        .then_some(header)
}

/// The delimiter of a CSV header line: a comma, else a semicolon; `None` for neither.
pub fn csv_delimiter(header_line: &str) -> Option<char> {
    if header_line.contains(',') {
        Some(',')
    } else if header_line.contains(';') {
        Some(';')
    } else {
        None
    }
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
    shape_of_documents_partial(text).map_err(|(e, _)| e)
}

/// [`shape_of_documents`], and on error also the shape of what was read before it: the keys of
/// a truncated or broken document still say what it was meant to be.
fn shape_of_documents_partial(text: &[u8]) -> Result<JsonShape, (serde_json::Error, JsonShape)> {
    let shape = RefCell::new(JsonShape::default());
    let mut stream = serde_json::Deserializer::from_slice(text);
    let first = TopSeed {
        shape: &shape,
        top: true,
    }
    .deserialize(&mut stream);
    let mut documents = 0;
    match first {
        Ok(()) => documents += 1,
        // An empty text (or whitespace only) has no document: no shape, and no error.
        Err(e) if e.is_eof() && e.line() == 1 && e.column() == 0 => {}
        Err(e) => return Err((e, shape.into_inner())),
    }
    // Later documents (`gh --paginate` pages) are checked, their shape not kept. Read as a
    // stream, not by asking `end` whether anything is left: its "trailing characters" error
    // counts the lines from the start of the text to say where, so a file of many pages cost
    // pages × size (a 290 MB export of 10,000 pages took minutes).
    if documents > 0 {
        for next in stream.into_iter::<IgnoredAny>() {
            if let Err(e) = next {
                return Err((e, shape.into_inner()));
            }
            documents += 1;
        }
    }
    let mut shape = shape.into_inner();
    shape.documents = documents.max(1);
    Ok(shape)
}

fn shape_of_value(text: &[u8]) -> Result<JsonShape, serde_json::Error> {
    let shape = RefCell::new(JsonShape::default());
    let mut de = serde_json::Deserializer::from_slice(text);
    TopSeed {
        shape: &shape,
        top: true,
    }
    .deserialize(&mut de)?;
    de.end()?;
    Ok(shape.into_inner())
}

/// Scalars have no keys: the shape visitors accept them and record nothing.
macro_rules! scalars_have_no_shape {
    () => {
        fn visit_str<E>(self, _: &str) -> Result<(), E> {
            Ok(())
        }
        fn visit_bool<E>(self, _: bool) -> Result<(), E> {
            Ok(())
        }
        fn visit_i64<E>(self, _: i64) -> Result<(), E> {
            Ok(())
        }
        fn visit_u64<E>(self, _: u64) -> Result<(), E> {
            Ok(())
        }
        fn visit_f64<E>(self, _: f64) -> Result<(), E> {
            Ok(())
        }
        fn visit_unit<E>(self) -> Result<(), E> {
            Ok(())
        }
    };
}

/// Records a value's shape (keys) into `shape` as it is read, skipping everything else. The
/// shape grows while parsing, so that what was read before an error is still known. `top`: the
/// document itself, rather than the first element of a top-level array.
struct TopSeed<'s> {
    shape: &'s RefCell<JsonShape>,
    top: bool,
}

impl<'de> DeserializeSeed<'de> for TopSeed<'_> {
    type Value = ();
    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<(), D::Error> {
        deserializer.deserialize_any(self)
    }
}

impl<'de> Visitor<'de> for TopSeed<'_> {
    type Value = ();

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a JSON object or array")
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<(), A::Error> {
        while let Some(key) = map.next_key::<String>()? {
            self.shape.borrow_mut().keys.insert(key.clone());
            map.next_value_seed(KeysSeed {
                shape: self.shape,
                key,
            })?;
        }
        Ok(())
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<(), A::Error> {
        if self.top {
            self.shape.borrow_mut().is_array = true;
            seq.next_element_seed(TopSeed {
                shape: self.shape,
                top: false,
            })?;
        }
        while seq.next_element::<IgnoredAny>()?.is_some() {}
        Ok(())
    }

    scalars_have_no_shape!();
}

/// For the value of `key`: an object's keys, or the keys of an array's first object, recorded
/// as `shape.nested[key]`.
struct KeysSeed<'s> {
    shape: &'s RefCell<JsonShape>,
    key: String,
}

impl<'de> DeserializeSeed<'de> for KeysSeed<'_> {
    type Value = ();
    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<(), D::Error> {
        deserializer.deserialize_any(self)
    }
}

impl<'de> Visitor<'de> for KeysSeed<'_> {
    type Value = ();

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("any JSON value")
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<(), A::Error> {
        self.shape
            .borrow_mut()
            .nested
            .entry(self.key.clone())
            .or_default();
        while let Some(inner) = map.next_key::<String>()? {
            if let Some(keys) = self.shape.borrow_mut().nested.get_mut(&self.key) {
                keys.insert(inner);
            }
            map.next_value::<IgnoredAny>()?;
        }
        Ok(())
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<(), A::Error> {
        seq.next_element_seed(KeysSeed {
            shape: self.shape,
            key: self.key,
        })?;
        while seq.next_element::<IgnoredAny>()?.is_some() {}
        Ok(())
    }

    scalars_have_no_shape!();
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
        let pages = b"[]\n".repeat(100_000);
        assert_eq!(shape_of_documents(&pages).unwrap().documents, 100_000);
        assert_eq!(shape_of_documents(b"{}1 {}true\n").unwrap().documents, 4);
    }

    #[test]
    fn later_documents_are_read_as_the_readers_read_them() {
        // A scalar page must end where a value can end, as for the families' readers (their
        // `StreamDeserializer`): `[]1-2` is not three documents, and the error says where.
        let error = shape_of_documents(b"[]1-2").unwrap_err();
        assert_eq!((error.line(), error.column()), (1, 4));
        let error = shape_of_documents(b"[]\n{}x").unwrap_err();
        assert_eq!(error.line(), 2);
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

    /// Issue 15: a BER bundle (`30 80`) was sniffed as binary content, so never read.
    #[test]
    fn ber_sequences_are_asn1_and_other_binary_is_not() {
        let ber_pkcs7 = [0x30, 0x80, 0x06, 0x09, 0x2A, 0x86];
        let ber_pkcs12 = [0x30, 0x80, 0x02, 0x01, 0x03, 0x30];
        let der = [0x30, 0x82, 0x03, 0x57, 0x06, 0x09];
        for asn1 in [&ber_pkcs7[..], &ber_pkcs12, &der] {
            assert!(looks_like_der(asn1), "{asn1:02x?}");
        }
        for other in [
            &[0x30, 0x80, 0xFF, 0x00, 0x00, 0x00][..],
            &[0x30, 0x80, 0x06],
            &[0x30, 0x84, 0x00, 0x00, 0x00, 0x10],
            &[0x31, 0x80, 0x06, 0x09, 0x2A, 0x86],
        ] {
            assert!(!looks_like_der(other), "{other:02x?}");
        }
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
