//! From what an analyst types to a Tantivy query over the three analyses of the page text.
//!
//! The syntax is small on purpose: words (all must match), `"a phrase"`, `prefix*`, and `-word`
//! to exclude. Each word matches through the Russian-stemmed and the Kazakh-stemmed field, and its
//! exact spelling adds to the best candidates' scores (so an exact match ranks first); a long word
//! also matches with one typo.
//! A code such as `112-ИБ` is several tokens and becomes a phrase.

use std::collections::{BTreeSet, HashSet};

use tantivy::query::{
    BooleanQuery, BoostQuery, ConstScoreQuery, FuzzyTermQuery, Occur, PhrasePrefixQuery, PhraseQuery, Query, TermQuery,
};
use tantivy::schema::{Field, IndexRecordOption};
use tantivy::{Index, Searcher, Term};

use super::{EXACT, Fields, IndexError, KAZAKH, RUSSIAN};

const EXACT_BOOST: f32 = 3.0;
const STEM_BOOST: f32 = 1.0;
/// On top of the body match: the word is also in the document's head (its title).
const HEAD_BOOST: f32 = 1.5;
const FUZZY_BOOST: f32 = 0.3;
/// When the query's words also stand together in the text (as a phrase, up to this many other
/// words apart), that page ranks above pages that only contain them somewhere: «не соответствует
/// требованиям» is not «соответствует требованиям».
const PHRASE_SLOP: u32 = 1;
const PHRASE_BOOST: f32 = 2.0;
/// Words at least this long (in letters) also match with one typo; shorter ones would match
/// too many other words.
const FUZZY_MIN_CHARS: usize = 7;
/// At most this many of the index's words within one typo of a query word are searched for (the
/// first by spelling): a long word has a handful, OCR noise rarely dozens.
const MAX_TYPO_NEIGHBOURS: usize = 64;

#[derive(Debug, Clone, PartialEq, Eq)]
enum Kind {
    Word,
    Phrase,
    Prefix,
}

#[derive(Debug, Clone, PartialEq, Eq)]
struct Unit {
    text: String,
    kind: Kind,
    excluded: bool,
}

fn parse_units(input: &str) -> Vec<Unit> {
    let mut units = Vec::new();
    let mut rest = input.trim_start();
    while !rest.is_empty() {
        let excluded = rest.starts_with('-') && rest.len() > 1;
        let body = if excluded { &rest[1..] } else { rest };
        if let Some(after_quote) = body.strip_prefix('"') {
            let end = after_quote.find('"').unwrap_or(after_quote.len());
            units.push(Unit {
                text: after_quote[..end].to_string(),
                kind: Kind::Phrase,
                excluded,
            });
            rest = after_quote.get(end + 1..).unwrap_or_default().trim_start();
            continue;
        }
        let end = body.find(char::is_whitespace).unwrap_or(body.len());
        let word = &body[..end];
        let (text, kind) = match word.strip_suffix('*') {
            Some(prefix) if !prefix.is_empty() => (prefix, Kind::Prefix),
            _ => (word, Kind::Word),
        };
        units.push(Unit {
            text: text.to_string(),
            kind,
            excluded,
        });
        rest = body[end..].trim_start();
    }
    units
}

/// What matched, per analysis, so snippets can highlight the same words the query found.
#[derive(Debug, Default, Clone)]
pub(crate) struct Matchers {
    pub exact: HashSet<String>,
    pub russian: HashSet<String>,
    pub kazakh: HashSet<String>,
    pub prefixes: Vec<String>,
    pub fuzzy: Vec<String>,
}

pub(crate) struct BuiltQuery {
    /// Every included word, phrase and prefix must match; excluded ones must not.
    pub query: Box<dyn Query>,
    /// For a query of two or more included units: pages with any of them, those with more of them
    /// first. Searched when no page has them all, so one word the corpus lacks does not empty the
    /// result.
    pub relaxed: Option<Box<dyn Query>>,
    /// Each included unit as typed, with its query: to name the ones no page has.
    pub units: Vec<(String, Box<dyn Query>)>,
    /// Clauses that only add to a page's score, never decide whether it matches, so they are left
    /// out of `query` and `relaxed` and added to the scores of the best candidates alone:
    /// - the whole query as a phrase, per analysis (reading positions for every matching page made
    ///   a common phrase cost by the corpus);
    /// - each word or phrase in its exact spelling. The analyses cut text into the same words and
    ///   stem them one by one, so a page with the exact form has the stems too: the exact field
    ///   never adds a match, yet it was one of the three full-text fields read for every match.
    pub boosts: Vec<Box<dyn Query>>,
    pub matchers: Matchers,
}

pub(crate) fn analyse(index: &Index, analyzer: &str, text: &str) -> Vec<String> {
    let Some(mut analyzer) = index.tokenizers().get(analyzer) else {
        return Vec::new();
    };
    let mut stream = analyzer.token_stream(text);
    let mut tokens = Vec::new();
    while stream.advance() {
        tokens.push(stream.token().text.clone());
    }
    tokens
}

/// The clauses of a Boolean query.
type Clauses = Vec<(Occur, Box<dyn Query>)>;

fn terms_query(field: Field, tokens: &[String]) -> Option<Box<dyn Query>> {
    let terms: Vec<Term> = tokens.iter().map(|t| Term::from_field_text(field, t)).collect();
    match terms.len() {
        0 => None,
        // A single term is scored by its frequency; its positions are never read.
        1 => Some(Box::new(TermQuery::new(terms[0].clone(), IndexRecordOption::WithFreqs))),
        _ => Some(Box::new(PhraseQuery::new(terms))),
    }
}

fn boosted(query: Box<dyn Query>, boost: f32) -> Box<dyn Query> {
    Box::new(BoostQuery::new(query, boost))
}

/// The query for `input`; `searcher` supplies the index's words a typo could have meant.
pub(crate) fn build(
    index: &Index,
    searcher: &Searcher,
    fields: &Fields,
    input: &str,
) -> Result<BuiltQuery, IndexError> {
    let mut matchers = Matchers::default();
    let mut clauses: Clauses = Vec::new();
    let mut included: Vec<(String, Box<dyn Query>)> = Vec::new();
    let units = parse_units(input);
    let mut boosts = whole_query_phrases(index, fields, &units);
    for unit in units {
        let Some(query) = unit_query(index, searcher, fields, &unit, &mut matchers, &mut boosts)? else {
            continue;
        };
        if unit.excluded {
            clauses.push((Occur::MustNot, query));
        } else {
            clauses.push((Occur::Must, query.box_clone()));
            included.push((unit.text, query));
        }
    }
    if included.is_empty() {
        return Err(IndexError::EmptyQuery(input.to_string()));
    }
    let relaxed = (included.len() >= 2).then(|| relaxed_query(&clauses, &included));
    Ok(BuiltQuery {
        query: Box::new(BooleanQuery::new(clauses)),
        relaxed,
        units: included,
        boosts,
        matchers,
    })
}

/// Each unit a page has adds [`MATCHED_UNIT_SCORE`], more than any relevance score reaches, so a
/// page with three of the words ranks above every page with two; relevance orders within.
const MATCHED_UNIT_SCORE: f32 = 1000.0;

fn relaxed_query(clauses: &[(Occur, Box<dyn Query>)], included: &[(String, Box<dyn Query>)]) -> Box<dyn Query> {
    let mut relaxed: Clauses = Vec::new();
    for (_, query) in included {
        let counted = ConstScoreQuery::new(query.box_clone(), MATCHED_UNIT_SCORE);
        relaxed.push((Occur::Should, Box::new(counted)));
        relaxed.push((Occur::Should, query.box_clone()));
    }
    let excluded = clauses.iter().filter(|(occur, _)| *occur == Occur::MustNot);
    relaxed.extend(excluded.map(|(occur, query)| (*occur, query.box_clone())));
    Box::new(BooleanQuery::new(relaxed))
}

/// The whole query as one phrase, per analysis, to rank pages where its words stand together
/// first: only a query of plain words has one, and only with two words or more.
fn whole_query_phrases(index: &Index, fields: &Fields, units: &[Unit]) -> Vec<Box<dyn Query>> {
    let plain_words = units.iter().all(|u| u.excluded || u.kind == Kind::Word);
    let mut phrase: [(Field, &str, Vec<String>, f32); 3] = [
        (fields.text_exact, EXACT, Vec::new(), PHRASE_BOOST),
        (fields.text, RUSSIAN, Vec::new(), PHRASE_BOOST / 2.0),
        (fields.text_kk, KAZAKH, Vec::new(), PHRASE_BOOST / 2.0),
    ];
    for unit in units {
        if plain_words && !unit.excluded {
            for (_, analyzer, tokens, _) in phrase.iter_mut() {
                tokens.extend(analyse(index, analyzer, &unit.text));
            }
        }
    }
    let mut phrases: Vec<Box<dyn Query>> = Vec::new();
    for (field, _, tokens, boost) in phrase {
        if tokens.len() >= 2 {
            let mut query = PhraseQuery::new(tokens.iter().map(|t| Term::from_field_text(field, t)).collect());
            query.set_slop(PHRASE_SLOP);
            phrases.push(boosted(Box::new(query), boost));
        }
    }
    phrases
}

/// One word, phrase or prefix of the query, as alternatives any of which may match; `None` when
/// it has nothing to search for (punctuation). What an included unit matches goes to `matchers`,
/// its score-only clauses to `boosts`.
fn unit_query(
    index: &Index,
    searcher: &Searcher,
    fields: &Fields,
    unit: &Unit,
    matchers: &mut Matchers,
    boosts: &mut Vec<Box<dyn Query>>,
) -> Result<Option<Box<dyn Query>>, IndexError> {
    let exact = analyse(index, EXACT, &unit.text);
    if exact.is_empty() {
        return Ok(None);
    }
    let alternatives = if unit.kind == Kind::Prefix {
        if !unit.excluded {
            matchers.exact.extend(exact[..exact.len() - 1].iter().cloned());
            matchers.prefixes.extend(exact.last().cloned());
        }
        vec![(Occur::Should, prefix_query(fields, &exact))]
    } else {
        word_alternatives(index, searcher, fields, unit, exact, matchers, boosts)?
    };
    Ok(Some(Box::new(BooleanQuery::new(alternatives))))
}

/// A prefix, in the exact field: the last token is the one cut short.
fn prefix_query(fields: &Fields, exact: &[String]) -> Box<dyn Query> {
    let terms: Vec<Term> = exact
        .iter()
        .map(|t| Term::from_field_text(fields.text_exact, t))
        .collect();
    if terms.len() == 1 {
        Box::new(FuzzyTermQuery::new_prefix(terms[0].clone(), 0, false))
    } else {
        Box::new(PhrasePrefixQuery::new(terms))
    }
}

/// A word or phrase in each stemmed analysis of the body and the head, and a long word with one
/// typo; its exact spelling goes to `boosts` (see [`BuiltQuery::boosts`]).
fn word_alternatives(
    index: &Index,
    searcher: &Searcher,
    fields: &Fields,
    unit: &Unit,
    exact: Vec<String>,
    matchers: &mut Matchers,
    boosts: &mut Vec<Box<dyn Query>>,
) -> Result<Clauses, IndexError> {
    let mut alternatives: Clauses = Vec::new();
    let russian = analyse(index, RUSSIAN, &unit.text);
    let kazakh = analyse(index, KAZAKH, &unit.text);
    for (field, tokens, boost) in [
        (fields.text, &russian, STEM_BOOST),
        (fields.text_kk, &kazakh, STEM_BOOST),
        (fields.head_ru, &russian, HEAD_BOOST),
        (fields.head_kk, &kazakh, HEAD_BOOST),
    ] {
        if let Some(query) = terms_query(field, tokens) {
            alternatives.push((Occur::Should, boosted(query, boost)));
        }
    }
    if let Some(query) = terms_query(fields.text_exact, &exact) {
        let query = boosted(query, EXACT_BOOST);
        if alternatives.is_empty() {
            // Were a stemmer ever to drop a word, its exact form would be the only way to it.
            alternatives.push((Occur::Should, query));
        } else if !unit.excluded {
            boosts.push(query);
        }
    }
    let long_word = unit.kind == Kind::Word
        && exact.len() == 1
        && exact[0].chars().count() >= FUZZY_MIN_CHARS
        && !exact[0].chars().any(|c| c.is_ascii_digit());
    if long_word {
        let typos = typo_neighbours(index, searcher, fields, &exact[0])?;
        if !typos.is_empty() {
            let terms: Clauses = typos
                .iter()
                .map(|word| {
                    let term = Term::from_field_text(fields.text_exact, word);
                    let query: Box<dyn Query> = Box::new(TermQuery::new(term, IndexRecordOption::Basic));
                    (Occur::Should, query)
                })
                .collect();
            let any_typo = ConstScoreQuery::new(Box::new(BooleanQuery::new(terms)), FUZZY_BOOST);
            alternatives.push((Occur::Should, Box::new(any_typo)));
        }
    }
    if !unit.excluded {
        if long_word {
            matchers.fuzzy.push(exact[0].clone());
        }
        matchers.exact.extend(exact);
        matchers.russian.extend(russian);
        matchers.kazakh.extend(kazakh);
    }
    Ok(alternatives)
}

/// The index's words within one typo of `word` (an edit, or two neighbours swapped) that its
/// stems do not find already: what a typo in the query, or OCR's misreading of the page, adds.
///
/// Tantivy's fuzzy query reads the postings of every word within one typo, the word's own common
/// forms among them («безопасности» finds «безопасность»), into a set of pages before any other
/// word narrows them: on a common word that was a third of a search. Those forms share the word's
/// stem, and the stemmed fields find their pages anyway; what is left is rare.
fn typo_neighbours(index: &Index, searcher: &Searcher, fields: &Fields, word: &str) -> Result<Vec<String>, IndexError> {
    let automaton = FuzzyTermQuery::new(Term::from_field_text(fields.text_exact, word), 1, true).automaton()?;
    let mut near: BTreeSet<String> = BTreeSet::new();
    for segment in searcher.segment_readers() {
        let inverted = segment.inverted_index(fields.text_exact)?;
        let mut stream = inverted.terms().search(&automaton).into_stream()?;
        while stream.advance() {
            if let Ok(found) = std::str::from_utf8(stream.key())
                && found != word
            {
                near.insert(found.to_string());
            }
        }
    }
    let stems = |text: &str| (analyse(index, RUSSIAN, text), analyse(index, KAZAKH, text));
    let (russian, kazakh) = stems(word);
    Ok(near
        .into_iter()
        .filter(|found| {
            let (found_russian, found_kazakh) = stems(found);
            found_russian != russian && found_kazakh != kazakh
        })
        .take(MAX_TYPO_NEIGHBOURS)
        .collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_small_syntax_is_understood() {
        let units = parse_units(r#" промышл* "акт ввода"  -проект 112-ИБ "#);
        let shown: Vec<(&str, Kind, bool)> = units
            .iter()
            .map(|u| (u.text.as_str(), u.kind.clone(), u.excluded))
            .collect();
        assert_eq!(
            shown,
            [
                ("промышл", Kind::Prefix, false),
                ("акт ввода", Kind::Phrase, false),
                ("проект", Kind::Word, true),
                ("112-ИБ", Kind::Word, false),
            ]
        );
    }

    #[test]
    fn an_unclosed_quote_and_a_lone_star_do_not_break_parsing() {
        assert_eq!(parse_units("\"акт").len(), 1);
        assert_eq!(parse_units("* -").len(), 2);
    }
}
