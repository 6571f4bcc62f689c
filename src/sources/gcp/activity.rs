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
use crate::time::TimeField;

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

/// A day as evidence shows it.
fn day(at: Timestamp) -> String {
    let text = crate::time::format_rfc3339(at);
    text.get(..10).unwrap_or(&text).to_string()
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
    use super::*;

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
