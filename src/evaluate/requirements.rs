//! One requirement of `schemas/requirements.toml` against one submission.

use super::{Evidence, FileEvidence, Finding, RequirementOutcome, Status, ValiditySource, Warning};
use crate::card::ObjectCard;
use crate::date::Date;
use crate::recognize::{ObjectMention, TestResult};
use crate::rules::{CheckKind, ObjectMatchRule, Requirement, Rules};

/// Document types whose rows may carry the p. 5 counts.
const COUNT_SOURCES: [&str; 2] = ["user_statistics", "deployment_list"];

/// `card_file` is the card's path relative to the corpus root, for evidence that cites the card.
pub fn evaluate_requirement(
    rules: &Rules,
    requirement: &Requirement,
    card: &ObjectCard,
    card_file: &str,
    files: &[FileEvidence],
    as_of: Date,
    warnings: &mut Vec<Warning>,
) -> RequirementOutcome {
    let (status, finding, evidence) = match requirement.check {
        CheckKind::Document | CheckKind::TestProtocol => documents(rules, requirement, card, files, as_of),
        CheckKind::DocumentOrCard => document_or_card(rules, requirement, card, card_file, files, as_of),
        CheckKind::Counts => counts(requirement, card, card_file, files, warnings),
    };
    if status == Status::ExpiredAccepted {
        warnings.push(Warning::ExpiredProtocolAccepted {
            requirement: requirement.id.clone(),
        });
    }
    RequirementOutcome {
        id: requirement.id.clone(),
        status,
        finding,
        evidence,
    }
}

type Outcome = (Status, Finding, Vec<Evidence>);

/// The best outcome over every document of the wanted types; without one, `needs_review` when
/// some file could not be read (it may be the document), else `missing`.
fn documents(
    rules: &Rules,
    requirement: &Requirement,
    card: &ObjectCard,
    files: &[FileEvidence],
    as_of: Date,
) -> Outcome {
    let best = files
        .iter()
        .filter(|f| f.status.has_text() && requirement.doc_types.contains(&f.doc_type))
        .map(|f| judge_document(rules, requirement, card, f, as_of))
        .min_by_key(|(status, ..)| status.rank());
    best.unwrap_or_else(|| absent(requirement, files, None, None))
}

fn document_or_card(
    rules: &Rules,
    requirement: &Requirement,
    card: &ObjectCard,
    card_file: &str,
    files: &[FileEvidence],
    as_of: Date,
) -> Outcome {
    let from_documents = documents(rules, requirement, card, files, as_of);
    if from_documents.0 == Status::Present {
        return from_documents;
    }
    let min_chars = rules.policy.description.min_card_description_chars;
    let chars = card.description.as_deref().map(|d| d.chars().count());
    match chars {
        Some(chars) if chars >= min_chars => (
            Status::Present,
            Finding::CardDescription { chars },
            vec![Evidence {
                file: card_file.to_string(),
                page: None,
                snippet: card.description.as_deref().map(|d| d.chars().take(160).collect()),
            }],
        ),
        _ if from_documents.0 != Status::Missing => from_documents,
        _ => absent(requirement, files, chars, Some(min_chars)),
    }
}

fn absent(
    requirement: &Requirement,
    files: &[FileEvidence],
    card_chars: Option<usize>,
    min_chars: Option<usize>,
) -> Outcome {
    let unreadable: Vec<_> = files
        .iter()
        .filter(|f| f.unreadable())
        .map(|f| (f.file.clone(), f.status))
        .collect();
    if !unreadable.is_empty() {
        let evidence = unreadable
            .iter()
            .map(|(file, _)| Evidence {
                file: file.clone(),
                page: None,
                snippet: None,
            })
            .collect();
        return (
            Status::NeedsReview,
            Finding::UnreadableFiles { files: unreadable },
            evidence,
        );
    }
    (
        Status::Missing,
        Finding::NoDocument {
            doc_types: requirement.doc_types.clone(),
            card_description_chars: card_chars,
            min_chars,
        },
        Vec::new(),
    )
}

fn judge_document(
    rules: &Rules,
    requirement: &Requirement,
    card: &ObjectCard,
    file: &FileEvidence,
    as_of: Date,
) -> Outcome {
    let title = Evidence {
        file: file.file.clone(),
        page: file.type_page,
        snippet: file.type_snippet.clone(),
    };
    let Some(facts) = &file.facts else {
        return (Status::NeedsReview, Finding::ObjectNotNamed, vec![title]);
    };
    match (&facts.object, requirement.object_match) {
        (ObjectMention::Other { name, page, snippet }, _) => {
            let evidence = Evidence {
                file: file.file.clone(),
                page: Some(*page),
                snippet: Some(snippet.clone()),
            };
            return (
                Status::Invalid,
                Finding::OtherObject { name: name.clone() },
                vec![title, evidence],
            );
        }
        (ObjectMention::NotNamed, ObjectMatchRule::Required) => {
            return (Status::NeedsReview, Finding::ObjectNotNamed, vec![title]);
        }
        _ => {}
    }
    if requirement.check != CheckKind::TestProtocol {
        return (
            Status::Present,
            Finding::DocumentFound {
                doc_type: file.doc_type.clone(),
            },
            vec![title],
        );
    }

    let mut evidence = vec![title];
    match &facts.result {
        Some((TestResult::Negative, page, snippet)) => {
            evidence.push(Evidence {
                file: file.file.clone(),
                page: Some(*page),
                snippet: Some(snippet.clone()),
            });
            return (Status::Invalid, Finding::NegativeResult, evidence);
        }
        None => return (Status::NeedsReview, Finding::ResultNotStated, evidence),
        Some((TestResult::Positive, page, snippet)) => evidence.push(Evidence {
            file: file.file.clone(),
            page: Some(*page),
            snippet: Some(snippet.clone()),
        }),
    }
    let months = rules.policy.security_test_protocol.default_validity_months;
    let (valid_until, validity) = match (facts.valid_until, facts.date) {
        (Some(end), _) => (end, ValiditySource::Stated),
        (None, Some(from)) => (from.add_months(months), ValiditySource::Policy { months, from }),
        (None, None) => return (Status::NeedsReview, Finding::NoProtocolDate, evidence),
    };
    if valid_until >= as_of {
        return (
            Status::Present,
            Finding::ProtocolInForce { valid_until, validity },
            evidence,
        );
    }
    match card.stage {
        Some(stage) if requirement.expired_accepted_at.contains(&stage) => (
            Status::ExpiredAccepted,
            Finding::ProtocolExpiredAccepted {
                valid_until,
                validity,
                stage,
            },
            evidence,
        ),
        _ => (
            Status::Expired,
            Finding::ProtocolExpired { valid_until, validity },
            evidence,
        ),
    }
}

/// Each field from the card or a statistics sheet; both present and different is a warning.
fn counts(
    requirement: &Requirement,
    card: &ObjectCard,
    card_file: &str,
    files: &[FileEvidence],
    warnings: &mut Vec<Warning>,
) -> Outcome {
    let mut values = Vec::new();
    let mut missing = Vec::new();
    let mut evidence = Vec::new();
    for field in &requirement.fields {
        let from_card = card_count(card, field);
        let from_sheet = files
            .iter()
            .filter(|f| COUNT_SOURCES.contains(&f.doc_type.as_str()))
            .find_map(|f| {
                f.facts
                    .as_ref()
                    .and_then(|facts| facts.counts.get(field))
                    .map(|c| (f, c))
            });
        if let (Some(card_value), Some((file, fact))) = (from_card, from_sheet)
            && card_value != fact.value
        {
            warnings.push(Warning::CountsDisagree {
                field: field.clone(),
                card: card_value,
                document: fact.value,
                file: file.file.clone(),
            });
        }
        match (from_card, from_sheet) {
            (Some(value), _) => {
                values.push((field.clone(), value));
                evidence.push(Evidence {
                    file: card_file.to_string(),
                    page: None,
                    snippet: Some(format!("<{field}>{value}</{field}>")),
                });
            }
            (None, Some((file, fact))) => {
                values.push((field.clone(), fact.value));
                evidence.push(Evidence {
                    file: file.file.clone(),
                    page: Some(fact.page),
                    snippet: Some(fact.snippet.clone()),
                });
            }
            (None, None) => missing.push(field.clone()),
        }
    }
    if missing.is_empty() {
        return (Status::Present, Finding::CountsFound { values }, evidence);
    }
    let unreadable: Vec<_> = files
        .iter()
        .filter(|f| f.unreadable())
        .map(|f| (f.file.clone(), f.status))
        .collect();
    if !unreadable.is_empty() {
        return (
            Status::NeedsReview,
            Finding::UnreadableFiles { files: unreadable },
            evidence,
        );
    }
    (Status::Missing, Finding::CountsMissing { fields: missing }, evidence)
}

/// A count the card states, by field name.
pub(super) fn card_count(card: &ObjectCard, field: &str) -> Option<u64> {
    match field {
        "registered_users" => card.registered_users,
        "state_bodies" => card.state_bodies,
        "deployment_sites" => card.deployment_sites,
        _ => None,
    }
}

/// A count from the card, else from a statistics sheet.
pub(super) fn known_count(card: &ObjectCard, files: &[FileEvidence], field: &str) -> Option<u64> {
    card_count(card, field).or_else(|| {
        files
            .iter()
            .filter(|f| COUNT_SOURCES.contains(&f.doc_type.as_str()))
            .find_map(|f| {
                f.facts
                    .as_ref()
                    .and_then(|facts| facts.counts.get(field))
                    .map(|c| c.value)
            })
    })
}
