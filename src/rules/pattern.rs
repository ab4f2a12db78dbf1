//! A pattern from `schemas/`: a case-insensitive regex that stays on the fast engine when it
//! has Unicode word boundaries.
//!
//! The regex crate's lazy DFA cannot evaluate a Unicode `\b` in non-ASCII text: it gives up, and
//! the search runs on the PikeVM over the rest of the haystack, many times slower. Nearly all
//! our text is Cyrillic and the schemas use `\b` freely ("\bИБ\b", "\bрешил[аи]?\b"), so a third
//! of recognition time went there. A [`Pattern`] with such boundaries keeps a second, *relaxed*
//! regex with every word-boundary assertion cut out. Dropping an assertion only adds matches, so
//! each match of the exact pattern starts where the relaxed one has a match: the relaxed regex
//! finds the candidate starts on the lazy DFA, and the exact one runs anchored at each candidate,
//! over the few characters a match spans. The first candidate that passes is the exact pattern's
//! leftmost match, and the match found there is the one `regex::Regex` reports. The tests hold
//! every schema pattern to that.

use std::borrow::Cow;
use std::sync::OnceLock;

use regex_automata::util::captures::Captures as Slots;
use regex_automata::util::syntax;
use regex_automata::{Anchored, Input, Span, meta};
use regex_syntax::ast::{self, AssertionKind, Ast};

/// A pattern, checked when the rules load and compiled on first use. Matches, capture groups
/// and iteration are exactly those of a `regex::Regex` built case-insensitive from the same text.
///
/// Compiling every schema pattern (their Unicode classes, case-folded, as automata) was 0.35 s of
/// CPU, most of a start-up; a run that reads no document, like an unchanged nightly re-run, now
/// never pays it. The syntax is checked at load, so a bad pattern still stops the run before it
/// starts, and no size limit is set on the compiled automaton, so a pattern that parses compiles.
#[derive(Debug, Clone)]
pub struct Pattern {
    source: String,
    /// `None` for a pattern that parsed but did not compile, which then matches nothing.
    compiled: OnceLock<Option<Compiled>>,
}

#[derive(Debug, Clone)]
struct Compiled {
    exact: meta::Regex,
    /// Only for patterns with Unicode word boundaries.
    relaxed: Option<meta::Regex>,
}

impl Compiled {
    /// `None` only if the automaton cannot be built (after the syntax was checked, no limit
    /// applies that a pattern of the schemas could reach). A relaxed regex that does not build
    /// is only a lost shortcut: the exact one then searches alone.
    fn build(pattern: &str) -> Option<Compiled> {
        // The lazy DFA's cache may grow to 8 MiB per pattern and thread (the default is 2 MiB),
        // as far as a pattern needs: with bounded repeats (`[^»"]{3,150}`) over case-folded
        // Cyrillic, the reverse search that finds a match's start needs about 4 MiB of states;
        // at 2 MiB it was cleared over and over, and the object-name pattern alone cost 0.6 s a
        // pass over the 1k bench corpus. The bound stays at twice the need: the caches live in
        // the main process, outside the workers' memory limit, one per pattern and thread.
        let build = |pattern: &str| {
            meta::Regex::builder()
                .syntax(syntax::Config::new().case_insensitive(true))
                .configure(meta::Config::new().nfa_size_limit(None).hybrid_cache_capacity(8 << 20))
                .build(pattern)
                .ok()
        };
        Some(Compiled {
            exact: build(pattern)?,
            relaxed: without_word_boundaries(pattern).and_then(|relaxed| build(&relaxed)),
        })
    }

    fn find_at<'h>(&self, haystack: &'h str, at: usize) -> Option<Match<'h>> {
        Some(Match::new(haystack, self.span_at(haystack, at)?))
    }

    fn captures_at<'h>(&self, haystack: &'h str, at: usize) -> Option<Captures<'h>> {
        let input = match &self.relaxed {
            None => Input::new(haystack).range(at..),
            Some(_) => Input::new(haystack)
                .range(self.span_at(haystack, at)?.start..)
                .anchored(Anchored::Yes),
        };
        let mut slots = self.exact.create_captures();
        self.exact.search_captures(&input, &mut slots);
        slots.is_match().then_some(Captures { haystack, slots })
    }

    /// The exact pattern's leftmost match at or after byte `at`. With word boundaries: the first
    /// candidate start of the relaxed regex where the exact one, anchored, finds a match; an
    /// anchored search's start is known, so its end is all it needs to find.
    fn span_at(&self, haystack: &str, mut at: usize) -> Option<Span> {
        let Some(relaxed) = &self.relaxed else {
            return self.exact.search(&Input::new(haystack).range(at..)).map(|m| m.span());
        };
        loop {
            let start = relaxed.search(&Input::new(haystack).range(at..))?.start();
            let anchored = Input::new(haystack).range(start..).anchored(Anchored::Yes);
            if let Some(end) = self.exact.search_half(&anchored) {
                return Some(Span {
                    start,
                    end: end.offset(),
                });
            }
            at = next_boundary(haystack, start)?;
        }
    }
}

/// A match: byte offsets into the haystack.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Match<'h> {
    haystack: &'h str,
    start: usize,
    end: usize,
}

impl<'h> Match<'h> {
    fn new(haystack: &'h str, span: Span) -> Self {
        Match {
            haystack,
            start: span.start,
            end: span.end,
        }
    }

    pub fn start(&self) -> usize {
        self.start
    }

    pub fn end(&self) -> usize {
        self.end
    }

    pub fn as_str(&self) -> &'h str {
        &self.haystack[self.start..self.end]
    }
}

/// The groups of one match; group 0 is the whole match.
#[derive(Debug, Clone)]
pub struct Captures<'h> {
    haystack: &'h str,
    slots: Slots,
}

impl<'h> Captures<'h> {
    pub fn get(&self, group: usize) -> Option<Match<'h>> {
        Some(Match::new(self.haystack, self.slots.get_group(group)?))
    }

    pub fn name(&self, group: &str) -> Option<Match<'h>> {
        Some(Match::new(self.haystack, self.slots.get_group_by_name(group)?))
    }

    fn whole(&self) -> Option<Match<'h>> {
        self.get(0)
    }
}

impl Pattern {
    /// Checks the syntax of `pattern`; compiling waits for the first search.
    pub fn new(pattern: &str) -> Result<Pattern, Box<regex_syntax::Error>> {
        regex_syntax::ParserBuilder::new()
            .case_insensitive(true)
            .build()
            .parse(pattern)
            .map_err(Box::new)?;
        Ok(Pattern {
            source: pattern.to_string(),
            compiled: OnceLock::new(),
        })
    }

    /// One pattern that matches where any of `patterns` does, to ask a text once whether any of
    /// them can match before asking each line. `None` when one of them is anchored to the start
    /// or end of its haystack (a line's start is not the joined text's), or the alternation does
    /// not parse (the same group name in two patterns).
    pub fn any_of(patterns: &[Pattern]) -> Option<Pattern> {
        let parser = || regex_syntax::ParserBuilder::new().case_insensitive(true).build();
        let anchored = |p: &Pattern| {
            parser()
                .parse(&p.source)
                .map_or(true, |hir| hir.properties().look_set().contains_anchor())
        };
        if patterns.is_empty() || patterns.iter().any(anchored) {
            return None;
        }
        let alternation: Vec<String> = patterns.iter().map(|p| format!("(?:{})", p.source)).collect();
        Pattern::new(&alternation.join("|")).ok()
    }

    /// Compiles now instead of at the first search (see `recognize::compile_patterns`).
    pub fn compile(&self) {
        self.compiled();
    }

    fn compiled(&self) -> Option<&Compiled> {
        self.compiled.get_or_init(|| Compiled::build(&self.source)).as_ref()
    }

    pub fn as_str(&self) -> &str {
        &self.source
    }

    /// Whether the pattern has a group of this name.
    pub fn has_group(&self, name: &str) -> bool {
        self.compiled().is_some_and(|compiled| {
            compiled
                .exact
                .group_info()
                .to_index(regex_automata::PatternID::ZERO, name)
                .is_some()
        })
    }

    pub fn is_match(&self, haystack: &str) -> bool {
        let Some(compiled) = self.compiled() else {
            return false;
        };
        match &compiled.relaxed {
            None => compiled.exact.is_match(haystack),
            Some(_) => compiled.span_at(haystack, 0).is_some(),
        }
    }

    pub fn find<'h>(&self, haystack: &'h str) -> Option<Match<'h>> {
        self.compiled()?.find_at(haystack, 0)
    }

    pub fn captures<'h>(&self, haystack: &'h str) -> Option<Captures<'h>> {
        self.compiled()?.captures_at(haystack, 0)
    }

    pub fn find_iter<'p, 'h>(&'p self, haystack: &'h str) -> impl Iterator<Item = Match<'h>> + use<'p, 'h> {
        let mut successive = Successive::new(haystack);
        let compiled = self.compiled();
        std::iter::from_fn(move || successive.next(|at| compiled?.find_at(haystack, at), |m| Some(*m)))
    }

    pub fn captures_iter<'p, 'h>(&'p self, haystack: &'h str) -> impl Iterator<Item = Captures<'h>> + use<'p, 'h> {
        let mut successive = Successive::new(haystack);
        let compiled = self.compiled();
        std::iter::from_fn(move || successive.next(|at| compiled?.captures_at(haystack, at), Captures::whole))
    }

    /// The haystack with the first match replaced by `with`, taken literally.
    pub fn replace<'h>(&self, haystack: &'h str, with: &str) -> Cow<'h, str> {
        match self.find(haystack) {
            Some(m) => Cow::Owned([&haystack[..m.start], with, &haystack[m.end..]].concat()),
            None => Cow::Borrowed(haystack),
        }
    }

    /// Whether the pattern takes the relaxed regex's candidates.
    #[cfg(test)]
    pub(crate) fn has_word_boundaries(&self) -> bool {
        self.compiled().is_some_and(|compiled| compiled.relaxed.is_some())
    }
}

/// The char boundary after byte `at`, if `at` is not the end.
fn next_boundary(haystack: &str, at: usize) -> Option<usize> {
    haystack[at..].chars().next().map(|c| at + c.len_utf8())
}

/// The iteration rule of the regex crate's `find_iter`: each search starts where the previous
/// match ended, and an empty match right at that end is skipped.
struct Successive<'h> {
    haystack: &'h str,
    at: Option<usize>,
    last_end: Option<usize>,
}

impl<'h> Successive<'h> {
    fn new(haystack: &'h str) -> Self {
        Successive {
            haystack,
            at: Some(0),
            last_end: None,
        }
    }

    fn next<T>(&mut self, search: impl Fn(usize) -> Option<T>, whole: impl Fn(&T) -> Option<Match<'h>>) -> Option<T> {
        loop {
            let found = self.at.and_then(&search);
            let Some(m) = found.as_ref().and_then(&whole) else {
                self.at = None;
                return None;
            };
            if m.start == m.end && Some(m.end) == self.last_end {
                self.at = next_boundary(self.haystack, m.start);
                continue;
            }
            self.at = Some(m.end);
            self.last_end = Some(m.end);
            return found;
        }
    }
}

/// `pattern` with its word-boundary assertions cut out, when it has a Unicode one (the lazy DFA
/// runs an ASCII boundary, `(?-u:\b)`, itself); `None` otherwise, and when it does not parse
/// (`Pattern::new` refuses such a pattern when the rules load).
fn without_word_boundaries(pattern: &str) -> Option<String> {
    let hir = regex_syntax::ParserBuilder::new()
        .case_insensitive(true)
        .build()
        .parse(pattern)
        .ok()?;
    if !hir.properties().look_set().contains_word_unicode() {
        return None;
    }
    let ast = ast::parse::Parser::new().parse(pattern).ok()?;
    let mut boundaries = ast::visit(&ast, WordBoundaries(Vec::new())).ok()?;
    boundaries.sort_unstable();
    let mut relaxed = String::with_capacity(pattern.len());
    let mut kept_from = 0;
    for (start, end) in boundaries {
        relaxed.push_str(&pattern[kept_from..start]);
        kept_from = end;
    }
    relaxed.push_str(&pattern[kept_from..]);
    Some(relaxed)
}

/// Collects the byte spans of the word-boundary assertions in a pattern's syntax tree.
struct WordBoundaries(Vec<(usize, usize)>);

impl ast::Visitor for WordBoundaries {
    type Output = Vec<(usize, usize)>;
    type Err = ();

    fn finish(self) -> Result<Self::Output, ()> {
        Ok(self.0)
    }

    fn visit_pre(&mut self, node: &Ast) -> Result<(), ()> {
        if let Ast::Assertion(assertion) = node {
            let line_or_text = matches!(
                assertion.kind,
                AssertionKind::StartLine | AssertionKind::EndLine | AssertionKind::StartText | AssertionKind::EndText
            );
            if !line_or_text {
                self.0.push((assertion.span.start.offset, assertion.span.end.offset));
            }
        }
        Ok(())
    }
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;
    use regex::RegexBuilder;

    /// The pattern and `regex::Regex` agree on every match, group and replacement.
    pub(crate) fn agree(ours: &Pattern, theirs: &regex::Regex, haystack: &str) {
        let pattern = ours.as_str();
        assert_eq!(
            ours.find_iter(haystack)
                .map(|m| (m.start(), m.end()))
                .collect::<Vec<_>>(),
            theirs
                .find_iter(haystack)
                .map(|m| (m.start(), m.end()))
                .collect::<Vec<_>>(),
            "find_iter /{pattern}/ in {haystack:?}"
        );
        let groups = theirs.captures_len();
        assert_eq!(
            ours.captures_iter(haystack)
                .map(|c| (0..groups).map(|i| c.get(i).map(|m| m.as_str())).collect::<Vec<_>>())
                .collect::<Vec<_>>(),
            theirs
                .captures_iter(haystack)
                .map(|c| (0..groups).map(|i| c.get(i).map(|m| m.as_str())).collect::<Vec<_>>())
                .collect::<Vec<_>>(),
            "captures_iter /{pattern}/ in {haystack:?}"
        );
        assert_eq!(
            ours.is_match(haystack),
            theirs.is_match(haystack),
            "/{pattern}/ in {haystack:?}"
        );
        assert_eq!(
            ours.replace(haystack, "$1<>"),
            theirs.replace(haystack, regex::NoExpand("$1<>"))
        );
    }

    fn both(pattern: &str) -> (Pattern, regex::Regex) {
        let theirs = RegexBuilder::new(pattern).case_insensitive(true).build().unwrap();
        (Pattern::new(pattern).unwrap(), theirs)
    }

    pub(crate) const TEXTS: &[&str] = &[
        "",
        "ИС",
        "ИС «Е-обращения» и АИС «Кадры», ИСы, кис «X»",
        "Протокол испытаний. Заключение: не прошла. Заключения нет; выводы: ИБ подтверждено.",
        "фактический акт; АКТ № 4; контакт-акт, акт",
        "abc ab_c ab-c aбв 12ис ис12 ис_ ИС",
        "ё ЁЛКА ёлка, Ё-мобиль",
    ];

    #[test]
    fn word_boundaries_are_the_regex_crates() {
        for pattern in [
            r"\bис\b",
            r"\bакт\b",
            r"\bИБ\b[^.;]{0,20}?\bподтвержден",
            r"(?:информационн\w*\s+систем\w*|\bис\b|\bапк\b)\s*[«]([^»]{3,150})[»]",
            r"\Bис",
            r"ис\B",
            r"\b",
            r"\B",
            r"\b\w*",
            r"(?-u:\b)ab\b",
            r"\b{start}ак",
            r"т\b{end}",
            r"\bзаключени[ея]\b|\bвывод\w*\s*:",
            r"(?m)^\bакт\b$",
            r"(?P<n>\d+)\s*\b(?P<unit>мес\w*)",
            // Cut out, this boundary leaves a quantifier with nothing before it: the exact
            // pattern then searches alone.
            r"\b+ак",
            r"(?:\b)?т",
        ] {
            let (ours, theirs) = both(pattern);
            for text in TEXTS {
                agree(&ours, &theirs, text);
            }
        }
    }

    #[test]
    fn a_pattern_compiles_on_first_use_and_a_bad_one_is_refused_at_once() {
        let pattern = Pattern::new(r"\bакт\s+№").unwrap();
        assert!(pattern.compiled.get().is_none());
        assert_eq!(pattern.find("АКТ № 4").map(|m| m.as_str()), Some("АКТ №"));
        assert!(pattern.compiled.get().is_some_and(Option::is_some));
        assert!(Pattern::new(r"акт(").is_err());
        // Its relaxed form, "+ак", does not build: the pattern searches without it.
        assert!(!Pattern::new(r"\b+ак").unwrap().has_word_boundaries());
        assert!(Pattern::new(r"\bакт\p{Nonsense}").is_err());
    }

    #[test]
    fn only_unicode_word_boundaries_take_the_relaxed_regex() {
        assert_eq!(without_word_boundaries(r"акт\s+ввода"), None);
        assert_eq!(without_word_boundaries(r"(?-u:\b)ab"), None);
        assert_eq!(without_word_boundaries(r"\bИБ\b|x\B").as_deref(), Some("ИБ|x"));
        assert_eq!(
            without_word_boundaries(r"(?m)^\bакт\b{end}$").as_deref(),
            Some("(?m)^акт$")
        );
    }

    #[test]
    fn any_of_matches_where_one_does_and_refuses_what_a_joined_text_would_change() {
        let patterns = |sources: &[&str]| sources.iter().map(|s| Pattern::new(s).unwrap()).collect::<Vec<_>>();
        let any = Pattern::any_of(&patterns(&[
            r"государственн\w*\s+орган",
            r"(?x) тіркелген \s+ пайдаланушы",
            r"\bИС\b",
        ]))
        .unwrap();
        assert!(any.is_match("Количество государственных органов: 12"));
        assert!(any.is_match("тіркелген пайдаланушылар саны"));
        assert!(any.is_match("в ИС 5 пользователей"));
        assert!(!any.is_match("ИСТОЧНИК и тіркелгенпайдаланушы"));
        // A line's start or end is not the page's; the same group name twice does not compile.
        assert!(Pattern::any_of(&patterns(&[r"орган", r"^\d+$"])).is_none());
        assert!(Pattern::any_of(&patterns(&[r"(?m)^итого"])).is_none());
        assert!(Pattern::any_of(&patterns(&[r"(?P<n>\d+) орган", r"(?P<n>\d+) пайдаланушы"])).is_none());
        assert!(Pattern::any_of(&[]).is_none());
    }
}
