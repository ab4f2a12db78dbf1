//! The two letters of every submission, as an official receives them: `nightly` on the sample
//! corpus writes `letters/<id>.{recommendation,request}.{ru,kk}.{docx,html,md}`; each DOCX opens
//! with a DOCX reader (docx-rs) and its text holds the addressee in the dative, the sender block
//! (placeholders from the shipped, empty letterhead; real values from a filled `--rules` copy),
//! the items with their paragraphs and the acts cited in full. No letter says the object complies
//! with the architecture (Order No. 29 p. 6(2) is the analyst's), a refusal for missing documents
//! cites p. 6(3), and a request names a rejected protocol by number, date and file. One letter's
//! HTML is opened in headless Chromium and looked at.

use std::path::{Path, PathBuf};

use portalcheck::lang::Lang;
use portalcheck::rules::Rules;
use serde_json::Value;

mod support;

use support::browser::{Browser, chromium_or_skip, decode_png};
use support::{AS_OF, docx_text, report_json, root};

const AUTHORIZED_BODY_RU: &str =
    "Министерству цифрового развития, инноваций и аэрокосмической промышленности Республики Казахстан";
const AUTHORIZED_BODY_KK: &str =
    "Қазақстан Республикасы Цифрлық даму, инновациялар және аэроғарыш өнеркәсібі министрлігіне";

fn nightly(state: &Path, extra: &[&str]) -> PathBuf {
    support::nightly(&root().join("corpora/sample"), state, AS_OF, extra).0
}

/// A submission's letter files are named by its object id, made safe for a file name (a card-less
/// submission's id is its directory).
fn file_stem(id: &str) -> String {
    id.chars()
        .map(|c| {
            if c.is_alphanumeric() || "-_.".contains(c) {
                c
            } else {
                '_'
            }
        })
        .collect()
}

fn letter(reports: &Path, id: &str, kind: &str, lang: &str) -> String {
    docx_text(&reports.join(format!("letters/{}.{kind}.{lang}.docx", file_stem(id))))
}

fn submission<'a>(report: &'a Value, id: &str) -> &'a Value {
    report["submissions"]
        .as_array()
        .unwrap()
        .iter()
        .find(|s| s["object_id"] == id)
        .unwrap_or_else(|| panic!("{id} is in the report"))
}

/// `DD.MM.YYYY` of a JSON date.
fn dotted(date: &str) -> String {
    let parts: Vec<&str> = date.split('-').collect();
    format!("{}.{}.{}", parts[2], parts[1], parts[0])
}

#[test]
fn docx_letters_hold_the_dative_the_sender_the_items_and_the_citations() {
    let rules = Rules::embedded().unwrap();
    let scratch = tempfile::tempdir().unwrap();
    let reports = nightly(&scratch.path().join("state"), &[]);
    let report = report_json(&reports);

    // Every submission has both letters in both languages, in every format.
    for s in report["submissions"].as_array().unwrap() {
        let id = s["object_id"].as_str().unwrap();
        let name = file_stem(id);
        for lang in [Lang::Ru, Lang::Kk] {
            for (_, _, file) in portalcheck::report::letter_file_names(&name, lang) {
                assert!(reports.join("letters").join(&file).is_file(), "{file}");
            }
        }
    }

    for (lang, code) in [(Lang::Ru, "ru"), (Lang::Kk, "kk")] {
        let acts: Vec<String> = rules
            .acts
            .iter()
            .filter(|a| a.id != "law_informatization")
            .map(|a| a.full.get(lang).to_string())
            .collect();
        let blanks: &[&str] = match lang {
            Lang::Kk => &[
                "[сервистік интегратордың атауы]",
                "[лауазымы]",
                "[А. Ә. Тегі]",
                "[орындаушы]",
                "Шығ. № [____]",
            ],
            _ => &[
                "[наименование сервисного интегратора]",
                "[должность]",
                "[И. О. Фамилия]",
                "[исполнитель]",
                "Исх. № [____] от 22.11.2026",
            ],
        };
        for s in report["submissions"].as_array().unwrap() {
            let id = s["object_id"].as_str().unwrap();
            for kind in ["recommendation", "request"] {
                let text = letter(&reports, id, kind, code);
                for blank in blanks {
                    assert!(text.contains(blank), "{id}.{kind}.{code}: {blank}");
                }
                for act in &acts {
                    assert!(text.contains(act.as_str()), "{id}.{kind}.{code}: the act in full");
                }
                // p. 6(2) is the analyst's: never asserted, in either direction.
                for asserted in [
                    "соответствующим архитектуре",
                    "не соответствующим архитектуре",
                    "рекомендует признать",
                    "сәйкес деп тануды ұсынады",
                    "сәйкес келмейді деп тануды ұсынады",
                ] {
                    assert!(!text.contains(asserted), "{id}.{kind}.{code}: {asserted}");
                }
                assert!(
                    !text.contains("балл(ов)") && !text.contains("Необходимо представить"),
                    "{id}.{kind}.{code}"
                );
            }
            let recommendation = letter(&reports, id, "recommendation", code);
            let addressee = if lang == Lang::Kk {
                AUTHORIZED_BODY_KK
            } else {
                AUTHORIZED_BODY_RU
            };
            assert!(
                recommendation.contains(addressee),
                "{id}.{code}: the authorized body in the dative"
            );
            let field = if lang == Lang::Kk {
                "[талдаушы толтырады:"
            } else {
                "[заполняется аналитиком:"
            };
            assert!(recommendation.contains(field), "{id}.{code}: the analyst's field");
        }

        // The state body in the dative, from the card's name in each language.
        let akimat = letter(&reports, "IS-2023-0102", "request", code);
        let dative = if lang == Lang::Kk {
            "Астана қаласының әкімдігіне"
        } else {
            "Акимату города Астаны"
        };
        assert!(akimat.contains(dative), "{code}: {akimat}");
        let mcriap = letter(&reports, "IS-2021-0042", "request", code);
        assert!(mcriap.contains(addressee_of_mcriap(lang)), "{code}");
        // No Kazakh name on the card: the Russian one, undeclined, and a note; never a translation.
        let minzdrav = letter(&reports, "IS-2019-0113", "request", code);
        match lang {
            Lang::Kk => {
                assert!(
                    minzdrav.contains("Кімге: Министерство здравоохранения Республики Казахстан"),
                    "{minzdrav}"
                );
                assert!(minzdrav.contains("owner_kk"));
            }
            _ => assert!(minzdrav.contains("Министерству здравоохранения Республики Казахстан")),
        }

        // The items: what is missing, its paragraph, and what to submit as a noun phrase.
        let missing = rules.requirements.iter().find(|r| r.id == "p5.is.description").unwrap();
        let submit = if lang == Lang::Kk {
            "Ұсыну қажет: "
        } else {
            "Представить: "
        };
        assert!(minzdrav.contains(missing.title.get(lang)), "{code}");
        assert!(minzdrav.contains(missing.cite.get(lang)), "{code}");
        assert!(
            minzdrav.contains(&format!("{submit}{}", missing.to_submit.get(lang))),
            "{code}: {minzdrav}"
        );

        // A refusal for missing documents is p. 6(3), not the architecture.
        let p63 = if lang == Lang::Kk {
            "№ 29 бұйрықпен бекітілген Қағидалардың 6-тармағының 3) тармақшасы: архитектуралық порталда"
        } else {
            "пп. 3) п. 6 Правил, утв. приказом № 29: на архитектурном портале отсутствуют"
        };
        let recommendation = letter(&reports, "IS-2019-0113", "recommendation", code);
        assert!(recommendation.contains(p63), "{code}: {recommendation}");
        // A refusal for points is p. 6(1), with the points by group.
        let points = letter(&reports, "IS-2021-0088", "recommendation", code);
        let p61 = if lang == Lang::Kk {
            "№ 29 бұйрықпен бекітілген Қағидалардың 6-тармағының 1) тармақшасы: кемінде"
        } else {
            "пп. 1) п. 6 Правил, утв. приказом № 29: набрано"
        };
        assert!(points.contains(p61), "{code}: {points}");
        assert!(!points.contains(p63), "{code}: no missing document in IS-2021-0088");
        let groups = if lang == Lang::Kk {
            "«Ауқым» —"
        } else {
            "«Масштаб» —"
        };
        assert!(points.contains(groups), "{code}");

        // The rejected protocol, by number, date and file.
        let akimat_json = submission(&report, "IS-2023-0102");
        let protocol = akimat_json["requirements"]
            .as_array()
            .unwrap()
            .iter()
            .find(|r| r["id"] == "p5.is.security_test_protocols")
            .unwrap();
        assert_eq!(protocol["status"], "invalid");
        let file = protocol["evidence"][0]["file"].as_str().unwrap();
        let facts = &akimat_json["files"]
            .as_array()
            .unwrap()
            .iter()
            .find(|f| f["file"] == file)
            .unwrap()["facts"];
        let (number, date) = (
            facts["number"].as_str().unwrap(),
            dotted(facts["date"].as_str().unwrap()),
        );
        let relative = file.strip_prefix("akimat-astana/is-elektronnyi-akimat/").unwrap();
        let reviewed = if lang == Lang::Kk {
            "Қаралған құжат: "
        } else {
            "Рассмотрен документ: "
        };
        let line = akimat
            .lines()
            .find(|l| l.contains(reviewed))
            .unwrap_or_else(|| panic!("{code}: {akimat}"));
        for part in [number, date.as_str(), relative] {
            assert!(line.contains(part), "{code}: `{part}` in {line}");
        }
    }
}

fn addressee_of_mcriap(lang: Lang) -> &'static str {
    match lang {
        Lang::Kk => "Қазақстан Республикасының Цифрлық даму, инновациялар және аэроғарыш өнеркәсібі министрлігіне",
        _ => AUTHORIZED_BODY_RU,
    }
}

/// A `--rules` copy of schemas/ whose letterhead is filled: the letters carry its values and no
/// sender placeholder.
#[test]
fn a_filled_letterhead_reaches_the_letters() {
    let scratch = tempfile::tempdir().unwrap();
    let rules = scratch.path().join("rules");
    support::copy_tree(&root().join("schemas"), &rules);
    let letterhead = std::fs::read_to_string(rules.join("letterhead.toml"))
        .unwrap()
        .replacen(
            "organisation = { ru = \"\", kk = \"\", en = \"\" }",
            "organisation = { ru = \"АО «Национальные информационные технологии»\", kk = \"«Ұлттық ақпараттық технологиялар» АҚ\", en = \"\" }",
            1,
        )
        .replacen(
            "position = { ru = \"\", kk = \"\", en = \"\" }",
            "position = { ru = \"Председатель Правления\", kk = \"Басқарма Төрағасы\", en = \"\" }",
            1,
        )
        .replacen("name = \"\"", "name = \"А. Б. Сериков\"", 1)
        .replacen("prefix = \"\"", "prefix = \"01-12/\"", 1);
    std::fs::write(rules.join("letterhead.toml"), letterhead).unwrap();
    let reports = nightly(&scratch.path().join("state"), &["--rules", rules.to_str().unwrap()]);
    for (code, organisation, position, outgoing) in [
        (
            "ru",
            "АО «Национальные информационные технологии»",
            "Председатель Правления",
            "Исх. № 01-12/[____] от 22.11.2026",
        ),
        (
            "kk",
            "«Ұлттық ақпараттық технологиялар» АҚ",
            "Басқарма Төрағасы",
            "Шығ. № 01-12/[____], 22.11.2026 ж.",
        ),
    ] {
        for kind in ["recommendation", "request"] {
            let text = letter(&reports, "IS-2023-0102", kind, code);
            assert!(text.lines().next() == Some(organisation), "{kind}.{code}: {text}");
            assert!(
                text.contains(&format!("{position}\tА. Б. Сериков")),
                "{kind}.{code}: {text}"
            );
            assert!(text.contains(outgoing), "{kind}.{code}");
            for blank in [
                "[должность]",
                "[лауазымы]",
                "[наименование сервисного интегратора]",
                "[И. О. Фамилия]",
            ] {
                assert!(!text.contains(blank), "{kind}.{code}: {blank}");
            }
        }
    }
}

/// The request's HTML in Chromium: the addressee in the dative and the signature block are on the
/// page, and the page is not blank.
#[test]
fn a_letter_prints_as_a_page() {
    let Some(binary) = chromium_or_skip() else { return };
    let scratch = tempfile::tempdir().unwrap();
    let reports = nightly(&scratch.path().join("state"), &[]);
    let html = reports.join("letters/IS-2023-0102.request.ru.html");
    let source = std::fs::read_to_string(&html).unwrap();
    assert!(!source.contains("<script"), "no script in a letter");
    let mut browser = Browser::launch(&binary);
    browser.navigate(&format!("file://{}", html.display()));
    let text = browser.eval("document.body.innerText");
    let text = text.as_str().unwrap();
    assert!(text.contains("Акимату города Астаны"), "{text}");
    let signature = browser.eval("document.querySelector('.signature').innerText");
    let signature = signature.as_str().unwrap();
    assert!(
        signature.contains("[должность]") && signature.contains("[И. О. Фамилия]"),
        "{signature}"
    );
    assert!(text.contains("Представить: "), "{text}");
    let (width, height, pixels) = decode_png(&browser.screenshot());
    assert!(width > 0 && height > 0);
    let dark = pixels.iter().filter(|p| p.iter().all(|&c| c < 100)).count();
    assert!(dark > 2000, "the letter's text is painted: {dark} dark pixels");
    // The placeholders are highlighted on screen.
    let highlighted = pixels.iter().filter(|p| p[0] > 240 && p[1] > 230 && p[2] < 180).count();
    assert!(highlighted > 100, "{highlighted} highlighted pixels");
}
