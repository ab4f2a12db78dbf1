//! Ranked search over page text, with filters by document type and object, and snippets.

use serde::Serialize;
use tantivy::TantivyDocument;
use tantivy::Term;
use tantivy::collector::TopDocs;
use tantivy::query::{BooleanQuery, Occur, Query, QueryParser, TermQuery};
use tantivy::schema::{IndexRecordOption, Value};
use tantivy::snippet::SnippetGenerator;

use super::{DocIndex, IndexError};

#[derive(Debug, Clone, Default)]
pub struct SearchOptions {
    pub limit: usize,
    pub doc_type: Option<String>,
    pub object_id: Option<String>,
}

/// One matching page.
#[derive(Debug, Clone, Serialize)]
pub struct Hit {
    pub score: f32,
    pub object_id: String,
    pub file: String,
    pub page: u64,
    pub sheet: Option<String>,
    pub doc_type: String,
    /// The excerpt, with matched words between `highlights` byte ranges.
    pub snippet: String,
    pub highlights: Vec<(usize, usize)>,
}

pub fn search(index: &DocIndex, query_text: &str, options: &SearchOptions) -> Result<Vec<Hit>, IndexError> {
    let (tantivy_index, searcher, fields) = index.searcher_parts();
    let mut parser = QueryParser::for_index(tantivy_index, vec![fields.text]);
    parser.set_conjunction_by_default();
    let text_query = parser.parse_query(query_text)?;

    let mut clauses: Vec<(Occur, Box<dyn Query>)> = vec![
        (Occur::Must, text_query.box_clone()),
        (Occur::Must, term(fields.record_kind, "page")),
    ];
    if let Some(doc_type) = &options.doc_type {
        clauses.push((Occur::Must, term(fields.doc_type, doc_type)));
    }
    if let Some(object_id) = &options.object_id {
        clauses.push((Occur::Must, term(fields.object_id, object_id)));
    }
    let query = BooleanQuery::new(clauses);
    let top = searcher.search(&query, &TopDocs::with_limit(options.limit.max(1)).order_by_score())?;

    let mut snippets = SnippetGenerator::create(&searcher, &*text_query, fields.text)?;
    snippets.set_max_num_chars(220);
    let mut hits = Vec::with_capacity(top.len());
    for (score, address) in top {
        let doc: TantivyDocument = searcher.doc(address)?;
        let text_of = |field| {
            doc.get_first(field)
                .and_then(|v| v.as_str())
                .unwrap_or_default()
                .to_string()
        };
        let snippet = snippets.snippet_from_doc(&doc);
        hits.push(Hit {
            score,
            object_id: text_of(fields.object_id),
            file: text_of(fields.file),
            page: doc.get_first(fields.page).and_then(|v| v.as_u64()).unwrap_or(1),
            sheet: doc.get_first(fields.sheet).and_then(|v| v.as_str()).map(str::to_string),
            doc_type: text_of(fields.doc_type),
            snippet: snippet.fragment().to_string(),
            highlights: snippet.highlighted().iter().map(|r| (r.start, r.end)).collect(),
        });
    }
    Ok(hits)
}

fn term(field: tantivy::schema::Field, value: &str) -> Box<dyn Query> {
    Box::new(TermQuery::new(
        Term::from_field_text(field, value),
        IndexRecordOption::Basic,
    ))
}

impl Hit {
    /// The snippet with matched words wrapped in `open`/`close` (e.g. ANSI bold, or `**`).
    pub fn marked_snippet(&self, open: &str, close: &str) -> String {
        let mut out = String::new();
        let mut from = 0;
        for &(start, end) in &self.highlights {
            if start < from || end > self.snippet.len() {
                continue;
            }
            out.push_str(&self.snippet[from..start]);
            out.push_str(open);
            out.push_str(&self.snippet[start..end]);
            out.push_str(close);
            from = end;
        }
        out.push_str(&self.snippet[from..]);
        out.split_whitespace().collect::<Vec<_>>().join(" ")
    }
}
