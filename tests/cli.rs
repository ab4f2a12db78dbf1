//! The command line as an operator meets it: each error printed once with what to do, exit codes
//! as the README documents them for `extract` and `search` too, a closed pipe that ends quietly,
//! `--type` that lists the valid types, `search CORPUS` that says what to run instead, and every
//! argument described in `--help` and named in the README's synopsis.

use std::io::Read;
use std::path::Path;
use std::process::{Output, Stdio};

mod support;

use support::{command, portalcheck, root, write};

fn stderr(output: &Output) -> String {
    String::from_utf8_lossy(&output.stderr).into_owned()
}

fn code(output: &Output) -> Option<i32> {
    output.status.code()
}

#[test]
fn an_error_is_printed_once_and_says_what_to_do() {
    let output = portalcheck(&["check", "/nonexistent/corpus"]);
    let text = stderr(&output);
    assert_eq!(code(&output), Some(2), "{text}");
    assert_eq!(text.matches("No such file or directory").count(), 1, "{text}");
    let lines: Vec<&str> = text.lines().collect();
    assert_eq!(lines.len(), 2, "one line for the error, one for what to do: {text}");
    assert!(
        lines[0].starts_with("portalcheck: cannot read the corpus `/nonexistent/corpus`"),
        "{text}"
    );
    assert!(
        lines[1].contains("what to do") && lines[1].contains("mounted"),
        "{text}"
    );
}

#[test]
fn extract_exits_2_when_there_is_no_file_to_read_and_0_for_a_bad_one() {
    let temp = tempfile::tempdir().unwrap();
    let missing = portalcheck(&["extract", "/nonexistent/akt.pdf"]);
    assert_eq!(code(&missing), Some(2), "{}", stderr(&missing));
    assert!(stderr(&missing).contains("check the path"));
    assert!(missing.stdout.is_empty());

    let directory = portalcheck(&[OsStrArg::from("extract"), temp.path().into()]);
    assert_eq!(code(&directory), Some(2), "{}", stderr(&directory));
    assert!(stderr(&directory).contains("is a directory"));

    // A file that is not a readable document is a finding, not a failed run.
    write(temp.path(), "broken.pdf", "%PDF-1.7 this is not a PDF body");
    let broken = portalcheck(&[
        OsStrArg::from("extract"),
        temp.path().join("broken.pdf").into(),
        "--json".into(),
    ]);
    assert_eq!(code(&broken), Some(0), "{}", stderr(&broken));
    let json: serde_json::Value = serde_json::from_slice(&broken.stdout).unwrap();
    assert_ne!(json["status"], "ok");
}

/// A small index of the sample's `minjust` submission, read in-process (fast, nothing to limit).
fn small_index(dir: &Path) -> std::path::PathBuf {
    let index = dir.join("index");
    let output = portalcheck(&[
        OsStrArg::from("ingest"),
        root().join("corpora/sample/minjust").into(),
        "--index".into(),
        index.clone().into(),
        "--isolation".into(),
        "in-process".into(),
    ]);
    assert!(output.status.success(), "{}", stderr(&output));
    index
}

#[test]
fn search_exit_codes_types_and_a_corpus_where_the_index_belongs() {
    let temp = tempfile::tempdir().unwrap();
    let index = small_index(temp.path());
    let search = |extra: &[&str]| {
        let mut args: Vec<OsStrArg> = vec!["search".into(), index.clone().into()];
        args.extend(extra.iter().map(|a| OsStrArg::from(*a)));
        portalcheck(&args)
    };

    let found = search(&["акт", "--type", "commissioning_act", "--json"]);
    assert_eq!(code(&found), Some(0), "{}", stderr(&found));
    let hits: serde_json::Value = serde_json::from_slice(&found.stdout).unwrap();
    let hit_count = hits["hits"].as_array().unwrap().len();
    assert!(hit_count > 0, "{hits}");

    // The type by its Russian name finds the same.
    let rules = portalcheck::rules::Rules::embedded().unwrap();
    let name = rules
        .doctype("commissioning_act")
        .unwrap()
        .name
        .get(portalcheck::lang::Lang::Ru)
        .to_string();
    let by_name = search(&["акт", "--type", &name, "--json"]);
    assert_eq!(code(&by_name), Some(0), "{}", stderr(&by_name));
    assert_eq!(by_name.stdout, found.stdout);

    // A typo lists the types, the closest first.
    let typo = search(&["акт", "--type", "comissioning_act"]);
    let text = stderr(&typo);
    assert_eq!(code(&typo), Some(2), "{text}");
    assert!(
        text.contains("unknown document type `comissioning_act`; did you mean `commissioning_act`?"),
        "{text}"
    );
    for doctype in &rules.doctypes {
        assert!(
            text.contains(&format!("  {}: ", doctype.id)),
            "{} not listed: {text}",
            doctype.id
        );
    }
    assert!(typo.stdout.is_empty());
    let short = stderr(&search(&["акт", "--type", "comisioning"]));
    assert!(short.contains("did you mean `commissioning_act`?"), "{short}");

    // No match is an answer, not a failure.
    let none = search(&["zzzzqqqq"]);
    assert_eq!(code(&none), Some(0), "{}", stderr(&none));
    assert!(stderr(&none).contains("no matches"));

    // The corpus where the index belongs: the advice names ingest with the corpus as CORPUS.
    let corpus = root().join("corpora/sample");
    let wrong = portalcheck(&[OsStrArg::from("search"), corpus.clone().into(), "акт".into()]);
    let text = stderr(&wrong);
    assert_eq!(code(&wrong), Some(2), "{text}");
    assert!(text.contains("is a corpus"), "{text}");
    assert!(
        text.contains(&format!("portalcheck ingest {} --index INDEX_DIR", corpus.display())),
        "{text}"
    );
    assert!(!text.contains(&format!("--index {}", corpus.display())), "{text}");

    // A state directory where its index belongs.
    let state = temp.path().join("state");
    std::fs::create_dir_all(state.join("history")).unwrap();
    std::fs::rename(&index, state.join("index")).unwrap();
    let state_search = portalcheck(&[OsStrArg::from("search"), state.clone().into(), "акт".into()]);
    assert_eq!(code(&state_search), Some(2));
    assert!(stderr(&state_search).contains(&format!("search {}", state.join("index").display())));

    let missing = portalcheck(&["search", "/nonexistent/index", "акт"]);
    assert_eq!(code(&missing), Some(2));
    assert!(stderr(&missing).contains("portalcheck ingest CORPUS --index /nonexistent/index"));
}

#[test]
fn a_closed_pipe_ends_the_run_quietly() {
    let temp = tempfile::tempdir().unwrap();
    let index = small_index(temp.path());
    for json in [false, true] {
        let mut child = command()
            .arg("search")
            .arg(&index)
            .arg("акт")
            .args(if json { &["--json"][..] } else { &[][..] })
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        // The reader goes away before a byte is written: every write meets a closed pipe.
        drop(child.stdout.take());
        let mut errors = String::new();
        child.stderr.take().unwrap().read_to_string(&mut errors).unwrap();
        let status = child.wait().unwrap();
        assert_eq!(status.code(), Some(0), "json {json}: {errors}");
        assert!(
            !errors.contains("Broken pipe") && !errors.contains("panicked"),
            "{errors}"
        );
    }
}

/// The commands the README's synopsis must show, with every flag.
const COMMANDS: [&str; 7] = ["check", "ingest", "nightly", "search", "extract", "serve", "answered"];

/// Each entry of `portalcheck CMD -h` (arguments and options) as (name, description).
fn help_entries(cmd: &str) -> Vec<(String, String)> {
    let output = portalcheck(&[cmd, "-h"]);
    assert!(output.status.success(), "{cmd} -h");
    let help = String::from_utf8(output.stdout).unwrap();
    let mut entries = Vec::new();
    let mut in_list = false;
    for line in help.lines() {
        if line.ends_with(':') && !line.starts_with(' ') {
            in_list = line == "Arguments:" || line == "Options:";
            continue;
        }
        let trimmed = line.trim_start();
        // Entries are indented by 2 (`<ARG>`, `-h, --help`) or 6 (`--long`); a description's
        // continuation lines by more.
        let indent = line.len() - trimmed.len();
        let is_entry = in_list
            && (indent == 2 || indent == 6)
            && (trimmed.starts_with('-') || trimmed.starts_with('<') || trimmed.starts_with('['));
        if is_entry {
            let (name, description) = match trimmed.split_once("  ") {
                Some((name, description)) => (name.trim(), description.trim()),
                None => (trimmed, ""),
            };
            entries.push((name.to_string(), description.to_string()));
        } else if in_list && indent > 6 {
            // Clap puts every description on the next line when the flags are long.
            if let Some((_, description)) = entries.last_mut().filter(|(_, d)| d.is_empty()) {
                *description = trimmed.to_string();
            }
        }
    }
    assert!(!entries.is_empty(), "{cmd}: {help}");
    entries
}

#[test]
fn help_describes_every_argument_and_the_readme_names_every_flag() {
    let readme = std::fs::read_to_string(root().join("README.md")).unwrap();
    let use_section = &readme[readme.find("## Use").unwrap()..];
    let synopsis = &use_section[..use_section.find("```\n\n").unwrap()];
    for cmd in COMMANDS {
        assert!(
            synopsis.contains(&format!("portalcheck {cmd} ")),
            "README synopsis lacks `{cmd}`"
        );
        for (name, description) in help_entries(cmd) {
            assert!(
                !description.is_empty(),
                "`portalcheck {cmd} --help`: `{name}` is not described"
            );
            let Some(flag) = name.split([' ', ',']).find(|part| part.starts_with("--")) else {
                continue;
            };
            if flag == "--help" || flag == "--version" {
                continue;
            }
            assert!(
                use_section.contains(flag),
                "README's Use section does not name `{cmd} {flag}`"
            );
        }
    }
}

/// An argument for [`portalcheck`]: text or a path, without a conversion at every call.
struct OsStrArg(std::ffi::OsString);

impl From<&str> for OsStrArg {
    fn from(s: &str) -> OsStrArg {
        OsStrArg(s.into())
    }
}

impl From<std::path::PathBuf> for OsStrArg {
    fn from(p: std::path::PathBuf) -> OsStrArg {
        OsStrArg(p.into_os_string())
    }
}

impl From<&Path> for OsStrArg {
    fn from(p: &Path) -> OsStrArg {
        OsStrArg(p.as_os_str().to_owned())
    }
}

impl AsRef<std::ffi::OsStr> for OsStrArg {
    fn as_ref(&self) -> &std::ffi::OsStr {
        &self.0
    }
}
