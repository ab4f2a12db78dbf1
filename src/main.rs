//! The `portalcheck` binary: parse arguments, call the library, map errors to exit codes.
//!
//! Exit codes: 0 the run completed (findings are data, not errors); 2 the run could not complete
//! (bad arguments, unreadable corpus root, unusable index or rules).

mod cli;

use std::io::{IsTerminal, Write};
use std::path::Path;
use std::process::ExitCode;

use anyhow::{Context, Result};
use clap::Parser;

use cli::{Cli, Command, Common};
use portalcheck::corpus::discover;
use portalcheck::date::Date;
use portalcheck::extract::Limits;
use portalcheck::index::{DocIndex, SearchOptions, more_like_this, search};
use portalcheck::pipeline::{check, ingest};
use portalcheck::report::{Report, missing_documents_markdown, submission_markdown, table};
use portalcheck::rules::Rules;
use portalcheck::serve::{ServeConfig, Server};

const EXIT_RUN_FAILED: u8 = 2;

fn main() -> ExitCode {
    let cli = Cli::parse();
    match run(cli) {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => {
            eprintln!("portalcheck: {error:#}");
            ExitCode::from(EXIT_RUN_FAILED)
        }
    }
}

fn run(cli: Cli) -> Result<()> {
    match cli.command {
        Command::Ingest { corpus, index, common } => {
            let rules = load_rules(&common)?;
            let corpus = discover(&corpus).context("cannot read the corpus")?;
            let index = DocIndex::open_or_create(&index).context("cannot open the index")?;
            let summary = ingest(&corpus, &index, &rules, &limits(&common)).context("ingest failed")?;
            eprintln!(
                "indexed {} files: {} read, {} unchanged, {} removed{}",
                summary.files,
                summary.extracted.len(),
                summary.unchanged,
                summary.removed,
                if summary.rebuilt { " (index rebuilt)" } else { "" }
            );
            Ok(())
        }
        Command::Check {
            corpus,
            index,
            as_of,
            out,
            json,
            lang,
            common,
        } => {
            let rules = load_rules(&common)?;
            let corpus = discover(&corpus).context("cannot read the corpus")?;
            let index = match &index {
                Some(dir) => DocIndex::open_or_create(dir).context("cannot open the index")?,
                None => DocIndex::in_memory().context("cannot create an in-memory index")?,
            };
            ingest(&corpus, &index, &rules, &limits(&common)).context("ingest failed")?;
            let as_of = as_of.unwrap_or_else(Date::today_utc);
            let checked = check(&corpus, &index, &rules, as_of).context("check failed")?;
            let report = Report::build(&rules, &checked, as_of, lang);
            if let Some(out) = &out {
                write_reports(out, &report)?;
            }
            let mut stdout = std::io::stdout().lock();
            if json {
                serde_json::to_writer_pretty(&mut stdout, &report)?;
                writeln!(stdout)?;
            } else {
                write!(stdout, "{}", table(&report))?;
            }
            Ok(())
        }
        Command::Search {
            index,
            query,
            limit,
            doc_type,
            object,
            body,
            like,
            json,
        } => {
            let index = open_existing_index(&index)?;
            let mut stdout = std::io::stdout().lock();
            if let Some(file) = like {
                let similar = more_like_this(&index, &file, limit)?;
                if json {
                    serde_json::to_writer_pretty(&mut stdout, &similar)?;
                    writeln!(stdout)?;
                    return Ok(());
                }
                for s in &similar {
                    writeln!(
                        stdout,
                        "{}  {}  p. {}  [{}]  {:.2}",
                        s.object_id, s.file, s.page, s.doc_type, s.score
                    )?;
                }
                if similar.is_empty() {
                    eprintln!("no similar documents in other submissions");
                }
                return Ok(());
            }
            let query = query.unwrap_or_default();
            let results = search(
                &index,
                &query,
                &SearchOptions {
                    limit,
                    doc_type,
                    object_id: object,
                    state_body: body,
                },
            )?;
            if json {
                serde_json::to_writer_pretty(&mut stdout, &results)?;
                writeln!(stdout)?;
                return Ok(());
            }
            let (open, close) = if stdout.is_terminal() {
                ("\x1b[1m", "\x1b[0m")
            } else {
                ("[", "]")
            };
            for hit in &results.hits {
                let place = match &hit.sheet {
                    Some(sheet) => format!("sheet {} «{sheet}»", hit.page),
                    None => format!("p. {}", hit.page),
                };
                writeln!(
                    stdout,
                    "{}  {}  {place}  [{}]  {:.2}",
                    hit.object_id, hit.file, hit.doc_type, hit.score
                )?;
                writeln!(stdout, "    {}", hit.marked_snippet(open, close))?;
            }
            if results.hits.is_empty() {
                eprintln!("no matches");
                return Ok(());
            }
            let facets = &results.facets;
            writeln!(stdout, "\n{} pages in {} files", results.pages, facets.files)?;
            for (name, counts) in [
                ("type", &facets.doc_type),
                ("state body", &facets.state_body),
                ("object", &facets.object_id),
            ] {
                let shown: Vec<String> = counts
                    .iter()
                    .map(|c| {
                        let value = if c.value.is_empty() { "(none)" } else { c.value.as_str() };
                        format!("{value} {}", c.files)
                    })
                    .collect();
                writeln!(stdout, "{name}: {}", shown.join(", "))?;
            }
            Ok(())
        }
        Command::Serve {
            state,
            addr,
            token,
            corpus,
        } => {
            let config = ServeConfig {
                state,
                addr,
                token,
                corpus,
            };
            let server = Server::bind(config).context("cannot start the server")?;
            eprintln!("serving on http://{}/", server.local_addr());
            server.run();
            Ok(())
        }
    }
}

fn open_existing_index(index: &Path) -> Result<DocIndex> {
    if !index.join("meta.json").exists() {
        anyhow::bail!(
            "no index at `{}` (build one with `portalcheck ingest CORPUS --index {}`)",
            index.display(),
            index.display()
        );
    }
    DocIndex::open_existing(index).context("cannot open the index")
}

fn load_rules(common: &Common) -> Result<Rules> {
    match &common.rules {
        Some(dir) => Rules::from_dir(dir).with_context(|| format!("cannot load rules from `{}`", dir.display())),
        None => Rules::embedded().context("the shipped rules are invalid"),
    }
}

fn limits(common: &Common) -> Limits {
    Limits {
        max_file_bytes: common.max_file_mib.saturating_mul(1024 * 1024),
        ..Limits::default()
    }
}

fn write_reports(out: &Path, report: &Report) -> Result<()> {
    let submissions_dir = out.join("submissions");
    std::fs::create_dir_all(&submissions_dir)
        .with_context(|| format!("cannot create `{}`", submissions_dir.display()))?;
    let write = |path: &Path, text: &str| {
        std::fs::write(path, text).with_context(|| format!("cannot write `{}`", path.display()))
    };
    write(&out.join("report.json"), &serde_json::to_string_pretty(report)?)?;
    write(&out.join("missing-documents.md"), &missing_documents_markdown(report))?;
    for submission in &report.submissions {
        let name: String = submission
            .object_id
            .chars()
            .map(|c| {
                if c.is_alphanumeric() || c == '-' || c == '_' || c == '.' {
                    c
                } else {
                    '_'
                }
            })
            .collect();
        write(
            &submissions_dir.join(format!("{name}.md")),
            &submission_markdown(report, submission),
        )?;
    }
    Ok(())
}
