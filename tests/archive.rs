//! End to end with documents submitted inside a ZIP: each member is a file of the submission
//! (`docs.zip!/folder/akt.pdf`), proves what it would prove loose, and a refusal inside an archive
//! is still a refusal. Re-reads work at the archive's level: a changed archive replaces all its
//! members, a removed one removes them.

use std::io::Write;
use std::path::{Path, PathBuf};

use serde_json::Value;

mod support;

use support::{AS_OF, check_json, copy_tree, portalcheck, root};

const SUBMISSION: &str = "minzdrav/is-registr-dispansernykh-bolnykh";

fn check(corpus: &Path, index: Option<&Path>) -> Value {
    let mut extra = Vec::new();
    if let Some(index) = index {
        extra.extend(["--index", index.to_str().unwrap()]);
    }
    check_json(corpus, &extra).0
}

fn write_zip(path: &Path, members: &[(&str, Vec<u8>)]) {
    let mut writer = zip::ZipWriter::new(std::fs::File::create(path).unwrap());
    let options = zip::write::SimpleFileOptions::default().compression_method(zip::CompressionMethod::Deflated);
    writer.add_directory("folder/", options).unwrap();
    for (name, bytes) in members {
        writer.start_file(*name, options).unwrap();
        writer.write_all(bytes).unwrap();
    }
    writer.finish().unwrap();
}

fn submission<'a>(report: &'a Value, path: &str) -> &'a Value {
    report["submissions"]
        .as_array()
        .unwrap()
        .iter()
        .find(|s| s["path"] == path)
        .unwrap_or_else(|| panic!("{path} not in the report"))
}

fn requirement_statuses(submission: &Value) -> Vec<(String, String)> {
    submission["requirements"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| {
            (
                r["id"].as_str().unwrap().to_string(),
                r["status"].as_str().unwrap().to_string(),
            )
        })
        .collect()
}

fn requirement<'a>(submission: &'a Value, id: &str) -> &'a Value {
    submission["requirements"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["id"] == id)
        .unwrap_or_else(|| panic!("no requirement {id}"))
}

fn file<'a>(submission: &'a Value, path: &str) -> &'a Value {
    submission["files"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["file"] == path)
        .unwrap_or_else(|| panic!("{path} not among the files: {}", submission["files"]))
}

/// The sample submission with its act and IB protocol moved into `docs.zip` under `folder/`.
fn zipped_submission(corpus: &Path, act: Vec<u8>) -> PathBuf {
    let dir = corpus.join(SUBMISSION);
    copy_tree(&root().join("corpora/sample").join(SUBMISSION), &dir);
    let protocol = std::fs::read(dir.join("Протокол_ИБ.pdf")).unwrap();
    std::fs::remove_file(dir.join("akt_vvoda_2022.pdf")).unwrap();
    std::fs::remove_file(dir.join("Протокол_ИБ.pdf")).unwrap();
    write_zip(
        &dir.join("docs.zip"),
        &[("folder/akt.pdf", act), ("folder/Протокол_ИБ.pdf", protocol)],
    );
    dir
}

#[test]
fn documents_in_a_zip_prove_what_they_prove_loose() {
    let temp = tempfile::tempdir().unwrap();
    let loose = temp.path().join("loose");
    copy_tree(&root().join("corpora/sample").join(SUBMISSION), &loose.join(SUBMISSION));
    let loose_report = check(&loose, None);
    let loose_submission = submission(&loose_report, SUBMISSION);
    assert_eq!(
        loose_submission["verdict"], "complies",
        "the sample submission complies loose"
    );

    let zipped = temp.path().join("zipped");
    let act = std::fs::read(
        root()
            .join("corpora/sample")
            .join(SUBMISSION)
            .join("akt_vvoda_2022.pdf"),
    )
    .unwrap();
    zipped_submission(&zipped, act);
    let report = check(&zipped, None);
    let zipped_submission = submission(&report, SUBMISSION);
    assert_eq!(zipped_submission["verdict"], loose_submission["verdict"]);
    assert_eq!(zipped_submission["level"], loose_submission["level"]);
    assert_eq!(
        requirement_statuses(zipped_submission),
        requirement_statuses(loose_submission)
    );

    let member = format!("{SUBMISSION}/docs.zip!/folder/akt.pdf");
    let evidence = &requirement(zipped_submission, "p5.is.commissioning_document")["evidence"];
    assert!(
        evidence
            .as_array()
            .unwrap()
            .iter()
            .any(|e| e["file"] == member.as_str()),
        "the evidence names the member: {evidence}"
    );
    let act = file(zipped_submission, &member);
    assert_eq!(act["status"], "ok");
    assert_eq!(act["doc_type"], "commissioning_act");
    assert_eq!(act["archive"], format!("{SUBMISSION}/docs.zip"));
    let protocol = file(
        zipped_submission,
        &format!("{SUBMISSION}/docs.zip!/folder/Протокол_ИБ.pdf"),
    );
    assert_eq!(protocol["doc_type"], "security_test_protocol");
    let archive = file(zipped_submission, &format!("{SUBMISSION}/docs.zip"));
    assert_eq!(archive["status"], "ok");
    assert_eq!(archive["format"], "archive");

    let totals = &report["totals"];
    assert_eq!(totals["archive_members"], 2);
    assert_eq!(
        totals["files"].as_u64(),
        loose_report["totals"]["files"].as_u64().map(|n| n + 1),
        "two files moved into one archive: the archive is one file more"
    );

    // The Markdown report names the member too.
    let out = temp.path().join("out");
    let output = portalcheck(&[
        "check",
        zipped.to_str().unwrap(),
        "--as-of",
        AS_OF,
        "--out",
        out.to_str().unwrap(),
    ]);
    assert!(output.status.success(), "{}", String::from_utf8_lossy(&output.stderr));
    let markdown: String = walkdir::WalkDir::new(&out)
        .into_iter()
        .map(Result::unwrap)
        .filter(|e| e.path().extension().is_some_and(|x| x == "md"))
        .map(|e| std::fs::read_to_string(e.path()).unwrap())
        .collect();
    assert!(
        markdown.contains("docs.zip!/folder/akt.pdf"),
        "Markdown names the member"
    );
}

#[test]
fn a_refusal_inside_a_zip_does_not_comply() {
    let temp = tempfile::tempdir().unwrap();
    let refusal = std::fs::read(root().join("corpora/adversarial/refusal-ru/docs/Акт_ПЭ.pdf")).unwrap();
    zipped_submission(temp.path(), refusal);
    let report = check(temp.path(), None);
    let checked = submission(&report, SUBMISSION);
    assert_ne!(
        checked["verdict"], "complies",
        "a refusal proves nothing, zipped or not"
    );
    let commissioning = requirement(checked, "p5.is.commissioning_document");
    assert_ne!(commissioning["status"], "present", "{commissioning}");
    let member = file(checked, &format!("{SUBMISSION}/docs.zip!/folder/akt.pdf"));
    assert_eq!(member["status"], "ok");
    assert_ne!(member["doc_type"], "commissioning_act");
}

#[test]
fn an_archive_is_reread_as_a_whole_and_its_members_leave_with_it() {
    let temp = tempfile::tempdir().unwrap();
    let corpus = temp.path().join("corpus");
    let index = temp.path().join("index");
    let act = std::fs::read(
        root()
            .join("corpora/sample")
            .join(SUBMISSION)
            .join("akt_vvoda_2022.pdf"),
    )
    .unwrap();
    let dir = zipped_submission(&corpus, act.clone());
    let members = |report: &Value| -> Vec<String> {
        submission(report, SUBMISSION)["files"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|f| f["archive"].is_string())
            .map(|f| f["file"].as_str().unwrap().to_string())
            .collect()
    };
    let first = check(&corpus, Some(&index));
    assert_eq!(members(&first).len(), 2);

    // Unchanged: nothing is read again, the members are still there.
    let output = portalcheck(&["ingest", corpus.to_str().unwrap(), "--index", index.to_str().unwrap()]);
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(stderr.contains(" 0 read"), "{stderr}");
    assert!(stderr.contains("2 inside archives"), "{stderr}");
    assert_eq!(members(&check(&corpus, Some(&index))), members(&first));

    // Changed: the archive now holds only the act; the protocol's record must not stay behind.
    std::thread::sleep(std::time::Duration::from_millis(20));
    write_zip(&dir.join("docs.zip"), &[("folder/akt.pdf", act)]);
    let changed = check(&corpus, Some(&index));
    assert_eq!(
        members(&changed),
        vec![format!("{SUBMISSION}/docs.zip!/folder/akt.pdf")]
    );
    assert_ne!(
        requirement(submission(&changed, SUBMISSION), "p5.is.security_test_protocols")["status"],
        "present",
        "the protocol left with its member"
    );

    // Removed: its members go too.
    std::fs::remove_file(dir.join("docs.zip")).unwrap();
    let removed = check(&corpus, Some(&index));
    assert!(members(&removed).is_empty());
    assert_eq!(removed["totals"]["archive_members"], 0);
}

#[test]
fn extract_shows_the_members() {
    let temp = tempfile::tempdir().unwrap();
    let zip = temp.path().join("docs.zip");
    write_zip(
        &zip,
        &[
            ("folder/note.txt", "Служебная записка".as_bytes().to_vec()),
            ("../evil.txt", b"x".to_vec()),
        ],
    );
    let output = portalcheck(&["extract", zip.to_str().unwrap(), "--json", "--no-ocr"]);
    assert!(output.status.success(), "{}", String::from_utf8_lossy(&output.stderr));
    let view: Value = serde_json::from_slice(&output.stdout).unwrap();
    assert_eq!(view["status"], "ok");
    let members = view["members"].as_array().unwrap();
    assert_eq!(members.len(), 2);
    assert!(
        members[0]["file"]
            .as_str()
            .unwrap()
            .ends_with("docs.zip!/folder/note.txt")
    );
    assert_eq!(members[0]["pages"][0]["text"], "Служебная записка");
    assert_eq!(members[1]["status"], "unsupported");

    let output = portalcheck(&["extract", zip.to_str().unwrap(), "--no-ocr"]);
    let text = String::from_utf8_lossy(&output.stdout);
    assert!(text.contains("docs.zip!/folder/note.txt: Text, ok"), "{text}");
    assert!(text.contains("unsafe member name"), "{text}");
}
