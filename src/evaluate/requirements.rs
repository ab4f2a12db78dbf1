//! One requirement of `schemas/requirements.toml` against one submission.

use super::{DocRef, Evidence, FileEvidence, Finding, RequirementOutcome, Status, ValiditySource, Warning};
use crate::card::ObjectCard;
use crate::date::Date;
use crate::extract::FileStatus;
use crate::recognize::{DocFacts, ObjectMention, TestResult, may_be_misread_of};
use crate::rules::{CheckKind, CountField, ObjectMatchRule, Requirement, Rules};

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

/// The best outcome over every document of the wanted types, after the newest test result has
/// had its say; without one, a look-alike standing in its place, else `needs_review` when some
/// file could not be read (it may be the document), else `missing`.
fn documents(
    rules: &Rules,
    requirement: &Requirement,
    card: &ObjectCard,
    files: &[FileEvidence],
    as_of: Date,
) -> Outcome {
    let candidates: Vec<(&FileEvidence, Outcome)> = files
        .iter()
        .filter(|f| f.status.has_text() && requirement.doc_types.contains(&f.doc_type))
        .map(|f| (f, judge_document(rules, requirement, card, f, as_of)))
        .collect();
    let best = candidates
        .iter()
        .min_by_key(|(_, (status, ..))| status.rank())
        .map(|(_, outcome)| outcome.clone());
    match best {
        Some(best) if requirement.check == CheckKind::TestProtocol => newest_result_decides(best, &candidates),
        Some(best) => best,
        None => lookalike(rules, requirement, files).unwrap_or_else(|| absent(requirement, files, None, None)),
    }
}

/// Among the protocols about this object, the newest result decides: a later negative (or
/// qualified) re-test outweighs an older positive protocol; an order that cannot be read is for an
/// analyst. An older negative beside a newer positive changes nothing.
fn newest_result_decides(best: Outcome, candidates: &[(&FileEvidence, Outcome)]) -> Outcome {
    let positive_status = matches!(best.0, Status::Present | Status::ExpiredAccepted | Status::Expired);
    if !positive_status {
        return best;
    }
    let judged = |wanted: fn(&Finding) -> bool| {
        candidates
            .iter()
            .filter(|(_, (_, finding, _))| wanted(finding))
            .map(|(file, (_, _, evidence))| (*file, evidence.clone()))
            .collect::<Vec<_>>()
    };
    let negatives = judged(|f| matches!(f, Finding::NegativeResult | Finding::QualifiedResult));
    let positives = judged(|f| {
        matches!(
            f,
            Finding::ProtocolInForce { .. } | Finding::ProtocolExpiredAccepted { .. } | Finding::ProtocolExpired { .. }
        )
    });
    // A newer protocol whose conclusion cannot be read may be the negative re-test: an analyst reads it.
    let unread = judged(|f| matches!(f, Finding::ResultNotStated));
    if let (Some((newer, evidence, _)), Some((positive, ..))) = (newest(&unread), newest(&positives))
        && let (Some(n), Some(p)) = (date_of(newer), date_of(positive))
        && n > p
    {
        return (Status::NeedsReview, Finding::ResultNotStated, evidence);
    }
    let (Some((negative, negative_evidence, negatives_dated)), Some((positive, positive_evidence, positives_dated))) =
        (newest(&negatives), newest(&positives))
    else {
        return best;
    };
    let refs = (DocRef::of(negative), DocRef::of(positive));
    let mut evidence = negative_evidence;
    evidence.extend(positive_evidence);
    match (date_of(negative), date_of(positive)) {
        (Some(n), Some(p)) if negatives_dated && positives_dated && n < p => best,
        (Some(n), Some(p)) if negatives_dated && positives_dated && n > p => (
            Status::Invalid,
            Finding::LaterNegativeResult {
                negative: refs.0,
                positive: refs.1,
            },
            evidence,
        ),
        _ => (
            Status::NeedsReview,
            Finding::ConflictingResults {
                negative: refs.0,
                positive: refs.1,
            },
            evidence,
        ),
    }
}

fn date_of(file: &FileEvidence) -> Option<Date> {
    file.facts.as_ref().and_then(|f| f.date)
}

/// The newest document of a list, and whether every one of them is dated (else the order of a
/// negative and a positive result cannot be told).
fn newest<'a>(list: &[(&'a FileEvidence, Vec<Evidence>)]) -> Option<(&'a FileEvidence, Vec<Evidence>, bool)> {
    let all_dated = list.iter().all(|(f, _)| date_of(f).is_some());
    list.iter()
        .max_by_key(|(file, _)| date_of(file))
        .map(|(file, evidence)| (*file, evidence.clone(), all_dated))
}

/// A document that resembles the required one and stands in its place: a refusal, a readiness
/// act, an acceptance-test protocol (`invalid`), or a cover letter that only lists or promises it
/// (`missing`). Unreadable files come first: one of them, or the part of a file not read, may be
/// the real document.
fn lookalike(rules: &Rules, requirement: &Requirement, files: &[FileEvidence]) -> Option<Outcome> {
    if files
        .iter()
        .any(|f| f.unreadable() || f.partly_read() || f.unrecognised_scan_of_object())
    {
        return None;
    }
    let (file, doctype) = files
        .iter()
        .filter(|f| f.status.has_text())
        .filter_map(|f| rules.doctype(&f.doc_type).map(|d| (f, d)))
        .filter(|(_, d)| d.resembles.iter().any(|r| requirement.doc_types.contains(r)))
        .min_by_key(|(_, d)| d.lists_only)?;
    let status = if doctype.lists_only {
        Status::Missing
    } else {
        Status::Invalid
    };
    Some((
        status,
        Finding::LookalikeDocument {
            file: file.file.clone(),
            recognised_as: file.doc_type.clone(),
        },
        vec![file.title_evidence()],
    ))
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
            vec![Evidence::whole_file(
                card_file,
                card.description.as_deref().map(|d| d.chars().take(160).collect()),
            )],
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
            .map(|(file, _)| Evidence::whole_file(file, None))
            .collect();
        return (
            Status::NeedsReview,
            Finding::UnreadableFiles { files: unreadable },
            evidence,
        );
    }
    if files.iter().any(FileEvidence::partly_read) {
        return partly_read(files, Vec::new());
    }
    let scans: Vec<&FileEvidence> = files.iter().filter(|f| f.unrecognised_scan_of_object()).collect();
    if !scans.is_empty() {
        let evidence = scans
            .iter()
            .map(|scan| match scan.facts.as_ref().map(|facts| &facts.object) {
                Some(ObjectMention::Named { page, snippet } | ObjectMention::Unclear { page, snippet, .. }) => {
                    scan.evidence(Some(*page), Some(snippet.clone()))
                }
                _ => scan.evidence(None, None),
            })
            .collect();
        return (
            Status::NeedsReview,
            Finding::UnrecognisedScans {
                files: scans.iter().map(|scan| scan.file.clone()).collect(),
            },
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
    let title = file.title_evidence();
    let Some(facts) = &file.facts else {
        return (Status::NeedsReview, Finding::ObjectNotNamed, vec![title]);
    };
    if facts.draft {
        return (Status::Invalid, Finding::DraftDocument, vec![title]);
    }
    let at = |page: u32, snippet: &str| file.evidence(Some(page), Some(snippet.to_string()));
    let required = requirement.object_match == ObjectMatchRule::Required;
    match &facts.object {
        // OCR turns «№ 4445» into «№ Д4ДАД5»: a name read from a scan that resembles the card's
        // is as likely a misread of this object as another object, so the analyst decides.
        ObjectMention::Other { name, page, snippet }
            if required && file.status == FileStatus::Ocr && may_be_misread_of(card, name) =>
        {
            return (
                Status::NeedsReview,
                Finding::SubjectUnclear { name: name.clone() },
                vec![title, at(*page, snippet)],
            );
        }
        ObjectMention::Other { name, page, snippet } => {
            return (
                Status::Invalid,
                Finding::OtherObject { name: name.clone() },
                vec![title, at(*page, snippet)],
            );
        }
        ObjectMention::Unclear { name, page, snippet } if required => {
            return (
                Status::NeedsReview,
                Finding::SubjectUnclear { name: name.clone() },
                vec![title, at(*page, snippet)],
            );
        }
        ObjectMention::NotNamed if required => {
            return (Status::NeedsReview, Finding::ObjectNotNamed, vec![title]);
        }
        _ => {}
    }
    if let Some(date) = facts.date.filter(|d| required && *d > as_of) {
        return (Status::NeedsReview, Finding::DatedAfterAsOf { date }, vec![title]);
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
    judge_test_protocol(rules, requirement, card, file, facts, title, as_of)
}

/// A test protocol, positive and stating its date: in force, expired, or expired but accepted
/// at the card's stage.
fn judge_test_protocol(
    rules: &Rules,
    requirement: &Requirement,
    card: &ObjectCard,
    file: &FileEvidence,
    facts: &DocFacts,
    title: Evidence,
    as_of: Date,
) -> Outcome {
    let mut evidence = vec![title];
    let Some((result, page, snippet)) = &facts.result else {
        return (Status::NeedsReview, Finding::ResultNotStated, evidence);
    };
    evidence.push(file.evidence(Some(*page), Some(snippet.to_string())));
    match result {
        TestResult::Negative => return (Status::Invalid, Finding::NegativeResult, evidence),
        TestResult::Qualified => return (Status::Invalid, Finding::QualifiedResult, evidence),
        TestResult::Positive => {}
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
        let field = *field;
        let from_card = card_count(card, field);
        let from_sheet = files
            .iter()
            .filter(|f| COUNT_SOURCES.contains(&f.doc_type.as_str()))
            .find_map(|f| {
                f.facts
                    .as_ref()
                    .and_then(|facts| facts.counts.get(&field))
                    .map(|c| (f, c))
            });
        if let (Some(card_value), Some((file, fact))) = (from_card, from_sheet)
            && card_value != fact.value
        {
            warnings.push(Warning::CountsDisagree {
                field,
                card: card_value,
                document: fact.value,
                file: file.file.clone(),
            });
        }
        match (from_card, from_sheet) {
            (Some(value), _) => {
                values.push((field, value));
                let tag = field.as_str();
                evidence.push(Evidence::whole_file(card_file, Some(format!("<{tag}>{value}</{tag}>"))));
            }
            (None, Some((file, fact))) => {
                values.push((field, fact.value));
                evidence.push(file.evidence(Some(fact.page), Some(fact.snippet.clone())));
            }
            (None, None) => missing.push(field),
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
    if files.iter().any(FileEvidence::partly_read) {
        return partly_read(files, evidence);
    }
    (Status::Missing, Finding::CountsMissing { fields: missing }, evidence)
}

/// `needs_review`, for some files were read only in part: the part not read may hold what is
/// missing. Each such file once (a bundled file's documents share it), after `evidence`.
fn partly_read(files: &[FileEvidence], mut evidence: Vec<Evidence>) -> Outcome {
    let mut partly: Vec<String> = files
        .iter()
        .filter(|f| f.partly_read())
        .map(|f| f.file.clone())
        .collect();
    partly.dedup();
    evidence.extend(partly.iter().map(|file| Evidence::whole_file(file, None)));
    (
        Status::NeedsReview,
        Finding::PartlyReadFiles { files: partly },
        evidence,
    )
}

/// A count the card states, by field name.
pub(super) fn card_count(card: &ObjectCard, field: CountField) -> Option<u64> {
    match field {
        CountField::RegisteredUsers => card.registered_users,
        CountField::StateBodies => card.state_bodies,
        CountField::DeploymentSites => card.deployment_sites,
    }
}

/// A count from the card, else from a statistics sheet.
pub(super) fn known_count(card: &ObjectCard, files: &[FileEvidence], field: CountField) -> Option<u64> {
    card_count(card, field).or_else(|| {
        files
            .iter()
            .filter(|f| COUNT_SOURCES.contains(&f.doc_type.as_str()))
            .find_map(|f| {
                f.facts
                    .as_ref()
                    .and_then(|facts| facts.counts.get(&field))
                    .map(|c| c.value)
            })
    })
}
