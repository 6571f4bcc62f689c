//! A bound on YAML flow nesting (`[[[…` or `{a: {a: …`), checked before a YAML parser sees the
//! text: libyaml's handling of simple keys is quadratic in the depth of flow collections, so a
//! few hundred kilobytes of brackets would take minutes, although serde would reject anything
//! deeper than its recursion limit (128) in the end anyway.

/// Deeper flow nesting than this is refused before parsing (serde stops at 128 in any case).
pub const MAX_YAML_FLOW_DEPTH: usize = 256;

/// The byte offset where flow nesting first exceeds `limit`, if it does. Brackets in comments
/// and quoted scalars do not count; the count is approximate elsewhere, erring towards depth,
/// which only matters for texts that nest deeper than any real export.
pub fn yaml_flow_depth_exceeded(text: &[u8], limit: usize) -> Option<usize> {
    let mut depth = 0usize;
    let mut i = 0usize;
    let mut previous = b'\n';
    while i < text.len() {
        let byte = text[i];
        match byte {
            b'#' if previous.is_ascii_whitespace() => {
                i = memchr::memchr(b'\n', &text[i..]).map_or(text.len(), |n| i + n);
                previous = b'\n';
                continue;
            }
            b'"' | b'\''
                if matches!(previous, b' ' | b'\t' | b'\n' | b'[' | b'{' | b',' | b':') =>
            {
                i = closing_quote(text, i + 1, byte).map_or(text.len(), |end| end + 1);
                previous = byte;
                continue;
            }
            b'[' | b'{' => {
                depth += 1;
                if depth > limit {
                    return Some(i);
                }
            }
            b']' | b'}' => depth = depth.saturating_sub(1),
            _ => {}
        }
        previous = byte;
        i += 1;
    }
    None
}

/// The index of the quote closing a scalar opened before `from` (`\"` escapes in double quotes,
/// `''` in single quotes).
fn closing_quote(text: &[u8], mut from: usize, quote: u8) -> Option<usize> {
    while from < text.len() {
        let at = from + memchr::memchr2(quote, b'\\', &text[from..])?;
        if text[at] == b'\\' && quote == b'"' {
            from = at + 2;
        } else if text[at] == b'\\' {
            from = at + 1;
        } else if quote == b'\'' && text.get(at + 1) == Some(&b'\'') {
            from = at + 2;
        } else {
            return Some(at);
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counts_flow_nesting_outside_comments_and_quotes() {
        let deep = "a: ".to_string() + &"[".repeat(300) + &"]".repeat(300);
        assert_eq!(yaml_flow_depth_exceeded(deep.as_bytes(), 256), Some(259));
        let text = format!(
            "a: [1, {{b: 2}}]\n# {}\nc: \"{}\"\nd: '{}'''\n",
            "[".repeat(300),
            "[".repeat(300),
            "{".repeat(300)
        );
        assert_eq!(yaml_flow_depth_exceeded(text.as_bytes(), 256), None);
    }
}
