//! The legal rules, one at a time, on hand-built facts.

use super::*;
use crate::card::{LocalizedName, ObjectKind};
use crate::recognize::PageRange;
use crate::recognize::{CountFact, ObjectMention, TestResult};
use crate::rules::CountField;

fn rules() -> Rules {
    Rules::embedded().unwrap()
}

fn as_of() -> Date {
    "2026-11-22".parse().unwrap()
}

fn card(kind: ObjectKind, stage: Stage) -> ObjectCard {
    ObjectCard {
        id: "IS-1".into(),
        kind: Some(kind),
        names: vec![LocalizedName {
            lang: Some("ru".into()),
            text: "ИС «Электронные обращения»".into(),
        }],
        stage: Some(stage),
        description: Some("Система учёта обращений граждан. ".repeat(8)),
        registered_users: Some(12_500),
        state_bodies: Some(14),
        deployment_sites: Some(230),
        services: vec!["a".into(), "b".into(), "c".into(), "d".into()],
        criteria: [("1.1", 1), ("2.3", 1), ("3.1", 1)]
            .into_iter()
            .map(|(id, points)| (id.to_string(), points))
            .collect(),
        ..ObjectCard::default()
    }
}

fn named() -> ObjectMention {
    ObjectMention::Named {
        page: 1,
        snippet: "ИС «Электронные обращения»".into(),
    }
}

/// A document about the object `name`, read on page 1.
fn another_object(name: &str) -> ObjectMention {
    ObjectMention::Other {
        name: name.into(),
        page: 1,
        snippet: String::new(),
    }
}

fn doc(file: &str, doc_type: &str, object: ObjectMention) -> FileEvidence {
    FileEvidence {
        file: file.into(),
        pages: None,
        status: FileStatus::Ok,
        doc_type: doc_type.into(),
        type_page: Some(1),
        type_snippet: None,
        facts: Some(DocFacts {
            number: None,
            date: None,
            valid_until: None,
            result: None,
            object,
            counts: Default::default(),
            draft: false,
            trial_period: None,
            trial_months: None,
            cited_security_test: None,
        }),
        incomplete: false,
    }
}

fn protocol(valid_until: &str, result: TestResult) -> FileEvidence {
    let mut file = doc("s/protocol.pdf", "security_test_protocol", named());
    if let Some(facts) = file.facts.as_mut() {
        facts.valid_until = valid_until.parse().ok();
        facts.result = Some((result, 2, "соответствует".into()));
    }
    file
}

fn complete_is(protocol_file: FileEvidence) -> Vec<FileEvidence> {
    vec![
        doc("s/tz.pdf", "technical_documentation", ObjectMention::NotNamed),
        doc("s/akt.pdf", "commissioning_act", named()),
        protocol_file,
    ]
}

fn status_of(evaluation: &Evaluation, id: &str) -> Status {
    evaluation
        .requirements
        .iter()
        .find(|r| r.id == id)
        .map(|r| r.status)
        .unwrap()
}

fn run(card: &ObjectCard, files: &[FileEvidence]) -> Evaluation {
    evaluate(
        &rules(),
        CardState::Valid {
            file: "s/object.xml",
            card,
        },
        "s",
        files,
        as_of(),
    )
}

fn with_criteria(mut card: ObjectCard, items: &[(&str, u8)]) -> ObjectCard {
    card.criteria = items.iter().map(|(id, p)| (id.to_string(), *p)).collect();
    card
}

#[test]
fn a_complete_information_system_fully_complies() {
    let card = card(ObjectKind::InformationSystem, Stage::IndustrialOperation);
    let e = run(&card, &complete_is(protocol("2028-03-15", TestResult::Positive)));
    assert!(
        e.requirements.iter().all(|r| r.status == Status::Present),
        "{:#?}",
        e.requirements
    );
    assert_eq!(
        (e.verdict, e.level),
        (Verdict::Complies, Level::Fully),
        "{:#?}",
        e.warnings
    );
    let c = e.criteria.unwrap();
    assert_eq!(c.points, 3, "1.1, 2.3 and 3.1 are declared, and the facts agree");
    assert!(c.passes);
}

#[test]
fn an_expired_protocol_fails_in_industrial_operation_but_not_in_development() {
    let files = complete_is(protocol("2025-01-01", TestResult::Positive));
    let industrial = run(&card(ObjectKind::InformationSystem, Stage::IndustrialOperation), &files);
    assert_eq!(status_of(&industrial, "p5.is.security_test_protocols"), Status::Expired);
    assert_eq!(
        (industrial.verdict, industrial.level),
        (Verdict::DoesNotComply, Level::Not)
    );

    let development = run(&card(ObjectKind::InformationSystem, Stage::Development), &files);
    assert_eq!(
        status_of(&development, "p5.is.security_test_protocols"),
        Status::ExpiredAccepted
    );
    assert_eq!(
        (development.verdict, development.level),
        (Verdict::Complies, Level::Partially)
    );
}

#[test]
fn a_protocol_without_a_stated_end_expires_by_policy() {
    let mut file = protocol("", TestResult::Positive);
    if let Some(f) = file.facts.as_mut() {
        f.date = "2022-06-01".parse().ok();
    }
    let e = run(
        &card(ObjectKind::InformationSystem, Stage::IndustrialOperation),
        &complete_is(file),
    );
    let outcome = e
        .requirements
        .iter()
        .find(|r| r.id == "p5.is.security_test_protocols")
        .unwrap();
    assert_eq!(outcome.status, Status::Expired);
    assert!(matches!(
        outcome.finding,
        Finding::ProtocolExpired {
            validity: ValiditySource::Policy { months: 36, .. },
            ..
        }
    ));
}

#[test]
fn a_negative_result_is_invalid_even_when_a_date_is_fine() {
    let e = run(
        &card(ObjectKind::InformationSystem, Stage::IndustrialOperation),
        &complete_is(protocol("2028-03-15", TestResult::Negative)),
    );
    assert_eq!(status_of(&e, "p5.is.security_test_protocols"), Status::Invalid);
    assert_eq!(e.verdict, Verdict::DoesNotComply);
}

#[test]
fn an_act_about_another_system_is_not_evidence() {
    let mut files = complete_is(protocol("2028-03-15", TestResult::Positive));
    files[1] = doc("s/akt.pdf", "commissioning_act", another_object("Е-лицензирование"));
    let e = run(&card(ObjectKind::InformationSystem, Stage::IndustrialOperation), &files);
    assert_eq!(status_of(&e, "p5.is.commissioning_document"), Status::Invalid);
}

#[test]
fn a_scanned_act_naming_a_misread_of_this_system_needs_review_not_refusal() {
    let mut files = complete_is(protocol("2028-03-15", TestResult::Positive));
    let misread = |status| FileEvidence {
        status,
        ..doc(
            "s/akt.pdf",
            "commissioning_act",
            another_object("Электронные обрашсния"),
        )
    };
    let card = card(ObjectKind::InformationSystem, Stage::IndustrialOperation);
    files[1] = misread(FileStatus::Ocr);
    let e = run(&card, &files);
    assert_eq!(status_of(&e, "p5.is.commissioning_document"), Status::NeedsReview);
    assert_eq!(e.verdict, Verdict::NeedsReview);
    // The same name in a text layer is what the document says: another object.
    files[1] = misread(FileStatus::Ok);
    let e = run(&card, &files);
    assert_eq!(status_of(&e, "p5.is.commissioning_document"), Status::Invalid);
}

#[test]
fn a_scanned_act_about_a_plainly_different_system_is_still_not_evidence() {
    let mut files = complete_is(protocol("2028-03-15", TestResult::Positive));
    files[1] = FileEvidence {
        status: FileStatus::Ocr,
        ..doc("s/akt.pdf", "commissioning_act", another_object("Е-лицензирование"))
    };
    let e = run(&card(ObjectKind::InformationSystem, Stage::IndustrialOperation), &files);
    assert_eq!(status_of(&e, "p5.is.commissioning_document"), Status::Invalid);
    assert_eq!(e.verdict, Verdict::DoesNotComply);
}

/// The scan of an act whose title OCR misread: no recognised type, but its text names the system.
fn scan_of_unrecognised_type(status: FileStatus, object: ObjectMention) -> FileEvidence {
    FileEvidence {
        status,
        ..doc("s/akt.pdf", "other", object)
    }
}

#[test]
fn an_unrecognised_scan_naming_this_system_makes_a_missing_act_needs_review() {
    let card = card(ObjectKind::InformationSystem, Stage::IndustrialOperation);
    let mut files = complete_is(protocol("2028-03-15", TestResult::Positive));
    files[1] = scan_of_unrecognised_type(FileStatus::Ocr, named());
    let e = run(&card, &files);
    assert_eq!(status_of(&e, ACT), Status::NeedsReview);
    assert_eq!(
        finding_of(&e, ACT),
        Finding::UnrecognisedScans {
            files: vec!["s/akt.pdf".into()]
        }
    );
    let evidence = &e.requirements.iter().find(|r| r.id == ACT).unwrap().evidence;
    assert_eq!(evidence[0].page, Some(1), "the page where the system is named");
    assert_eq!(e.verdict, Verdict::NeedsReview);

    // What a text layer says is read without doubt: a document of no known type is not the act.
    files[1] = scan_of_unrecognised_type(FileStatus::Ok, named());
    let e = run(&card, &files);
    assert_eq!(status_of(&e, ACT), Status::Missing);
    assert_eq!(e.verdict, Verdict::DoesNotComply);

    // A scan that names another system, or none, is no reason to doubt the act is missing.
    for object in [ObjectMention::NotNamed, another_object("Е-лицензирование")] {
        files[1] = scan_of_unrecognised_type(FileStatus::Ocr, object);
        let e = run(&card, &files);
        assert_eq!(status_of(&e, ACT), Status::Missing);
    }
}

#[test]
fn an_act_that_names_no_object_needs_review_not_complies() {
    let mut files = complete_is(protocol("2028-03-15", TestResult::Positive));
    files[1] = doc("s/akt.pdf", "commissioning_act", ObjectMention::NotNamed);
    let e = run(&card(ObjectKind::InformationSystem, Stage::IndustrialOperation), &files);
    assert_eq!(status_of(&e, "p5.is.commissioning_document"), Status::NeedsReview);
    assert_eq!((e.verdict, e.level), (Verdict::NeedsReview, Level::Partially));
}

#[test]
fn an_unreadable_scan_makes_a_missing_document_needs_review_never_missing() {
    let mut files = complete_is(protocol("2028-03-15", TestResult::Positive));
    files[1] = FileEvidence {
        file: "s/scan0001.pdf".into(),
        pages: None,
        status: FileStatus::NoText,
        doc_type: "other".into(),
        type_page: None,
        type_snippet: None,
        facts: None,
        incomplete: false,
    };
    let e = run(&card(ObjectKind::InformationSystem, Stage::IndustrialOperation), &files);
    assert_eq!(status_of(&e, "p5.is.commissioning_document"), Status::NeedsReview);
    assert_eq!(e.verdict, Verdict::NeedsReview);
}

/// A PDF with a page OCR failed on, or a damaged page: the page not read may be the act, so a
/// missing act is the analyst's; the control, the same file read whole, leaves the act missing.
/// A lookalike (a cover letter that lists the act) does not make it `missing` either.
#[test]
fn a_partly_read_file_makes_a_missing_document_needs_review_never_missing() {
    let card = card(ObjectKind::InformationSystem, Stage::IndustrialOperation);
    let mut files = complete_is(protocol("2028-03-15", TestResult::Positive));
    files[1] = FileEvidence {
        incomplete: true,
        ..doc("s/tz_i_akt.pdf", "other", named())
    };
    let e = run(&card, &files);
    assert_eq!(status_of(&e, ACT), Status::NeedsReview);
    assert_eq!(
        finding_of(&e, ACT),
        Finding::PartlyReadFiles {
            files: vec!["s/tz_i_akt.pdf".into()]
        }
    );
    assert_eq!(e.verdict, Verdict::NeedsReview);

    let mut with_letter = files.clone();
    with_letter.push(doc("s/soprovod.pdf", "cover_letter", named()));
    assert_eq!(status_of(&run(&card, &with_letter), ACT), Status::NeedsReview);

    // A file that had no text at all is unreadable, not partly read: its own finding.
    files[1].incomplete = false;
    assert_eq!(status_of(&run(&card, &files), ACT), Status::Missing);
    let mut empty = files.clone();
    empty[1] = FileEvidence {
        status: FileStatus::NoText,
        incomplete: true,
        ..files[1].clone()
    };
    assert!(matches!(
        finding_of(&run(&card, &empty), ACT),
        Finding::UnreadableFiles { .. }
    ));
}

/// A file in a format the checker does not read (here a HEIC photo the phone saved, or a link
/// discovery refused to follow) may be the act: never `missing`, always the analyst's, by name.
#[test]
fn an_unsupported_file_makes_a_missing_document_needs_review_naming_it() {
    let card = card(ObjectKind::InformationSystem, Stage::IndustrialOperation);
    let mut files = complete_is(protocol("2028-03-15", TestResult::Positive));
    files[1] = FileEvidence {
        file: "s/foto/akt.heic".into(),
        pages: None,
        status: FileStatus::Unsupported,
        doc_type: "other".into(),
        type_page: None,
        type_snippet: None,
        facts: None,
        incomplete: false,
    };
    let e = run(&card, &files);
    assert_eq!(status_of(&e, ACT), Status::NeedsReview);
    assert_eq!(
        finding_of(&e, ACT),
        Finding::UnreadableFiles {
            files: vec![("s/foto/akt.heic".into(), FileStatus::Unsupported)]
        }
    );
    let evidence = &e.requirements.iter().find(|r| r.id == ACT).unwrap().evidence;
    assert_eq!(
        evidence.iter().map(|x| x.file.as_str()).collect::<Vec<_>>(),
        ["s/foto/akt.heic"]
    );
    assert_eq!(e.verdict, Verdict::NeedsReview);

    // A cover letter that only lists the act would make it `missing`; the unread file may be
    // the act itself, so it still goes to the analyst.
    let mut with_letter = files.clone();
    with_letter.push(doc("s/soprovod.pdf", "cover_letter", named()));
    assert_eq!(status_of(&run(&card, &with_letter), ACT), Status::NeedsReview);

    // The control: read, and no act among the files, the act is missing.
    files.remove(1);
    assert_eq!(status_of(&run(&card, &files), ACT), Status::Missing);
}

#[test]
fn each_missing_item_fails_the_submission() {
    let full = card(ObjectKind::InformationSystem, Stage::IndustrialOperation);
    let files = complete_is(protocol("2028-03-15", TestResult::Positive));

    let mut no_users = full.clone();
    no_users.registered_users = None;
    assert_eq!(
        status_of(&run(&no_users, &files), "p5.is.registered_users"),
        Status::Missing
    );

    let mut no_sites = full.clone();
    no_sites.deployment_sites = None;
    assert_eq!(status_of(&run(&no_sites, &files), "p5.is.usage_scope"), Status::Missing);

    let mut short_description = full.clone();
    short_description.description = Some("Учёт обращений.".into());
    assert_eq!(
        status_of(&run(&short_description, &files), "p5.is.description"),
        Status::Missing
    );

    let without_tz: Vec<_> = files
        .iter()
        .filter(|f| f.doc_type != "technical_documentation")
        .cloned()
        .collect();
    let e = run(&full, &without_tz);
    assert_eq!(status_of(&e, "p5.is.technical_documentation"), Status::Missing);
    assert_eq!((e.verdict, e.level), (Verdict::DoesNotComply, Level::Not));
}

#[test]
fn counts_from_a_sheet_count_and_a_disagreement_is_a_warning() {
    let mut card = card(ObjectKind::InformationSystem, Stage::IndustrialOperation);
    card.registered_users = None;
    let mut sheet = doc("s/stats.xlsx", "user_statistics", ObjectMention::NotNamed);
    if let Some(f) = sheet.facts.as_mut() {
        f.counts.insert(
            CountField::RegisteredUsers,
            CountFact {
                value: 3400,
                page: 1,
                snippet: String::new(),
            },
        );
        f.counts.insert(
            CountField::StateBodies,
            CountFact {
                value: 15,
                page: 1,
                snippet: String::new(),
            },
        );
    }
    let mut files = complete_is(protocol("2028-03-15", TestResult::Positive));
    files.push(sheet);
    let e = run(&card, &files);
    assert_eq!(status_of(&e, "p5.is.registered_users"), Status::Present);
    assert!(e.warnings.iter().any(
        |w| matches!(w, Warning::CountsDisagree { field, card: 14, document: 15, .. } if *field == CountField::StateBodies)
    ));
    assert_eq!(e.level, Level::Partially);
}

#[test]
fn criteria_need_three_points_and_one_in_each_group() {
    let mut low = card(ObjectKind::InformationSystem, Stage::IndustrialOperation);
    low.state_bodies = Some(1);
    low.services.clear();
    let files = complete_is(protocol("2028-03-15", TestResult::Positive));
    let low = with_criteria(low, &[("2.1", 1)]);
    let e = run(&low, &files);
    let c = e.criteria.as_ref().unwrap();
    // 3.1 would compute to 1 (12 500 users), but the applicant did not declare it.
    assert_eq!((c.points, c.passes), (1, false));
    assert_eq!(e.verdict, Verdict::DoesNotComply);

    let mut zero_group = card(ObjectKind::InformationSystem, Stage::IndustrialOperation);
    zero_group.services.clear();
    let zero_group = with_criteria(zero_group, &[("1.2", 1), ("3.1", 1), ("3.2", 1)]);
    let e = run(&zero_group, &files);
    let c = e.criteria.as_ref().unwrap();
    assert!(c.points >= 3 && c.by_group["category"] == 0 && !c.passes, "{c:?}");
}

#[test]
fn a_declared_criterion_that_the_facts_contradict_is_overridden_and_flagged() {
    let mut card = card(ObjectKind::InformationSystem, Stage::IndustrialOperation);
    card.registered_users = Some(500);
    let card = with_criteria(card, &[("3.1", 1)]);
    let e = run(&card, &complete_is(protocol("2028-03-15", TestResult::Positive)));
    let item = e
        .criteria
        .as_ref()
        .unwrap()
        .items
        .iter()
        .find(|i| i.id == "3.1")
        .unwrap()
        .clone();
    assert_eq!((item.declared, item.computed, item.points), (Some(1), Some(0), 0));
    assert!(
        e.warnings
            .iter()
            .any(|w| matches!(w, Warning::CriterionDisagrees { .. }))
    );
}

#[test]
fn a_platform_product_needs_only_its_protocol() {
    let card = card(ObjectKind::PlatformSoftwareProduct, Stage::IndustrialOperation);
    let e = run(&card, &[protocol("2027-01-01", TestResult::Positive)]);
    assert_eq!(e.requirements.len(), 1);
    assert!(e.criteria.is_none());
    assert_eq!(e.verdict, Verdict::Complies);
}

#[test]
fn a_declaration_that_disagrees_with_the_content_is_a_warning() {
    let mut card = card(ObjectKind::InformationSystem, Stage::IndustrialOperation);
    card.documents.push(crate::card::DeclaredDocument {
        file: "tz.pdf".into(),
        doc_type: "commissioning_act".into(),
    });
    card.documents.push(crate::card::DeclaredDocument {
        file: "gone.pdf".into(),
        doc_type: "other".into(),
    });
    let e = run(&card, &complete_is(protocol("2028-03-15", TestResult::Positive)));
    assert!(
        e.warnings
            .iter()
            .any(|w| matches!(w, Warning::DeclaredTypeDiffers { file, .. } if file == "s/tz.pdf"))
    );
    assert!(
        e.warnings
            .iter()
            .any(|w| matches!(w, Warning::DeclaredFileNotFound { file } if file == "s/gone.pdf"))
    );
    assert_eq!((e.verdict, e.level), (Verdict::Complies, Level::Partially));
}

#[test]
fn without_a_card_an_analyst_decides() {
    let e = evaluate(&rules(), CardState::Missing, "loose", &[], as_of());
    assert_eq!((e.verdict, e.level), (Verdict::NeedsReview, Level::Not));
    assert!(e.requirements.is_empty());
}

#[test]
fn an_unreadable_card_is_not_reported_as_a_missing_one() {
    let card = CardState::Unreadable {
        file: "s/object.xml",
        message: "Permission denied",
    };
    let e = evaluate(&rules(), card, "s", &[], as_of());
    assert_eq!((e.verdict, e.level), (Verdict::NeedsReview, Level::Not));
    assert!(matches!(e.blocker, Some(Blocker::CardUnreadable { ref file, .. }) if file == "s/object.xml"));
}

fn with_facts(mut file: FileEvidence, edit: impl FnOnce(&mut DocFacts)) -> FileEvidence {
    if let Some(facts) = file.facts.as_mut() {
        edit(facts);
    }
    file
}

fn dated_protocol(file: &str, date: &str, result: TestResult) -> FileEvidence {
    let mut p = protocol("2028-03-15", result);
    p.file = file.into();
    with_facts(p, |f| f.date = date.parse().ok())
}

fn finding_of(evaluation: &Evaluation, id: &str) -> Finding {
    evaluation
        .requirements
        .iter()
        .find(|r| r.id == id)
        .map(|r| r.finding.clone())
        .unwrap()
}

const ACT: &str = "p5.is.commissioning_document";
const PROTOCOL: &str = "p5.is.security_test_protocols";

#[test]
fn a_refusal_act_in_place_of_the_commissioning_act_is_invalid_and_named() {
    let card = card(ObjectKind::InformationSystem, Stage::IndustrialOperation);
    let mut files = complete_is(protocol("2028-03-15", TestResult::Positive));
    files[1].doc_type = "commissioning_refusal".into();
    let e = run(&card, &files);
    assert_eq!(status_of(&e, ACT), Status::Invalid);
    assert!(
        matches!(finding_of(&e, ACT), Finding::LookalikeDocument { ref recognised_as, .. } if recognised_as == "commissioning_refusal")
    );
    assert_eq!(e.verdict, Verdict::DoesNotComply);
}

#[test]
fn a_cover_letter_that_lists_the_act_leaves_it_missing() {
    let card = card(ObjectKind::InformationSystem, Stage::IndustrialOperation);
    let mut files = complete_is(protocol("2028-03-15", TestResult::Positive));
    files[1].doc_type = "cover_letter".into();
    let e = run(&card, &files);
    assert_eq!(status_of(&e, ACT), Status::Missing);
    assert!(matches!(finding_of(&e, ACT), Finding::LookalikeDocument { .. }));
}

#[test]
fn a_draft_is_never_evidence() {
    let card = card(ObjectKind::InformationSystem, Stage::IndustrialOperation);
    let mut files = complete_is(protocol("2028-03-15", TestResult::Positive));
    files[1] = with_facts(files[1].clone(), |f| f.draft = true);
    let e = run(&card, &files);
    assert_eq!(
        (status_of(&e, ACT), finding_of(&e, ACT)),
        (Status::Invalid, Finding::DraftDocument)
    );
}

#[test]
fn a_document_dated_after_the_as_of_date_is_not_evidence() {
    let card = card(ObjectKind::InformationSystem, Stage::IndustrialOperation);
    let files = complete_is(dated_protocol("s/p.pdf", "2027-01-15", TestResult::Positive));
    let e = run(&card, &files);
    assert_eq!(status_of(&e, PROTOCOL), Status::NeedsReview);
    assert!(matches!(finding_of(&e, PROTOCOL), Finding::DatedAfterAsOf { .. }));
    assert_ne!(e.verdict, Verdict::Complies);
}

#[test]
fn a_subject_that_cannot_be_read_needs_review() {
    let card = card(ObjectKind::InformationSystem, Stage::IndustrialOperation);
    let unclear = ObjectMention::Unclear {
        name: "Обращения".into(),
        page: 1,
        snippet: "«Обращения»".into(),
    };
    let files = complete_is(with_facts(protocol("2028-03-15", TestResult::Positive), |f| {
        f.object = unclear
    }));
    let e = run(&card, &files);
    assert_eq!(status_of(&e, PROTOCOL), Status::NeedsReview);
    assert!(matches!(finding_of(&e, PROTOCOL), Finding::SubjectUnclear { .. }));
}

#[test]
fn a_qualified_conclusion_is_not_positive() {
    let card = card(ObjectKind::InformationSystem, Stage::IndustrialOperation);
    let e = run(&card, &complete_is(protocol("2028-03-15", TestResult::Qualified)));
    assert_eq!(
        (status_of(&e, PROTOCOL), finding_of(&e, PROTOCOL)),
        (Status::Invalid, Finding::QualifiedResult)
    );
}

#[test]
fn the_newest_test_result_decides() {
    let card = card(ObjectKind::InformationSystem, Stage::IndustrialOperation);
    let older_positive = dated_protocol("s/p1.pdf", "2025-03-01", TestResult::Positive);
    let newer_negative = dated_protocol("s/p2.pdf", "2026-06-01", TestResult::Negative);
    let mut files = complete_is(older_positive.clone());
    files.push(newer_negative.clone());
    let e = run(&card, &files);
    assert_eq!(status_of(&e, PROTOCOL), Status::Invalid);
    assert!(matches!(
        finding_of(&e, PROTOCOL),
        Finding::LaterNegativeResult { ref negative, ref positive }
            if negative.file == "s/p2.pdf" && positive.file == "s/p1.pdf"
    ));

    // The other way round, the older negative is history.
    let older_negative = dated_protocol("s/p0.pdf", "2024-01-10", TestResult::Negative);
    let mut files = complete_is(older_positive.clone());
    files.push(older_negative);
    assert_eq!(status_of(&run(&card, &files), PROTOCOL), Status::Present);

    // Without dates the order is unknown: an analyst decides.
    let undated_negative = with_facts(newer_negative, |f| f.date = None);
    let mut files = complete_is(older_positive);
    files.push(undated_negative);
    let e = run(&card, &files);
    assert_eq!(status_of(&e, PROTOCOL), Status::NeedsReview);
    assert!(matches!(finding_of(&e, PROTOCOL), Finding::ConflictingResults { .. }));
}

#[test]
fn a_decommissioned_object_never_complies() {
    let card = card(ObjectKind::InformationSystem, Stage::Decommissioned);
    let e = run(&card, &complete_is(protocol("2028-03-15", TestResult::Positive)));
    assert_eq!((e.verdict, e.level), (Verdict::DoesNotComply, Level::Not));
    assert!(e.warnings.contains(&Warning::ObjectDecommissioned));
}

#[test]
fn a_stage_before_commissioning_with_a_commissioning_act_is_a_warning() {
    let card = card(ObjectKind::InformationSystem, Stage::Creation);
    let e = run(&card, &complete_is(protocol("2028-03-15", TestResult::Positive)));
    assert_eq!((e.verdict, e.level), (Verdict::Complies, Level::Partially));
    assert!(e.warnings.iter().any(|w| matches!(
        w,
        Warning::StageContradictsDocuments { stage: Stage::Creation, file, .. } if file == "s/akt.pdf"
    )));
}

#[test]
fn zero_counts_are_warned_and_cannot_carry_declared_points() {
    let mut card = card(ObjectKind::InformationSystem, Stage::IndustrialOperation);
    card.registered_users = Some(0);
    card.state_bodies = Some(0);
    card.deployment_sites = Some(0);
    let e = run(&card, &complete_is(protocol("2028-03-15", TestResult::Positive)));
    let zeros = e
        .warnings
        .iter()
        .filter(|w| matches!(w, Warning::CountIsZero { .. }))
        .count();
    assert_eq!(zeros, 3);
    let c = e.criteria.as_ref().unwrap();
    assert_eq!((c.by_group["scale"], c.by_group["users"], c.passes), (0, 0, false));
    assert_eq!(e.verdict, Verdict::DoesNotComply);
}

#[test]
fn computed_values_never_add_a_point_the_applicant_did_not_declare() {
    let card = with_criteria(
        card(ObjectKind::InformationSystem, Stage::IndustrialOperation),
        &[("1.1", 1), ("2.3", 0), ("3.1", 0)],
    );
    let e = run(&card, &complete_is(protocol("2028-03-15", TestResult::Positive)));
    let c = e.criteria.as_ref().unwrap();
    assert_eq!((c.points, c.passes), (1, false));
    let disagreements: Vec<_> = e
        .warnings
        .iter()
        .filter_map(|w| match w {
            Warning::CriterionDisagrees {
                criterion,
                declared,
                computed,
                proxy,
            } => Some((criterion.as_str(), *declared, *computed, *proxy)),
            _ => None,
        })
        .collect();
    assert_eq!(disagreements, [("2.3", 0, 1, false), ("3.1", 0, 1, true)]);
}

#[test]
fn commissioning_before_the_first_positive_test_is_a_warning_citing_the_law() {
    let card = card(ObjectKind::InformationSystem, Stage::IndustrialOperation);
    let act = |cited: Option<&str>| {
        with_facts(doc("s/akt.pdf", "commissioning_act", named()), |f| {
            f.date = "2025-01-10".parse().ok();
            f.cited_security_test = cited.and_then(|d| d.parse().ok());
        })
    };
    let later_protocol = dated_protocol("s/p.pdf", "2025-03-01", TestResult::Positive);
    let files = |act| {
        vec![
            doc("s/tz.pdf", "technical_documentation", ObjectMention::NotNamed),
            act,
            later_protocol.clone(),
        ]
    };
    let e = run(&card, &files(act(Some("2025-03-01"))));
    assert_eq!((e.verdict, e.level), (Verdict::Complies, Level::Partially));
    assert!(e.warnings.iter().any(|w| matches!(
        w,
        Warning::CommissionedBeforeSecurityTest { commissioned, tested, .. }
            if commissioned.to_string() == "2025-01-10" && tested.to_string() == "2025-03-01"
    )));
    // An act that cites an earlier positive test, beside a later re-test: nothing to report.
    let e = run(&card, &files(act(Some("2024-11-20"))));
    assert_eq!(e.level, Level::Fully, "{:?}", e.warnings);
}

#[test]
fn a_trial_operation_longer_than_a_year_is_a_warning() {
    let card = card(ObjectKind::InformationSystem, Stage::IndustrialOperation);
    let mut files = complete_is(protocol("2028-03-15", TestResult::Positive));
    let period = |from: &str, to: &str| crate::recognize::TrialPeriod {
        from: from.parse().unwrap(),
        to: to.parse().unwrap(),
        page: 1,
        snippet: String::new(),
    };
    files[1] = with_facts(files[1].clone(), |f| {
        f.trial_period = Some(period("2022-02-01", "2024-03-15"))
    });
    let e = run(&card, &files);
    assert!(
        e.warnings
            .iter()
            .any(|w| matches!(w, Warning::TrialOperationTooLong { max_months: 12, .. }))
    );
    assert_eq!(e.level, Level::Partially);
    files[1] = with_facts(files[1].clone(), |f| {
        f.trial_period = Some(period("2024-05-06", "2025-04-25"))
    });
    assert_eq!(run(&card, &files).level, Level::Fully);
}

/// One merged PDF: the act on pages 1–2, the protocol on 3–4, the terms of reference on 5–9.
fn bundled(mut documents: Vec<FileEvidence>) -> Vec<FileEvidence> {
    let ranges = [(1, 2), (3, 4), (5, 9), (10, 11)];
    for (document, (first, last)) in documents.iter_mut().zip(ranges) {
        document.file = "s/bundle.pdf".into();
        document.pages = Some(PageRange { first, last });
    }
    documents
}

#[test]
fn each_document_of_a_bundled_file_is_evidence_with_its_pages() {
    let card = card(ObjectKind::InformationSystem, Stage::IndustrialOperation);
    let files = bundled(vec![
        doc("", "commissioning_act", named()),
        protocol("2028-03-15", TestResult::Positive),
        doc("", "technical_documentation", ObjectMention::NotNamed),
    ]);
    let e = run(&card, &files);
    assert_eq!(e.verdict, Verdict::Complies, "{:#?}", e.requirements);
    let evidence = |id: &str| e.requirements.iter().find(|r| r.id == id).unwrap().evidence.clone();
    assert_eq!(evidence(PROTOCOL)[0].file, "s/bundle.pdf");
    assert_eq!(evidence(PROTOCOL)[0].pages, Some(PageRange { first: 3, last: 4 }));
    assert_eq!(evidence(ACT)[0].pages, Some(PageRange { first: 1, last: 2 }));
}

/// The protocol inside the bundle is about another system: its own subject decides, not the
/// act's beside it in the same file.
#[test]
fn a_bundled_protocol_about_another_system_is_not_evidence() {
    let card = card(ObjectKind::InformationSystem, Stage::IndustrialOperation);
    let other = ObjectMention::Other {
        name: "ИС «Е-лицензирование»".into(),
        page: 3,
        snippet: "ИС «Е-лицензирование»".into(),
    };
    let mut foreign = protocol("2028-03-15", TestResult::Positive);
    if let Some(facts) = foreign.facts.as_mut() {
        facts.object = other;
    }
    let files = bundled(vec![
        doc("", "commissioning_act", named()),
        foreign,
        doc("", "technical_documentation", ObjectMention::NotNamed),
    ]);
    let e = run(&card, &files);
    assert_eq!(status_of(&e, PROTOCOL), Status::Invalid);
    assert_ne!(e.verdict, Verdict::Complies);
}

/// The original protocol and its newer negative re-test, scanned into one file.
#[test]
fn a_newer_negative_retest_in_the_same_file_decides() {
    let card = card(ObjectKind::InformationSystem, Stage::IndustrialOperation);
    let files = bundled(vec![
        doc("", "commissioning_act", named()),
        dated_protocol("", "2025-03-01", TestResult::Positive),
        doc("", "technical_documentation", ObjectMention::NotNamed),
        dated_protocol("", "2026-06-01", TestResult::Negative),
    ]);
    let e = run(&card, &files);
    assert_eq!(status_of(&e, PROTOCOL), Status::Invalid);
    let Finding::LaterNegativeResult { negative, positive } = finding_of(&e, PROTOCOL) else {
        panic!("{:?}", finding_of(&e, PROTOCOL));
    };
    assert_eq!(negative.pages, Some(PageRange { first: 10, last: 11 }));
    assert_eq!(positive.pages, Some(PageRange { first: 3, last: 4 }));
}

/// A card that declares the bundle as its protocol is right when any document inside is one.
#[test]
fn a_declared_type_matches_any_document_of_a_bundle() {
    let mut card = card(ObjectKind::InformationSystem, Stage::IndustrialOperation);
    card.documents = vec![crate::card::DeclaredDocument {
        file: "bundle.pdf".into(),
        doc_type: "security_test_protocol".into(),
    }];
    let files = bundled(vec![
        doc("", "commissioning_act", named()),
        protocol("2028-03-15", TestResult::Positive),
        doc("", "technical_documentation", ObjectMention::NotNamed),
    ]);
    let e = run(&card, &files);
    assert!(
        !e.warnings
            .iter()
            .any(|w| matches!(w, Warning::DeclaredTypeDiffers { .. })),
        "{:?}",
        e.warnings
    );
}
