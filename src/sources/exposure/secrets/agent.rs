//! Agent and tool configurations: `.env` files and MCP client configurations (`mcpServers` in
//! Claude Desktop, Claude Code, Cursor, Windsurf; `servers` in VS Code's `mcp.json`). A
//! credential there is embedded in what an agent runs with. Values that refer to a secret
//! (`${VAR}`, `${input:…}`, `env:…`) are not secrets.
//!
//! The MCP reader is a tolerant JSON walker (comments and trailing commas, as VS Code allows)
//! that records where values are, never the values: each one is read from the blob when it is
//! judged, hashed and dropped.

use std::ops::Range;

use zeroize::Zeroizing;

use super::assignment::{holds_secret, Assignment};
use super::context::FileContext;
use super::detectors::Detector;
use super::redact::Redacted;
use super::scan::Candidate;
use super::values::name_holds_credential;

/// Credentials shorter than this are not told from ordinary settings.
const MIN_SECRET_LEN: usize = 8;
/// MCP configurations are small; a larger JSON file is some other document.
const MAX_MCP_CONFIG_LEN: usize = 4 * 1024 * 1024;
const MAX_JSON_DEPTH: u32 = 64;

/// `.env`, `.env.local`, `production.env`, direnv's `.envrc`.
pub(crate) fn is_dotenv_path(path: &str) -> bool {
    let name = file_name(path);
    name == ".env" || name == ".envrc" || name.starts_with(".env.") || name.ends_with(".env")
}

fn file_name(path: &str) -> &str {
    path.rsplit(['/', '\\']).next().unwrap_or(path)
}

/// `NAME=VALUE` lines of a `.env` file whose name holds a credential.
pub(crate) fn dotenv_candidates(
    index: usize,
    detector: &Detector,
    bytes: &[u8],
    file: &FileContext,
    out: &mut Vec<Candidate>,
) {
    let mut offset = 0;
    for line in bytes.split(|&b| b == b'\n') {
        let line_start = offset;
        offset += line.len() + 1;
        let Some((name, value)) = dotenv_assignment(line) else {
            continue;
        };
        let name = String::from_utf8_lossy(&line[name]);
        if !name_holds_credential(&name) {
            continue;
        }
        let value = line_start + value.start..line_start + value.end;
        if let Some(candidate) = judge(index, detector, &bytes[value.clone()], value, &name, file) {
            out.push(candidate);
        }
    }
}

/// The name and value spans of `[export] NAME=VALUE`, the value without quotes or a trailing
/// comment.
fn dotenv_assignment(line: &[u8]) -> Option<(Range<usize>, Range<usize>)> {
    let mut at = line.iter().position(|b| !b.is_ascii_whitespace())?;
    if line[at..].starts_with(b"export ") {
        at += b"export ".len();
        at += line[at..]
            .iter()
            .take_while(|b| b.is_ascii_whitespace())
            .count();
    }
    let first = *line.get(at)?;
    if !(first.is_ascii_alphabetic() || first == b'_') {
        return None;
    }
    let name_len = line[at..]
        .iter()
        .take_while(|&&b| b.is_ascii_alphanumeric() || matches!(b, b'_' | b'.' | b'-'))
        .count();
    let name = at..at + name_len;
    let mut rest = name.end
        + line[name.end..]
            .iter()
            .take_while(|b| **b == b' ' || **b == b'\t')
            .count();
    if line.get(rest) != Some(&b'=') {
        return None;
    }
    rest += 1;
    rest += line[rest..]
        .iter()
        .take_while(|b| **b == b' ' || **b == b'\t')
        .count();
    let value = match line.get(rest) {
        Some(&quote @ (b'"' | b'\'')) => {
            let close = line[rest + 1..].iter().position(|&b| b == quote)?;
            rest + 1..rest + 1 + close
        }
        _ => {
            let raw = &line[rest..];
            let comment = raw.windows(2).position(|w| w == b" #").unwrap_or(raw.len());
            let trimmed = raw[..comment].trim_ascii_end();
            rest..rest + trimmed.len()
        }
    };
    Some((name, value))
}

/// A value that passed as a credential, as a candidate claiming `span`; `name` is the variable
/// or header it is assigned to.
fn judge(
    index: usize,
    detector: &Detector,
    value: &[u8],
    span: Range<usize>,
    name: &str,
    file: &FileContext,
) -> Option<Candidate> {
    let value = value.trim_ascii();
    let assignment = Assignment {
        bytes: value,
        value: 0..value.len(),
        name_start: 0,
        name,
        file,
        parsed: true,
    };
    if value.len() < MIN_SECRET_LEN || !holds_secret(&assignment, detector.entropy) {
        return None;
    }
    Some(Candidate {
        detector: index,
        alone: false,
        extent: span.clone(),
        claims: vec![span],
        redacted: Redacted::of(value),
        slot: Some(name.to_string()),
        carries: Vec::new(),
        detail: None,
        agent_credential: true,
        unreadable_key: false,
    })
}

/// Where the servers of an MCP client configuration are, and their `env` and `headers` values.
#[derive(Debug, Default)]
pub(crate) struct McpConfig {
    servers: Vec<Range<usize>>,
    slots: Vec<Slot>,
}

#[derive(Debug)]
struct Slot {
    name: String,
    /// The string's content between its quotes, still escaped.
    value: Range<usize>,
    header: bool,
}

impl McpConfig {
    /// Reads `bytes` as an MCP client configuration, if it is one.
    pub fn read(path: &str, bytes: &[u8]) -> Option<McpConfig> {
        let name = file_name(path).to_ascii_lowercase();
        // Every MCP client writes its configuration as a `.json` file (VS Code's may hold
        // comments); other files are not searched for one.
        if bytes.len() > MAX_MCP_CONFIG_LEN
            || !(name.ends_with(".json") || name.ends_with(".jsonc"))
        {
            return None;
        }
        let vs_code = name.ends_with("mcp.json");
        let has_servers = memchr::memmem::find(bytes, b"\"mcpServers\"").is_some()
            || (vs_code && memchr::memmem::find(bytes, b"\"servers\"").is_some());
        if !has_servers {
            return None;
        }
        let root = JsonParser { bytes, at: 0 }.document()?;
        let mut config = McpConfig::default();
        config.collect(&root, vs_code, 0);
        (!config.servers.is_empty()).then_some(config)
    }

    /// Looks for server maps anywhere (Claude Code nests them under `projects.<dir>`).
    fn collect(&mut self, node: &Json, top_level: bool, depth: u32) {
        let Json::Object { members, .. } = node else {
            return;
        };
        for (key, value) in members {
            let is_servers = key == "mcpServers" || (top_level && key == "servers");
            match value {
                Json::Object {
                    members: servers, ..
                } if is_servers => {
                    for (_, server) in servers {
                        self.add_server(server);
                    }
                }
                Json::Object { .. } if depth < MAX_JSON_DEPTH => {
                    self.collect(value, false, depth + 1)
                }
                _ => {}
            }
        }
    }

    fn add_server(&mut self, server: &Json) {
        let Json::Object { members, span } = server else {
            return;
        };
        self.servers.push(span.clone());
        for (key, value) in members {
            let header = match key.as_str() {
                "env" => false,
                "headers" => true,
                _ => continue,
            };
            let Json::Object {
                members: entries, ..
            } = value
            else {
                continue;
            };
            for (name, entry) in entries {
                if let Json::String(range) = entry {
                    self.slots.push(Slot {
                        name: name.clone(),
                        value: range.clone(),
                        header,
                    });
                }
            }
        }
    }

    pub fn is_inside_server(&self, extent: Range<usize>) -> bool {
        self.servers
            .iter()
            .any(|server| server.start <= extent.start && extent.end <= server.end)
    }

    /// Credentials among the `env` and `headers` values of the servers.
    pub fn candidates(
        &self,
        index: usize,
        detector: &Detector,
        bytes: &[u8],
        file: &FileContext,
        out: &mut Vec<Candidate>,
    ) {
        for slot in &self.slots {
            let credential_name = name_holds_credential(&slot.name)
                || (slot.header && slot.name.eq_ignore_ascii_case("cookie"));
            if !credential_name {
                continue;
            }
            let value = unescape_json_string(&bytes[slot.value.clone()]);
            let value = if slot.header {
                strip_auth_scheme(&value)
            } else {
                &value[..]
            };
            if let Some(candidate) =
                judge(index, detector, value, slot.value.clone(), &slot.name, file)
            {
                out.push(candidate);
            }
        }
    }
}

/// The credential of an `Authorization` value, without its scheme.
fn strip_auth_scheme(value: &[u8]) -> &[u8] {
    for scheme in [&b"bearer "[..], b"basic ", b"token ", b"apikey ", b"bot "] {
        if value.len() > scheme.len() && value[..scheme.len()].eq_ignore_ascii_case(scheme) {
            return value[scheme.len()..].trim_ascii_start();
        }
    }
    value
}

/// A JSON string's content with its escapes undone. Invalid escapes are kept as written.
fn unescape_json_string(raw: &[u8]) -> Zeroizing<Vec<u8>> {
    let mut out = Zeroizing::new(Vec::with_capacity(raw.len()));
    let mut i = 0;
    while i < raw.len() {
        let byte = raw[i];
        if byte != b'\\' {
            out.push(byte);
            i += 1;
            continue;
        }
        let unescaped = match raw.get(i + 1) {
            Some(b'"') => Some(b'"'),
            Some(b'\\') => Some(b'\\'),
            Some(b'/') => Some(b'/'),
            Some(b'b') => Some(0x08),
            Some(b'f') => Some(0x0c),
            Some(b'n') => Some(b'\n'),
            Some(b'r') => Some(b'\r'),
            Some(b't') => Some(b'\t'),
            _ => None,
        };
        if let Some(unescaped) = unescaped {
            out.push(unescaped);
            i += 2;
            continue;
        }
        let code = raw
            .get(i + 2..i + 6)
            .filter(|_| raw.get(i + 1) == Some(&b'u'))
            .and_then(|hex| std::str::from_utf8(hex).ok())
            .and_then(|hex| u32::from_str_radix(hex, 16).ok())
            .and_then(char::from_u32);
        match code {
            Some(c) => {
                let mut buffer = [0u8; 4];
                out.extend_from_slice(c.encode_utf8(&mut buffer).as_bytes());
                i += 6;
            }
            None => {
                out.push(byte);
                i += 1;
            }
        }
    }
    out
}

/// A JSON value with positions; strings are spans of the blob, never copies (keys excepted:
/// they are names such as `GITHUB_TOKEN`).
#[derive(Debug)]
enum Json {
    Object {
        members: Vec<(String, Json)>,
        span: Range<usize>,
    },
    Array,
    String(Range<usize>),
    Scalar,
}

struct JsonParser<'a> {
    bytes: &'a [u8],
    at: usize,
}

impl JsonParser<'_> {
    fn document(mut self) -> Option<Json> {
        self.skip_blank();
        // A UTF-8 byte order mark.
        if self.bytes[self.at..].starts_with(b"\xEF\xBB\xBF") {
            self.at += 3;
        }
        self.value(0)
    }

    fn value(&mut self, depth: u32) -> Option<Json> {
        if depth > MAX_JSON_DEPTH {
            return None;
        }
        self.skip_blank();
        match *self.bytes.get(self.at)? {
            b'{' => self.object(depth),
            b'[' => self.array(depth),
            b'"' => self.string().map(Json::String),
            _ => {
                let len = self.bytes[self.at..]
                    .iter()
                    .take_while(|b| b.is_ascii_alphanumeric() || matches!(b, b'+' | b'-' | b'.'))
                    .count();
                if len == 0 {
                    return None;
                }
                self.at += len;
                Some(Json::Scalar)
            }
        }
    }

    fn object(&mut self, depth: u32) -> Option<Json> {
        let start = self.at;
        self.at += 1;
        let mut members = Vec::new();
        loop {
            self.skip_blank();
            match *self.bytes.get(self.at)? {
                b'}' => {
                    self.at += 1;
                    return Some(Json::Object {
                        members,
                        span: start..self.at,
                    });
                }
                b'"' => {
                    let key = self.string()?;
                    let key = String::from_utf8_lossy(&unescape_json_string(&self.bytes[key]))
                        .into_owned();
                    self.skip_blank();
                    if self.bytes.get(self.at) != Some(&b':') {
                        return None;
                    }
                    self.at += 1;
                    let value = self.value(depth + 1)?;
                    members.push((key, value));
                    self.skip_blank();
                    match *self.bytes.get(self.at)? {
                        b',' => self.at += 1,
                        b'}' => {}
                        _ => return None,
                    }
                }
                _ => return None,
            }
        }
    }

    fn array(&mut self, depth: u32) -> Option<Json> {
        self.at += 1;
        loop {
            self.skip_blank();
            if *self.bytes.get(self.at)? == b']' {
                self.at += 1;
                return Some(Json::Array);
            }
            self.value(depth + 1)?;
            self.skip_blank();
            match *self.bytes.get(self.at)? {
                b',' => self.at += 1,
                b']' => {}
                _ => return None,
            }
        }
    }

    /// The content of the string at `self.at`, between its quotes.
    fn string(&mut self) -> Option<Range<usize>> {
        let start = self.at + 1;
        let mut at = start;
        loop {
            match *self.bytes.get(at)? {
                b'"' => {
                    self.at = at + 1;
                    return Some(start..at);
                }
                b'\\' => at += 2,
                b'\n' => return None,
                _ => at += 1,
            }
        }
    }

    /// Whitespace and the `//` and `/* */` comments of JSONC.
    fn skip_blank(&mut self) {
        loop {
            let rest = &self.bytes[self.at.min(self.bytes.len())..];
            if let Some(first) = rest.first().filter(|b| b.is_ascii_whitespace()) {
                let _ = first;
                self.at += 1;
            } else if rest.starts_with(b"//") {
                self.at += memchr::memchr(b'\n', rest).unwrap_or(rest.len());
            } else if rest.starts_with(b"/*") {
                self.at += memchr::memmem::find(&rest[2..], b"*/").map_or(rest.len(), |p| p + 4);
            } else {
                return;
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dotenv_lines_are_split_into_names_and_values() {
        let cases: &[(&str, Option<(&str, &str)>)] = &[
            ("API_TOKEN=abc", Some(("API_TOKEN", "abc"))),
            (
                "export DB_PASSWORD = \"p w\"  ",
                Some(("DB_PASSWORD", "p w")),
            ),
            ("KEY='x#y' # note", Some(("KEY", "x#y"))),
            ("KEY=value # note", Some(("KEY", "value"))),
            ("# KEY=value", None),
            ("KEY", None),
            ("KEY=\"unterminated", None),
            ("", None),
        ];
        for (line, expected) in cases {
            let got = dotenv_assignment(line.as_bytes()).map(|(n, v)| (&line[n], &line[v]));
            assert_eq!(got, *expected, "{line}");
        }
    }

    #[test]
    fn mcp_configs_are_read_with_positions() {
        let text = br#"// VS Code allows comments
{
  "servers": {
    "github": {
      "command": "npx",
      "env": { "GITHUB_TOKEN": "${input:token}", "LOG": "debug", },
      "headers": { "Authorization": "Bearer abc\"def" }
    }
  },
  /* trailing */
}"#;
        let config = McpConfig::read(".vscode/mcp.json", text).unwrap();
        assert_eq!(config.servers.len(), 1);
        assert_eq!(config.slots.len(), 3);
        let auth = &config.slots[2];
        assert!(auth.header);
        assert_eq!(&text[auth.value.clone()], br#"Bearer abc\"def"#);
        assert_eq!(
            &unescape_json_string(&text[auth.value.clone()])[..],
            br#"Bearer abc"def"#
        );
        assert!(McpConfig::read("other.json", text).is_none());
        assert!(McpConfig::read("notes.md", br#"{"mcpServers": {"a": {}}}"#).is_none());
        assert!(McpConfig::read(
            "C:\\Users\\dev\\.claude.JSON",
            br#"{"mcpServers": {"a": {}}}"#
        )
        .is_some());
        assert!(McpConfig::read("mcp.json", b"{\"servers\": [").is_none());
        let deep = format!("{}{}", "{\"a\":".repeat(200), "1");
        assert!(McpConfig::read("x.json", format!("{deep} \"mcpServers\"").as_bytes()).is_none());
    }

    #[test]
    fn escapes_and_schemes() {
        assert_eq!(
            &unescape_json_string(br"a\u00e9\n\x")[..],
            "aé\n\\x".as_bytes()
        );
        assert_eq!(strip_auth_scheme(b"Bearer  tok"), b"tok");
        assert_eq!(strip_auth_scheme(b"Bearer"), b"Bearer");
    }
}
