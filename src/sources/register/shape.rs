//! What a register file must look like, checked before its entries are: the columns of the CSV
//! forms, and the help every shape error carries. A file that does not have the register's shape
//! is an error, never "a register with no entries": a mistyped column or key would otherwise
//! leave every identity unregistered and the scan would pass.

/// Shown with every shape error: the two forms a register takes.
pub const EXPECTED_SHAPE: &str = "a register is YAML:
  identities:
    - id: ci-legacy            # required
      status: retired          # required: active | retired
      kind: service            # service | workload | agent | human
      retired_at: 2026-03-01
      owner: alice@example.com
      aliases: [arn:aws:iam::111122223333:user/ci-legacy]
  people:
    - id: alice@example.com    # required
      status: active           # required: active | departed
      departed_at: 2026-06-30
  teams:
    - id: platform-team
or CSV: identities with the header `id,kind,status,retired_at,owner,aliases` (id and status required, aliases separated by `;`), people with `id,status,departed_at`";

/// The two CSV forms.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CsvForm {
    Identities,
    People,
}

impl CsvForm {
    pub fn columns(self) -> &'static [&'static str] {
        match self {
            CsvForm::Identities => &[
                "id",
                "kind",
                "status",
                "retired_at",
                "owner",
                "aliases",
                "description",
            ],
            CsvForm::People => &["id", "status", "departed_at", "name"],
        }
    }

    const REQUIRED: [&'static str; 2] = ["id", "status"];

    /// The form a header is written in: people when it names `departed_at` or nothing an
    /// identity row has beyond `id` and `status`; identities otherwise (and then every column
    /// the header names is checked against that form).
    pub fn of_header(header: &[String]) -> CsvForm {
        let names = |column: &str| header.iter().any(|h| h.eq_ignore_ascii_case(column));
        let identity_only = ["kind", "retired_at", "owner", "aliases", "description"];
        if names("departed_at") || !identity_only.iter().any(|c| names(c)) && names("name") {
            CsvForm::People
        } else {
            CsvForm::Identities
        }
    }
}

/// One problem of a header: the column (its index) and what is wrong with it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HeaderProblem {
    /// The index of the offending column, or `None` for a missing one.
    pub column: Option<usize>,
    pub message: String,
}

/// Every problem of a CSV register's header: unknown, repeated and missing columns.
pub fn check_header(form: CsvForm, header: &[String]) -> Vec<HeaderProblem> {
    let known = form.columns();
    let mut problems = Vec::new();
    for (index, column) in header.iter().enumerate() {
        if !known.contains(&column.as_str()) {
            let suggestion = closest(column, known)
                .map(|c| format!(" (did you mean `{c}`?)"))
                .unwrap_or_default();
            problems.push(HeaderProblem {
                column: Some(index),
                message: format!(
                    "unknown column `{column}`{suggestion}; the columns are {}",
                    known.join(", ")
                ),
            });
        } else if header[..index].contains(column) {
            problems.push(HeaderProblem {
                column: Some(index),
                message: format!("column `{column}` appears twice"),
            });
        }
    }
    for required in CsvForm::REQUIRED {
        if !header.iter().any(|h| h == required) {
            problems.push(HeaderProblem {
                column: None,
                message: format!("the required column `{required}` is missing"),
            });
        }
    }
    problems
}

/// The known name within two edits of `name` (a typo or a wrong case), if exactly one is.
pub fn closest<'a>(name: &str, known: &[&'a str]) -> Option<&'a str> {
    let name = name.to_ascii_lowercase();
    let mut close = known.iter().filter(|k| edit_distance(&name, k) <= 2);
    match (close.next(), close.next()) {
        (Some(one), None) => Some(one),
        _ => None,
    }
}

/// Levenshtein distance of two short names (column and key names: a few dozen bytes at most).
fn edit_distance(a: &str, b: &str) -> usize {
    let (a, b) = (a.as_bytes(), b.as_bytes());
    if a.len() > 64 || b.len() > 64 {
        return usize::MAX;
    }
    let mut previous: Vec<usize> = (0..=b.len()).collect();
    for (i, &ca) in a.iter().enumerate() {
        let mut current = vec![i + 1];
        for (j, &cb) in b.iter().enumerate() {
            let substitute = previous[j] + usize::from(ca != cb);
            current.push(substitute.min(previous[j + 1] + 1).min(current[j] + 1));
        }
        previous = current;
    }
    previous[b.len()]
}

#[cfg(test)]
mod tests {
    use super::*;

    fn header(text: &str) -> Vec<String> {
        text.split(',').map(str::to_string).collect()
    }

    #[test]
    fn typos_in_headers_are_problems_with_a_suggestion() {
        let problems = check_header(
            CsvForm::Identities,
            &header("id,kind,stauts,retired_at,owner,alias"),
        );
        let messages: Vec<&str> = problems.iter().map(|p| p.message.as_str()).collect();
        assert!(
            messages[0].contains("`stauts` (did you mean `status`?)"),
            "{messages:?}"
        );
        assert!(
            messages[1].contains("`alias` (did you mean `aliases`?)"),
            "{messages:?}"
        );
        assert!(messages[2].contains("`status` is missing"), "{messages:?}");
        assert_eq!(problems.len(), 3);
        assert!(check_header(
            CsvForm::Identities,
            &header("id,kind,status,retired_at,owner,aliases")
        )
        .is_empty());
        assert!(check_header(CsvForm::People, &header("id,status,departed_at")).is_empty());
        assert_eq!(
            check_header(CsvForm::People, &header("id,status,id")).len(),
            1
        );
    }

    #[test]
    fn the_form_follows_the_header() {
        assert_eq!(
            CsvForm::of_header(&header("id,status,departed_at")),
            CsvForm::People
        );
        assert_eq!(
            CsvForm::of_header(&header("id,status,name")),
            CsvForm::People
        );
        assert_eq!(
            CsvForm::of_header(&header("id,stauts,departed_at")),
            CsvForm::People
        );
        assert_eq!(
            CsvForm::of_header(&header("id,kind,stauts")),
            CsvForm::Identities
        );
        assert_eq!(
            CsvForm::of_header(&header("id,status")),
            CsvForm::Identities
        );
    }
}
