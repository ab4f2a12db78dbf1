//! The binary on `corpora/hostile` (see `corpora/hostile.md`), in a temporary copy to which the
//! test adds what git cannot hold. Nothing may crash, every file found must be reported exactly
//! once with a status and reason, the corpus bytes must not change, the valid submissions keep
//! their designed verdicts, and a run killed at random moments leaves an index from which the
//! next run produces the same report as a clean run.

use std::collections::{BTreeMap, BTreeSet};
use std::ffi::OsStr;
use std::hash::{Hash, Hasher};
use std::os::unix::ffi::OsStrExt;
use std::os::unix::fs::{PermissionsExt, symlink};
use std::path::{Path, PathBuf};
use std::process::Stdio;
use std::time::{Duration, Instant};

use serde_json::Value;

mod support;

use support::{AS_OF, check_json, copy_tree, portalcheck, root};

/// The committed hostile corpus plus what only exists at run time.
fn hostile_copy(dir: &Path) -> PathBuf {
    let corpus = dir.join("corpus");
    copy_tree(&root().join("corpora/hostile"), &corpus);
    let links = corpus.join("hostile/links");
    std::fs::create_dir_all(&links).unwrap();
    symlink("loop_b", links.join("loop_a")).unwrap();
    symlink("loop_a", links.join("loop_b")).unwrap();
    symlink("/etc/passwd", links.join("passwd")).unwrap();
    symlink("/", links.join("root_dir")).unwrap();
    symlink("..", links.join("parent_dir")).unwrap();
    let extra = corpus.join("mcriap/apk-vks-go/extra");
    let locked = extra.join("locked.pdf");
    std::fs::copy(corpus.join("hostile/loose/stray.pdf"), &locked).unwrap();
    std::fs::set_permissions(&locked, std::fs::Permissions::from_mode(0o000)).unwrap();
    std::fs::write(extra.join(OsStr::from_bytes(b"\xff\xfe-not-utf8-\xd0.txt")), "memo").unwrap();
    std::fs::write(extra.join(format!("{}.txt", "x".repeat(251))), "memo").unwrap();
    let fifo = std::ffi::CString::new(extra.join("pipe.fifo").as_os_str().as_bytes()).unwrap();
    // SAFETY: a valid NUL-terminated path.
    assert_eq!(unsafe { libc::mkfifo(fifo.as_ptr(), 0o644) }, 0, "mkfifo");
    corpus
}

/// Every non-directory entry under `corpus` (links not followed), as the report names them.
fn files_found(corpus: &Path) -> BTreeSet<String> {
    walkdir::WalkDir::new(corpus)
        .follow_links(false)
        .into_iter()
        .filter_map(Result::ok)
        .filter(|e| !e.file_type().is_dir())
        .map(|e| e.path().strip_prefix(corpus).unwrap().to_string_lossy().into_owned())
        .collect()
}

/// Content hash of every entry: file bytes, link targets, or the mode of what cannot be read.
fn fingerprint(corpus: &Path) -> BTreeMap<PathBuf, u64> {
    walkdir::WalkDir::new(corpus)
        .follow_links(false)
        .into_iter()
        .filter_map(Result::ok)
        .map(|e| {
            let mut hasher = std::collections::hash_map::DefaultHasher::new();
            let metadata = e.path().symlink_metadata().unwrap();
            metadata.permissions().mode().hash(&mut hasher);
            if e.path_is_symlink() {
                std::fs::read_link(e.path()).unwrap().hash(&mut hasher);
            } else if metadata.is_file() {
                match std::fs::read(e.path()) {
                    Ok(bytes) => bytes.hash(&mut hasher),
                    Err(_) => metadata.len().hash(&mut hasher),
                }
            }
            (e.path().to_path_buf(), hasher.finish())
        })
        .collect()
}

fn report_files(report: &Value) -> Vec<&Value> {
    report["submissions"]
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|s| s["files"].as_array().unwrap())
        .collect()
}

#[test]
fn hostile_corpus_every_file_accounted_nothing_crashes_nothing_changes() {
    let temp = tempfile::tempdir().unwrap();
    let corpus = hostile_copy(temp.path());
    let before = fingerprint(&corpus);
    let found = files_found(&corpus);

    let (report, output) = check_json(&corpus, &[]);
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(!stderr.contains("panicked"), "a panic reached stderr: {stderr}");
    assert_eq!(fingerprint(&corpus), before, "the corpus changed during the run");

    // Accounting: each file found once, each with a status, and a reason unless it is `ok`.
    let files = report_files(&report);
    let mut reported: BTreeMap<String, usize> = BTreeMap::new();
    for file in &files {
        *reported.entry(file["file"].as_str().unwrap().to_string()).or_default() += 1;
        let status = file["status"].as_str().unwrap();
        let reason = file["reason"].as_str().unwrap_or("");
        assert!(
            status == "ok" || !reason.trim().is_empty(),
            "{} is {status} without a reason",
            file["file"]
        );
        assert!(!reason.contains("parser panicked"), "{}: {reason}", file["file"]);
        assert!(
            !reason.contains("root:x:0:0"),
            "{}: an external entity was resolved",
            file["file"]
        );
    }
    let twice: Vec<_> = reported.iter().filter(|(_, n)| **n > 1).collect();
    assert!(twice.is_empty(), "reported more than once: {twice:?}");
    // Files inside archives are files of their own, each held by an archive that was found.
    let members: BTreeSet<String> = files
        .iter()
        .filter_map(|file| {
            let archive = file["archive"].as_str()?;
            let path = file["file"].as_str().unwrap();
            assert!(found.contains(archive), "{path}: its archive {archive} was not found");
            assert!(
                path.starts_with(&format!("{archive}!/")),
                "{path} is not named after {archive}"
            );
            Some(path.to_string())
        })
        .collect();
    let reported: BTreeSet<String> = reported.into_keys().collect();
    let expected: BTreeSet<String> = found.union(&members).cloned().collect();
    assert_eq!(
        reported.symmetric_difference(&expected).collect::<Vec<_>>(),
        Vec::<&String>::new(),
        "files found (and their archives' members) and files reported differ"
    );
    let totals = &report["totals"];
    assert_eq!(totals["files"].as_u64().unwrap() as usize, expected.len());
    assert_eq!(totals["archive_members"].as_u64().unwrap() as usize, members.len());
    let status_sum: u64 = totals["file_statuses"]
        .as_object()
        .unwrap()
        .values()
        .map(|n| n.as_u64().unwrap())
        .sum();
    assert_eq!(
        status_sum as usize,
        expected.len(),
        "status totals add up to the files found and their archives' members"
    );
    assert!(found.len() >= 79, "the hostile corpus is all there: {}", found.len());

    // What specific traps must come to.
    let status_of = |suffix: &str| -> (String, String) {
        let file = files
            .iter()
            .find(|f| f["file"].as_str().unwrap().ends_with(suffix))
            .unwrap_or_else(|| panic!("{suffix} not reported"));
        (
            file["status"].as_str().unwrap().to_string(),
            file["reason"].as_str().unwrap_or("").to_string(),
        )
    };
    for link in ["loop_a", "loop_b", "passwd", "root_dir", "parent_dir"] {
        let (status, reason) = status_of(&format!("links/{link}"));
        assert_eq!(status, "unsupported", "{link}: {reason}");
        assert!(reason.contains("not followed"), "{link}: {reason}");
    }
    assert_eq!(status_of("pipe.fifo").0, "unsupported");
    assert_eq!(
        status_of("extra/empty.pdf"),
        ("no_text".into(), "empty file (0 bytes)".into())
    );
    // Running as root reads a mode-000 file anyway; otherwise it must be a failure that says so.
    let (locked, locked_reason) = status_of("locked.pdf");
    assert!(
        locked == "ok" || (locked == "failed" && locked_reason.contains("ermission")),
        "{locked}: {locked_reason}"
    );
    for bomb in [
        "extra/bomb.docx",
        "extra/bomb_lying.docx",
        "bomb_lying.xlsx",
        "bomb.odt",
    ] {
        let (status, reason) = status_of(bomb);
        assert!(
            status == "too_large" || status == "corrupt",
            "{bomb} must be refused with the limit named: {status}: {reason}"
        );
        assert!(reason.contains("MiB") || reason.contains("bomb"), "{bomb}: {reason}");
    }
    assert_eq!(
        status_of("extra/memo_named.xlsx").0,
        "ok",
        "a PDF named .xlsx is read as a PDF"
    );
    // A PNG signature over random bytes is an image that does not decode.
    assert_eq!(status_of("extra/photo_named.pdf").0, "corrupt");
    let (status, reason) = status_of("prilozheniya/scan_100000x100000.png");
    assert_eq!(status, "too_large", "{reason}");
    assert!(
        reason.contains("100000×100000 pixels") && reason.contains("megapixels per page; not decoded"),
        "{reason}"
    );
    let (status, reason) = status_of("prilozheniya/scan_endless_frames.tif");
    assert_eq!(status, "no_text", "{reason}");
    assert!(reason.contains("only the first 300 frames were read"), "{reason}");
    // Legacy Word cut short, or with a sector chain that loops: refused, in bounded time.
    for doc in ["prilozheniya/truncated_half.doc", "prilozheniya/fat_cycle.doc"] {
        let (status, reason) = status_of(doc);
        assert_eq!(status, "corrupt", "{doc}: {reason}");
        assert!(
            reason.starts_with("Word document (.doc)") && reason.contains("cannot be read"),
            "{doc}: {reason}"
        );
    }
    assert_eq!(
        status_of("extra/memo_stray_bytes.txt"),
        (
            "ok".into(),
            "UTF-8 with 2 invalid byte(s), each broken sequence shown as U+FFFD".into()
        )
    );
    assert_eq!(status_of("hostile/loose/stray.pdf").0, "ok");
    assert_archive_traps(&status_of, &files);

    // The valid submissions keep the verdicts they were designed with.
    let expected: Value =
        serde_json::from_str(&std::fs::read_to_string(root().join("tests/expected/sample.json")).unwrap()).unwrap();
    let mut compared = 0;
    for submission in report["submissions"].as_array().unwrap() {
        let id = submission["object_id"].as_str().unwrap();
        let Some(want) = expected["submissions"].get(id) else {
            continue;
        };
        compared += 1;
        assert_eq!(submission["verdict"], want["verdict"], "{id} verdict");
        assert_eq!(submission["level"], want["level"], "{id} level");
        for requirement in submission["requirements"].as_array().unwrap() {
            let rid = requirement["id"].as_str().unwrap();
            assert_eq!(requirement["status"], want["requirements"][rid], "{id} {rid}");
        }
        for file in submission["files"].as_array().unwrap() {
            if let Some(want_file) = want["files"].get(file["file"].as_str().unwrap()) {
                assert_eq!(file["status"], want_file["status"], "{}", file["file"]);
                assert_eq!(file["doc_type"], want_file["doc_type"], "{}", file["file"]);
            }
        }
    }
    assert_eq!(compared, 5, "the five valid submissions are in the report");
    // Cards with entities are refused, so those submissions need review, never comply.
    for submission in report["submissions"].as_array().unwrap() {
        if submission["path"].as_str().unwrap().starts_with("hostile/card-") {
            assert_eq!(submission["verdict"], "needs_review", "{}", submission["path"]);
        }
    }
    eprintln!("hostile corpus totals: {}", report["totals"]);
}

/// What each hostile archive (`corpora/hostile/hostile/archives/`) and its members come to.
fn assert_archive_traps(status_of: &dyn Fn(&str) -> (String, String), files: &[&Value]) {
    const DIR: &str = "hostile/archives";
    let (status, reason) = status_of(&format!("{DIR}/flat_bomb.zip!/zeros.txt"));
    assert_eq!(status, "too_large", "{reason}");
    assert!(reason.contains("zip bomb"), "{reason}");
    assert_eq!(status_of(&format!("{DIR}/flat_bomb.zip!/readme.txt")).0, "ok");

    let nested: Vec<&&Value> = files
        .iter()
        .filter(|f| {
            f["file"]
                .as_str()
                .unwrap()
                .starts_with(&format!("{DIR}/nested_bomb.zip!/"))
        })
        .collect();
    assert!(!nested.is_empty());
    assert!(
        nested.iter().all(|f| f["status"] != "ok" || f["format"] == "archive"),
        "no leaf of the nested bomb is read"
    );
    assert!(
        nested
            .iter()
            .any(|f| f["status"] == "too_large" && f["reason"].as_str().unwrap().contains("nested deeper")),
        "the depth limit is named"
    );

    for name in [
        "traversal_windows.zip!/C:\\Windows\\evil.txt",
        "traversal_windows.zip!/..\\..\\evil.txt",
    ] {
        let (status, reason) = status_of(&format!("{DIR}/{name}"));
        assert_eq!(status, "unsupported", "{name}: {reason}");
        assert!(reason.contains("unsafe member name"), "{name}: {reason}");
    }
    assert_eq!(status_of(&format!("{DIR}/traversal_windows.zip!/ok.txt")).0, "ok");
    // A folder written with a backslash leads nowhere (nothing is written): it is read.
    assert_eq!(
        status_of(&format!("{DIR}/traversal_windows.zip!/docs\\akt.txt")).0,
        "ok"
    );
    assert_eq!(
        status_of("prilozheniya/traversal.zip!/../../../../etc/cron.d/evil").0,
        "unsupported"
    );
    let (status, reason) = status_of(&format!("{DIR}/symlink_member.zip!/akt.pdf"));
    assert_eq!(status, "unsupported", "{reason}");
    assert!(reason.contains("symbolic link"), "{reason}");
    assert!(!reason.contains("root:"), "the link was followed: {reason}");
    assert_eq!(status_of(&format!("{DIR}/encrypted.zip!/akt.txt")).0, "encrypted");
    assert_eq!(status_of(&format!("{DIR}/truncated.zip")).0, "corrupt");
    let (status, reason) = status_of(&format!("{DIR}/empty.zip"));
    assert_eq!(status, "no_text", "{reason}");
    assert!(reason.contains("empty ZIP archive"), "{reason}");
    let (status, reason) = status_of(&format!("{DIR}/many_members.zip"));
    assert_eq!(status, "too_large", "{reason}");
    assert!(reason.contains("1000") && reason.contains("10 more"), "{reason}");
    assert_eq!(status_of(&format!("{DIR}/cp866_names.zip!/Акт ввода.txt")).0, "ok");
}

#[test]
fn limits_are_enforced_per_file_and_named() {
    let temp = tempfile::tempdir().unwrap();
    let corpus = temp.path().join("corpus");
    std::fs::create_dir_all(corpus.join("a")).unwrap();
    // 300 MB of text cannot be read (let alone decoded) in 256 MiB of address space.
    let big = std::fs::File::create(corpus.join("a/big.txt")).unwrap();
    big.set_len(300 * 1024 * 1024).unwrap();
    std::fs::write(corpus.join("a/small.txt"), "Служебная записка").unwrap();
    let (report, _) = check_json(&corpus, &["--max-memory-mib", "256", "--max-file-mib", "1000"]);
    let files = report_files(&report);
    let big = files.iter().find(|f| f["file"] == "a/big.txt").unwrap();
    assert_eq!(big["status"], "too_large", "{big}");
    assert!(
        big["reason"]
            .as_str()
            .unwrap()
            .contains("max_memory_mib limit of 256 MiB"),
        "{big}"
    );
    let small = files.iter().find(|f| f["file"] == "a/small.txt").unwrap();
    assert_eq!(
        small["status"], "ok",
        "the neighbour of a file over a limit is unaffected"
    );
}

#[test]
fn exit_codes_distinguish_findings_from_failure() {
    let temp = tempfile::tempdir().unwrap();
    let corpus_of = |name: &str, submissions: &[&str]| {
        let corpus = temp.path().join(name);
        for submission in submissions {
            copy_tree(
                &root().join("corpora/sample").join(submission),
                &corpus.join(submission),
            );
        }
        corpus
    };
    let complies = corpus_of("complies", &["mcriap/ppp-servis-uvedomlenii"]);
    let review = corpus_of(
        "review",
        &["mcriap/ppp-servis-uvedomlenii", "minpros/is-elektronnyi-uchebnik"],
    );
    let fails = corpus_of("fails", &["mcriap/ppp-servis-uvedomlenii", "minjust/enis"]);
    let code = |corpus: &Path, extra: &[&str]| {
        let mut args: Vec<&OsStr> = vec![
            OsStr::new("check"),
            corpus.as_os_str(),
            OsStr::new("--as-of"),
            OsStr::new(AS_OF),
        ];
        args.extend(extra.iter().map(OsStr::new));
        portalcheck(&args).status.code()
    };
    assert_eq!(code(&complies, &["--fail-on", "needs_review"]), Some(0));
    assert_eq!(code(&fails, &[]), Some(0), "findings are data");
    assert_eq!(code(&fails, &["--fail-on", "missing"]), Some(1));
    assert_eq!(
        code(&review, &["--fail-on", "missing"]),
        Some(0),
        "needs_review is not missing"
    );
    assert_eq!(code(&review, &["--fail-on", "needs_review"]), Some(1));
    assert_eq!(
        code(Path::new("/nonexistent/corpus"), &[]),
        Some(2),
        "the run could not complete"
    );
    assert_eq!(code(&complies, &["--no-such-flag"]), Some(2), "bad arguments");
    let broken_index = temp.path().join("broken-index");
    std::fs::create_dir_all(&broken_index).unwrap();
    std::fs::write(broken_index.join("meta.json"), "{ not an index").unwrap();
    assert_eq!(
        code(&complies, &["--index", broken_index.to_str().unwrap()]),
        Some(2),
        "an unusable index"
    );
}

/// Kills `ingest` at seeded random moments, then checks that the next run's report equals a
/// clean run's.
#[test]
fn killed_runs_leave_an_index_the_next_run_completes_from() {
    let temp = tempfile::tempdir().unwrap();
    let corpus = temp.path().join("corpus");
    copy_tree(&root().join("corpora/hostile"), &corpus);
    let index = temp.path().join("index");

    let (clean, _) = check_json(&corpus, &[]);
    // How long a full ingest takes here, so the kills land inside one.
    let started = Instant::now();
    let scratch = temp.path().join("scratch-index");
    let full = portalcheck(&[
        OsStr::new("ingest"),
        corpus.as_os_str(),
        OsStr::new("--index"),
        scratch.as_os_str(),
    ]);
    assert!(full.status.success());
    let clean_run = started.elapsed();

    let mut seed: u64 = 0x5eed_0004;
    let mut next = move || {
        seed ^= seed << 13;
        seed ^= seed >> 7;
        seed ^= seed << 17;
        seed
    };
    let mut kills = Vec::new();
    for round in 0..5u64 {
        // New modification times make every file stale, so each killed run re-reads them all
        // instead of finding an up-to-date index and finishing at once.
        let stamp = std::time::SystemTime::UNIX_EPOCH + Duration::from_secs(1_800_000_000 + round * 60);
        for entry in walkdir::WalkDir::new(&corpus).into_iter().filter_map(Result::ok) {
            if entry.file_type().is_file() {
                let file = std::fs::File::options().append(true).open(entry.path()).unwrap();
                file.set_modified(stamp).unwrap();
            }
        }
        let delay = Duration::from_millis(next() % (clean_run.as_millis() as u64).max(1));
        let mut child = support::command()
            .arg("ingest")
            .arg(&corpus)
            .arg("--index")
            .arg(&index)
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        std::thread::sleep(delay);
        let finished_first = child.try_wait().unwrap().is_some();
        let _ = child.kill(); // SIGKILL
        child.wait().unwrap();
        kills.push((delay, finished_first));
    }
    eprintln!("full ingest {clean_run:?}; kills (delay, had already finished): {kills:?}");

    let (resumed, _) = check_json(&corpus, &["--index", index.to_str().unwrap()]);
    assert_eq!(
        resumed, clean,
        "the report after killed runs differs from a clean run's"
    );
    let (again, _) = check_json(&corpus, &["--index", index.to_str().unwrap()]);
    assert_eq!(again, clean, "and stays the same on the next run");
}

#[test]
fn entities_are_never_expanded_nor_fetched() {
    use portalcheck::extract::{Limits, extract_file};
    for file in [
        "minzdrav/kmis/prilozheniya/billion_laughs.docx",
        "minzdrav/kmis/prilozheniya/external_entity.docx",
        "mcriap/ppp-servis-uvedomlenii/billion_laughs.xml",
        "mcriap/ppp-servis-uvedomlenii/xxe.xml",
    ] {
        let got = extract_file(&root().join("corpora/hostile").join(file), &Limits::without_ocr());
        let text = got.full_text();
        assert!(
            text.len() < 1000,
            "{file}: {} bytes of text: entities expanded",
            text.len()
        );
        assert!(!text.contains("root:"), "{file}: an external entity was read");
        assert!(
            text.contains("&j;")
                || text.contains("&lol9;")
                || text.contains("&x;")
                || got.status != portalcheck::extract::FileStatus::Ok,
            "{file}: {:?} {:?} {text:?}",
            got.status,
            got.reason
        );
    }
}
