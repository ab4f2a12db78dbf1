//! Time-driven notices for the nightly report: the p. 5 deadline of each application and the
//! validity of test protocols. Pure functions of (outcomes, dates, policy, calendar), like the
//! rest of `evaluate`.

use serde::{Deserialize, Serialize};

use super::{Finding, RequirementOutcome};
use crate::calendar::WorkCalendar;
use crate::date::Date;
use crate::rules::DeadlinePolicy;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum DeadlineState {
    /// The last working day has passed.
    Overdue,
    /// Today is the last working day.
    DueToday,
    /// Within the policy's number of working days.
    Near,
    OnTime,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Deadline {
    pub submitted: Date,
    /// The last working day for the recommendation.
    pub due: Date,
    /// Working days from the as-of date to `due`; negative when overdue.
    pub working_days_left: i64,
    pub state: DeadlineState,
    /// False when a year between receipt and due date has no holiday data (weekends only).
    pub holidays_known: bool,
}

/// The p. 5 deadline of an application received on `submitted`, seen on `as_of`.
pub fn deadline(submitted: Date, as_of: Date, policy: &DeadlinePolicy, calendar: &WorkCalendar) -> Deadline {
    let due = calendar.add_working_days(submitted, policy.working_days);
    let working_days_left = calendar.working_days_between(as_of, due);
    let state = if as_of > due {
        DeadlineState::Overdue
    } else if as_of == due {
        DeadlineState::DueToday
    } else if working_days_left <= i64::from(policy.near_working_days) {
        DeadlineState::Near
    } else {
        DeadlineState::OnTime
    };
    Deadline {
        submitted,
        due,
        working_days_left,
        state,
        holidays_known: (submitted.year()..=due.year()).all(|y| calendar.covers(y)),
    }
}

/// The analyst's record that an application was answered (the recommendation or the request for
/// documents went out): `nightly` keeps it in the state directory's `answered.toml`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Answer {
    /// The application's date (the card's `submitted`) the answer was to; `None`: any
    /// application received on or before the answer.
    pub submitted: Option<Date>,
    pub answered: Date,
    /// The outgoing number of the letter.
    pub number: Option<String>,
    /// The digest of the submission's files when it was answered; `None`: not compared.
    pub content: Option<String>,
}

/// Whether an application received on `submitted`, whose files now digest to `content`, still
/// waits for an answer: it has none, or the answer was to another application (another date on
/// the card, or other files: the state body submitted again).
pub fn still_waiting(answer: Option<&Answer>, submitted: Date, content: &str) -> bool {
    let Some(answer) = answer else { return true };
    let other_date = match answer.submitted {
        Some(answered_submission) => answered_submission != submitted,
        None => submitted > answer.answered,
    };
    let other_files = answer.content.as_deref().is_some_and(|c| c != content);
    other_date || other_files
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum ExpiryState {
    /// In force, ending within `within_days` (the smallest policy threshold that covers it).
    Expiring { days_left: i64, within_days: u32 },
    /// In force on the previous run's date, expired now.
    ExpiredSinceLastRun { previous: Date },
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ProtocolExpiry {
    pub requirement: String,
    pub valid_until: Date,
    #[serde(flatten)]
    pub state: ExpiryState,
}

/// Protocols of one submission that expire soon or expired since `previous_run`.
pub fn protocol_expiry(
    outcomes: &[RequirementOutcome],
    as_of: Date,
    previous_run: Option<Date>,
    warn_days: &[u32],
) -> Vec<ProtocolExpiry> {
    let mut notices = Vec::new();
    for outcome in outcomes {
        let state = match &outcome.finding {
            Finding::ProtocolInForce { valid_until, .. } => {
                let days_left = as_of.days_until(*valid_until);
                warn_days
                    .iter()
                    .find(|&&days| days_left <= i64::from(days))
                    .map(|&within_days| (*valid_until, ExpiryState::Expiring { days_left, within_days }))
            }
            Finding::ProtocolExpired { valid_until, .. } | Finding::ProtocolExpiredAccepted { valid_until, .. } => {
                // In force on a date d means valid_until >= d.
                previous_run
                    .filter(|previous| valid_until >= previous && *valid_until < as_of)
                    .map(|previous| (*valid_until, ExpiryState::ExpiredSinceLastRun { previous }))
            }
            _ => None,
        };
        if let Some((valid_until, state)) = state {
            notices.push(ProtocolExpiry {
                requirement: outcome.id.clone(),
                valid_until,
                state,
            });
        }
    }
    notices
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::evaluate::{Status, ValiditySource};
    use crate::rules::Localized;

    fn d(s: &str) -> Date {
        s.parse().unwrap()
    }

    fn policy() -> DeadlinePolicy {
        DeadlinePolicy {
            working_days: 5,
            near_working_days: 2,
            cite: Localized::default(),
        }
    }

    fn calendar() -> WorkCalendar {
        crate::rules::Rules::embedded().unwrap().calendar
    }

    #[test]
    fn deadline_states_around_the_fifth_working_day() {
        let (policy, calendar) = (policy(), calendar());
        let submitted = d("2026-11-16"); // Monday; due Monday 23 Nov
        let at = |as_of: &str| deadline(submitted, d(as_of), &policy, &calendar);
        assert_eq!(at("2026-11-17").due, d("2026-11-23"));
        assert_eq!(at("2026-11-17").state, DeadlineState::OnTime);
        assert_eq!(at("2026-11-17").working_days_left, 4);
        assert_eq!(at("2026-11-19").state, DeadlineState::Near);
        assert_eq!(at("2026-11-22").state, DeadlineState::Near); // Sunday, one working day left
        assert_eq!(at("2026-11-23").state, DeadlineState::DueToday);
        assert_eq!(at("2026-11-24").state, DeadlineState::Overdue);
        assert_eq!(at("2026-11-24").working_days_left, -1);
        assert!(at("2026-11-24").holidays_known);
        assert!(!deadline(d("2027-02-01"), d("2027-02-02"), &policy, &calendar).holidays_known);
    }

    #[test]
    fn an_answer_holds_until_the_application_changes() {
        let answer = Answer {
            submitted: Some(d("2026-11-16")),
            answered: d("2026-11-20"),
            number: Some("01-02/123".into()),
            content: Some("abc".into()),
        };
        assert!(still_waiting(None, d("2026-11-16"), "abc"));
        assert!(!still_waiting(Some(&answer), d("2026-11-16"), "abc"));
        assert!(
            still_waiting(Some(&answer), d("2026-11-25"), "abc"),
            "a new application date"
        );
        assert!(still_waiting(Some(&answer), d("2026-11-16"), "abd"), "other files");
        let by_hand = Answer {
            submitted: None,
            content: None,
            ..answer
        };
        assert!(!still_waiting(Some(&by_hand), d("2026-11-16"), "anything"));
        assert!(!still_waiting(Some(&by_hand), d("2026-11-20"), "anything"));
        assert!(
            still_waiting(Some(&by_hand), d("2026-11-21"), "anything"),
            "received after the answer"
        );
    }

    fn protocol(finding: Finding) -> RequirementOutcome {
        RequirementOutcome {
            id: "p5.is.security_test".into(),
            status: Status::Present,
            finding,
            evidence: Vec::new(),
        }
    }

    #[test]
    fn expiry_bands_and_expired_since_last_run() {
        let warn = [30, 60, 90];
        let in_force = |until: &str| {
            protocol(Finding::ProtocolInForce {
                valid_until: d(until),
                validity: ValiditySource::Stated,
            })
        };
        let expired = |until: &str| {
            protocol(Finding::ProtocolExpired {
                valid_until: d(until),
                validity: ValiditySource::Stated,
            })
        };
        let as_of = d("2026-11-22");
        let band = |until: &str| match protocol_expiry(&[in_force(until)], as_of, None, &warn).first() {
            Some(ProtocolExpiry {
                state: ExpiryState::Expiring { within_days, .. },
                ..
            }) => Some(*within_days),
            _ => None,
        };
        assert_eq!(band("2026-11-22"), Some(30)); // last day in force
        assert_eq!(band("2026-12-22"), Some(30));
        assert_eq!(band("2026-12-23"), Some(60));
        assert_eq!(band("2027-02-20"), Some(90));
        assert_eq!(band("2027-02-21"), None);

        let previous = Some(d("2026-11-20"));
        assert_eq!(
            protocol_expiry(&[expired("2026-11-21")], as_of, previous, &warn).len(),
            1
        );
        assert_eq!(
            protocol_expiry(&[expired("2026-11-20")], as_of, previous, &warn).len(),
            1
        );
        assert!(protocol_expiry(&[expired("2026-11-19")], as_of, previous, &warn).is_empty());
        assert!(protocol_expiry(&[expired("2026-11-21")], as_of, None, &warn).is_empty());
    }
}
