//! What kind of file a value sits in, and where in it: the same `password = x` is a value in a
//! configuration file, an expression in source code, a stand-in in a template
//! (`.env.example`), and a documentation example under an OpenAPI `example:`.

use std::ops::Range;

/// What the path says about the file, for the generic detectors.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub(crate) struct FileContext {
    /// Source code, where an assigned value is a literal only when quoted:
    /// `password=args.db_password` is code.
    pub source_code: bool,
    /// A template of a configuration (`.env.example`, `config.sample.yaml`, `*.dist`), whose
    /// values stand for what the real file holds.
    pub template: bool,
    /// Configuration that is deployed or run as written (YAML, JSON, INI, TOML, properties,
    /// `.env`, XML, Terraform): a password set there is the password, however weak.
    pub configuration: bool,
}

/// Extensions of configuration files (the last extension of the file name).
const CONFIGURATION_EXTENSIONS: &[&str] = &[
    "yaml",
    "yml",
    "json",
    "jsonc",
    "toml",
    "ini",
    "cfg",
    "conf",
    "config",
    "properties",
    "env",
    "xml",
    "tf",
    "tfvars",
    "hcl",
    "plist",
    "npmrc",
    "pypirc",
    "netrc",
    "envrc",
];

/// Extensions of programming languages (the last extension of the file name).
const SOURCE_EXTENSIONS: &[&str] = &[
    "py", "pyi", "js", "jsx", "mjs", "cjs", "ts", "tsx", "go", "java", "kt", "kts", "scala", "rb",
    "php", "cs", "fs", "vb", "rs", "c", "h", "cc", "cpp", "cxx", "hpp", "hh", "m", "mm", "swift",
    "dart", "lua", "pl", "pm", "r", "groovy", "ex", "exs", "erl", "clj", "cljs", "ps1", "psm1",
    "tf", "hcl", "jl", "zig", "nim", "vue", "svelte",
];

/// Name parts that mark a template: `.env.example`, `config.sample.yml`, `app.dist.php`,
/// `values.template.yaml`, `settings.tmpl`.
const TEMPLATE_PARTS: &[&str] = &[
    "example",
    "examples",
    "sample",
    "samples",
    "template",
    "templates",
    "tmpl",
    "tpl",
    "dist",
];

impl FileContext {
    pub fn of(path: &str) -> FileContext {
        let name = path.rsplit(['/', '\\']).next().unwrap_or(path);
        let lower = name.to_ascii_lowercase();
        let parts: Vec<&str> = lower.split('.').collect();
        let extension = if parts.len() > 1 {
            parts.last().copied()
        } else {
            None
        };
        // Only the parts after the first dot, or a leading-dot name's own parts
        // (`.env.example`): `example.py` is code, not a template.
        let suffixes = if lower.starts_with('.') {
            &parts[2.min(parts.len())..]
        } else {
            &parts[1.min(parts.len())..]
        };
        let dotfile = lower.starts_with('.') && parts.len() == 2;
        FileContext {
            source_code: extension.is_some_and(|e| SOURCE_EXTENSIONS.contains(&e)),
            template: suffixes.iter().any(|p| TEMPLATE_PARTS.contains(p)),
            configuration: extension.is_some_and(|e| CONFIGURATION_EXTENSIONS.contains(&e))
                || dotfile
                || lower.starts_with(".env"),
        }
    }
}

/// Keys whose values are documentation examples (OpenAPI and JSON Schema `example`,
/// `examples`, `x-example`, `default`).
const EXAMPLE_KEYS: &[&[u8]] = &[b"example", b"examples", b"x-example", b"x-examples"];

/// How far up a YAML document the enclosing keys are looked for: bounded so that a file
/// dense with matches costs a constant per match.
const ANCESTOR_LOOKBACK: usize = 4 * 1024;

/// The longest line read around a value for quoting and nesting; a longer line is minified
/// code or data, where neither is read.
const LONGEST_LINE: usize = 1024;

/// Whether the YAML line at `at` is inside a documentation example: under an `example:` or
/// `examples:` key, or the `value:` of an OpenAPI Example Object (beside `summary:` or
/// `description:`). Reads the enclosing keys by indentation, at most [`ANCESTOR_LOOKBACK`]
/// bytes up.
pub(crate) fn in_documentation_example(bytes: &[u8], at: usize) -> bool {
    let at = at.min(bytes.len());
    let Some(line_start) = start_of_line(bytes, at) else {
        return false;
    };
    let floor = line_start.saturating_sub(ANCESTOR_LOOKBACK);
    let mut indent = indentation(&bytes[line_start..]);
    let mut end = line_start;
    // The keys beside an ancestor, for the Example Object's `value:`.
    let mut siblings_of_value: Option<usize> = None;
    while end > floor && indent > 0 {
        let Some(start) = previous_line(bytes, floor, end) else {
            break;
        };
        let line = &bytes[start..end];
        end = start;
        let line_indent = indentation(line);
        let key = yaml_key(&line[line_indent.min(line.len())..]);
        if let Some(value_indent) = siblings_of_value {
            if line_indent == value_indent
                && key.is_some_and(|k| k == b"summary" || k == b"description")
            {
                return true;
            }
            if line_indent < value_indent {
                siblings_of_value = None;
            }
        }
        if line_indent >= indent || key.is_none() {
            continue;
        }
        indent = line_indent;
        let Some(key) = key else { continue };
        if EXAMPLE_KEYS.iter().any(|k| key.eq_ignore_ascii_case(k)) {
            return true;
        }
        if key == b"value" {
            siblings_of_value = Some(line_indent);
        }
    }
    false
}

/// The start of the line holding `at`, if it starts at most [`LONGEST_LINE`] bytes before.
fn start_of_line(bytes: &[u8], at: usize) -> Option<usize> {
    let floor = at.saturating_sub(LONGEST_LINE);
    match memchr::memrchr(b'\n', &bytes[floor..at]) {
        Some(p) => Some(floor + p + 1),
        None => (floor == 0).then_some(0),
    }
}

/// The start of the line before the one that starts at `end`, not before `floor`.
fn previous_line(bytes: &[u8], floor: usize, end: usize) -> Option<usize> {
    if end <= floor {
        return None;
    }
    let before_newline = end - 1;
    Some(memchr::memrchr(b'\n', &bytes[floor..before_newline]).map_or(floor, |p| floor + p + 1))
}

/// Leading spaces, counting a list item's `- ` as indentation (its keys sit after it).
fn indentation(line: &[u8]) -> usize {
    let mut n = 0;
    while let Some(&b) = line.get(n) {
        match b {
            b' ' => n += 1,
            b'-' if line.get(n + 1) == Some(&b' ') => n += 2,
            _ => break,
        }
    }
    n
}

/// The key of a `key:` line (quotes removed), if it is one.
fn yaml_key(line: &[u8]) -> Option<&[u8]> {
    let colon = memchr::memchr(b':', line)?;
    let key = line[..colon].trim_ascii();
    let key = key
        .strip_prefix(b"\"")
        .and_then(|k| k.strip_suffix(b"\""))
        .or_else(|| key.strip_prefix(b"'").and_then(|k| k.strip_suffix(b"'")))
        .unwrap_or(key);
    let plain = !key.is_empty()
        && key
            .iter()
            .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'_' | b'-' | b'.' | b'$'));
    plain.then_some(key)
}

/// Whether `value` is a string literal: the bytes just outside it are the same quote, or the
/// whole assignment starting at `name_start` sits inside a string literal of its line
/// (`"//registry.npmjs.org/:_authToken=…"`: an odd number of quotes before the value).
pub(crate) fn is_literal(bytes: &[u8], name_start: usize, value: &Range<usize>) -> bool {
    let before = value.start.checked_sub(1).and_then(|i| bytes.get(i));
    let after = bytes.get(value.end);
    if matches!((before, after), (Some(a), Some(b)) if a == b && matches!(a, b'"' | b'\'' | b'`')) {
        return true;
    }
    let name_start = name_start.min(bytes.len());
    let Some(line_start) = start_of_line(bytes, name_start) else {
        return false;
    };
    // Up to the value, not the name: a quoted key (`"PASSWORD": expr`) closes its own quote.
    let head = &bytes[line_start..value.start.clamp(line_start, bytes.len())];
    let tail_end = bytes.len().min(value.end.saturating_add(LONGEST_LINE));
    let tail = bytes.get(value.end..tail_end).unwrap_or_default();
    let tail = &tail[..memchr::memchr(b'\n', tail).unwrap_or(tail.len())];
    [b'"', b'\''].iter().any(|&quote| {
        let count = head.iter().filter(|&&b| b == quote).count();
        count % 2 == 1 && tail.contains(&quote)
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn file_kinds_come_from_the_name() {
        assert!(FileContext::of("src/app/settings.py").source_code);
        assert!(FileContext::of("infra/main.tf").source_code);
        assert!(!FileContext::of("config/app.yaml").source_code);
        assert!(!FileContext::of(".env").source_code);
        for template in [
            ".env.example",
            "deploy/.env.sample",
            "config.sample.yml",
            "app.dist.php",
            "values.template.yaml",
            "settings.tmpl",
            "docker-compose.example.yml",
        ] {
            assert!(FileContext::of(template).template, "{template}");
        }
        for not_template in ["example.py", "examples/app.yaml", ".env", "sample_test.go"] {
            assert!(!FileContext::of(not_template).template, "{not_template}");
        }
    }

    #[test]
    fn documentation_examples_are_found_by_their_enclosing_keys() {
        let spec = b"paths:\n  /sessions:\n    post:\n      requestBody:\n        content:\n          application/json:\n            examples:\n              Create:\n                summary: Create a session\n                value:\n                  sessionToken: 00Hioh\n";
        let at = memchr::memmem::find(spec, b"sessionToken").unwrap();
        assert!(in_documentation_example(spec, at));
        let components = b"components:\n  examples:\n    Enroll:\n      summary: Enroll\n      value:\n        profile:\n          sharedSecret: 484f\n";
        let at = memchr::memmem::find(components, b"sharedSecret").unwrap();
        assert!(in_documentation_example(components, at));
        // An Example Object seen only from its `value:` and `summary:`.
        let cut = b"      summary: Enroll\n      value:\n        profile:\n          sharedSecret: 484f\n";
        let at = memchr::memmem::find(cut, b"sharedSecret").unwrap();
        assert!(in_documentation_example(cut, at));
        // No value here is long enough for a detector: this file holds no match itself.
        let config = b"database:\n  value:\n    password: hunter2\n";
        let at = memchr::memmem::find(config, b"password").unwrap();
        assert!(!in_documentation_example(config, at));
        let plain = b"auth:\n  client_secret: w1zc\n";
        let at = memchr::memmem::find(plain, b"client_secret").unwrap();
        assert!(!in_documentation_example(plain, at));
    }

    #[test]
    fn quoting_is_read_around_the_value() {
        let text = b"password = \"abc\" token=def";
        assert!(is_literal(text, 0, &(12..15)));
        assert!(!is_literal(text, 17, &(23..26)));
        // Split so that this file holds no assignment itself.
        let inside = [
            b"('//registry.npmjs.org/:_authToken=743b".as_slice(),
            b"294a', True)",
        ]
        .concat();
        assert!(is_literal(&inside, 24, &(35..43)));
        // A quoted key closes its own quote: the expression after it is code.
        let keyed = br#"    "PASS": content_b64["elk_pass"],"#;
        assert!(!is_literal(keyed, 5, &(13..25)));
    }

    #[test]
    fn configuration_files_are_told_by_name() {
        for path in [
            "app.yaml",
            "launch.json",
            "main.tf",
            ".env",
            ".npmrc",
            "web.config",
        ] {
            assert!(FileContext::of(path).configuration, "{path}");
        }
        for path in ["app.py", "README.md", "notes.txt"] {
            assert!(!FileContext::of(path).configuration, "{path}");
        }
    }
}
