//! Search through the library on small corpora written by the tests: exact-first ranking, both
//! stemmers, ё, prefixes and typos, snippets, facets, and more-like-this on an index holding
//! deleted documents.

use std::path::Path;

use portalcheck::corpus::discover;
use portalcheck::extract::Limits;
use portalcheck::index::{DocIndex, SearchOptions, SearchResults, more_like_this, search};
use portalcheck::pipeline::ingest;
use portalcheck::rules::Rules;

mod support;

use support::write;

fn card(id: &str, owner: &str) -> String {
    format!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<object id=\"{id}\" kind=\"information_system\">\
         <name lang=\"ru\">Система {id}</name><owner>{owner}</owner></object>\n"
    )
}

const REGISTRY: &str = "Информационная система «Реестр лицензий» хранит сведения о выданных лицензиях, \
    лицензиатах, приостановлении и прекращении действия лицензий, ведёт журнал проверок и \
    обменивается данными со шлюзом электронного правительства и платёжным шлюзом.";

fn corpus(root: &Path) {
    write(root, "minA/sys-a/object.xml", &card("IS-A", "Министерство А"));
    write(root, "minA/sys-a/opisanie.txt", REGISTRY);
    write(
        root,
        "minA/sys-a/protokol.txt",
        "ПРОТОКОЛ № 112-ИБ испытаний на соответствие требованиям информационной безопасности. \
         Объём проверенных данных: 12 ГБ. Система промышленной эксплуатации.",
    );
    write(root, "minB/sys-b/object.xml", &card("IS-B", "Министерство Б"));
    // The same system registered again by another body, reworded a little.
    write(
        root,
        "minB/sys-b/opisanie.txt",
        &REGISTRY
            .replace("хранит сведения", "содержит сведения")
            .replace("журнал проверок", "журнал выездных проверок"),
    );
    write(
        root,
        "minB/sys-b/akt.txt",
        "Акт ввода в промышленную эксплуатацию. Согласно протоколу испытаний от 15.03.2025 № 112-ИБ \
         и объеме работ.",
    );
    write(root, "minC/sys-c/object.xml", &card("IS-C", "Министерство Б"));
    write(
        root,
        "minC/sys-c/sipattama.txt",
        "Ақпараттық жүйенің сипаттамасы. Жүйенің актісі және хаттамасы. Деректер базасында \
         тіркелген пайдаланушылардың деректері сақталады.",
    );
    write(
        root,
        "minC/sys-c/uchet.txt",
        "Учет кадров и штатного расписания, табель рабочего времени, отпуска сотрудников.",
    );
}

fn build(root: &Path) -> DocIndex {
    let index = DocIndex::in_memory().unwrap();
    ingest(
        &discover(root).unwrap(),
        &index,
        &Rules::embedded().unwrap(),
        &Limits::default(),
    )
    .unwrap();
    index
}

fn find(index: &DocIndex, query: &str) -> SearchResults {
    search(
        index,
        query,
        &SearchOptions {
            limit: 20,
            ..SearchOptions::default()
        },
    )
    .unwrap()
}

fn files(results: &SearchResults) -> Vec<&str> {
    results.hits.iter().map(|h| h.file.as_str()).collect()
}

#[test]
fn a_code_is_found_exactly_and_its_own_document_ranks_first() {
    let dir = tempfile::tempdir().unwrap();
    corpus(dir.path());
    let index = build(dir.path());
    let results = find(&index, "112-ИБ");
    assert_eq!(files(&results).len(), 2, "{:?}", files(&results));
    let hit = &results.hits[0];
    assert_eq!(hit.page, 1);
    let marked = hit.marked_snippet("[", "]");
    assert!(marked.contains("[112]-[ИБ]"), "{marked}");
    // An exact word outranks a document matching only through its stem.
    let results = find(&index, "протокол");
    assert_eq!(results.hits[0].file, "minA/sys-a/protokol.txt", "{:?}", files(&results));
    assert!(files(&results).contains(&"minB/sys-b/akt.txt"));
}

#[test]
fn russian_forms_yo_prefixes_and_one_typo_match() {
    let dir = tempfile::tempdir().unwrap();
    corpus(dir.path());
    let index = build(dir.path());
    // ё in the query, е in the text and the other way round.
    let yo = find(&index, "объём");
    assert_eq!(yo.facets.files, 2, "{:?}", files(&yo));
    let e = find(&index, "объем");
    assert_eq!(e.facets.files, 2, "{:?}", files(&e));
    assert!(find(&index, "промышл*").facets.files == 2);
    let typo = find(&index, "лецензиатах");
    assert!(files(&typo).contains(&"minA/sys-a/opisanie.txt"), "{:?}", files(&typo));
    let marked = typo.hits[0].marked_snippet("[", "]");
    assert!(
        marked.contains("[лицензиатах]"),
        "the typo's match is highlighted: {marked}"
    );
    // An excluded word excludes its typo's pages too: both descriptions have «лицензиатах».
    assert!(find(&index, "шлюзом").facets.files >= 2);
    assert_eq!(find(&index, "шлюзом -лецензиатах").facets.files, 0);
    // A short word gets no typo tolerance (it would match too many other words).
    assert_eq!(find(&index, "акд").facets.files, 0);
    // Excluding a word.
    let excluded = find(&index, "112-ИБ -акт");
    assert_eq!(files(&excluded), ["minA/sys-a/protokol.txt"]);
}

#[test]
fn kazakh_forms_meet_and_snippets_keep_the_original_case() {
    let dir = tempfile::tempdir().unwrap();
    corpus(dir.path());
    let index = build(dir.path());
    for query in ["актісі", "хаттама", "деректер базасы", "жүйе", "пайдаланушылар"]
    {
        let results = find(&index, query);
        assert_eq!(
            files(&results).first(),
            Some(&"minC/sys-c/sipattama.txt"),
            "query {query}"
        );
    }
    // «акті» (Kazakh) also finds the Russian «Акт», which is the same word.
    let act = find(&index, "акті");
    assert!(files(&act).contains(&"minC/sys-c/sipattama.txt") && files(&act).contains(&"minB/sys-b/akt.txt"));
    let marked = find(&index, "жүйе").hits[0].marked_snippet("[", "]");
    assert!(marked.contains("[Жүйенің]"), "{marked}");
}

#[test]
fn the_epenthetic_vowel_of_a_loan_noun_does_not_split_its_forms() {
    let dir = tempfile::tempdir().unwrap();
    corpus(dir.path());
    let index = build(dir.path());
    // акт + і + лер + і: the Kazakh plural possessive finds the Russian «Акт» and the Kazakh «актісі».
    let acts = find(&index, "актілері");
    assert!(
        files(&acts).contains(&"minB/sys-b/akt.txt") && files(&acts).contains(&"minC/sys-c/sipattama.txt"),
        "{:?}",
        files(&acts)
    );
    assert!(acts.partial.is_none());
}

#[test]
fn one_word_no_page_has_does_not_empty_the_result_and_is_named() {
    let dir = tempfile::tempdir().unwrap();
    corpus(dir.path());
    let index = build(dir.path());
    // Every word is on some page, but no page has all three: the pages with two come first.
    let results = find(&index, "протокол испытаний табель");
    let partial = results.partial.as_ref().expect("the result says it is partial");
    assert!(partial.found_nowhere.is_empty(), "{partial:?}");
    let two_words: Vec<&str> = files(&results)[..2].to_vec();
    assert!(
        two_words.contains(&"minA/sys-a/protokol.txt") && two_words.contains(&"minB/sys-b/akt.txt"),
        "pages with both «протокол» and «испытаний» rank above the page with «табель» only: {:?}",
        files(&results)
    );
    assert!(files(&results).contains(&"minC/sys-c/uchet.txt"));
    // A word no page has is named, and the other words still find their pages.
    let results = find(&index, "протокол испытаний квазиэлектрофорез");
    let partial = results.partial.as_ref().expect("partial");
    assert_eq!(partial.found_nowhere, ["квазиэлектрофорез"]);
    assert_eq!(results.hits[0].file, "minA/sys-a/protokol.txt");
    // A query every word of which one page has is not partial, and an excluded word stays excluded.
    assert!(find(&index, "протокол испытаний").partial.is_none());
    let excluded = find(&index, "протокол испытаний квазиэлектрофорез -акт");
    assert!(
        !files(&excluded).contains(&"minB/sys-b/akt.txt"),
        "{:?}",
        files(&excluded)
    );
    // Nothing at all matches: an empty result, not a partial one.
    let none = find(&index, "квазиэлектрофорез гиперболоид");
    assert!(none.hits.is_empty() && none.partial.is_none());
}

#[test]
fn pages_where_the_words_stand_together_rank_first_wherever_they_lie_among_the_others() {
    // Eight files with both words, two of them with the words side by side. The phrase boost asks
    // each candidate page alone (`seek_danger`); a page without the phrase must not hide the
    // next one that has it, whichever order the index holds them in.
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "minA/sys-a/object.xml", &card("IS-A", "Министерство А"));
    let apart = "Администратор назначается приказом руководителя. Журнал событий ведётся \
                 ежедневно. Требования безопасности изложены в разделе 4.";
    // The same words, so only their order tells the pages apart.
    let together = "Администратор безопасности назначается приказом руководителя. Журнал событий \
                    ведётся ежедневно. Требования изложены в разделе 4.";
    let with_phrase = ["b.txt", "f.txt"];
    for name in ["a.txt", "b.txt", "c.txt", "d.txt", "e.txt", "f.txt", "g.txt", "h.txt"] {
        let text = if with_phrase.contains(&name) { together } else { apart };
        write(dir.path(), &format!("minA/sys-a/{name}"), text);
    }
    let index = build(dir.path());
    let results = find(&index, "администратор безопасности");
    assert_eq!(results.pages, 8, "{:?}", files(&results));
    let mut first_two = files(&results)[..2].to_vec();
    first_two.sort();
    assert_eq!(
        first_two,
        ["minA/sys-a/b.txt", "minA/sys-a/f.txt"],
        "{:?}",
        files(&results)
    );
    assert!(
        results.hits[1].score > results.hits[2].score,
        "the phrase adds to the score: {:?}",
        results.hits.iter().map(|h| h.score).collect::<Vec<_>>()
    );
}

#[test]
fn facets_count_matching_files_per_type_body_and_object() {
    let dir = tempfile::tempdir().unwrap();
    corpus(dir.path());
    let index = build(dir.path());
    let results = find(&index, "112-ИБ");
    let bodies: Vec<(&str, usize)> = results
        .facets
        .state_body
        .iter()
        .map(|c| (c.value.as_str(), c.files))
        .collect();
    assert_eq!(bodies, [("Министерство А", 1), ("Министерство Б", 1)]);
    let objects: Vec<&str> = results.facets.object_id.iter().map(|c| c.value.as_str()).collect();
    assert_eq!(objects, ["IS-A", "IS-B"]);
    let total: usize = results.facets.doc_type.iter().map(|c| c.files).sum();
    assert_eq!(total, 2);
    // Filtering by a facet value narrows the hits and the counts.
    let filtered = search(
        &index,
        "112-ИБ",
        &SearchOptions {
            limit: 10,
            state_body: Some("Министерство Б".into()),
            ..SearchOptions::default()
        },
    )
    .unwrap();
    assert_eq!(files(&filtered), ["minB/sys-b/akt.txt"]);
    assert_eq!(filtered.facets.files, 1);
}

#[test]
fn more_like_this_finds_the_duplicate_in_another_submission_after_files_change() {
    let dir = tempfile::tempdir().unwrap();
    corpus(dir.path());
    let rules = Rules::embedded().unwrap();
    let index = DocIndex::in_memory().unwrap();
    ingest(&discover(dir.path()).unwrap(), &index, &rules, &Limits::default()).unwrap();
    // Change one file and remove another: their old documents are deleted. Two small segments
    // are not worth a merge (`index/merge.rs`), so the deleted documents stay in them: searches
    // must pass them over, and what is left must still rank as before.
    write(
        dir.path(),
        "minA/sys-a/protokol.txt",
        "ПРОТОКОЛ № 113-ИБ, новая редакция.",
    );
    std::fs::remove_file(dir.path().join("minC/sys-c/uchet.txt")).unwrap();
    ingest(&discover(dir.path()).unwrap(), &index, &rules, &Limits::default()).unwrap();
    assert!(
        index.deleted_document_count() > 0,
        "a few small segments wait for a merge, with their deleted documents"
    );

    let similar = more_like_this(&index, "minA/sys-a/opisanie.txt", 5).unwrap();
    assert_eq!(
        similar.first().map(|s| s.file.as_str()),
        Some("minB/sys-b/opisanie.txt"),
        "{similar:?}"
    );
    assert!(
        similar.iter().all(|s| s.object_id != "IS-A"),
        "never the source's own submission"
    );
    assert!(
        similar.iter().all(|s| s.file != "minC/sys-c/uchet.txt"),
        "never a deleted document"
    );
    assert!(
        more_like_this(&index, "minC/sys-c/uchet.txt", 5).is_err(),
        "a removed file is unknown"
    );
}
