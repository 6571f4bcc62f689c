use std::sync::Arc;

use super::*;
use crate::findings::FindingStatus;
use crate::inventory::Evidence;
use crate::result::Totals;
use crate::triage::TriageReport;

fn result(retired: &[&str]) -> ScanResult {
    ScanResult {
        evaluated_at: "2026-12-07T00:00:00Z".parse().unwrap(),
        findings: Vec::new(),
        sources: Vec::new(),
        skipped: Vec::new(),
        inventory: Default::default(),
        policy_errors: Vec::new(),
        requests: 0,
        rules_run: vec!["DPV001".into(), "DPV002".into()],
        triage: TriageReport::default(),
        totals: Totals {
            retired_with_findings: retired.iter().map(|s| s.to_string()).collect(),
            ..Totals::default()
        },
        shard: None,
        confidence_filter: None,
    }
}

fn finding(n: usize, rule: &str, identity: &str, controls: &[&str]) -> Finding {
    Finding {
        id: format!("f{n:04}"),
        rule: rule.into(),
        severity: Severity::High,
        confidence: None,
        title: "t".into(),
        message: format!("finding {n}"),
        identity: identity.into(),
        identity_aliases: Arc::new([]),
        owner: None,
        credential: None,
        system: "aws:1".into(),
        controls: controls.iter().map(|c| c.to_string()).collect(),
        evidence: Evidence::new("e.json", "d"),
        remediation: "r".into(),
        secret: None,
        status: FindingStatus::New,
        suppressed_by: None,
    }
}

fn control<'a>(view: &'a ComplianceView, id: &str) -> &'a ControlView<'a> {
    view.frameworks
        .iter()
        .flat_map(|f| &f.controls)
        .find(|c| c.control.id == id)
        .unwrap()
}

#[test]
fn a_control_counts_every_finding_and_lists_the_first() {
    let catalog = Catalog::builtin().unwrap();
    let result = result(&["svc-b"]);
    let mut tally = ComplianceTally::with_limit(&result, 2);
    // Five findings on identities c, b, a, c, d; `NHI-06` is an alias of `NHI1:2025`, so the
    // first finding counts once for it.
    let identities = ["svc-c", "svc-b", "svc-a", "svc-c", "svc-d"];
    for (n, identity) in identities.iter().enumerate() {
        tally.add(
            &catalog,
            &finding(n, "DPV001", identity, &["NHI1:2025", "NHI-06", "PR.AA-01"]),
        );
    }
    let mut accepted = finding(9, "DPV001", "svc-z", &["NHI1:2025"]);
    accepted.status = FindingStatus::Baselined;
    tally.add(&catalog, &accepted);
    // A rule that did not run counts for no control.
    tally.add(&catalog, &finding(10, "DPV003", "svc-y", &["NHI1:2025"]));
    // A control the finding's rule does not map to (a report of another policy pack) is not
    // the rule's to fail.
    tally.add(&catalog, &finding(11, "DPV002", "svc-x", &["PR.AA-01"]));

    let view = tally.view(&catalog, &result, None);
    let nhi1 = control(&view, "NHI1:2025");
    assert_eq!(nhi1.status, ControlStatus::Fail);
    assert_eq!((nhi1.counted, nhi1.accepted), (5, 1));
    let listed: Vec<&str> = nhi1.findings.iter().map(|f| f.id.as_str()).collect();
    assert_eq!(listed, ["f0000", "f0001"]);
    assert_eq!(nhi1.unlisted_findings(), 3);
    assert_eq!(nhi1.identity_count, 4);
    assert_eq!(nhi1.identities, ["svc-a", "svc-b"]);
    assert_eq!(nhi1.unlisted_identities(), 2);
    // Controls share the listed findings: each is held once.
    assert_eq!(view.listed.len(), 2);

    assert_eq!(control(&view, "PR.AA-01").counted, 5);

    assert_eq!(view.overview.counted, 7);
    assert_eq!(view.overview.accepted, 1);
    assert_eq!(view.total, 8);
    assert_eq!(view.overview.by_system.get("aws:1"), Some(&7));
    let residual = &view.overview.residual["svc-b"];
    assert_eq!(residual.findings, 1);
    assert_eq!(residual.worst, Some(Severity::High));
    assert_eq!(view.overview.residual.len(), 1);
}

#[test]
fn the_first_identities_are_the_least_in_name_order_whatever_the_order_they_come_in() {
    let catalog = Catalog::builtin().unwrap();
    let result = result(&[]);
    let mut tally = ComplianceTally::with_limit(&result, 3);
    for (n, identity) in ["e", "d", "c", "b", "a", "c", "f"].iter().enumerate() {
        tally.add(&catalog, &finding(n, "DPV001", identity, &["NHI1:2025"]));
    }
    let view = tally.view(&catalog, &result, Some("NHI1:2025"));
    let nhi1 = control(&view, "NHI1:2025");
    assert_eq!(nhi1.identities, ["a", "b", "c"]);
    assert_eq!(nhi1.identity_count, 6);
    assert_eq!(
        view.frameworks
            .iter()
            .map(|f| f.controls.len())
            .sum::<usize>(),
        1
    );
}

#[test]
fn a_report_says_how_many_findings_and_identities_it_does_not_list() {
    let catalog = Catalog::builtin().unwrap();
    let result = result(&[]);
    let mut tally = ComplianceTally::with_limit(&result, 1);
    for (n, identity) in ["a", "b"].iter().enumerate() {
        tally.add(
            &catalog,
            &finding(n, "DPV001", identity, &["NHI1:2025", "PR.AA-01"]),
        );
    }
    let context = crate::report::ReportContext {
        result: &result,
        catalog: &catalog,
        fail_on: crate::severity::FailOn::High,
        color: false,
        compliance: Some(&tally),
    };
    let filter = Some("NHI1:2025".to_string());
    let write = |reporter: &dyn crate::report::Reporter| {
        let mut out = Vec::new();
        reporter.write(&context, &mut out).unwrap();
        String::from_utf8(out).unwrap()
    };
    let markdown = write(&crate::report::markdown::MarkdownReporter {
        framework: filter.clone(),
    });
    assert!(
        markdown.contains("Identities affected: a and 1 more (2 in all)."),
        "{markdown}"
    );
    assert!(markdown.contains(&unlisted_note(1, 2)), "{markdown}");
    assert!(
        markdown.contains("finding 0") && !markdown.contains("finding 1"),
        "{markdown}"
    );
    let html = write(&crate::report::html::HtmlReporter {
        framework: filter.clone(),
    });
    assert!(
        html.contains(" · identities: a and 1 more (2 in all)"),
        "{html}"
    );
    assert!(html.contains("The first 1 of 2 findings"), "{html}");
    assert!(
        html.contains("finding 0") && !html.contains("finding 1"),
        "{html}"
    );
    // OSCAL: one observation, cited by the control's finding, which says there are two.
    let oscal: serde_json::Value =
        serde_json::from_str(&write(&crate::report::oscal::OscalReporter {
            framework: None,
        }))
        .unwrap();
    let results = &oscal["assessment-results"]["results"][0];
    assert_eq!(results["observations"].as_array().unwrap().len(), 1);
    let csf = results["findings"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["related-observations"].is_array())
        .unwrap();
    assert_eq!(csf["related-observations"].as_array().unwrap().len(), 1);
    assert!(
        csf["description"]
            .as_str()
            .unwrap()
            .starts_with("2 finding(s)"),
        "{csf}"
    );
}
