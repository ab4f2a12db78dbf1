//! Ranked search over page text, with filters, facet counts and snippets.

use serde::Serialize;
use tantivy::Term;
use tantivy::collector::{Count, TopDocs};
use tantivy::query::{BooleanQuery, Occur, Query, TermQuery};
use tantivy::schema::IndexRecordOption;

use super::facets::{FacetCollector, Facets};
use super::{DocIndex, IndexError, query, snippet};

#[derive(Debug, Clone, Default)]
pub struct SearchOptions {
    pub limit: usize,
    pub doc_type: Option<String>,
    pub object_id: Option<String>,
    pub state_body: Option<String>,
}

/// One matching page.
#[derive(Debug, Clone, Serialize)]
pub struct Hit {
    pub score: f32,
    pub object_id: String,
    pub state_body: String,
    pub file: String,
    pub page: u64,
    pub sheet: Option<String>,
    pub doc_type: String,
    /// The excerpt in the page's own spelling, with matched words at `highlights` byte ranges.
    pub snippet: String,
    pub highlights: Vec<(usize, usize)>,
}

#[derive(Debug, Clone, Serialize)]
pub struct SearchResults {
    /// Matching pages in all (the hits are the best `limit` of them).
    pub pages: usize,
    /// Set when no page has every word of the query: the hits are then the pages with the most of
    /// them, and the renderers say so.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub partial: Option<PartialMatch>,
    pub hits: Vec<Hit>,
    /// Counts of matching files per document type, state body and object.
    pub facets: Facets,
}

/// What a partial result lacks.
#[derive(Debug, Clone, Serialize)]
pub struct PartialMatch {
    /// Words (or phrases) of the query that no page within the filters has, as typed.
    pub found_nowhere: Vec<String>,
}

pub fn search(index: &DocIndex, query_text: &str, options: &SearchOptions) -> Result<SearchResults, IndexError> {
    let (tantivy_index, searcher, fields) = index.searcher_parts();
    let built = query::build(tantivy_index, &fields, query_text)?;
    let filtered = |query: &dyn Query| -> BooleanQuery {
        let mut clauses: Vec<(Occur, Box<dyn Query>)> = vec![
            (Occur::Must, query.box_clone()),
            (Occur::Must, term(fields.record_kind, "page")),
        ];
        for (field, value) in [
            (fields.doc_type, &options.doc_type),
            (fields.object_id, &options.object_id),
            (fields.state_body, &options.state_body),
        ] {
            if let Some(value) = value {
                clauses.push((Occur::Must, term(field, value)));
            }
        }
        BooleanQuery::new(clauses)
    };
    let collectors = (
        TopDocs::with_limit(options.limit.max(1)).order_by_score(),
        Count,
        FacetCollector,
    );
    let (mut top, mut pages, mut facets) = searcher.search(&filtered(built.query.as_ref()), &collectors)?;
    let mut partial = None;
    if pages == 0
        && let Some(relaxed) = &built.relaxed
    {
        (top, pages, facets) = searcher.search(&filtered(relaxed.as_ref()), &collectors)?;
        if pages > 0 {
            let mut found_nowhere = Vec::new();
            for (typed, query) in &built.units {
                if searcher.search(&filtered(query.as_ref()), &Count)? == 0 {
                    found_nowhere.push(typed.clone());
                }
            }
            partial = Some(PartialMatch { found_nowhere });
        }
    }

    let mut hits = Vec::with_capacity(top.len());
    for (score, address) in top {
        let stored = fields.stored_page(&searcher.doc(address)?);
        let snippet = snippet::make(tantivy_index, &stored.text, &built.matchers);
        hits.push(Hit {
            score,
            object_id: stored.object_id,
            state_body: stored.state_body,
            file: stored.file,
            page: stored.page,
            sheet: stored.sheet,
            doc_type: stored.doc_type,
            snippet: snippet.text,
            highlights: snippet.highlights,
        });
    }
    // Equal scores are common (fieldnorms are quantised), and their order by document address would
    // follow which indexing thread took which file; file and page make the order the same every run.
    hits.sort_by(|a, b| {
        b.score
            .total_cmp(&a.score)
            .then_with(|| a.file.cmp(&b.file))
            .then(a.page.cmp(&b.page))
    });
    Ok(SearchResults {
        pages,
        partial,
        hits,
        facets,
    })
}

pub(crate) fn term(field: tantivy::schema::Field, value: &str) -> Box<dyn Query> {
    Box::new(TermQuery::new(
        Term::from_field_text(field, value),
        IndexRecordOption::Basic,
    ))
}

impl Hit {
    /// The snippet with matched words wrapped in `open`/`close` (e.g. ANSI bold, or `[`/`]`).
    pub fn marked_snippet(&self, open: &str, close: &str) -> String {
        self.snippet_parts()
            .into_iter()
            .map(|(part, marked)| {
                if marked {
                    format!("{open}{part}{close}")
                } else {
                    part.to_string()
                }
            })
            .collect()
    }

    /// The snippet cut into (text, is it a matched word) parts, for any kind of rendering.
    pub fn snippet_parts(&self) -> Vec<(&str, bool)> {
        let mut parts = Vec::new();
        let mut from = 0;
        for &(start, end) in &self.highlights {
            let valid = start >= from
                && end <= self.snippet.len()
                && self.snippet.is_char_boundary(start)
                && self.snippet.is_char_boundary(end);
            if !valid {
                continue;
            }
            if start > from {
                parts.push((&self.snippet[from..start], false));
            }
            parts.push((&self.snippet[start..end], true));
            from = end;
        }
        if from < self.snippet.len() {
            parts.push((&self.snippet[from..], false));
        }
        parts
    }
}
