//! "More like this": documents in *other* submissions whose text resembles one document, to spot
//! systems registered twice (Order No. 193 p. 23.3 asks the integrator to look for duplicates).
//!
//! Our own, rather than Tantivy's `MoreLikeThisQuery`, which has panicked on indexes holding
//! deleted documents: here document frequencies are clamped to the live document count, so a
//! term whose postings are mostly deleted documents only gets a low weight.

use std::collections::HashMap;

use serde::Serialize;
use tantivy::Term;
use tantivy::collector::TopDocs;
use tantivy::query::{BooleanQuery, BoostQuery, Occur, Query, TermQuery};
use tantivy::schema::{Field, IndexRecordOption};

use super::query::analyse;
use super::search::term;
use super::{DocIndex, IndexError, RUSSIAN};

/// Terms of the source document that make up the query.
const QUERY_TERMS: usize = 30;
/// Shorter stems are mostly function words and numbers.
const MIN_TERM_CHARS: usize = 4;
/// Pages gathered before grouping them by file.
const PAGES_GATHERED: usize = 500;
/// Pages of the source document read to pick its terms.
const SOURCE_PAGES: usize = 10_000;

/// A document similar to the source.
#[derive(Debug, Clone, Serialize)]
pub struct Similar {
    pub file: String,
    pub object_id: String,
    pub state_body: String,
    pub doc_type: String,
    /// The page that resembles the source most.
    pub page: u64,
    pub score: f32,
}

/// Documents of other submissions most like `file` (a corpus-relative path as indexed), best first.
pub fn more_like_this(index: &DocIndex, file: &str, limit: usize) -> Result<Vec<Similar>, IndexError> {
    let (tantivy_index, searcher, fields) = index.searcher_parts();
    let source_query = BooleanQuery::new(vec![
        (Occur::Must, term(fields.file, file)),
        (Occur::Must, term(fields.record_kind, "page")),
    ]);
    let source_pages = searcher.search(&source_query, &TopDocs::with_limit(SOURCE_PAGES).order_by_score())?;
    if source_pages.is_empty() {
        return Err(IndexError::UnknownFile(file.to_string()));
    }
    let mut source_object = String::new();
    let mut frequencies: HashMap<String, u32> = HashMap::new();
    for (_, address) in source_pages {
        let stored = fields.stored_page(&searcher.doc(address)?);
        source_object = stored.object_id;
        for token in analyse(tantivy_index, RUSSIAN, &stored.text) {
            if token.chars().count() >= MIN_TERM_CHARS && !token.chars().any(|c| c.is_ascii_digit()) {
                *frequencies.entry(token).or_default() += 1;
            }
        }
    }

    let weighted = query_terms(&searcher, fields.text, frequencies)?;
    if weighted.is_empty() {
        return Ok(Vec::new());
    }

    let terms: Vec<(Occur, Box<dyn Query>)> = weighted
        .iter()
        .map(|(token, weight)| {
            let query: Box<dyn Query> = Box::new(BoostQuery::new(
                Box::new(TermQuery::new(
                    Term::from_field_text(fields.text, token),
                    IndexRecordOption::WithFreqs,
                )),
                *weight as f32,
            ));
            (Occur::Should, query)
        })
        .collect();
    let query = BooleanQuery::new(vec![
        (Occur::Must, Box::new(BooleanQuery::new(terms)) as Box<dyn Query>),
        (Occur::Must, term(fields.record_kind, "page")),
        (Occur::MustNot, term(fields.object_id, &source_object)),
    ]);
    let pages = searcher.search(&query, &TopDocs::with_limit(PAGES_GATHERED).order_by_score())?;

    let mut by_file: Vec<Similar> = Vec::new();
    for (score, address) in pages {
        let stored = fields.stored_page(&searcher.doc(address)?);
        // Pages come best first, so the first page seen of a file is its best.
        if by_file.iter().any(|s| s.file == stored.file) {
            continue;
        }
        by_file.push(Similar {
            file: stored.file,
            object_id: stored.object_id,
            state_body: stored.state_body,
            doc_type: stored.doc_type,
            page: stored.page,
            score,
        });
        if by_file.len() == limit {
            break;
        }
    }
    Ok(by_file)
}

/// The source's [`QUERY_TERMS`] heaviest terms by tf-idf, with each document frequency clamped
/// to the live document count (see the module's header).
fn query_terms(
    searcher: &tantivy::Searcher,
    text: Field,
    frequencies: HashMap<String, u32>,
) -> Result<Vec<(String, f64)>, IndexError> {
    let live_docs = searcher.num_docs().max(1) as f64;
    let mut weighted: Vec<(String, f64)> = Vec::new();
    for (token, tf) in frequencies {
        let doc_freq = searcher.doc_freq(&Term::from_field_text(text, &token))? as f64;
        if doc_freq == 0.0 {
            continue;
        }
        let doc_freq = doc_freq.min(live_docs);
        let idf = (1.0 + (live_docs - doc_freq + 0.5) / (doc_freq + 0.5)).ln();
        weighted.push((token, (1.0 + f64::from(tf).ln()) * idf));
    }
    weighted.sort_by(|a, b| b.1.total_cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
    weighted.truncate(QUERY_TERMS);
    Ok(weighted)
}
