//! JUnit XML for CI systems that show test reports: one test suite per rule that ran, one test
//! case per rule and identity with findings (a failure listing them), and one passing case for
//! everything else the rule judged. Baselined and suppressed findings are skipped cases.
//! Characters XML 1.0 cannot carry are shown as escapes ([`xml_chars`]); the rest is exact.

use std::collections::BTreeMap;
use std::io::{self, Write};

use quick_junit::{NonSuccessKind, Report, TestCase, TestCaseStatus, TestSuite};

use super::escape::xml_chars;
use super::{ReportContext, Reporter};
use crate::findings::Finding;
use crate::findings::FindingStatus;

pub struct JunitReporter;

impl Reporter for JunitReporter {
    fn write(&self, context: &ReportContext, out: &mut dyn Write) -> io::Result<()> {
        let mut report = Report::new("deprov");
        for code in &context.result.rules_run {
            let Some(rule) = context.catalog.rule(code) else {
                continue;
            };
            let mut by_identity: BTreeMap<&str, Vec<&Finding>> = BTreeMap::new();
            for f in context.result.findings.iter().filter(|f| *f.rule == **code) {
                by_identity.entry(f.identity.as_str()).or_default().push(f);
            }
            let mut suite = TestSuite::new(format!("{code} {}", rule.title));
            for (identity, findings) in by_identity {
                let counted: Vec<&&Finding> =
                    findings.iter().filter(|f| f.status.counts()).collect();
                let status = if counted.is_empty() {
                    let mut status = TestCaseStatus::skipped();
                    let why = if findings
                        .iter()
                        .all(|f| f.status == FindingStatus::Baselined)
                    {
                        "baselined"
                    } else {
                        "suppressed"
                    };
                    status.set_message(format!("{} finding(s), {why}", findings.len()));
                    status
                } else {
                    let mut status = TestCaseStatus::non_success(NonSuccessKind::Failure);
                    let worst = counted
                        .iter()
                        .map(|f| f.severity)
                        .max()
                        .map_or("", |s| s.as_str());
                    status
                        .set_message(format!("{} finding(s), most severe {worst}", counted.len()));
                    status.set_type(code.as_str());
                    let lines: Vec<String> = counted
                        .iter()
                        .map(|f| {
                            let location = match f.evidence.line {
                                Some(line) => format!("{}:{line}", f.evidence.path),
                                None => f.evidence.path.to_string(),
                            };
                            let confidence = f
                                .confidence
                                .map(|level| format!(", confidence {level}"))
                                .unwrap_or_default();
                            format!(
                                "[{}{confidence}] {} ({location}) [{}]",
                                f.severity, f.message, f.id
                            )
                        })
                        .collect();
                    status.set_description(xml_chars(&lines.join("\n")).into_owned());
                    status
                };
                let mut case = TestCase::new(xml_chars(identity).into_owned(), status);
                case.set_classname(format!("deprov.{code}"));
                suite.add_test_case(case);
            }
            let mut rest = TestCase::new("every other identity", TestCaseStatus::success());
            rest.set_classname(format!("deprov.{code}"));
            suite.add_test_case(rest);
            report.add_test_suite(suite);
        }
        let incomplete =
            crate::result::incompleteness(&context.result.sources, &context.result.skipped);
        if !incomplete.is_empty() {
            // A CI dashboard shows an errored test: an incomplete run must not look green.
            let mut suite = TestSuite::new("deprov inputs");
            let mut status = TestCaseStatus::non_success(NonSuccessKind::Error);
            status.set_message(format!(
                "the run is incomplete ({} problem(s): inputs that should have been read and were not)",
                incomplete.len()
            ));
            status.set_description(incomplete.join("\n"));
            let mut case = TestCase::new("every input read", status);
            case.set_classname("deprov.inputs");
            suite.add_test_case(case);
            report.add_test_suite(suite);
        }
        report.serialize(&mut *out).map_err(io::Error::other)
    }
}
