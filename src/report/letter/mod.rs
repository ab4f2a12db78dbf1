//! The two letters of a submission, drafts an analyst checks, edits in Word and signs:
//!
//! - the **recommendation** to the authorized body (Order No. 29 p. 5): which p. 5 information
//!   the portal holds, document by document; the p. 6(1) points by group; the grounds for refusal,
//!   each with its paragraph; a marked field for the analyst's p. 6(2) judgement, which the tool
//!   never makes; the Order No. 193 p. 26 level, its mapping labelled as the tool's policy;
//! - the **request** to the state body: what was found, what is missing or invalid and why (a
//!   rejected document by number, date and file), what to submit, and the paragraph behind each.
//!
//! One model ([`Letter`], built once from the report), three renderers: [`html`] (printable A4),
//! [`docx`] (through docx-rs) and [`markdown`]. Every word comes from `text::letters`; the sender
//! from `schemas/letterhead.toml`, the dative from `schemas/declension.toml`. What the data does
//! not give is a visible placeholder («[должность]»), never a guess.

pub(crate) mod docx;
pub(crate) mod html;
pub(crate) mod markdown;

pub use docx::letter_docx;
pub use html::letter_html;
pub use markdown::letter_markdown;

pub use super::text::letters::Kind as LetterKind;
use super::text::letters::{self, Blank, Ground, Note, P5Outcome};
use super::text::{Label, acts, kind_name, page_range};
use super::{Lang, Report, SubmissionReport};
use crate::card::ObjectKind;
use crate::evaluate::{Evidence, Status, Warning};
use crate::rules::{LetterText, ORDER_29, ORDER_193};

impl LetterKind {
    pub const ALL: [LetterKind; 2] = [LetterKind::Recommendation, LetterKind::Request];

    /// The part of the file name: `letters/<id>.<file_part>.<lang>.docx`.
    pub fn file_part(self) -> &'static str {
        match self {
            LetterKind::Recommendation => "recommendation",
            LetterKind::Request => "request",
        }
    }
}

/// A piece of letter text: words, a placeholder the analyst fills, or a line break.
#[derive(Debug, Clone, PartialEq)]
pub enum Span {
    Text(String),
    Fill(String),
    Break,
}

/// A run of spans: one paragraph or list item.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Line(pub Vec<Span>);

impl Line {
    fn text(text: impl Into<String>) -> Line {
        Line(vec![Span::Text(text.into())])
    }

    fn fill(text: impl Into<String>) -> Line {
        Line(vec![Span::Fill(text.into())])
    }

    /// A value from the letterhead, or its placeholder.
    fn value_or(value: Option<&str>, blank: Blank, lang: Lang) -> Line {
        match value {
            Some(value) => Line::text(value),
            None => Line::fill(letters::blank(blank, lang)),
        }
    }

    fn then(mut self, span: Span) -> Line {
        self.0.push(span);
        self
    }

    /// The text as read, placeholders in their brackets, a break as a space.
    pub fn plain(&self) -> String {
        self.0
            .iter()
            .map(|span| match span {
                Span::Text(t) | Span::Fill(t) => t.as_str(),
                Span::Break => " ",
            })
            .collect()
    }
}

/// A block of the body.
#[derive(Debug, Clone, PartialEq)]
pub enum Block {
    Paragraph(Line),
    Numbered(Vec<Line>),
    Bulleted(Vec<Line>),
}

/// A letter, ready for any renderer.
#[derive(Debug, Clone)]
pub struct Letter {
    pub kind: LetterKind,
    pub lang: Lang,
    /// The HTML page's title.
    pub title: String,
    /// The sender's name (first) and address.
    pub sender: Vec<Line>,
    pub outgoing: Line,
    pub addressee: Line,
    pub subject: String,
    /// «Нормативные правовые акты:» and the acts cited, in full (their first citation).
    pub basis_heading: String,
    pub basis: Vec<String>,
    pub greeting: Line,
    pub body: Vec<Block>,
    pub signatory_position: Line,
    pub signatory_name: Line,
    pub executor: Line,
    pub notes_heading: String,
    /// For the analyst, to delete before sending: the draft's date, what could not be filled.
    pub notes: Vec<String>,
}

fn one_line(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// Builds one letter of a submission in the report's language.
pub fn letter(report: &Report, s: &SubmissionReport, kind: LetterKind) -> Letter {
    let lang = report.lang;
    let rules = &report.rules_text;
    let head = &rules.letterhead;
    let name = one_line(s.name.as_deref().unwrap_or(&s.object_id));
    let mut notes = vec![letters::note(&Note::Drafted(report.as_of), lang)];

    let text_of = |t: &LetterText| t.get(lang).map(one_line);
    let organisation = text_of(&head.sender.organisation);
    let address = text_of(&head.sender.address);
    let position = text_of(&head.signatory.position);
    let signatory = Some(one_line(&head.signatory.name)).filter(|n| !n.is_empty());
    let executor = Some(one_line(&head.executor.name)).filter(|n| !n.is_empty());
    let phone = Some(one_line(&head.executor.phone)).filter(|n| !n.is_empty());
    if [&organisation, &address, &position, &signatory, &executor, &phone]
        .iter()
        .any(|v| v.is_none())
    {
        notes.push(letters::note(&Note::LetterheadBlank, lang));
    }

    let addressee = match kind {
        LetterKind::Recommendation => {
            let body = text_of(&head.authorized_body.name);
            addressee(report, body.as_deref(), Blank::AuthorizedBody, None, &mut notes)
        }
        LetterKind::Request => {
            let owner = s.owner.as_deref().map(one_line);
            let owner_kk = s.owner_kk.as_deref().map(one_line);
            let (owner, russian_only) = match lang {
                Lang::Kk => match (owner_kk, owner) {
                    (Some(kk), _) => (Some(kk), None),
                    (None, Some(ru)) => (Some(ru.clone()), Some(ru)),
                    (None, None) => (None, None),
                },
                _ => (owner, None),
            };
            if owner.is_none() {
                notes.push(letters::note(&Note::NoOwner, lang));
            }
            addressee(
                report,
                owner.as_deref(),
                Blank::StateBody,
                russian_only.as_deref(),
                &mut notes,
            )
        }
    };

    let outgoing = letters::outgoing(
        &one_line(&head.outgoing.prefix),
        &letters::blank(Blank::OutgoingNumber, lang),
        report.as_of,
        lang,
    );
    let greeting = letters::greeting(&letters::blank(Blank::GreetingName, lang), lang);
    let body = match kind {
        LetterKind::Recommendation => recommendation_body(report, s, &name),
        LetterKind::Request => request_body(report, s, &name),
    };
    Letter {
        kind,
        lang,
        title: format!("{}: {name}", letters::title(kind, lang)),
        sender: vec![
            Line::value_or(organisation.as_deref(), Blank::Organisation, lang),
            Line::value_or(address.as_deref(), Blank::Address, lang),
        ],
        outgoing: with_fills(&outgoing),
        addressee,
        subject: letters::subject(kind, &name, lang),
        basis_heading: format!("{}:", Label::LegalBasis.get(lang)),
        basis: [ORDER_29, ORDER_193]
            .map(|act| acts::full(&rules.acts, act, lang))
            .to_vec(),
        greeting: with_fills(&greeting),
        body,
        signatory_position: Line::value_or(position.as_deref(), Blank::Position, lang),
        signatory_name: Line::value_or(signatory.as_deref(), Blank::SignatoryName, lang),
        executor: with_fills(&letters::executor(
            &executor.unwrap_or_else(|| letters::blank(Blank::Executor, lang)),
            &phone.unwrap_or_else(|| letters::blank(Blank::Phone, lang)),
            lang,
        )),
        notes_heading: letters::notes_heading(lang).to_string(),
        notes,
    }
}

/// Catalogue text whose `[…]` parts are placeholders (never text from a card or a file).
fn with_fills(text: &str) -> Line {
    let mut line = Line::default();
    let mut rest = text;
    while let Some(open) = rest.find('[') {
        let Some(close) = rest[open..].find(']') else { break };
        if open > 0 {
            line.0.push(Span::Text(rest[..open].to_string()));
        }
        line.0.push(Span::Fill(rest[open..open + close + 1].to_string()));
        rest = &rest[open + close + 1..];
    }
    if !rest.is_empty() {
        line.0.push(Span::Text(rest.to_string()));
    }
    line
}

/// The addressee in the dative; a name no head declines stays in the nominative after «Кому:»
/// with a note, and a missing name is a placeholder. `russian_only`: a Kazakh letter's addressee
/// known only in Russian (its own note, no declension attempted).
fn addressee(
    report: &Report,
    name: Option<&str>,
    blank: Blank,
    russian_only: Option<&str>,
    notes: &mut Vec<String>,
) -> Line {
    let lang = report.lang;
    let Some(name) = name else {
        return Line::fill(letters::blank(blank, lang));
    };
    if let Some(russian) = russian_only {
        notes.push(letters::note(&Note::NoKazakhName(russian), lang));
        return Line::text(format!("{}: {name}", Label::To.get(lang)));
    }
    match report.rules_text.declension.dative(name, lang) {
        Some(dative) => Line::text(dative),
        None => {
            notes.push(letters::note(&Note::NotDeclined(name), lang));
            Line::text(format!("{}: {name}", Label::To.get(lang)))
        }
    }
}

fn kind_of(s: &SubmissionReport, lang: Lang) -> Option<String> {
    s.kind
        .as_deref()
        .and_then(ObjectKind::parse)
        .map(|k| kind_name(k, lang))
}

/// A file's name as the state body knows it: relative to its submission's directory.
fn file_name<'a>(s: &SubmissionReport, file: &'a str) -> &'a str {
    file.strip_prefix(s.path.as_str())
        .and_then(|rest| rest.strip_prefix('/'))
        .filter(|rest| !rest.is_empty())
        .unwrap_or(file)
}

/// The documents behind evidence: type, number, date, file and pages, each once.
fn documents(report: &Report, s: &SubmissionReport, evidence: &[Evidence]) -> Vec<String> {
    let lang = report.lang;
    let mut out: Vec<String> = Vec::new();
    for e in evidence {
        let file = s.files.iter().find(|f| f.file == e.file);
        let part = e
            .pages
            .and_then(|pages| file.and_then(|f| f.documents.iter().find(|d| d.pages == pages)));
        let (doc_type, facts) = match (part, file) {
            (Some(part), _) => (part.doc_type.as_str(), part.facts.as_ref()),
            (None, Some(f)) => (f.doc_type.as_str(), f.facts.as_ref()),
            (None, None) => (crate::rules::OTHER, None),
        };
        let text = letters::document(
            &report.rules_text.doc_type_name(doc_type, lang),
            facts.and_then(|f| f.number.as_deref()).map(one_line).as_deref(),
            facts.and_then(|f| f.date),
            &one_line(file_name(s, &e.file)),
            e.pages.map(page_range).as_deref(),
            lang,
        );
        if !out.contains(&text) {
            out.push(text);
        }
    }
    out
}

fn warnings(s: &SubmissionReport, lang: Lang, body: &mut Vec<Block>) {
    if !s.warnings.is_empty() {
        body.push(Block::Paragraph(Line::text(Label::LetterWarningsHeading.get(lang))));
        body.push(Block::Bulleted(
            s.warnings.iter().map(|w| Line::text(one_line(&w.text))).collect(),
        ));
    }
}

fn recommendation_body(report: &Report, s: &SubmissionReport, name: &str) -> Vec<Block> {
    let lang = report.lang;
    let acts_ = &report.rules_text.acts;
    let kind = kind_of(s, lang);
    let owner = match lang {
        Lang::Kk => s.owner_kk.as_deref().or(s.owner.as_deref()),
        _ => s.owner.as_deref(),
    }
    .map(one_line);
    let mut body = vec![Block::Paragraph(Line::text(letters::recommendation_opening(
        acts_,
        name,
        kind.as_deref(),
        owner.as_deref(),
        s.submitted,
        lang,
    )))];

    body.push(Block::Paragraph(Line::text(letters::section_p5(acts_, lang))));
    if s.requirements.is_empty() {
        body.push(Block::Paragraph(Line::text(letters::no_card(
            &one_line(&s.summary),
            lang,
        ))));
    } else {
        let items = s
            .requirements
            .iter()
            .map(|r| {
                let (title, cite, reason) = (one_line(&r.title), one_line(&r.cite), one_line(&r.reason));
                let documents = documents(report, s, &r.evidence).join("; ");
                let outcome = if r.status.is_satisfied() {
                    P5Outcome::Confirmed(&documents)
                } else if r.status == Status::NeedsReview {
                    P5Outcome::ToReview(&reason)
                } else {
                    P5Outcome::NotConfirmed(&reason)
                };
                let mut line = Line::text(letters::p5_item(&title, &cite, outcome, lang));
                if r.status.is_satisfied() && r.status != Status::Present {
                    line = line.then(Span::Break).then(Span::Text(reason.clone()));
                }
                if !r.status.is_satisfied() && !documents.is_empty() {
                    line = line
                        .then(Span::Break)
                        .then(Span::Text(letters::reviewed_document(&documents, lang)));
                }
                line
            })
            .collect();
        body.push(Block::Numbered(items));
    }

    let test = report.rules_text.criteria_test();
    let mut grounds = Vec::new();
    match (&s.criteria, test) {
        (Some(c), Some(test)) => {
            let mut by_group: Vec<(&String, &u32)> = c.by_group.iter().collect();
            by_group.sort_by_key(|(id, _)| report.rules_text.criteria_group_order(id));
            let groups: Vec<(String, u32)> = by_group
                .into_iter()
                .map(|(id, n)| (report.rules_text.criteria_group_title(id, lang), *n))
                .collect();
            body.push(Block::Paragraph(Line::text(letters::criteria_section(
                acts_,
                c.points,
                &groups,
                test.min_total,
                test.min_per_group,
                c.passes,
                lang,
            ))));
            if !c.passes {
                let empty_groups: Vec<String> = groups
                    .iter()
                    .filter(|(_, n)| *n < test.min_per_group)
                    .map(|(title, _)| title.clone())
                    .collect();
                grounds.push(letters::ground(
                    acts_,
                    &Ground::Points {
                        total: c.points,
                        min_total: test.min_total,
                        min_per_group: test.min_per_group,
                        empty_groups: &empty_groups,
                    },
                    lang,
                ));
            }
        }
        _ if !s.requirements.is_empty() => {
            body.push(Block::Paragraph(Line::text(letters::criteria_not_applicable(lang))));
        }
        _ => {}
    }
    let missing: Vec<String> = s
        .requirements
        .iter()
        .filter(|r| r.status.is_failure())
        .map(|r| one_line(&r.title))
        .collect();
    if !missing.is_empty() {
        grounds.push(letters::ground(
            acts_,
            &Ground::MissingInformation { titles: &missing },
            lang,
        ));
    }
    if s.warnings.iter().any(|w| w.warning == Warning::ObjectDecommissioned) {
        grounds.push(letters::ground(acts_, &Ground::Decommissioned, lang));
    }
    body.push(Block::Paragraph(Line::text(letters::grounds_heading(lang))));
    if grounds.is_empty() {
        let to_review = s.requirements.is_empty() || s.requirements.iter().any(|r| r.status == Status::NeedsReview);
        body.push(Block::Paragraph(Line::text(letters::no_grounds(
            acts_, to_review, lang,
        ))));
    } else {
        body.push(Block::Bulleted(grounds.into_iter().map(Line::text).collect()));
    }

    let (lead, field) = letters::architecture_field(acts_, lang);
    body.push(Block::Paragraph(Line::text(lead).then(Span::Fill(field))));
    body.push(Block::Paragraph(Line::text(letters::level(
        acts_,
        report.rules_text.levels.as_ref(),
        s.level,
        lang,
    ))));
    warnings(s, lang, &mut body);
    body
}

fn request_body(report: &Report, s: &SubmissionReport, name: &str) -> Vec<Block> {
    let lang = report.lang;
    let acts_ = &report.rules_text.acts;
    let mut body = vec![Block::Paragraph(Line::text(letters::request_opening(
        acts_,
        name,
        kind_of(s, lang).as_deref(),
        lang,
    )))];
    if s.requirements.is_empty() {
        body.push(Block::Paragraph(Line::text(letters::no_card(
            &one_line(&s.summary),
            lang,
        ))));
    }

    let mut found: Vec<String> = Vec::new();
    for r in s.requirements.iter().filter(|r| r.status.is_satisfied()) {
        for document in documents(report, s, &r.evidence) {
            if !found.contains(&document) {
                found.push(document);
            }
        }
    }
    if !found.is_empty() {
        body.push(Block::Paragraph(Line::text(letters::found_heading(lang))));
        body.push(Block::Bulleted(found.into_iter().map(Line::text).collect()));
    }

    let submit = |what: &str| Span::Text(format!("{}: {what}", Label::ToSubmit.get(lang)));
    let mut owed: Vec<Line> = s
        .requirements
        .iter()
        .filter(|r| !r.status.is_satisfied())
        .map(|r| {
            let mut line = Line::text(format!(
                "{} ({}). {}",
                one_line(&r.title),
                one_line(&r.cite),
                one_line(&r.reason)
            ));
            let documents = documents(report, s, &r.evidence).join("; ");
            if !documents.is_empty() {
                line = line
                    .then(Span::Break)
                    .then(Span::Text(letters::reviewed_document(&documents, lang)));
            }
            if let Some(to_submit) = &r.to_submit {
                line = line.then(Span::Break).then(submit(&one_line(to_submit)));
            }
            line
        })
        .collect();
    if let (Some(c), Some(test)) = (s.criteria.as_ref(), report.rules_text.criteria_test())
        && !c.passes
    {
        let (item, what) = letters::criteria_item(acts_, c.points, test.min_total, test.min_per_group, lang);
        owed.push(Line::text(item).then(Span::Break).then(submit(&what)));
    }
    let any_owed = !owed.is_empty();
    if any_owed {
        body.push(Block::Paragraph(Line::text(Label::LetterItemsHeading.get(lang))));
        body.push(Block::Numbered(owed));
    } else if !s.requirements.is_empty() {
        body.push(Block::Paragraph(Line::text(letters::nothing_owed(acts_, lang))));
    }
    warnings(s, lang, &mut body);
    if any_owed || s.requirements.is_empty() {
        body.push(Block::Paragraph(Line::text(letters::request_closing(lang))));
    }
    body
}

/// Both letters' words as one text, for tests: every span and note.
#[cfg(test)]
pub(crate) fn plain_text(l: &Letter) -> String {
    let mut parts: Vec<String> = l.sender.iter().map(Line::plain).collect();
    parts.extend([
        l.outgoing.plain(),
        l.addressee.plain(),
        l.subject.clone(),
        l.greeting.plain(),
    ]);
    parts.extend(l.basis.iter().cloned());
    for block in &l.body {
        match block {
            Block::Paragraph(line) => parts.push(line.plain()),
            Block::Numbered(lines) | Block::Bulleted(lines) => parts.extend(lines.iter().map(Line::plain)),
        }
    }
    parts.extend([
        l.signatory_position.plain(),
        l.signatory_name.plain(),
        l.executor.plain(),
    ]);
    parts.extend(l.notes.iter().cloned());
    parts.join("\n")
}

#[cfg(test)]
mod tests;
