//! Google's own verdicts on service-account use → verdicts (`inventory::VerdictRecord`) and the
//! uses they date: Recommender `SERVICE_ACCOUNT_USAGE` insights ("was inactive", with the last
//! authentication when there was one) and Policy Analyzer authentication activities
//! (`serviceAccountLastAuthentication`, `serviceAccountKeyLastAuthentication`). They name the
//! account by email (or unique ID) and a key by its ID, so they join what the IAM exports read;
//! they create no account and no key.
//!
//! Google dates an authentication by its day (`07:00:00Z`). No authentication within the watched
//! period (an activity's `observationPeriod`, an insight's `lastRefreshTime` minus its
//! `observationPeriod`) is "none recorded since the period began", never a date; without a
//! readable period it says nothing about use.

use jiff::{SignedDuration, Timestamp};

use super::model::{
    parse_account_name, project_of_email, project_of_resource_name, Activity, ActivityType,
    Insight, SERVICE_ACCOUNT_USAGE,
};
use super::normalize::{system, GcpJoin, UNKNOWN_PROJECT};
use crate::discover::FileInput;
use crate::inventory::{
    Evidence, LastUse, SystemRef, UsageRecord, VerdictRecord, VerdictSource, VerdictSubject,
};
use crate::time::{format_day as day, TimeField};

/// The account an insight is about: its email, else its unique ID.
fn insight_account(insight: &Insight) -> Option<&str> {
    [&insight.content.email, &insight.content.service_account_id]
        .into_iter()
        .filter_map(|v| v.as_deref().map(str::trim))
        .find(|v| !v.is_empty())
}

/// An insight deprov reads: a service-account usage insight that names its account.
pub(super) fn is_read_insight(insight: &Insight) -> bool {
    insight.insight_subtype.as_deref() == Some(SERVICE_ACCOUNT_USAGE)
        && insight_account(insight).is_some()
}

/// An activity deprov reads: a last authentication of a service account or key it can name.
pub(super) fn is_read_activity(activity: &Activity) -> bool {
    let Some(name) = parse_account_name(&activity.full_resource_name) else {
        return false;
    };
    matches!(
        (activity.activity_type, name.key_id),
        (Some(ActivityType::ServiceAccount), None)
            | (Some(ActivityType::ServiceAccountKey), Some(_))
    )
}

pub(super) fn insight_warnings(insights: &[Insight]) -> Vec<String> {
    let other = insights
        .iter()
        .filter(|i| i.insight_subtype.as_deref() != Some(SERVICE_ACCOUNT_USAGE))
        .count();
    let unnamed = insights
        .iter()
        .filter(|i| i.insight_subtype.as_deref() == Some(SERVICE_ACCOUNT_USAGE))
        .filter(|i| insight_account(i).is_none())
        .count();
    let mut warnings = Vec::new();
    if other > 0 {
        warnings.push(format!(
            "{other} insight(s) of another subtype than {SERVICE_ACCOUNT_USAGE}; not read"
        ));
    }
    if unnamed > 0 {
        warnings.push(format!(
            "{unnamed} insight(s) whose content names no service account; not read"
        ));
    }
    warnings
}

pub(super) fn activity_warnings(activities: &[Activity]) -> Vec<String> {
    let mut warnings = Vec::new();
    let other = activities
        .iter()
        .filter(|a| a.activity_type.is_none_or(|t| t == ActivityType::Other))
        .count();
    if other > 0 {
        warnings.push(format!(
            "{other} activit(ies) of another type than service-account or key last authentication; not read"
        ));
    }
    let unnamed = activities
        .iter()
        .filter(|a| a.activity_type.is_some_and(|t| t != ActivityType::Other))
        .filter(|a| !is_read_activity(a))
        .count();
    if unnamed > 0 {
        warnings.push(format!(
            "{unnamed} activit(ies) whose fullResourceName is not a service account (or key) of their type; not read"
        ));
    }
    for activity in activities.iter().filter(|a| is_read_activity(a)) {
        let detail = &activity.activity;
        let nested = detail
            .service_account_key
            .as_ref()
            .or(detail.service_account.as_ref())
            .and_then(|s| s.full_resource_name.as_deref())
            .map(str::trim)
            .filter(|n| !n.is_empty());
        let top = activity.full_resource_name.trim();
        if let Some(nested) = nested.filter(|n| !n.eq_ignore_ascii_case(top)) {
            warnings.push(format!(
                "activity of {top}: its activity details name {nested}; read as {top}"
            ));
        }
    }
    warnings
}

/// A protobuf duration in its JSON form (`19008000s`, `1.5s`), to the whole second.
fn duration(text: &str) -> Option<SignedDuration> {
    let seconds = text.trim().strip_suffix('s')?;
    let whole = seconds.split_once('.').map_or(seconds, |(whole, _)| whole);
    let seconds = whole.parse::<i64>().ok().filter(|s| *s >= 0)?;
    Some(SignedDuration::from_secs(seconds))
}

impl GcpJoin {
    /// The identifier and system of the account a verdict names (by email or unique ID), given
    /// the project (ID or number) its resource name holds.
    fn judged_account(&self, account: &str, project: Option<&str>) -> (String, SystemRef) {
        if let Some(known) = self.account(account) {
            return (known.record.native_id.clone(), known.record.system.clone());
        }
        let project = project
            .map(|p| self.project_ids.get(p).map_or(p, String::as_str))
            .filter(|p| !p.bytes().all(|b| b.is_ascii_digit()))
            .or_else(|| project_of_email(account))
            .or(project)
            .unwrap_or(UNKNOWN_PROJECT);
        (account.to_string(), system(project))
    }

    /// A time field of a verdict: `None` for a value absent or unreadable (with a warning).
    fn verdict_time(&mut self, text: Option<&str>, what: &str) -> Option<Timestamp> {
        self.common.time(text, what).at()
    }

    /// "No authentication recorded" where the watched period is known; nothing otherwise.
    fn last_authenticated(
        &mut self,
        text: Option<&str>,
        watched_since: Option<Timestamp>,
        what: &str,
    ) -> LastUse {
        let none_recorded = if watched_since.is_some() {
            LastUse::Never
        } else {
            LastUse::Unknown
        };
        let Some(text) = text else {
            return none_recorded;
        };
        match self.common.parse_time(text, what) {
            Some(TimeField::At(at)) => LastUse::At(at),
            Some(TimeField::Absent | TimeField::Never) => none_recorded,
            None => LastUse::Unknown,
        }
    }

    pub(super) fn add_insight(&mut self, input: &FileInput, insight: &Insight) {
        if !is_read_insight(insight) {
            return;
        }
        let Some(account) = insight_account(insight) else {
            return;
        };
        let id = insight.name.rsplit('/').next().unwrap_or_default().trim();
        let state = insight
            .state_info
            .as_ref()
            .and_then(|s| s.state.as_deref())
            .unwrap_or("ACTIVE");
        let label = if id.is_empty() {
            format!("{SERVICE_ACCOUNT_USAGE} insight, {state}")
        } else {
            format!("{SERVICE_ACCOUNT_USAGE} insight {id}, {state}")
        };
        let (identity, system) =
            self.judged_account(account, project_of_resource_name(&insight.name));
        let refreshed = self.verdict_time(
            insight.last_refresh_time.as_deref(),
            &format!("{label}: lastRefreshTime"),
        );
        let period = insight.observation_period.as_deref().and_then(|text| {
            let period = duration(text);
            if period.is_none() {
                self.common.warn(format!(
                    "{label}: observationPeriod `{text}` is not a duration; the period watched is unknown"
                ));
            }
            period
        });
        let watched_since = refreshed
            .zip(period)
            .and_then(|(refreshed, period)| refreshed.checked_sub(period).ok());
        let last_used = self.last_authenticated(
            insight.content.last_authenticated_time.as_deref(),
            watched_since,
            &format!("{label}: lastAuthenticatedTime"),
        );
        let evidence = Evidence::new(&input.rel, format!("GCP Recommender {label}"))
            .locate_by(if id.is_empty() { account } else { id });
        if let LastUse::At(at) = last_used {
            let mut used = evidence.clone();
            used.detail = format!("GCP Recommender: last authenticated {} ({label})", day(at));
            self.usages
                .push(UsageRecord::new(system.clone(), identity.clone(), at, used));
        }
        self.common.judge(
            VerdictRecord::new(
                system,
                VerdictSource::GcpRecommender,
                identity,
                VerdictSubject::Identity,
                evidence,
            )
            .unused(true)
            .last_used(last_used)
            .watched_since(watched_since)
            .judged_at(refreshed),
        );
    }

    pub(super) fn add_activity(&mut self, input: &FileInput, activity: &Activity) {
        if !is_read_activity(activity) {
            return;
        }
        let (Some(kind), Some(name)) = (
            activity.activity_type,
            parse_account_name(&activity.full_resource_name),
        ) else {
            return;
        };
        let period = activity.observation_period.clone().unwrap_or_default();
        let what = |field: &str| format!("activity of {}: {field}", name.account);
        let start = self.verdict_time(
            period.start_time.as_deref(),
            &what("observationPeriod.startTime"),
        );
        let end = self.verdict_time(
            period.end_time.as_deref(),
            &what("observationPeriod.endTime"),
        );
        let mut label = format!("{} activity", kind.as_str());
        if let (Some(start), Some(end)) = (start, end) {
            label.push_str(&format!(", observed {} to {}", day(start), day(end)));
        }
        let last_used = self.last_authenticated(
            activity.activity.last_authenticated_time.as_deref(),
            start,
            &what("lastAuthenticatedTime"),
        );
        let (identity, system) = self.judged_account(name.account, name.project);
        let key = name.key_id.map(str::to_string);
        let evidence = Evidence::new(&input.rel, format!("GCP Policy Analyzer {label}"))
            .locate_by(key.clone().unwrap_or_else(|| name.account.to_string()));
        if let LastUse::At(at) = last_used {
            let mut used = evidence.clone();
            used.detail = format!(
                "GCP Policy Analyzer: last authenticated {} ({label})",
                day(at)
            );
            self.usages.push(
                UsageRecord::new(system.clone(), identity.clone(), at, used)
                    .credential(key.clone()),
            );
        }
        let subject = key.map_or(VerdictSubject::Identity, VerdictSubject::Credential);
        self.common.judge(
            VerdictRecord::new(
                system,
                VerdictSource::GcpPolicyAnalyzer,
                identity,
                subject,
                evidence,
            )
            .unused(!matches!(last_used, LastUse::At(_)))
            .last_used(last_used)
            .watched_since(start)
            .judged_at(end),
        );
    }
}

#[cfg(test)]
mod tests {
    use super::super::{detect, parse, Format, GcpFile};
    use super::*;
    use crate::discover::probe::Probe;
    use crate::inventory::{Records, VerdictRecord};
    use crate::sources::Assembly;

    fn read(json: &str) -> (FileInput, Option<Format>, Option<GcpFile>) {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("export.json");
        std::fs::write(&path, json).unwrap();
        let input = FileInput {
            path,
            rel: "gcp/verdicts.json".into(),
            size: json.len() as u64,
        };
        let probe = Probe::read(&input, 1 << 20).unwrap();
        let format = detect(&probe);
        let file = format.map(|f| parse(&probe, f).unwrap());
        (input, format, file)
    }

    fn assembled(files: &[&str]) -> (Records, Vec<VerdictRecord>, Vec<(String, String)>) {
        let files = files
            .iter()
            .map(|json| {
                let (input, _, file) = read(json);
                (input, file.expect("a GCP file"))
            })
            .collect();
        let ((records, verdicts), warnings) =
            Assembly::alone_with_verdicts(super::super::assemble, files);
        (records, verdicts, warnings)
    }

    fn at(text: &str) -> Timestamp {
        text.parse().unwrap()
    }

    const SA: &str = "loader@data-prod.iam.gserviceaccount.com";

    fn insight(content: &str, period: &str) -> String {
        format!(
            r#"{{"name": "projects/731904826155/locations/global/insightTypes/google.iam.serviceAccount.Insight/insights/i-1",
                "content": {content}, "insightSubtype": "SERVICE_ACCOUNT_USAGE",
                "lastRefreshTime": "2026-03-15T07:00:00Z", "observationPeriod": "{period}",
                "stateInfo": {{"state": "ACCEPTED"}}}}"#
        )
    }

    fn activity(name: &str, kind: &str, last: Option<&str>) -> String {
        let last = last.map_or(String::new(), |t| {
            format!(r#""lastAuthenticatedTime": "{t}","#)
        });
        format!(
            r#"{{"fullResourceName": "//iam.googleapis.com/projects/data-prod/serviceAccounts/{name}",
                "activityType": "{kind}",
                "observationPeriod": {{"startTime": "2025-11-27T07:00:00Z", "endTime": "2026-11-20T07:00:00Z"}},
                "activity": {{{last} "serviceAccount": {{}}}}}}"#
        )
    }

    #[test]
    fn insights_and_activities_are_recognised_in_every_form() {
        let one = insight(&format!(r#"{{"email": "{SA}"}}"#), "7776000s");
        for json in [
            one.clone(),
            format!("[{one}]"),
            format!(r#"{{"insights": [{one}], "nextPageToken": "t"}}"#),
        ] {
            assert_eq!(
                read(&json).1,
                Some(Format::ServiceAccountInsights),
                "{json}"
            );
        }
        let one = activity(SA, "serviceAccountLastAuthentication", None);
        for json in [
            one.clone(),
            format!("[{one}]"),
            format!(r#"{{"activities": [{one}]}}"#),
        ] {
            assert_eq!(
                read(&json).1,
                Some(Format::PolicyAnalyzerActivities),
                "{json}"
            );
        }
    }

    #[test]
    fn an_insight_dates_the_last_authentication_or_says_none_since_its_period_began() {
        let dated = insight(
            &format!(r#"{{"email": "{SA}", "lastAuthenticatedTime": "2026-01-04T07:00:00Z"}}"#),
            "7776000s",
        );
        let silent = insight(
            r#"{"email": "idle@data-prod.iam.gserviceaccount.com", "serviceAccountId": "1"}"#,
            "7776000s",
        );
        let garbled = insight(
            r#"{"email": "odd@data-prod.iam.gserviceaccount.com"}"#,
            "ninety days",
        );
        let other = r#"{"name": "n", "content": {}, "insightSubtype": "PERMISSIONS_USAGE"}"#;
        let (records, verdicts, warnings) =
            assembled(&[&format!("[{dated}, {silent}, {garbled}, {other}]")]);
        let since = at("2025-12-15T07:00:00Z");
        assert_eq!(verdicts.len(), 3);
        assert_eq!(
            verdicts[0].last_used,
            LastUse::At(at("2026-01-04T07:00:00Z"))
        );
        assert_eq!(verdicts[0].watched_since, Some(since));
        assert_eq!(verdicts[0].judged_at, Some(at("2026-03-15T07:00:00Z")));
        assert!(verdicts
            .iter()
            .all(|v| v.unused && v.subject == VerdictSubject::Identity));
        assert_eq!(verdicts[0].system.to_string(), "gcp:data-prod");
        // No authentication in a known period: none recorded since it began, never a date.
        assert_eq!(verdicts[1].last_used, LastUse::Never);
        assert_eq!(verdicts[1].watched_since, Some(since));
        // An unreadable period says nothing about use.
        assert_eq!(verdicts[2].last_used, LastUse::Unknown);
        assert_eq!(verdicts[2].watched_since, None);
        assert!(
            warnings.iter().any(|(_, w)| w.contains("`ninety days`")),
            "{warnings:?}"
        );
        let [usage] = &records.usages[..] else {
            panic!("one use: {:?}", records.usages);
        };
        assert_eq!(usage.identity, SA);
        assert_eq!(
            usage.evidence.detail,
            "GCP Recommender: last authenticated 2026-01-04 (SERVICE_ACCOUNT_USAGE insight i-1, ACCEPTED)"
        );
        let (_, _, file) = read(&format!("[{dated}, {other}]"));
        assert_eq!(
            crate::sources::FamilyFile::warnings(&file.unwrap()),
            vec!["1 insight(s) of another subtype than SERVICE_ACCOUNT_USAGE; not read"]
        );
    }

    #[test]
    fn key_activities_date_their_key_and_accounts_known_by_unique_id_are_named_by_email() {
        let accounts = format!(
            r#"[{{"email": "{SA}", "uniqueId": "104729103847561029384", "projectId": "data-prod"}}]"#
        );
        let used = activity(
            &format!("{SA}/keys/k-used"),
            "serviceAccountKeyLastAuthentication",
            Some("2026-04-01T07:00:00Z"),
        );
        let silent = activity(
            &format!("{SA}/keys/k-silent"),
            "serviceAccountKeyLastAuthentication",
            None,
        );
        let by_id = activity(
            "104729103847561029384",
            "serviceAccountLastAuthentication",
            Some("2026-05-02T07:00:00Z"),
        );
        let mismatched = activity(
            &format!("{SA}/keys/k-used"),
            "serviceAccountLastAuthentication",
            None,
        );
        let (records, verdicts, warnings) = assembled(&[
            &accounts,
            &format!("[{used}, {silent}, {by_id}, {mismatched}]"),
        ]);
        assert!(warnings.is_empty(), "{warnings:?}");
        let subjects: Vec<(&VerdictSubject, LastUse, bool)> = verdicts
            .iter()
            .map(|v| (&v.subject, v.last_used, v.unused))
            .collect();
        assert_eq!(
            subjects,
            vec![
                (
                    &VerdictSubject::Credential("k-used".into()),
                    LastUse::At(at("2026-04-01T07:00:00Z")),
                    false
                ),
                (
                    &VerdictSubject::Credential("k-silent".into()),
                    LastUse::Never,
                    true
                ),
                (
                    &VerdictSubject::Identity,
                    LastUse::At(at("2026-05-02T07:00:00Z")),
                    false
                ),
            ]
        );
        assert!(verdicts.iter().all(|v| v.identity == SA));
        assert_eq!(verdicts[1].watched_since, Some(at("2025-11-27T07:00:00Z")));
        assert_eq!(verdicts[1].judged_at, Some(at("2026-11-20T07:00:00Z")));
        let uses: Vec<(&str, Option<&str>)> = records
            .usages
            .iter()
            .map(|u| (u.identity.as_str(), u.credential.as_deref()))
            .collect();
        assert_eq!(uses, vec![(SA, Some("k-used")), (SA, None)]);
        assert_eq!(
            records.usages[0].evidence.detail,
            "GCP Policy Analyzer: last authenticated 2026-04-01 (serviceAccountKeyLastAuthentication activity, observed 2025-11-27 to 2026-11-20)"
        );
        // An activity whose name is not of its type is not read, and the file says so.
        let (_, _, file) = read(&format!("[{mismatched}]"));
        let file = file.unwrap();
        assert_eq!(crate::sources::FamilyFile::record_count(&file), 0);
        assert_eq!(crate::sources::FamilyFile::warnings(&file).len(), 1);
    }

    #[test]
    fn durations_are_whole_seconds() {
        assert_eq!(
            duration("19008000s"),
            Some(SignedDuration::from_secs(19_008_000))
        );
        assert_eq!(duration("1.5s"), Some(SignedDuration::from_secs(1)));
        assert_eq!(duration("19008000"), None);
        assert_eq!(duration("-5s"), None);
        assert_eq!(duration("five days"), None);
    }
}
