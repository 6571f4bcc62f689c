//! Continue's YAML configuration (`config.yaml`, `.continue/mcpServers/*.yaml`): an
//! `mcpServers:` list of servers with `name`, `env`, `url` and `requestOptions.headers` (a map of
//! servers by name is read too). serde gives the values without positions, so each one is
//! located in the text after its name, in file order; a value written with escapes that do not
//! appear as such in the text is not located, and is left to the pattern detectors.

use std::ops::Range;

use serde_yaml::Value;

use super::agent::{Encoding, McpConfig, SlotKind};
use crate::discover::nesting::{yaml_flow_depth_exceeded, MAX_YAML_FLOW_DEPTH};

/// Reads a YAML file's `mcpServers`, if it has them. Anchors and aliases are refused before
/// serde expands them (their expansion is quadratic), as in the register.
pub(super) fn read(bytes: &[u8]) -> Option<McpConfig> {
    let start = memchr::memmem::find(bytes, b"mcpServers")?;
    let text = std::str::from_utf8(bytes).ok()?;
    if yaml_flow_depth_exceeded(bytes, MAX_YAML_FLOW_DEPTH).is_some() {
        return None;
    }
    if memchr::memchr2(b'&', b'*', bytes).is_some() {
        match crate::sources::register::anchors::first_anchor_or_alias(text) {
            Ok(None) => {}
            _ => return None,
        }
    }
    let root: Value = serde_yaml::from_str(text).ok()?;
    let servers = root.get("mcpServers")?;
    let mut reader = Reader {
        bytes,
        cursor: start + "mcpServers".len(),
        config: McpConfig::default(),
    };
    match servers {
        Value::Sequence(items) => {
            for server in items {
                let name = server.get("name").and_then(Value::as_str).unwrap_or("");
                reader.server(name, server);
            }
        }
        Value::Mapping(map) => {
            for (name, server) in map {
                reader.server(name.as_str().unwrap_or(""), server);
            }
        }
        _ => {}
    }
    Some(reader.config)
}

struct Reader<'a> {
    bytes: &'a [u8],
    /// Where the next value is searched from: everything before it was read.
    cursor: usize,
    config: McpConfig,
}

impl Reader<'_> {
    fn server(&mut self, name: &str, server: &Value) {
        let Some(settings) = server.as_mapping() else {
            return;
        };
        let at = self.find(name.as_bytes()).unwrap_or(self.cursor);
        self.config.begin_server(name, at..at + name.len());
        for (key, value) in settings {
            match key.as_str() {
                Some("env") => self.slots(value, SlotKind::Env),
                Some("headers") => self.slots(value, SlotKind::Header),
                Some("requestOptions") => {
                    if let Some(headers) = value.get("headers") {
                        self.slots(headers, SlotKind::Header);
                    }
                }
                Some("url") => {
                    if let Some(url) = value.as_str().and_then(|url| self.locate("url", url)) {
                        self.config.add_url(self.bytes, url);
                    }
                }
                _ => {}
            }
        }
    }

    fn slots(&mut self, entries: &Value, kind: SlotKind) {
        let Some(entries) = entries.as_mapping() else {
            return;
        };
        for (name, value) in entries {
            let (Some(name), Some(value)) = (name.as_str(), value.as_str()) else {
                continue;
            };
            if let Some(span) = self.locate(name, value) {
                self.config.add_slot(name, span, kind, Encoding::Raw);
            }
        }
    }

    /// The span of `value`, written after `name` on the same line or the next (a block
    /// scalar's first line); the cursor moves past it.
    fn locate(&mut self, name: &str, value: &str) -> Option<Range<usize>> {
        let key = self.find(name.as_bytes())?;
        let after_key = key + name.len();
        let rest = &self.bytes[after_key..];
        let found = memchr::memmem::find(rest, value.as_bytes())?;
        if value.is_empty() || memchr::memchr_iter(b'\n', &rest[..found]).count() > 1 {
            self.cursor = after_key;
            return None;
        }
        let span = after_key + found..after_key + found + value.len();
        self.cursor = span.end;
        self.config.widen_server(&span);
        Some(span)
    }

    fn find(&mut self, needle: &[u8]) -> Option<usize> {
        if needle.is_empty() {
            return None;
        }
        let found = self.cursor + memchr::memmem::find(self.bytes.get(self.cursor..)?, needle)?;
        self.cursor = found;
        Some(found)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn continue_lists_are_read_with_positions() {
        let text = "name: Team\nversion: 1.0.0\nschema: v1\nmcpServers:\n  - name: GitHub\n    command: npx\n    env:\n      GITHUB_TOKEN: \"abc123\"\n      LOG: debug\n  - name: Search\n    type: streamable-http\n    url: https://mcp.example.net/mcp?apikey=k1\n    requestOptions:\n      headers:\n        Authorization: Bearer zz\n";
        let config = McpConfig::read(".continue/config.yaml", text.as_bytes()).unwrap();
        let debug = format!("{config:?}");
        for name in ["GITHUB_TOKEN", "LOG", "apikey", "Authorization"] {
            assert!(debug.contains(name), "{name}: {debug}");
        }
        let token = text.find("abc123").unwrap();
        assert_eq!(config.server_at(token..token + 6), Some(0));
        let bearer = text.find("Bearer zz").unwrap();
        assert_eq!(config.server_at(bearer..bearer + 9), Some(1));
        assert!(McpConfig::read("c.yaml", b"mcpServers: [").is_none());
        assert!(McpConfig::read("c.yaml", b"a: &x [1]\nmcpServers: *x\n").is_none());
        let deep = format!("mcpServers: {}", "[".repeat(1_000));
        assert!(McpConfig::read("c.yaml", deep.as_bytes()).is_none());
    }
}
