use super::*;
use crate::report::escape;
use crate::report::html::tests::{COMPLIES_WITH_WARNING, LOOKALIKE, by_id, nightly_with_notes};
use crate::report::text::letters::{at_least_points, points};

#[test]
fn points_take_the_plural_of_their_number() {
    let ru: Vec<String> = [0, 1, 2, 4, 5, 11, 12, 14, 21, 22, 25, 101, 111]
        .map(|n| points(n, Lang::Ru))
        .to_vec();
    assert_eq!(
        ru,
        [
            "0 баллов",
            "1 балл",
            "2 балла",
            "4 балла",
            "5 баллов",
            "11 баллов",
            "12 баллов",
            "14 баллов",
            "21 балл",
            "22 балла",
            "25 баллов",
            "101 балл",
            "111 баллов"
        ]
    );
    assert_eq!(points(2, Lang::Kk), "2 балл");
    assert_eq!(points(5, Lang::Kk), "5 балл");
    assert_eq!(points(1, Lang::En), "1 point");
    // After «не менее» the genitive: «не менее 3 баллов», «не менее 1 балла».
    assert_eq!(at_least_points(3, Lang::Ru), "не менее 3 баллов");
    assert_eq!(at_least_points(1, Lang::Ru), "не менее 1 балла");
    assert_eq!(at_least_points(11, Lang::Ru), "не менее 11 баллов");
    assert_eq!(at_least_points(3, Lang::Kk), "кемінде 3 балл");
}

#[test]
fn letters_carry_the_sender_block_with_placeholders_and_escape_everything() {
    for lang in [Lang::Ru, Lang::Kk] {
        let report = nightly_with_notes(lang).report;
        for id in [LOOKALIKE, COMPLIES_WITH_WARNING] {
            let s = by_id(&report, id);
            for kind in LetterKind::ALL {
                let l = letter(&report, s, kind);
                let text = plain_text(&l);
                // The shipped letterhead leaves the sender blank: placeholders, never invented values.
                for blank in [
                    Blank::Organisation,
                    Blank::Position,
                    Blank::SignatoryName,
                    Blank::OutgoingNumber,
                ] {
                    assert!(
                        text.contains(&letters::blank(blank, lang)),
                        "{lang:?} {id} {kind:?}: {blank:?}"
                    );
                }
                assert!(text.contains(&report.as_of.dotted()));
                assert!(
                    l.notes
                        .iter()
                        .any(|n| n == &letters::note(&Note::LetterheadBlank, lang))
                );
                let html = html::render(&l);
                assert!(!html.contains("<script") && !html.contains("<юстиции>") && !html.contains("<b>akt</b>"));
                for w in &s.warnings {
                    assert!(html.contains(&escape(&one_line(&w.text))), "{lang:?} {id}: {}", w.text);
                }
                assert!(!markdown::render(&l).is_empty());
                let docx = docx::render(&l).unwrap();
                assert!(docx.starts_with(b"PK"));
            }
        }
    }
}

#[test]
fn the_recommendation_leaves_the_architecture_to_the_analyst_and_names_each_ground() {
    let report = nightly_with_notes(Lang::Ru).report;
    let rules = &report.rules_text;
    for id in [LOOKALIKE, COMPLIES_WITH_WARNING] {
        let text = plain_text(&letter(&report, by_id(&report, id), LetterKind::Recommendation));
        assert!(text.contains("[заполняется аналитиком:"), "{id}");
        for asserted in [
            "соответствующим архитектуре",
            "соответствует архитектуре",
            "рекомендует признать",
        ] {
            assert!(!text.contains(asserted), "{id}: {asserted}");
        }
        assert!(
            text.contains("по правилу сервисного интегратора, а не по норме Правил"),
            "{id}"
        );
        // The addressee: the authorized body in the dative.
        assert!(text.contains("Министерству цифрового развития, инноваций и аэрокосмической промышленности"));
    }
    let lookalike = plain_text(&letter(&report, by_id(&report, LOOKALIKE), LetterKind::Recommendation));
    let p63 = acts::subparagraph(&rules.acts, ORDER_29, 6, 3, Lang::Ru);
    let p10 = acts::paragraph(&rules.acts, ORDER_29, 10, Lang::Ru);
    assert!(
        lookalike.contains(&format!("{p63}: на архитектурном портале отсутствуют")),
        "{lookalike}"
    );
    assert!(lookalike.contains(&format!("{p10}: эксплуатация объекта прекращена")));
    let complies = plain_text(&letter(
        &report,
        by_id(&report, COMPLIES_WITH_WARNING),
        LetterKind::Recommendation,
    ));
    assert!(complies.contains("Оснований для отказа"), "{complies}");
    assert!(
        !complies.contains(&format!("{p63}:")),
        "no ground of p. 6(3) without a missing document"
    );
}

#[test]
fn the_request_goes_to_the_state_body_in_the_dative_and_says_what_to_submit() {
    let report = nightly_with_notes(Lang::Ru).report;
    let s = by_id(&report, LOOKALIKE);
    let l = letter(&report, s, LetterKind::Request);
    assert_eq!(l.addressee.plain(), "Министерству <юстиции> & Co");
    let text = plain_text(&l);
    for r in s.requirements.iter().filter(|r| !r.status.is_satisfied()) {
        assert!(text.contains(&one_line(&r.reason)), "{}", r.reason);
        let submit = format!("Представить: {}", one_line(r.to_submit.as_deref().unwrap()));
        assert!(text.contains(&submit), "{submit}");
    }
    assert!(!text.contains("Необходимо представить"));
    // Kazakh: the card gives no Kazakh name, so the Russian one stands with a note, undeclined.
    let kk = nightly_with_notes(Lang::Kk).report;
    let l = letter(&kk, by_id(&kk, LOOKALIKE), LetterKind::Request);
    assert_eq!(l.addressee.plain(), "Кімге: Министерство <юстиции> & Co");
    assert!(l.notes.iter().any(|n| n.contains("owner_kk")));
}

#[test]
fn an_undeclinable_addressee_stays_nominative_with_a_note() {
    let mut report = nightly_with_notes(Lang::Ru).report;
    report.submissions[0].owner = Some("ТОО «Ромашка»".to_string());
    let l = letter(&report, &report.submissions[0], LetterKind::Request);
    assert_eq!(l.addressee.plain(), "Кому: ТОО «Ромашка»");
    assert!(l.notes.iter().any(|n| n.contains("schemas/declension.toml")));
    report.submissions[0].owner = None;
    let l = letter(&report, &report.submissions[0], LetterKind::Request);
    assert_eq!(l.addressee.plain(), letters::blank(Blank::StateBody, Lang::Ru));
}
