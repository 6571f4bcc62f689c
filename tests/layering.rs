//! No import cycles between deprov's top-level modules: they are declared in layers, and a
//! module may use only modules of the layers below its own. A `crate::…` path (or a `super::`
//! chain out to the crate root) that points sideways or up fails here with the file and line,
//! so a cycle cannot come back one convenient import at a time. Test modules are left out: a
//! test may reach for whatever it checks against.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

/// The top-level modules, from the bottom up. A module may use any module of a lower layer and
/// none of its own or a higher one.
const LAYERS: &[&[&str]] = &[
    // Vocabulary with no dependency inside the crate; the binaries' allocator settings.
    &["time", "severity", "embedded", "template", "allocator"],
    // Diagnostics and certificate facts.
    &["diagnostic", "x509"],
    // Walking and reading files (the regular-file guard), sniffing content.
    &["discover"],
    // The normalized records, then the families that read exports, and the repository-exposure
    // stage (secret detectors, git history), into records.
    &["inventory"],
    &["sources"],
    // The rule catalog, then the config that is validated against it.
    &["catalog"],
    &["config"],
    // Cedar: entities, requests, decisions. It reads no files.
    &["engine"],
    // Decisions → findings, then what triage makes of them; sharding keys; verify checklists.
    &["findings"],
    &["triage", "shard", "verify"],
    // What a run produced, as reporters see it.
    &["result"],
    // Runbooks: which commands remove what a checklist or a run found (data; reporters write it).
    &["runbook", "evidence", "trend"],
    // The pipeline, and the reporters (which never use the pipeline).
    &["scan", "report"],
    // Combining shard reports (reads JSON reports).
    &["merge"],
    // Command line types, then the commands that run everything.
    &["cli"],
    &["commands"],
];

/// Uses that break the layering today and are owned elsewhere, each with why it is tolerated.
/// The list only shrinks: an entry whose use is gone fails the test until it is removed.
const TOLERATED: &[(&str, &str, &str)] = &[];

fn layer_of(module: &str) -> Option<usize> {
    LAYERS.iter().position(|layer| layer.contains(&module))
}

/// One use of another top-level module.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
struct Use {
    from: String,
    to: String,
    file: String,
    line: usize,
}

fn rust_files(dir: &Path, out: &mut Vec<PathBuf>) {
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            rust_files(&path, out);
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push(path);
        }
    }
}

/// The module path of a file below `src/` (`report/json.rs` → `[report, json]`,
/// `report/mod.rs` → `[report]`).
fn module_path(rel: &Path) -> Vec<String> {
    let mut parts: Vec<String> = rel
        .iter()
        .map(|p| p.to_string_lossy().trim_end_matches(".rs").to_string())
        .collect();
    if parts.last().is_some_and(|p| p == "mod") {
        parts.pop();
    }
    parts
}

/// The lines of a file that are code: without comments and without `#[cfg(test)]` modules.
fn code_lines(text: &str) -> Vec<(usize, String)> {
    let mut lines = Vec::new();
    let mut in_test_module = false;
    let mut pending_cfg_test = false;
    for (n, raw) in text.lines().enumerate() {
        if in_test_module {
            // Test modules are top-level items: they end at a `}` in the first column.
            if raw.starts_with('}') {
                in_test_module = false;
            }
            continue;
        }
        let trimmed = raw.trim();
        if trimmed == "#[cfg(test)]" || trimmed.starts_with("#[cfg(all(test,") {
            pending_cfg_test = true;
            continue;
        }
        if pending_cfg_test {
            pending_cfg_test = false;
            if raw.starts_with("mod ") && raw.trim_end().ends_with('{') {
                in_test_module = true;
                continue;
            }
        }
        if trimmed.starts_with("//") {
            continue;
        }
        let code = match raw.find(" // ") {
            Some(comment) => &raw[..comment],
            None => raw,
        };
        lines.push((n + 1, code.to_string()));
    }
    lines
}

fn identifier_at(text: &str) -> &str {
    let end = text
        .find(|c: char| !(c.is_ascii_alphanumeric() || c == '_'))
        .unwrap_or(text.len());
    &text[..end]
}

/// The top-level modules a line of code names: `crate::x`, `crate::{x, y::z}`, and `super::`
/// chains that climb out to the crate root from a module `depth` levels deep.
fn modules_named(code: &str, depth: usize) -> BTreeSet<String> {
    let mut named = BTreeSet::new();
    for (at, _) in code.match_indices("crate::") {
        // `$crate::` in a macro is the same crate; any other prefix (`deprov_crate::`) is not.
        let before = code[..at].chars().next_back();
        if before.is_some_and(|c| c.is_ascii_alphanumeric() || c == '_') {
            continue;
        }
        let rest = &code[at + "crate::".len()..];
        if let Some(group) = rest.strip_prefix('{') {
            // `crate::{a, b::c, d}`: the first segment of each entry at the top level.
            let mut nesting = 0usize;
            let mut entry_start = true;
            for (i, c) in group.char_indices() {
                match c {
                    '{' => nesting += 1,
                    '}' if nesting == 0 => break,
                    '}' => nesting -= 1,
                    ',' if nesting == 0 => entry_start = true,
                    c if entry_start && (c.is_ascii_alphabetic() || c == '_') => {
                        named.insert(identifier_at(&group[i..]).to_string());
                        entry_start = false;
                    }
                    _ => {}
                }
            }
        } else {
            named.insert(identifier_at(rest).to_string());
        }
    }
    for (at, _) in code.match_indices("super::") {
        if code[..at].ends_with("super::") {
            continue; // counted from the first `super::` of the chain
        }
        let mut rest = &code[at..];
        let mut supers = 0;
        while let Some(after) = rest.strip_prefix("super::") {
            supers += 1;
            rest = after;
        }
        if supers >= depth {
            named.insert(identifier_at(rest).to_string());
        }
    }
    named.retain(|m| !m.is_empty() && m != "self");
    named
}

fn uses_between_modules() -> Vec<Use> {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut files = Vec::new();
    rust_files(&src, &mut files);
    files.sort();
    let mut uses = Vec::new();
    for file in files {
        let rel = file.strip_prefix(&src).unwrap();
        let path = module_path(rel);
        let Some(from) = path.first().cloned() else {
            continue;
        };
        if from == "main" || from == "lib" {
            continue;
        }
        let text = std::fs::read_to_string(&file).unwrap();
        for (line, code) in code_lines(&text) {
            for to in modules_named(&code, path.len()) {
                if to != from {
                    uses.push(Use {
                        from: from.clone(),
                        to,
                        file: rel.display().to_string(),
                        line,
                    });
                }
            }
        }
    }
    uses
}

#[test]
fn every_top_level_module_has_a_layer() {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let lib = std::fs::read_to_string(src.join("lib.rs")).unwrap();
    let declared: BTreeSet<&str> = lib
        .lines()
        .filter_map(|line| line.strip_prefix("pub mod "))
        .map(|rest| rest.trim_end_matches(';'))
        .collect();
    let layered: BTreeSet<&str> = LAYERS.iter().flat_map(|l| l.iter().copied()).collect();
    assert_eq!(declared, layered, "lib.rs's modules and the layers");
    assert_eq!(
        layered.len(),
        LAYERS.iter().map(|l| l.len()).sum::<usize>(),
        "a module in two layers"
    );
}

#[test]
fn modules_use_only_lower_layers() {
    let uses = uses_between_modules();
    let tolerated = |u: &Use| TOLERATED.iter().any(|(f, t, _)| *f == u.from && *t == u.to);
    let mut violations = Vec::new();
    for u in &uses {
        let (Some(from), Some(to)) = (layer_of(&u.from), layer_of(&u.to)) else {
            // Not a module of the crate (`crate::main`?) or one without a layer, which the
            // other test reports.
            continue;
        };
        if to >= from && !tolerated(u) {
            violations.push(format!(
                "src/{}:{}: {} (layer {from}) uses {} (layer {to})",
                u.file, u.line, u.from, u.to
            ));
        }
    }
    assert!(
        violations.is_empty(),
        "uses that point sideways or up the layers (see LAYERS in tests/layering.rs):\n{}",
        violations.join("\n")
    );
    let edges: BTreeSet<(&str, &str)> = uses
        .iter()
        .map(|u| (u.from.as_str(), u.to.as_str()))
        .collect();
    for (from, to, why) in TOLERATED {
        assert!(
            edges.contains(&(*from, *to)),
            "{from} no longer uses {to}: remove it from TOLERATED ({why})"
        );
    }
}

/// The scanner itself: it sees through the ways a use can be written.
#[test]
fn uses_are_found_however_they_are_written() {
    let named = |code: &str, depth: usize| -> Vec<String> {
        modules_named(code, depth).into_iter().collect()
    };
    assert_eq!(named("use crate::scan::Skipped;", 1), ["scan"]);
    assert_eq!(
        named(
            "use crate::{result::ScanResult, shard::{Shard, ShardFacts}, time};",
            1
        ),
        ["result", "shard", "time"]
    );
    assert_eq!(
        named("let x = crate::findings::sort(&mut f);", 2),
        ["findings"]
    );
    assert_eq!(named("use super::super::config::Config;", 2), ["config"]);
    assert_eq!(
        named("use super::json::JsonReport;", 2),
        Vec::<String>::new()
    );
    assert_eq!(named("use super::Finding;", 1), ["Finding"]);
    assert_eq!(named("$crate::time::now()", 1), ["time"]);
    let lines = code_lines(
        "use crate::a::X; // crate::b\n// crate::c\n#[cfg(test)]\nmod tests {\n    use crate::d;\n}\nuse crate::e;\n",
    );
    let found: BTreeMap<usize, Vec<String>> = lines
        .iter()
        .map(|(n, code)| (*n, named(code, 1)))
        .filter(|(_, m)| !m.is_empty())
        .collect();
    assert_eq!(
        found,
        BTreeMap::from([(1, vec!["a".to_string()]), (7, vec!["e".to_string()])])
    );
}
