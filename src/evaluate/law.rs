//! Checks of the object as a whole, from facts already read (`[law]` in
//! `schemas/requirements.toml`): a decommissioned object (Order No. 29 p. 10), a stage that the
//! documents contradict, counts of zero, and the commissioning preconditions of the Law "On
//! Informatization" (Art. 39(4), 40(1)). None of them is a missing document: each is a warning,
//! and only decommissioning fails the submission.
//!
//! Where no document states a date, nothing is concluded: many complete submissions hold no
//! trial-completion act, and p. 5 does not require one.

use super::requirements::known_count;
use super::{FileEvidence, Warning};
use crate::card::{ObjectCard, Stage};
use crate::date::Date;
use crate::recognize::{DocFacts, ObjectMention, TestResult};
use crate::rules::{CountField, Rules};

pub(super) fn object_warnings(rules: &Rules, card: &ObjectCard, files: &[FileEvidence], as_of: Date) -> Vec<Warning> {
    let mut warnings = Vec::new();
    if card.stage == Some(Stage::Decommissioned) {
        warnings.push(Warning::ObjectDecommissioned);
    }
    let ours: Vec<(&FileEvidence, &DocFacts)> = files
        .iter()
        .filter(|f| f.status.has_text())
        .filter_map(|f| f.facts.as_ref().map(|facts| (f, facts)))
        .filter(|(_, facts)| is_ours_and_final(facts, as_of))
        .collect();

    if let Some(stage) = card.stage {
        for (file, _) in &ours {
            let contradicts = rules
                .doctype(&file.doc_type)
                .is_some_and(|d| d.contradicts_stages.contains(&stage));
            if contradicts {
                warnings.push(Warning::StageContradictsDocuments {
                    stage,
                    file: file.file.clone(),
                    doc_type: file.doc_type.clone(),
                });
            }
        }
    }

    for field in [
        CountField::RegisteredUsers,
        CountField::StateBodies,
        CountField::DeploymentSites,
    ] {
        if known_count(card, files, field) == Some(0) {
            warnings.push(Warning::CountIsZero { field });
        }
    }

    warnings.extend(commissioned_before_test(rules, &ours));
    let trial = &rules.law.trial_operation;
    for (file, facts) in ours.iter().filter(|(f, _)| trial.doc_types.contains(&f.doc_type)) {
        // The stated dates when there are any, else a stated length.
        let too_long = match (&facts.trial_period, facts.trial_months) {
            (Some(p), _) if p.to > p.from.add_months(trial.max_months) => Some((Some(p.from), Some(p.to), None)),
            (None, Some(months)) if months > trial.max_months => Some((None, None, Some(months))),
            _ => None,
        };
        if let Some((from, to, months)) = too_long {
            warnings.push(Warning::TrialOperationTooLong {
                from,
                to,
                months,
                max_months: trial.max_months,
                file: file.file.clone(),
            });
        }
    }
    warnings
}

/// A document that can speak for the object: about it, not a draft, not dated after the as-of date.
fn is_ours_and_final(facts: &DocFacts, as_of: Date) -> bool {
    matches!(facts.object, ObjectMention::Named { .. }) && !facts.draft && facts.date.is_none_or(|d| d <= as_of)
}

/// The earliest dated commissioning document against the earliest positive IS test known: a
/// protocol in the submission, or the protocol the act cites as its ground.
fn commissioned_before_test(rules: &Rules, ours: &[(&FileEvidence, &DocFacts)]) -> Option<Warning> {
    let law = &rules.law.security_test_before_commissioning;
    let (act, act_facts, commissioned) = ours
        .iter()
        .filter(|(f, _)| law.commissioning.contains(&f.doc_type))
        .filter_map(|(f, facts)| facts.date.map(|d| (*f, *facts, d)))
        .min_by_key(|(.., d)| *d)?;
    let tested = ours
        .iter()
        .filter(|(f, facts)| {
            law.security_test.contains(&f.doc_type) && matches!(facts.result, Some((TestResult::Positive, ..)))
        })
        .filter_map(|(_, facts)| facts.date)
        .chain(act_facts.cited_security_test)
        .min()?;
    (tested > commissioned).then(|| Warning::CommissionedBeforeSecurityTest {
        commissioned,
        tested,
        file: act.file.clone(),
    })
}
