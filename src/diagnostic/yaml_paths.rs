//! Where each value of a YAML document sits, by its path (`inventories[0].identity.owner`), so
//! that a check run after serde has read the document (which keeps no positions) can still point
//! at the line of the value it refuses. One pass over the event stream, linear in the text.

use std::collections::HashMap;

/// Byte ranges of a document's keys and values, by path.
#[derive(Debug, Clone, Default)]
pub struct YamlPaths {
    /// Path → (key start, value start, value end), byte offsets. Sequence items have no key: their
    /// key start is their value start.
    spans: HashMap<String, (usize, usize, usize)>,
}

/// One open container while the events are walked.
enum Open {
    /// A mapping: the path of its value, and the key just read (awaiting its value) with its
    /// start.
    Mapping {
        path: String,
        key: Option<(String, usize)>,
    },
    /// A sequence: the path of its value and the index of its next item.
    Sequence { path: String, next: usize },
}

impl YamlPaths {
    /// Indexes `text`. A text the event parser cannot read indexes what came before the error:
    /// the caller has already reported syntax errors through serde, so positions are only a
    /// help.
    pub fn index(text: &str) -> YamlPaths {
        use saphyr_parser::{Event, Parser};
        // saphyr's markers count characters, not bytes.
        let starts: Vec<usize> = if text.is_ascii() {
            Vec::new()
        } else {
            text.char_indices().map(|(offset, _)| offset).collect()
        };
        let byte = |chars: usize| {
            if starts.is_empty() {
                chars.min(text.len())
            } else {
                starts.get(chars).copied().unwrap_or(text.len())
            }
        };
        let mut paths = YamlPaths::default();
        let mut stack: Vec<Open> = Vec::new();
        for event in Parser::new_from_str(text) {
            let Ok((event, span)) = event else { break };
            let (start, end) = (byte(span.start.index()), byte(span.end.index()));
            match event {
                Event::Scalar(value, ..) => {
                    if let Some(Open::Mapping { key, .. }) = stack.last_mut() {
                        if key.is_none() {
                            *key = Some((value.into_owned(), start));
                            continue;
                        }
                    }
                    if let Some((path, key_start)) = Self::value_path(&mut stack, start) {
                        paths.spans.insert(path, (key_start, start, end));
                    }
                }
                Event::MappingStart(..) | Event::SequenceStart(..) => {
                    let is_mapping = matches!(event, Event::MappingStart(..));
                    let path = match Self::value_path(&mut stack, start) {
                        Some((path, key_start)) => {
                            paths.spans.insert(path.clone(), (key_start, start, end));
                            path
                        }
                        None => String::new(),
                    };
                    stack.push(if is_mapping {
                        Open::Mapping { path, key: None }
                    } else {
                        Open::Sequence { path, next: 0 }
                    });
                }
                Event::MappingEnd | Event::SequenceEnd => {
                    // A container's value runs to its end.
                    if let Some(Open::Mapping { path, .. } | Open::Sequence { path, .. }) =
                        stack.pop()
                    {
                        if let Some(span) = paths.spans.get_mut(&path) {
                            span.2 = span.2.max(end);
                        }
                    }
                }
                Event::Alias(_) => {
                    let _ = Self::value_path(&mut stack, start);
                }
                _ => {}
            }
        }
        paths
    }

    /// The path of the value that starts now in the innermost container, and where its key
    /// starts; advances the container past it.
    fn value_path(stack: &mut [Open], start: usize) -> Option<(String, usize)> {
        match stack.last_mut()? {
            Open::Mapping { path, key } => {
                let (key, key_start) = key.take()?;
                let joined = if path.is_empty() {
                    key
                } else {
                    format!("{path}.{key}")
                };
                Some((joined, key_start))
            }
            Open::Sequence { path, next } => {
                let joined = format!("{path}[{next}]");
                *next += 1;
                Some((joined, start))
            }
        }
    }

    /// The byte range of the value at `path`.
    pub fn value(&self, path: &str) -> Option<(usize, usize)> {
        self.spans
            .get(path)
            .map(|&(_, start, end)| (start, end.max(start)))
    }

    /// The byte range from the key of `path` to the end of its value (the whole `key: value`).
    pub fn entry(&self, path: &str) -> Option<(usize, usize)> {
        self.spans
            .get(path)
            .map(|&(key, _, end)| (key, end.max(key)))
    }

    /// Where the key of `path` starts (for a sequence item, the item).
    pub fn key_start(&self, path: &str) -> Option<usize> {
        self.spans.get(path).map(|&(key, _, _)| key)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn text_at(text: &str, range: Option<(usize, usize)>) -> &str {
        let (start, end) = range.expect("indexed");
        &text[start..end]
    }

    #[test]
    fn block_and_flow_values_are_found_by_path() {
        let text = "fail_on: high\ninventories:\n  - path: a.csv\n    identity: { id: \"App Name\", kind: service }\n    aliases: [\"Client Id\", Other]\n  - path: b.json\n    identity:\n      id: name\n";
        let paths = YamlPaths::index(text);
        assert_eq!(text_at(text, paths.value("fail_on")), "high");
        assert_eq!(text_at(text, paths.value("inventories[0].path")), "a.csv");
        assert!(text_at(text, paths.value("inventories[0].identity.id")).contains("App Name"));
        assert_eq!(
            text_at(text, paths.value("inventories[0].identity.kind")),
            "service"
        );
        assert!(text_at(text, paths.value("inventories[0].aliases[0]")).contains("Client Id"));
        assert_eq!(
            text_at(text, paths.value("inventories[0].aliases[1]")),
            "Other"
        );
        assert_eq!(
            text_at(text, paths.value("inventories[1].identity.id")),
            "name"
        );
        assert!(paths.value("inventories[2]").is_none());
        let key = paths.key_start("inventories[1].path").unwrap();
        assert!(text[key..].starts_with("path: b.json"));
    }

    #[test]
    fn offsets_are_bytes_after_wide_characters() {
        let text = "# café ☕\nsystem: \"sälesforce\"\nkey: v\n";
        let paths = YamlPaths::index(text);
        assert_eq!(text_at(text, paths.value("key")), "v");
    }

    #[test]
    fn a_broken_document_keeps_what_came_before() {
        let text = "a: 1\nb: [2\n";
        let paths = YamlPaths::index(text);
        assert_eq!(text_at(text, paths.value("a")), "1");
    }
}
