//! `{name}` templates: the wording of rule messages (`rules/catalog.yaml`) and of file
//! diagnostics. One pass over the template: a substituted value is never scanned again, so text
//! from an input (a path, a native ID) cannot smuggle in a placeholder of its own.

/// The placeholders of a template, each with the byte offset of its opening brace.
/// A `{` with no `}` after it is text, as [`render`] leaves it.
pub fn placeholders(template: &str) -> impl Iterator<Item = (usize, &str)> {
    let mut consumed = 0;
    std::iter::from_fn(move || {
        let rest = &template[consumed..];
        let start = rest.find('{')?;
        let after = &rest[start + 1..];
        let end = after.find('}')?;
        let found = (consumed + start, &after[..end]);
        consumed += start + 1 + end + 1;
        Some(found)
    })
}

/// The template with each placeholder replaced by its value, or by `missing` where `value_of`
/// has none.
pub fn render<'a>(
    template: &str,
    value_of: impl Fn(&str) -> Option<&'a str>,
    missing: &str,
) -> String {
    let mut out = String::with_capacity(template.len() + 32);
    let mut copied = 0;
    for (start, name) in placeholders(template) {
        out.push_str(&template[copied..start]);
        out.push_str(value_of(name).unwrap_or(missing));
        copied = start + name.len() + 2;
    }
    out.push_str(&template[copied..]);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn value_of(name: &str) -> Option<&'static str> {
        match name {
            "path" => Some("a{message}.yaml"),
            "message" => Some("bad"),
            _ => None,
        }
    }

    #[test]
    fn values_are_not_scanned_again() {
        assert_eq!(
            render("{path}: {message}", value_of, "?"),
            "a{message}.yaml: bad"
        );
    }

    #[test]
    fn unknown_names_and_unclosed_braces() {
        assert_eq!(render("{nope} {path", value_of, "?"), "? {path");
        assert_eq!(render("{a{b}c}", value_of, "?"), "?c}");
        assert_eq!(
            placeholders("x {a} {b{c} {").collect::<Vec<_>>(),
            vec![(2, "a"), (6, "b{c")]
        );
        assert_eq!(render("", value_of, "?"), "");
    }
}
