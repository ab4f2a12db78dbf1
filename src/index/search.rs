//! Ranked search over page text, with filters, facet counts and snippets.

use std::collections::{HashMap, HashSet};

use serde::Serialize;
use tantivy::collector::{Count, DocSetCollector, TopDocs};
use tantivy::columnar::StrColumn;
use tantivy::query::{BooleanQuery, EnableScoring, Occur, Query, Scorer, TermQuery};
use tantivy::schema::IndexRecordOption;
use tantivy::{DocAddress, DocId, DocSet, Score, SeekDangerResult, Term};

use super::facets::{FacetCollector, Facets};
use super::{DocIndex, Fields, FileRecord, IndexError, StoredPage, query, snippet};
use crate::date::Date;

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
    /// The document's date as read from its title block, when it has one.
    pub date: Option<Date>,
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

/// How the matching pages are ordered.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum SortOrder {
    /// Best match first.
    #[default]
    Relevance,
    /// The document's own date (read from its title block), newest first; undated last.
    Date,
    /// By file path, then page.
    File,
}

impl SortOrder {
    pub const ALL: [SortOrder; 3] = [SortOrder::Relevance, SortOrder::Date, SortOrder::File];

    pub fn as_str(self) -> &'static str {
        match self {
            SortOrder::Relevance => "relevance",
            SortOrder::Date => "date",
            SortOrder::File => "file",
        }
    }

    pub fn parse(text: &str) -> Option<SortOrder> {
        SortOrder::ALL.into_iter().find(|s| s.as_str() == text)
    }
}

/// Which slice of the ordered matches to return: `limit` hits after the first `offset`.
#[derive(Debug, Clone, Copy)]
pub struct Window {
    pub offset: usize,
    pub limit: usize,
    pub sort: SortOrder,
}

/// The best `options.limit` pages, by relevance.
pub fn search(index: &DocIndex, query_text: &str, options: &SearchOptions) -> Result<SearchResults, IndexError> {
    let window = Window {
        offset: 0,
        limit: options.limit,
        sort: SortOrder::Relevance,
    };
    search_window(index, query_text, options, &window)
}

/// One window of the matching pages in the order asked for; `pages` counts them all.
/// `options.limit` is not used: the window says how many.
pub fn search_window(
    index: &DocIndex,
    query_text: &str,
    options: &SearchOptions,
    window: &Window,
) -> Result<SearchResults, IndexError> {
    let (tantivy_index, searcher, fields) = index.searcher_parts();
    let built = query::build(tantivy_index, &searcher, &fields, query_text)?;
    let (mut chosen, mut pages, mut facets) =
        matching_window(index, &searcher, &fields, &built.query, &built.boosts, options, window)?;
    let mut partial = None;
    if pages == 0
        && let Some(relaxed) = &built.relaxed
    {
        // Most words first is the point of a partial result, whatever order was asked for.
        let by_relevance = Window {
            sort: SortOrder::Relevance,
            ..*window
        };
        (chosen, pages, facets) = matching_window(
            index,
            &searcher,
            &fields,
            relaxed,
            &built.boosts,
            options,
            &by_relevance,
        )?;
        if pages > 0 {
            let mut found_nowhere = Vec::new();
            for (typed, query) in &built.units {
                if searcher.search(&filtered(&fields, query.box_clone(), options), &Count)? == 0 {
                    found_nowhere.push(typed.clone());
                }
            }
            partial = Some(PartialMatch { found_nowhere });
        }
    }

    let mut hits = Vec::with_capacity(chosen.len());
    let mut dates = DateCache::default();
    for (score, _, stored) in chosen {
        let snippet = snippet::make(tantivy_index, &stored.text, &built.matchers);
        let date = dates.date_of(index, &stored.file)?;
        hits.push(Hit {
            score,
            object_id: stored.object_id,
            state_body: stored.state_body,
            file: stored.file,
            page: stored.page,
            sheet: stored.sheet,
            doc_type: stored.doc_type,
            date,
            snippet: snippet.text,
            highlights: snippet.highlights,
        });
    }
    if window.sort == SortOrder::Relevance || partial.is_some() {
        // Equal scores are common (fieldnorms are quantised), and their order by document address
        // would follow which indexing thread took which file; file and page make the order the
        // same every run.
        hits.sort_by(|a, b| {
            b.score
                .total_cmp(&a.score)
                .then_with(|| a.file.cmp(&b.file))
                .then(a.page.cmp(&b.page))
        });
    }
    Ok(SearchResults {
        pages,
        partial,
        hits,
        facets,
    })
}

type Chosen = Vec<(f32, DocAddress, StoredPage)>;

/// How many of the best pages by their matching scores are scored again with the query's boosts
/// (the whole query as a phrase, the exact spellings). The order is the same for every window:
/// these pages by their boosted scores, then the rest by matching scores alone (a page below them
/// gains no boost; at that depth an analyst pages by date or file).
const RESCORED: usize = 200;

/// The window of pages `query` matches within the filters, their count and their facets.
fn matching_window(
    index: &DocIndex,
    searcher: &tantivy::Searcher,
    fields: &Fields,
    query: &dyn Query,
    boosts: &[Box<dyn Query>],
    options: &SearchOptions,
    window: &Window,
) -> Result<(Chosen, usize, Facets), IndexError> {
    let query = filtered(fields, query.box_clone(), options);
    let limit = window.limit.max(1);
    Ok(match window.sort {
        SortOrder::Relevance => {
            let wanted = window.offset.saturating_add(limit).max(RESCORED);
            let top = TopDocs::with_limit(wanted).order_by_score();
            let (top, pages, facets) = searcher.search(&query, &(top, Count, FacetCollector))?;
            let ranked = boosted(searcher, boosts, top)?;
            let mut chosen = Vec::with_capacity(limit);
            for (score, address) in ranked.into_iter().skip(window.offset).take(limit) {
                chosen.push((score, address, fields.stored_page(&searcher.doc(address)?)));
            }
            (chosen, pages, facets)
        }
        SortOrder::Date | SortOrder::File => {
            let (all, facets) = searcher.search(&query, &(DocSetCollector, FacetCollector))?;
            let pages = all.len();
            (ordered_window(index, searcher, fields, all, window)?, pages, facets)
        }
    })
}

/// `top` (best first) with the boosts added to the first [`RESCORED`] and those ordered again; a
/// boost's score is what it would add as a clause of the query.
///
/// Each boost is asked about the candidates alone, in document order. A phrase's scorer, asked
/// to `seek` a page without the phrase, would read on to the next page that has it, checking the
/// positions of every page between: a rare phrase of common words then cost by the corpus. The
/// `seek_danger` contract answers for the page asked about and no further.
fn boosted(
    searcher: &tantivy::Searcher,
    boosts: &[Box<dyn Query>],
    mut top: Vec<(Score, DocAddress)>,
) -> Result<Vec<(Score, DocAddress)>, IndexError> {
    if boosts.is_empty() || top.is_empty() {
        return Ok(top);
    }
    let pool = top.len().min(RESCORED);
    let mut weights = Vec::with_capacity(boosts.len());
    for boost in boosts {
        weights.push(boost.weight(EnableScoring::enabled_from_searcher(searcher))?);
    }
    let mut in_doc_order: Vec<usize> = (0..pool).collect();
    in_doc_order.sort_by_key(|&i| top[i].1);
    let mut segment = None;
    // Per boost, in the open segment: its scorer once opened, and the first page it may match.
    let mut scorers: Vec<(Option<Box<dyn Scorer>>, DocId)> = Vec::new();
    for i in in_doc_order {
        let address = top[i].1;
        if segment != Some(address.segment_ord) {
            segment = Some(address.segment_ord);
            scorers = weights.iter().map(|_| (None, 0)).collect();
        }
        let reader = searcher.segment_reader(address.segment_ord);
        for (weight, (scorer, next_possible)) in weights.iter().zip(&mut scorers) {
            if address.doc_id < *next_possible {
                continue;
            }
            let answer = match scorer {
                Some(open) => open.seek_danger(address.doc_id),
                None => {
                    let (answer, opened) = weight.scorer_danger(reader, address.doc_id, 1.0)?;
                    *scorer = Some(opened);
                    answer
                }
            };
            match answer {
                SeekDangerResult::Found => {
                    if let Some(open) = scorer {
                        top[i].0 += open.score();
                    }
                    *next_possible = address.doc_id + 1;
                }
                SeekDangerResult::SeekLowerBound(bound) => *next_possible = bound,
            }
        }
    }
    top[..pool].sort_by(|a, b| b.0.total_cmp(&a.0).then(a.1.cmp(&b.1)));
    Ok(top)
}

/// The query with the filters as required clauses, on pages only.
fn filtered(fields: &Fields, query: Box<dyn Query>, options: &SearchOptions) -> BooleanQuery {
    let mut clauses: Vec<(Occur, Box<dyn Query>)> =
        vec![(Occur::Must, query), (Occur::Must, term(fields.record_kind, "page"))];
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
}

/// A window of every matching page ordered by date or file, then page. Only file names (a fast
/// field) and, for dates, each file's record are read for all matches; the stored pages (with
/// their text) only for the files the window touches, to order those by page number.
fn ordered_window(
    index: &DocIndex,
    searcher: &tantivy::Searcher,
    fields: &Fields,
    all: HashSet<DocAddress>,
    window: &Window,
) -> Result<Chosen, IndexError> {
    let mut names: HashMap<u32, Option<StrColumn>> = HashMap::new();
    let mut rows: Vec<(String, DocAddress)> = Vec::with_capacity(all.len());
    for address in all {
        let column = match names.entry(address.segment_ord) {
            std::collections::hash_map::Entry::Occupied(e) => e.into_mut(),
            std::collections::hash_map::Entry::Vacant(e) => {
                let reader = searcher.segment_reader(address.segment_ord);
                e.insert(reader.fast_fields().str("file")?)
            }
        };
        let mut file = String::new();
        if let Some(column) = column
            && let Some(ord) = column.term_ords(address.doc_id).next()
        {
            column.ord_to_str(ord, &mut file)?;
        }
        rows.push((file, address));
    }
    let mut dates = DateCache::default();
    // Newest first, undated last: the key sorts ascending.
    let mut date_key = |file: &str| -> Result<(bool, std::cmp::Reverse<Option<Date>>), IndexError> {
        let date = dates.date_of(index, file)?;
        Ok((date.is_none(), std::cmp::Reverse(date)))
    };
    let mut keyed = Vec::with_capacity(rows.len());
    for (file, address) in rows {
        let key = match window.sort {
            SortOrder::Date => date_key(&file)?,
            _ => (false, std::cmp::Reverse(None)),
        };
        keyed.push((key, file, address));
    }
    keyed.sort();
    let start = window.offset.min(keyed.len());
    let end = window.offset.saturating_add(window.limit.max(1)).min(keyed.len());
    if start == end {
        return Ok(Vec::new());
    }
    // Widen to whole files, so pages are ordered within each file the window touches.
    let mut low = start;
    while low > 0 && keyed[low - 1].1 == keyed[start].1 {
        low -= 1;
    }
    let mut high = end;
    while high < keyed.len() && keyed[high].1 == keyed[end - 1].1 {
        high += 1;
    }
    let mut widened = Vec::with_capacity(high - low);
    for (key, file, address) in keyed.drain(low..high) {
        let stored = fields.stored_page(&searcher.doc(address)?);
        widened.push((key, file, stored.page, address, stored));
    }
    widened.sort_by(|a, b| (&a.0, &a.1, a.2, a.3).cmp(&(&b.0, &b.1, b.2, b.3)));
    Ok(widened
        .into_iter()
        .skip(start - low)
        .take(end - start)
        .map(|(_, _, _, address, stored)| (0.0, address, stored))
        .collect())
}

/// Each file's document date, read once from its record.
#[derive(Default)]
struct DateCache(HashMap<String, Option<Date>>);

impl DateCache {
    fn date_of(&mut self, index: &DocIndex, file: &str) -> Result<Option<Date>, IndexError> {
        if let Some(date) = self.0.get(file) {
            return Ok(*date);
        }
        let date = index.file_record(file)?.and_then(|record| record_date(&record));
        self.0.insert(file.to_string(), date);
        Ok(date)
    }
}

/// The date a file's title block gives; for a bundle, its first dated document's.
fn record_date(record: &FileRecord) -> Option<Date> {
    record.facts.as_ref().and_then(|f| f.date).or_else(|| {
        record
            .documents
            .iter()
            .find_map(|d| d.facts.as_ref().and_then(|f| f.date))
    })
}

/// Byte ranges of the words of `text` that `query_text` matches (stems in either language,
/// prefixes, one typo in a long word), as search marks them in snippets: for marking a whole page.
pub fn highlight(index: &DocIndex, query_text: &str, text: &str) -> Result<Vec<(usize, usize)>, IndexError> {
    let (tantivy_index, searcher, fields) = index.searcher_parts();
    let built = query::build(tantivy_index, &searcher, &fields, query_text)?;
    Ok(snippet::highlights(tantivy_index, text, &built.matchers))
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
