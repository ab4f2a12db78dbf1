//! report.json against its published schema (`schemas/report.schema.json`), for `check --json` and
//! for `nightly`, on the corpora that are cheap to check; each report also goes through the typed
//! `Report` / `NightlyReport` and back unchanged, which is how `serve` reads it. And the object
//! card's published document types (`schemas/object-card.xsd`) against the rules.

use std::collections::BTreeSet;
use std::path::Path;

use portalcheck::report::{NightlyReport, Report};
use portalcheck::rules::{OBJECT_CARD, OTHER, Rules, SIGNATURE};
use serde::Serialize;
use serde::de::DeserializeOwned;
use serde_json::Value;

mod support;

use support::{AS_OF, check_json, copy_tree, root};

fn schema() -> jsonschema::Validator {
    let text = std::fs::read_to_string(root().join("schemas/report.schema.json")).unwrap();
    let schema: Value = serde_json::from_str(&text).expect("the schema is JSON");
    jsonschema::options()
        .should_validate_formats(true)
        .build(&schema)
        .expect("the schema compiles")
}

/// Every place where `report` breaks the schema, one line each.
fn violations(report: &Value) -> Vec<String> {
    schema()
        .iter_errors(report)
        .map(|e| format!("{}: {e}", e.instance_path))
        .collect()
}

fn assert_valid(what: &str, report: &Value) {
    let found = violations(report);
    assert!(
        found.is_empty(),
        "{what}: {} schema violations:\n{}",
        found.len(),
        found.join("\n")
    );
}

/// Reads `report` as `T` and writes it again: the same JSON, field for field.
fn assert_round_trip<T: DeserializeOwned + Serialize>(what: &str, report: &Value) {
    let typed: T = serde_json::from_value(report.clone()).unwrap_or_else(|e| panic!("{what}: does not read back: {e}"));
    let again = serde_json::to_value(&typed).unwrap();
    if &again != report {
        let (a, b) = (
            serde_json::to_string_pretty(report).unwrap(),
            serde_json::to_string_pretty(&again).unwrap(),
        );
        let line = a.lines().zip(b.lines()).position(|(x, y)| x != y).unwrap_or(0);
        panic!(
            "{what}: the report changes through the typed report, first at line {line}:\n{}\n---\n{}",
            a.lines()
                .skip(line.saturating_sub(3))
                .take(8)
                .collect::<Vec<_>>()
                .join("\n"),
            b.lines()
                .skip(line.saturating_sub(3))
                .take(8)
                .collect::<Vec<_>>()
                .join("\n"),
        );
    }
}

fn check_corpus(corpus: &str) -> Value {
    let (report, _) = check_json(&root().join(corpus), &[]);
    assert!(!report["submissions"].as_array().unwrap().is_empty(), "{corpus}");
    report
}

#[test]
fn the_sample_check_report_follows_the_schema_and_reads_back() {
    let report = check_corpus("corpora/sample");
    assert_valid("corpora/sample", &report);
    assert_round_trip::<Report>("corpora/sample", &report);
}

#[test]
fn the_hostile_check_report_follows_the_schema_and_reads_back() {
    let report = check_corpus("corpora/hostile");
    assert_valid("corpora/hostile", &report);
    assert_round_trip::<Report>("corpora/hostile", &report);
}

#[test]
fn the_adversarial_check_report_follows_the_schema_and_reads_back() {
    let report = check_corpus("corpora/adversarial");
    assert_valid("corpora/adversarial", &report);
    assert_round_trip::<Report>("corpora/adversarial", &report);
}

#[test]
fn the_peer_check_report_follows_the_schema_and_reads_back() {
    let report = check_corpus("corpora/peer");
    assert_valid("corpora/peer", &report);
    assert_round_trip::<Report>("corpora/peer", &report);
}

fn nightly(corpus: &Path, state: &Path, as_of: &str) -> Value {
    support::report_json(&support::nightly(corpus, state, as_of, &[]).0)
}

#[test]
fn nightly_reports_follow_the_schema_and_read_back() {
    let scratch = tempfile::tempdir().unwrap();
    let corpus = scratch.path().join("corpus");
    let state = scratch.path().join("state");
    copy_tree(&root().join("corpora/sample"), &corpus);
    let first = nightly(&corpus, &state, "2026-11-20");
    // A second run with something changed, so that the diff is not empty.
    std::fs::remove_file(corpus.join("minjust/enis/docs/akt.pdf")).unwrap();
    let second = nightly(&corpus, &state, AS_OF);
    assert!(
        second["diff"]["totals"]["files_removed"].as_u64().unwrap() >= 1,
        "{}",
        second["diff"]
    );
    for (what, report) in [("first nightly run", &first), ("second nightly run", &second)] {
        assert!(report.get("run").is_some(), "{what}: nightly's shape");
        assert_valid(what, report);
        assert_round_trip::<NightlyReport>(what, report);
    }
}

#[test]
fn the_schema_catches_a_report_that_breaks_it() {
    let mut report = check_corpus("corpora/sample");
    report["submissions"][0]["verdict"] = Value::from("maybe");
    report["as_of"] = Value::from("22.11.2026");
    let found = violations(&report);
    assert!(
        found.iter().any(|v| v.starts_with("/submissions/0/verdict")),
        "{found:?}"
    );
    assert!(found.iter().any(|v| v.starts_with("/as_of")), "{found:?}");
}

/// The values of `<xs:enumeration>` inside the simple type `name` of the XSD `xsd`.
fn xsd_enumeration(xsd: &str, name: &str) -> BTreeSet<String> {
    let start = xsd
        .find(&format!("<xs:simpleType name=\"{name}\">"))
        .unwrap_or_else(|| panic!("no simple type {name}"));
    let body = &xsd[start..start + xsd[start..].find("</xs:simpleType>").unwrap()];
    body.split("<xs:enumeration value=\"")
        .skip(1)
        .map(|rest| rest[..rest.find('"').unwrap()].to_string())
        .collect()
}

/// The card may declare any type the checker knows (`Rules::is_known_doctype`: no "declared type
/// unknown" warning): every type of doctypes.toml, look-alikes included, and the three reserved
/// ones the pipeline gives itself. The XSD publishes exactly that list.
#[test]
fn the_card_schema_lists_exactly_the_document_types_a_card_may_declare() {
    let xsd = std::fs::read_to_string(root().join("schemas/object-card.xsd")).unwrap();
    let published = xsd_enumeration(&xsd, "DocType");

    let doctypes: toml::Value =
        toml::from_str(&std::fs::read_to_string(root().join("schemas/doctypes.toml")).unwrap()).unwrap();
    let mut declarable: BTreeSet<String> = doctypes["doctype"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| d["id"].as_str().unwrap().to_string())
        .collect();
    declarable.extend([OTHER, OBJECT_CARD, SIGNATURE].map(String::from));

    assert_eq!(
        published.difference(&declarable).collect::<Vec<_>>(),
        Vec::<&String>::new(),
        "in object-card.xsd but not declarable"
    );
    assert_eq!(
        declarable.difference(&published).collect::<Vec<_>>(),
        Vec::<&String>::new(),
        "declarable but missing from object-card.xsd"
    );
    let rules = Rules::embedded().unwrap();
    for id in &published {
        assert!(rules.is_known_doctype(id), "{id}");
    }
}
