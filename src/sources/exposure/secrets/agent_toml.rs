//! OpenAI Codex CLI's `config.toml`: `[mcp_servers.NAME]` tables with `env = {…}` (or an
//! `[mcp_servers.NAME.env]` table), `http_headers` and `url`. Parsed by `toml_edit`, which keeps
//! each value's span in the file: the values themselves are read from the blob when judged.

use std::ops::Range;

use toml_edit::{Item, TableLike};

use super::agent::{Encoding, McpConfig, SlotKind};

/// Reads a TOML file's `mcp_servers` table, if it has one. A file that is not valid TOML is not
/// a configuration deprov reads (its lines are still searched by the pattern detectors).
pub(super) fn read(bytes: &[u8]) -> Option<McpConfig> {
    memchr::memmem::find(bytes, b"mcp_servers")?;
    let text = std::str::from_utf8(bytes).ok()?;
    let document = toml_edit::Document::parse(text).ok()?;
    let servers = document.get("mcp_servers")?.as_table_like()?;
    let mut config = McpConfig::default();
    for (name, server) in servers.iter() {
        let Some(settings) = server.as_table_like() else {
            continue;
        };
        let Some(span) = span_of(server, settings) else {
            continue;
        };
        config.begin_server(name, span);
        for (key, item) in settings.iter() {
            let kind = match key {
                "env" => SlotKind::Env,
                "http_headers" => SlotKind::Header,
                "url" => {
                    if let Some(span) = item.as_value().and_then(|v| v.as_str().and(v.span())) {
                        if let Some(content) = string_content(bytes, span) {
                            config.add_url(bytes, content);
                        }
                    }
                    continue;
                }
                _ => continue,
            };
            let Some(entries) = item.as_table_like() else {
                continue;
            };
            if let Some(span) = item.span() {
                config.widen_server(&span);
            }
            for (entry, value) in entries.iter() {
                let Some(value) = value.as_value().filter(|v| v.as_str().is_some()) else {
                    continue;
                };
                if let Some(span) = value.span() {
                    config.widen_server(&span);
                    config.add_slot(entry, span, kind, Encoding::Toml);
                }
            }
        }
    }
    Some(config)
}

/// Where a server's entry is: its table (a `[mcp_servers.x]` header, or an inline table) and
/// every value in it, to one level of sub-tables (`[mcp_servers.x.env]`).
fn span_of(item: &Item, settings: &dyn TableLike) -> Option<Range<usize>> {
    let mut span: Option<Range<usize>> = item.span();
    let mut widen = |other: Option<Range<usize>>| {
        if let Some(other) = other {
            span = Some(match span.take() {
                Some(s) => s.start.min(other.start)..s.end.max(other.end),
                None => other,
            });
        }
    };
    for (_, value) in settings.iter() {
        widen(value.span());
        if let Some(table) = value.as_table_like() {
            for (_, inner) in table.iter() {
                widen(inner.span());
            }
        }
    }
    span
}

/// The span of a one-line string's content, between its quotes: URL parameters are located in
/// it byte for byte.
fn string_content(bytes: &[u8], span: Range<usize>) -> Option<Range<usize>> {
    let raw = bytes.get(span.clone())?;
    let quote = *raw.first()?;
    (matches!(quote, b'"' | b'\'') && raw.len() >= 2 && raw.last() == Some(&quote))
        .then(|| span.start + 1..span.end - 1)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codex_tables_and_inline_env_are_read_with_positions() {
        let text = "model = \"o3\"\n\n[mcp_servers.github]\ncommand = \"npx\"\nargs = [\"-y\", \"@modelcontextprotocol/server-github\"]\nenv = { \"GITHUB_PERSONAL_ACCESS_TOKEN\" = \"abc\\\"d\", LOG = 'x' }\n\n[mcp_servers.search]\nurl = \"https://mcp.example.net/mcp?api_key=k1&profile=p\"\n\n[mcp_servers.search.env]\nTOKEN = '''\nmulti'''\n";
        let config = McpConfig::read("/home/dev/.codex/config.toml", text.as_bytes()).unwrap();
        let slots = format!("{config:?}");
        assert!(slots.contains("GITHUB_PERSONAL_ACCESS_TOKEN"), "{slots}");
        assert!(slots.contains("api_key"), "{slots}");
        assert!(slots.contains("profile"), "{slots}");
        // Every server's entry covers its values, the `[….env]` table included.
        let token_at = text.find("'''").unwrap();
        assert_eq!(config.server_at(token_at..token_at + 3), Some(1));
        let github_at = text.find("abc").unwrap();
        assert_eq!(config.server_at(github_at..github_at + 3), Some(0));
        assert!(config.server_at(0..5).is_none(), "`model` is no server's");
        assert!(McpConfig::read("config.toml", b"[mcp_servers.x\nbroken").is_none());
        assert!(McpConfig::read("config.toml", b"[other]\na = 1\n").is_none());
        let deep = format!("mcp_servers = {}{}", "[".repeat(10_000), "]".repeat(10_000));
        assert!(McpConfig::read("config.toml", deep.as_bytes()).is_none());
    }

    #[test]
    fn toml_strings_are_decoded() {
        use super::super::agent::decode_toml_string_for_tests as decode;
        assert_eq!(&decode(br#""a\"b""#)[..], b"a\"b");
        assert_eq!(&decode(br"'a\b'")[..], br"a\b");
        assert_eq!(&decode(b"'''\nab'''")[..], b"ab");
        assert_eq!(&decode(b"\"\"\"\r\nab\"\"\"")[..], b"ab");
    }
}
