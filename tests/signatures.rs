//! End to end: a sample submission with NCALayer-style signature files beside its documents.
//! The signer is shown beside the act in report.json and in the Markdown report; signature files
//! are files of their own (type `signature`) and never change what the documents prove.

use serde_json::Value;

mod support;

use support::{copy_tree, root};

#[test]
fn signer_is_shown_beside_the_signed_act() {
    let dir = tempfile::tempdir().unwrap();
    let corpus = dir.path().join("corpus");
    let submission = corpus.join("enis");
    copy_tree(&root().join("corpora/sample/minjust/enis"), &submission);
    let fixtures = root().join("tests/fixtures/signatures");
    // The fixtures' akt.pdf is this submission's act, byte for byte.
    assert_eq!(
        std::fs::read(fixtures.join("akt.pdf")).unwrap(),
        std::fs::read(submission.join("docs/akt.pdf")).unwrap()
    );
    for (fixture, name) in [
        ("akt.pdf.cms", "akt.pdf.cms"),
        ("gost.cms", "akt.pdf.gost.cms"),
        ("orphan.cms", "prikaz.pdf.cms"),
    ] {
        std::fs::copy(fixtures.join(fixture), submission.join("docs").join(name)).unwrap();
    }
    let out = dir.path().join("out");
    let output = support::command()
        .args(["check", corpus.to_str().unwrap(), "--as-of", "2026-11-22", "--out"])
        .arg(&out)
        .args(["--lang", "ru"])
        .output()
        .expect("the binary runs");
    assert!(output.status.success(), "{}", String::from_utf8_lossy(&output.stderr));

    let report: Value = serde_json::from_slice(&std::fs::read(out.join("report.json")).unwrap()).unwrap();
    let s = &report["submissions"][0];
    let file = |name: &str| {
        s["files"]
            .as_array()
            .unwrap()
            .iter()
            .find(|f| f["file"] == name)
            .unwrap_or_else(|| panic!("{name} not listed: {}", s["files"]))
            .clone()
    };
    // Signatures are files of the submission, read and typed, and prove nothing themselves.
    for name in [
        "enis/docs/akt.pdf.cms",
        "enis/docs/akt.pdf.gost.cms",
        "enis/docs/prikaz.pdf.cms",
    ] {
        let f = file(name);
        assert_eq!(
            (f["status"].as_str(), f["doc_type"].as_str()),
            (Some("ok"), Some("signature")),
            "{f}"
        );
    }
    assert_eq!(s["verdict"], "does_not_comply");
    assert_eq!(s["requirements"].as_array().unwrap().len(), 6);
    let requirement = |id: &str| {
        s["requirements"]
            .as_array()
            .unwrap()
            .iter()
            .find(|r| r["id"] == id)
            .unwrap_or_else(|| panic!("{id}"))["status"]
            .clone()
    };
    assert_eq!(requirement("p5.is.commissioning_document"), "present");
    assert_eq!(requirement("p5.is.security_test_protocols"), "missing");

    let act = file("enis/docs/akt.pdf");
    let signed_by = act["signed_by"].as_array().unwrap_or_else(|| panic!("{act}"));
    assert_eq!(signed_by.len(), 2, "{act}");
    let rsa = signed_by
        .iter()
        .find(|s| s["signature_file"] == "enis/docs/akt.pdf.cms")
        .unwrap();
    assert_eq!(rsa["signer"]["name"], "ИВАНОВ ИВАН ИВАНОВИЧ");
    assert_eq!(rsa["signer"]["iin"], "880101300123");
    assert_eq!(rsa["signer"]["bin"], "123456789012");
    assert_eq!(rsa["verification"]["outcome"], "verified");
    assert_eq!(rsa["link"], "digest");
    assert!(
        rsa["signing_time"].as_str().is_some_and(|t| t.starts_with("20")),
        "{rsa}"
    );
    let gost = signed_by
        .iter()
        .find(|s| s["signature_file"] == "enis/docs/akt.pdf.gost.cms")
        .unwrap();
    assert_eq!(gost["verification"]["outcome"], "not_verified");
    assert_eq!(gost["verification"]["problem"], "gost_algorithm");
    let orphan = &file("enis/docs/prikaz.pdf.cms")["signatures"][0];
    assert_eq!(orphan["link"], "not_found");
    assert_eq!(orphan["signed_file"], Value::Null);

    let markdown: String = std::fs::read_dir(out.join("submissions"))
        .unwrap()
        .map(|e| std::fs::read_to_string(e.unwrap().path()).unwrap())
        .collect();
    let act_line = markdown
        .lines()
        .find(|l| l.starts_with("| `enis/docs/akt.pdf`"))
        .unwrap_or_else(|| panic!("{markdown}"));
    assert!(
        act_line.contains("подписано ЭЦП: ИВАНОВ ИВАН ИВАНОВИЧ (ГУ Тест), ИИН 880101300123, БИН 123456789012"),
        "{act_line}"
    );
    assert!(act_line.contains("подпись математически верна; проверка сертификата в НУЦ РК не выполнялась"));
    assert!(
        act_line.contains("подпись по ГОСТ 34.310 присутствует, но не проверялась"),
        "{act_line}"
    );
    let orphan_line = markdown
        .lines()
        .find(|l| l.starts_with("| `enis/docs/prikaz.pdf.cms`"))
        .unwrap();
    assert!(
        orphan_line.contains("подписанный документ в представлении не найден"),
        "{orphan_line}"
    );
}
