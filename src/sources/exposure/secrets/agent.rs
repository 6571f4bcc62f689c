//! Agent and tool configurations: `.env` files and MCP client configurations (`mcpServers` in
//! Claude Desktop, Claude Code, Cursor, Windsurf, Cline, Gemini CLI, Amazon Q; `servers` in VS
//! Code's `mcp.json` and `"mcp": {"servers"}` in its settings; Zed's `context_servers`; Codex
//! CLI's TOML and Continue's YAML through `agent_toml` and `agent_yaml`). A credential there is
//! embedded in what an agent runs with, and belongs to the identity its server entry names.
//! Values that refer to a secret (`${VAR}`, `${input:…}`, `env:…`, `$VAR`) are not secrets.
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
use crate::inventory::alias::AGENT_NAME_PREFIX;

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

/// Where the servers of an agent's tool configuration are, and their `env`, `headers` and URL
/// query values: the positions only, never the values.
#[derive(Debug, Default)]
pub(crate) struct McpConfig {
    servers: Vec<Server>,
    slots: Vec<Slot>,
}

/// One configured server: its name in the configuration and where its entry is.
#[derive(Debug)]
pub(crate) struct Server {
    name: String,
    span: Range<usize>,
}

/// What a value is to the server: an environment variable, an HTTP header, or a parameter of
/// its URL's query string.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum SlotKind {
    Env,
    Header,
    Query,
}

/// How the bytes of a value are written in the file.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Encoding {
    /// A JSON string's content between its quotes, still escaped.
    Json,
    /// A TOML string with its quotes (basic, literal or multi-line).
    Toml,
    /// The value as it is (a YAML scalar located in the text, a URL parameter).
    Raw,
}

#[derive(Debug)]
pub(crate) struct Slot {
    server: usize,
    name: String,
    value: Range<usize>,
    kind: SlotKind,
    encoding: Encoding,
}

/// Identifiers a server entry names (register agent names, ARNs, emails) are carried by at
/// most this many per server: a hostile file cannot make every secret carry thousands.
const MAX_SERVER_IDENTITIES: usize = 16;

impl McpConfig {
    /// Reads `bytes` as an agent's tool configuration, if it is one: JSON (`.json`, `.jsonc`:
    /// Claude Desktop and Code, Cursor, Windsurf, Cline, Gemini CLI, Amazon Q, VS Code, Zed),
    /// TOML (`.toml`: Codex CLI's `[mcp_servers.NAME]`) or YAML (`.yaml`, `.yml`: Continue's
    /// `mcpServers:` list).
    pub fn read(path: &str, bytes: &[u8]) -> Option<McpConfig> {
        if bytes.len() > MAX_MCP_CONFIG_LEN {
            return None;
        }
        let name = file_name(path).to_ascii_lowercase();
        let config = if name.ends_with(".json") || name.ends_with(".jsonc") {
            read_json(&name, bytes)?
        } else if name.ends_with(".toml") {
            super::agent_toml::read(bytes)?
        } else if name.ends_with(".yaml") || name.ends_with(".yml") {
            super::agent_yaml::read(bytes)?
        } else {
            return None;
        };
        (!config.servers.is_empty()).then_some(config)
    }

    /// Starts the entry of a server named `name` spanning `span`; slots added next are its.
    pub(crate) fn begin_server(&mut self, name: &str, span: Range<usize>) {
        self.servers.push(Server {
            name: name.to_string(),
            span,
        });
    }

    /// Widens the current server's span to cover `span` (formats whose entries are not one
    /// contiguous node, such as TOML's `[mcp_servers.x.env]` tables).
    pub(crate) fn widen_server(&mut self, span: &Range<usize>) {
        if let Some(server) = self.servers.last_mut() {
            server.span = server.span.start.min(span.start)..server.span.end.max(span.end);
        }
    }

    /// A value of the current server.
    pub(crate) fn add_slot(
        &mut self,
        name: &str,
        value: Range<usize>,
        kind: SlotKind,
        encoding: Encoding,
    ) {
        let Some(server) = self.servers.len().checked_sub(1) else {
            return;
        };
        self.slots.push(Slot {
            server,
            name: name.to_string(),
            value,
            kind,
            encoding,
        });
    }

    /// The parameters of the query string of the current server's URL, whose raw text is
    /// `bytes[url]` (`https://mcp.example.com/sse?api_key=…&profile=…`).
    pub(crate) fn add_url(&mut self, bytes: &[u8], url: Range<usize>) {
        let Some(raw) = bytes.get(url.clone()) else {
            return;
        };
        let Some(query) = memchr::memchr(b'?', raw) else {
            return;
        };
        let end = memchr::memchr(b'#', raw).unwrap_or(raw.len()).max(query);
        let mut at = query + 1;
        while at < end {
            let next = raw[at..end]
                .iter()
                .position(|&b| b == b'&')
                .map_or(end, |n| at + n);
            let pair = &raw[at..next];
            if let Some(equals) = memchr::memchr(b'=', pair) {
                let name = String::from_utf8_lossy(&pair[..equals]);
                let value = url.start + at + equals + 1..url.start + next;
                if !value.is_empty() {
                    self.add_slot(&name, value, SlotKind::Query, Encoding::Raw);
                }
            }
            at = next + 1;
        }
    }

    /// The server whose entry holds `extent`.
    pub fn server_at(&self, extent: Range<usize>) -> Option<usize> {
        self.servers
            .iter()
            .position(|server| server.span.start <= extent.start && extent.end <= server.span.end)
    }

    /// What server `server` names of an identity, in the forms the inventory joins: its name as
    /// a registered agent's (`agent:NAME`), and identifiers among its settings that are not
    /// credentials (`AWS_ROLE_ARN`, a service account's email).
    pub fn identities(&self, server: usize, bytes: &[u8]) -> Vec<String> {
        let Some(entry) = self.servers.get(server) else {
            return Vec::new();
        };
        let mut found = vec![format!("{AGENT_NAME_PREFIX}{}", entry.name)];
        for slot in self.slots.iter().filter(|slot| slot.server == server) {
            if found.len() >= MAX_SERVER_IDENTITIES {
                break;
            }
            if slot.kind == SlotKind::Query || name_holds_credential(&slot.name) {
                continue;
            }
            let value = slot.decode(bytes);
            if let Some(identifier) = identity_value(&value) {
                if !found.contains(&identifier) {
                    found.push(identifier);
                }
            }
        }
        found
    }

    /// Credentials among the `env`, `headers` and URL query values of the servers.
    pub fn candidates(
        &self,
        index: usize,
        detector: &Detector,
        bytes: &[u8],
        file: &FileContext,
        out: &mut Vec<Candidate>,
    ) {
        for slot in &self.slots {
            let credential_name = match slot.kind {
                SlotKind::Env => name_holds_credential(&slot.name),
                SlotKind::Header => {
                    name_holds_credential(&slot.name) || slot.name.eq_ignore_ascii_case("cookie")
                }
                // `?key=` (Google APIs) and `?apikey=` are credentials in a URL.
                SlotKind::Query => {
                    name_holds_credential(&slot.name)
                        || slot.name.eq_ignore_ascii_case("key")
                        || slot.name.eq_ignore_ascii_case("apikey")
                }
            };
            if !credential_name {
                continue;
            }
            let value = slot.decode(bytes);
            let value = if slot.kind == SlotKind::Header {
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

impl Slot {
    /// The value with its quotes and escapes undone.
    fn decode(&self, bytes: &[u8]) -> Zeroizing<Vec<u8>> {
        let raw = bytes.get(self.value.clone()).unwrap_or_default();
        match self.encoding {
            Encoding::Json => unescape_json_string(raw),
            Encoding::Raw => Zeroizing::new(raw.to_vec()),
            Encoding::Toml => decode_toml_string(raw),
        }
    }
}

/// A TOML string's value from its text with quotes. Basic strings' escapes are JSON's (TOML's
/// `\e` and `\UXXXXXXXX` are kept as written, which only changes what a value is compared as).
fn decode_toml_string(raw: &[u8]) -> Zeroizing<Vec<u8>> {
    const QUOTES: [(&[u8], bool); 4] = [
        (b"\"\"\"", true),
        (b"'''", false),
        (b"\"", true),
        (b"'", false),
    ];
    for (quote, escaped) in QUOTES {
        if raw.len() >= 2 * quote.len() && raw.starts_with(quote) && raw.ends_with(quote) {
            let inner = &raw[quote.len()..raw.len() - quote.len()];
            // A newline right after a multi-line string's opening quotes is not in its value.
            let inner = if quote.len() == 3 {
                inner
                    .strip_prefix(b"\r\n")
                    .or_else(|| inner.strip_prefix(b"\n"))
                    .unwrap_or(inner)
            } else {
                inner
            };
            return if escaped {
                unescape_json_string(inner)
            } else {
                Zeroizing::new(inner.to_vec())
            };
        }
    }
    Zeroizing::new(raw.to_vec())
}

#[cfg(test)]
pub(crate) fn decode_toml_string_for_tests(raw: &[u8]) -> Zeroizing<Vec<u8>> {
    decode_toml_string(raw)
}

/// A setting's value that is an exact identifier of an identity: an ARN, a
/// `system:serviceaccount:` subject, a Vault role path or an email (a service account's).
fn identity_value(value: &[u8]) -> Option<String> {
    let value = std::str::from_utf8(value.trim_ascii()).ok()?;
    if value.is_empty() || value.len() > 512 || value.contains(char::is_whitespace) {
        return None;
    }
    let identifier = value.starts_with("arn:")
        || value.starts_with("system:serviceaccount:")
        || (value.starts_with("auth/") && value.contains("/role/"))
        || crate::inventory::alias::is_email(value);
    identifier.then(|| value.to_string())
}

/// Identifiers the non-credential lines of a `.env` file name (`AWS_ROLE_ARN=arn:…`,
/// `GOOGLE_SERVICE_ACCOUNT=…@….iam.gserviceaccount.com`): the identity its secrets belong to.
pub(crate) fn dotenv_identities(bytes: &[u8]) -> Vec<String> {
    let mut found: Vec<String> = Vec::new();
    for line in bytes.split(|&b| b == b'\n') {
        if found.len() >= MAX_SERVER_IDENTITIES {
            break;
        }
        let Some((name, value)) = dotenv_assignment(line) else {
            continue;
        };
        if name_holds_credential(&String::from_utf8_lossy(&line[name])) {
            continue;
        }
        if let Some(identifier) = identity_value(&line[value]) {
            if !found.contains(&identifier) {
                found.push(identifier);
            }
        }
    }
    found
}

/// Reads a JSON (or JSONC) file as an MCP client configuration, if it holds one.
fn read_json(name: &str, bytes: &[u8]) -> Option<McpConfig> {
    // VS Code's `mcp.json` keeps its servers under `servers`, its user `settings.json` under
    // `"mcp": {"servers": …}`; Zed's `settings.json` under `context_servers`.
    let vs_code = name.ends_with("mcp.json");
    let has = |needle: &[u8]| memchr::memmem::find(bytes, needle).is_some();
    let has_servers = has(b"\"mcpServers\"")
        || has(b"\"context_servers\"")
        || ((vs_code || has(b"\"mcp\"")) && has(b"\"servers\""));
    if !has_servers {
        return None;
    }
    let root = JsonParser { bytes, at: 0 }.document()?;
    let mut config = McpConfig::default();
    config.collect(bytes, &root, vs_code, 0);
    Some(config)
}

impl McpConfig {
    /// Looks for server maps anywhere (Claude Code nests them under `projects.<dir>`).
    fn collect(&mut self, bytes: &[u8], node: &Json, top_level: bool, depth: u32) {
        let Json::Object { members, .. } = node else {
            return;
        };
        for (key, value) in members {
            let is_servers =
                key == "mcpServers" || key == "context_servers" || (top_level && key == "servers");
            match value {
                Json::Object {
                    members: servers, ..
                } if is_servers => {
                    for (name, server) in servers {
                        self.add_json_server(bytes, name, server);
                    }
                }
                // VS Code's user settings: `"mcp": {"servers": {…}}`.
                Json::Object { members: mcp, .. } if key == "mcp" => {
                    for (key, servers) in mcp {
                        if let (true, Json::Object { members, .. }) = (key == "servers", servers) {
                            for (name, server) in members {
                                self.add_json_server(bytes, name, server);
                            }
                        }
                    }
                }
                Json::Object { .. } if depth < MAX_JSON_DEPTH => {
                    self.collect(bytes, value, false, depth + 1)
                }
                _ => {}
            }
        }
    }

    fn add_json_server(&mut self, bytes: &[u8], name: &str, server: &Json) {
        let Json::Object { members, span } = server else {
            return;
        };
        self.begin_server(name, span.clone());
        self.add_json_settings(bytes, members, 0);
    }

    /// A server's settings; `command` and `transport` objects (Zed's older
    /// `"command": {"path", "args", "env"}`, a `transport` wrapper) hold settings too.
    fn add_json_settings(&mut self, bytes: &[u8], members: &[(String, Json)], depth: u32) {
        for (key, value) in members {
            let kind = match (key.as_str(), value) {
                ("env", _) => SlotKind::Env,
                ("headers" | "http_headers", _) => SlotKind::Header,
                ("url" | "httpUrl" | "serverUrl", Json::String(url)) => {
                    self.add_url(bytes, url.clone());
                    continue;
                }
                ("command" | "transport", Json::Object { members, .. }) if depth == 0 => {
                    self.add_json_settings(bytes, members, depth + 1);
                    continue;
                }
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
                    self.add_slot(name, range.clone(), kind, Encoding::Json);
                }
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
        assert_eq!(auth.kind, SlotKind::Header);
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
    fn servers_name_their_identities_and_urls_their_keys() {
        let text = br#"{"mcpServers": {
  "deploy-bot": {
    "env": {"AWS_ROLE_ARN": "arn:aws:iam::1:user/deploy-bot", "GITHUB_TOKEN": "a@b.c", "LOG": "x"},
    "url": "https://mcp.test/sse?api_key=k&profile=p#frag"
  }}}"#;
        let config = McpConfig::read("mcp.json", text).unwrap();
        assert_eq!(
            config.identities(0, text),
            ["agent:deploy-bot", "arn:aws:iam::1:user/deploy-bot"],
            "a credential's value is never an identity"
        );
        let query: Vec<(&str, &[u8])> = config
            .slots
            .iter()
            .filter(|s| s.kind == SlotKind::Query)
            .map(|s| (s.name.as_str(), &text[s.value.clone()]))
            .collect();
        assert_eq!(query, [("api_key", &b"k"[..]), ("profile", b"p")]);
        let dotenv = b"AWS_ROLE_ARN=arn:aws:iam::1:user/x\nDB_PASSWORD=arn:aws:iam::1:user/y\nSA=ci@p.iam.gserviceaccount.com\n";
        assert_eq!(
            dotenv_identities(dotenv),
            ["arn:aws:iam::1:user/x", "ci@p.iam.gserviceaccount.com"]
        );
    }

    #[test]
    fn vs_code_settings_and_zed_servers_are_read() {
        let settings = br#"{
  // user settings
  "editor.fontSize": 14,
  "mcp": {"servers": {"gh": {"headers": {"Authorization": "Bearer t"}}}},
  "context_servers": {"z": {"command": {"path": "p", "env": {"TOKEN": "v"}}}}
}"#;
        let config = McpConfig::read("settings.json", settings).unwrap();
        assert_eq!(config.servers.len(), 2);
        assert_eq!(config.slots.len(), 2);
        assert!(McpConfig::read("settings.json", br#"{"servers": {"a": {}}}"#).is_none());
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
