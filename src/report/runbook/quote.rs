//! A runbook command as one bash line. Fixed words are written as they are (static CLI syntax);
//! every value from an input is quoted with `shell-quote`'s bash quoting, which keeps plain
//! words bare and writes anything else as `$'…'`, with control characters as escapes, so that a
//! value is always one argument on one line. A value holding a character that could steer a
//! terminal or reorder what a reader sees (C1 controls, bidirectional overrides, line
//! separators) is quoted byte by byte, every non-ASCII byte as `\xNN`: the script shows what
//! bash will pass, not what a renderer makes of it.

use shell_quote::Bash;

use crate::runbook::{Arg, Command, Part};

/// The command as a bash line.
pub fn command_line(command: &Command) -> String {
    std::iter::once(command.program.as_str().to_string())
        .chain(command.args.iter().map(argument))
        .collect::<Vec<_>>()
        .join(" ")
}

/// One argument as bash must read it to pass it unchanged.
fn argument(arg: &Arg) -> String {
    let mut out = String::new();
    for part in &arg.0 {
        match part {
            Part::Fixed(text) => out.push_str(text),
            Part::Value(text) => out.push_str(&quote(text)),
            Part::Variable(variable) => {
                // Unset, it stops the script instead of calling an API with an empty name.
                out.push_str("\"${");
                out.push_str(variable.name());
                out.push_str(":?}\"");
            }
        }
    }
    out
}

/// One value quoted for bash (also the identity in the compliance reports' evidence commands).
pub(crate) fn quote(text: &str) -> String {
    let quoted = if crate::report::escape::visible(text).as_ref() != text {
        Bash::quote_vec(text.as_bytes())
    } else {
        Bash::quote_vec(text)
    };
    String::from_utf8(quoted).unwrap_or_else(|e| String::from_utf8_lossy(e.as_bytes()).into_owned())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::runbook::command::{joined, value, word, Program};

    #[test]
    fn values_are_quoted_and_words_are_not() {
        let command = Command::new(
            Program::Kubectl,
            vec![
                word("-n"),
                value("ci"),
                word("delete"),
                word("secret"),
                value("a b$(id)`x`;\n'\""),
                joined("--role=", "roles/x"),
            ],
        )
        .unwrap();
        assert_eq!(
            command_line(&command),
            "kubectl -n ci delete secret $'a b$(id)`x`;\\n\\'\"' --role=roles/x"
        );
    }

    #[test]
    fn steering_characters_are_written_as_byte_escapes() {
        let quoted = quote("admin\u{202E}gpj.exe");
        assert!(quoted.is_ascii(), "{quoted}");
        assert_eq!(quoted, "$'admin\\xE2\\x80\\xAEgpj.exe'");
        // Other non-ASCII text stays readable.
        assert_eq!(quote("José"), "$'José'");
    }
}
