//! The object card (`object.xml`): what a state body declares about its informatization object.
//!
//! The format is published as `schemas/object-card.xsd`. Parsing is strict about structure (a
//! malformed card is a finding with a line number) and lenient about absence: every element but
//! `id` and `kind` may be missing, and a missing element is a fact the evaluation reports.

use std::collections::BTreeMap;

use quick_xml::Reader;
use quick_xml::events::{BytesStart, Event};
use serde::{Deserialize, Serialize};

use crate::date::Date;

/// The file name that makes a directory a submission.
pub const CARD_FILE_NAME: &str = "object.xml";

/// Cards are small; anything this large is not a card and is refused before parsing.
const MAX_CARD_BYTES: usize = 4 * 1024 * 1024;
const MAX_DEPTH: usize = 32;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, PartialOrd, Ord)]
#[serde(rename_all = "snake_case")]
pub enum ObjectKind {
    InformationSystem,
    HardwareSoftwareComplex,
    PlatformSoftwareProduct,
}

impl ObjectKind {
    pub const ALL: [ObjectKind; 3] = [
        ObjectKind::InformationSystem,
        ObjectKind::HardwareSoftwareComplex,
        ObjectKind::PlatformSoftwareProduct,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            ObjectKind::InformationSystem => "information_system",
            ObjectKind::HardwareSoftwareComplex => "hardware_software_complex",
            ObjectKind::PlatformSoftwareProduct => "platform_software_product",
        }
    }

    pub fn parse(s: &str) -> Option<ObjectKind> {
        ObjectKind::ALL.into_iter().find(|k| k.as_str() == s)
    }
}

/// Lifecycle stage (Law "On Informatization" Art. 1(6-7); Order No. 129 т.3(8)).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Stage {
    Creation,
    TrialOperation,
    IndustrialOperation,
    Development,
    Decommissioned,
}

impl Stage {
    pub fn as_str(self) -> &'static str {
        match self {
            Stage::Creation => "creation",
            Stage::TrialOperation => "trial_operation",
            Stage::IndustrialOperation => "industrial_operation",
            Stage::Development => "development",
            Stage::Decommissioned => "decommissioned",
        }
    }

    pub fn parse(s: &str) -> Option<Stage> {
        [
            Stage::Creation,
            Stage::TrialOperation,
            Stage::IndustrialOperation,
            Stage::Development,
            Stage::Decommissioned,
        ]
        .into_iter()
        .find(|k| k.as_str() == s)
    }
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct LocalizedName {
    pub lang: Option<String>,
    pub text: String,
}

/// A document the submitter says is in the submission, and what they say it is.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct DeclaredDocument {
    /// Path relative to the submission directory, as written in the card.
    pub file: String,
    pub doc_type: String,
}

#[derive(Debug, Clone, PartialEq, Default, Serialize)]
pub struct ObjectCard {
    pub id: String,
    pub kind: Option<ObjectKind>,
    pub names: Vec<LocalizedName>,
    pub short_name: Option<String>,
    pub owner: Option<String>,
    /// The owner's name in Kazakh, for the Kazakh letters (optional: never translated by us).
    pub owner_kk: Option<String>,
    pub stage: Option<Stage>,
    /// When the application reached the authorised body (starts the p. 5 deadline).
    pub submitted: Option<Date>,
    pub description: Option<String>,
    pub registered_users: Option<u64>,
    pub state_bodies: Option<u64>,
    pub deployment_sites: Option<u64>,
    pub services: Vec<String>,
    /// Appendix 2 items as declared: id -> points (0 or 1).
    pub criteria: BTreeMap<String, u8>,
    pub documents: Vec<DeclaredDocument>,
}

impl ObjectCard {
    /// Everything human-readable in the card, for the search index.
    pub fn searchable_text(&self) -> String {
        let mut parts: Vec<&str> = self.names.iter().map(|n| n.text.as_str()).collect();
        parts.extend(self.short_name.as_deref());
        parts.extend(self.owner.as_deref());
        parts.extend(self.owner_kk.as_deref());
        parts.extend(self.description.as_deref());
        parts.extend(self.services.iter().map(String::as_str));
        parts.join("\n")
    }

    /// The card's first name in `lang`, else its first name, else its id.
    pub fn display_name(&self, lang: &str) -> &str {
        self.names
            .iter()
            .find(|n| n.lang.as_deref() == Some(lang))
            .or(self.names.first())
            .map(|n| n.text.as_str())
            .unwrap_or(&self.id)
    }
}

/// Why a card could not be read: a line (1-based) and what is wrong there.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("object card, line {line}: {message}")]
pub struct CardError {
    pub line: usize,
    pub message: String,
}

/// Parses a card from its bytes, honouring the encoding in its XML declaration
/// (UTF-8 or windows-1251).
pub fn parse_card(bytes: &[u8]) -> Result<ObjectCard, CardError> {
    if bytes.len() > MAX_CARD_BYTES {
        return Err(CardError {
            line: 1,
            message: format!("{} bytes is too large for an object card", bytes.len()),
        });
    }
    let text = decode(bytes)?;
    let root = parse_tree(&text)?;
    interpret(&root, &text)
}

fn decode(bytes: &[u8]) -> Result<String, CardError> {
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    let head = String::from_utf8_lossy(&bytes[..bytes.len().min(200)]).to_ascii_lowercase();
    let declared = head
        .split("encoding=")
        .nth(1)
        .and_then(|rest| rest.trim_start_matches(['"', '\'']).split(['"', '\'']).next())
        .unwrap_or("utf-8")
        .to_string();
    match declared.as_str() {
        "utf-8" | "utf8" => String::from_utf8(bytes.to_vec()).map_err(|e| {
            let offset = e.utf8_error().valid_up_to();
            CardError {
                line: line_of(&String::from_utf8_lossy(&bytes[..offset]), offset),
                message: "the card says UTF-8 but holds bytes that are not UTF-8".to_string(),
            }
        }),
        "windows-1251" | "cp1251" => Ok(encoding_rs::WINDOWS_1251.decode(bytes).0.into_owned()),
        other => Err(CardError {
            line: 1,
            message: format!("encoding `{other}` is not supported (use UTF-8 or windows-1251)"),
        }),
    }
}

fn line_of(text: &str, offset: usize) -> usize {
    let end = offset.min(text.len());
    let end = (0..=end).rev().find(|&i| text.is_char_boundary(i)).unwrap_or(0);
    text[..end].matches('\n').count() + 1
}

/// A minimal element tree: cards are small and read whole, which keeps the interpretation below
/// a plain walk instead of a state machine.
#[derive(Debug, Default)]
struct Element {
    name: String,
    attributes: Vec<(String, String)>,
    text: String,
    children: Vec<Element>,
    offset: usize,
}

impl Element {
    fn attribute(&self, name: &str) -> Option<&str> {
        self.attributes.iter().find(|(k, _)| k == name).map(|(_, v)| v.as_str())
    }
    fn child(&self, name: &str) -> Option<&Element> {
        self.children.iter().find(|c| c.name == name)
    }
    fn children_named<'a>(&'a self, name: &'a str) -> impl Iterator<Item = &'a Element> + 'a {
        self.children.iter().filter(move |c| c.name == name)
    }
    fn trimmed_text(&self) -> Option<String> {
        let text = self.text.split_whitespace().collect::<Vec<_>>().join(" ");
        (!text.is_empty()).then_some(text)
    }
}

fn parse_tree(text: &str) -> Result<Element, CardError> {
    let mut reader = Reader::from_str(text);
    let mut stack: Vec<Element> = Vec::new();
    let error_at = |offset: u64, message: String| CardError {
        line: line_of(text, offset as usize),
        message,
    };
    loop {
        let offset = reader.buffer_position() as usize;
        let event = reader
            .read_event()
            .map_err(|e| error_at(reader.error_position(), format!("malformed XML: {e}")))?;
        match event {
            Event::Start(start) => {
                if stack.len() >= MAX_DEPTH {
                    return Err(error_at(
                        offset as u64,
                        format!("nesting deeper than {MAX_DEPTH} levels"),
                    ));
                }
                stack.push(element_from(&start, offset).map_err(|m| error_at(offset as u64, m))?);
            }
            Event::Empty(start) => {
                let element = element_from(&start, offset).map_err(|m| error_at(offset as u64, m))?;
                match stack.last_mut() {
                    Some(parent) => parent.children.push(element),
                    None => return Ok(element),
                }
            }
            Event::End(_) => {
                let Some(done) = stack.pop() else {
                    return Err(error_at(offset as u64, "closing tag without an opening one".into()));
                };
                match stack.last_mut() {
                    Some(parent) => parent.children.push(done),
                    None => return Ok(done),
                }
            }
            Event::Text(t) => push_text(&mut stack, &t.xml10_content()),
            Event::CData(t) => push_text(&mut stack, &t.xml10_content()),
            Event::GeneralRef(r) => {
                let resolved = match r.resolve_char_ref() {
                    Ok(Some(c)) => c.to_string(),
                    Ok(None) => match predefined_entity(&r.xml10_content()) {
                        Some(c) => c.to_string(),
                        None => {
                            return Err(error_at(
                                offset as u64,
                                format!("undeclared entity `&{};`", r.xml10_content()),
                            ));
                        }
                    },
                    Err(e) => return Err(error_at(offset as u64, format!("bad character reference: {e}"))),
                };
                push_text(&mut stack, &resolved);
            }
            Event::DocType(_) => {
                // Entities declared in a DOCTYPE are how entity bombs and external fetches start;
                // a card has no use for them.
                return Err(error_at(
                    offset as u64,
                    "DOCTYPE declarations are not allowed in an object card".into(),
                ));
            }
            Event::Eof => {
                return Err(error_at(
                    text.len() as u64,
                    match stack.last() {
                        Some(open) => format!("unexpected end of file: <{}> is not closed", open.name),
                        None => "no root element".to_string(),
                    },
                ));
            }
            Event::Decl(_) | Event::PI(_) | Event::Comment(_) => {}
        }
    }
}

fn push_text(stack: &mut [Element], text: &str) {
    if let Some(open) = stack.last_mut() {
        open.text.push_str(text);
    }
}

fn predefined_entity(name: &str) -> Option<char> {
    Some(match name {
        "amp" => '&',
        "lt" => '<',
        "gt" => '>',
        "quot" => '"',
        "apos" => '\'',
        _ => return None,
    })
}

fn element_from(start: &BytesStart, offset: usize) -> Result<Element, String> {
    let name = start.local_name().as_ref().to_string();
    let mut attributes = Vec::new();
    for attribute in start.attributes() {
        let attribute = attribute.map_err(|e| format!("bad attribute in <{name}>: {e}"))?;
        let key = attribute.key.local_name().as_ref().to_string();
        let value = attribute
            .normalized_value(quick_xml::XmlVersion::Implicit1_0)
            .map_err(|e| format!("bad value of attribute `{key}` in <{name}>: {e}"))?
            .into_owned();
        attributes.push((key, value));
    }
    Ok(Element {
        name,
        attributes,
        offset,
        ..Element::default()
    })
}

fn interpret(root: &Element, text: &str) -> Result<ObjectCard, CardError> {
    let (id, kind) = object_identity(root, text)?;
    let mut card = ObjectCard {
        id,
        kind: Some(kind),
        ..ObjectCard::default()
    };
    for name in root.children_named("name") {
        if let Some(written) = name.trimmed_text() {
            card.names.push(LocalizedName {
                lang: name.attribute("lang").map(str::to_string),
                text: written,
            });
        }
    }
    card.short_name = root.child("short_name").and_then(Element::trimmed_text);
    card.owner = root.child("owner").and_then(Element::trimmed_text);
    card.owner_kk = root.child("owner_kk").and_then(Element::trimmed_text);
    card.description = root.child("description").and_then(Element::trimmed_text);
    if let Some(stage) = root.child("stage") {
        let value = stage.trimmed_text().unwrap_or_default();
        card.stage = Some(Stage::parse(&value).ok_or_else(|| {
            fail(text, stage, format!("stage `{value}` is not one of creation, trial_operation, industrial_operation, development, decommissioned"))
        })?);
    }
    if let Some(submitted) = root.child("submitted") {
        let value = submitted.trimmed_text().unwrap_or_default();
        card.submitted = Some(
            value
                .parse()
                .map_err(|e| fail(text, submitted, format!("<submitted>: {e}")))?,
        );
    }
    card.registered_users = count_of(root, text, "registered_users")?;
    card.state_bodies = count_of(root, text, "state_bodies")?;
    card.deployment_sites = count_of(root, text, "deployment_sites")?;
    if let Some(services) = root.child("services") {
        card.services = services
            .children_named("service")
            .filter_map(Element::trimmed_text)
            .collect();
    }
    if let Some(criteria) = root.child("criteria") {
        card.criteria = criteria_points(criteria, text)?;
    }
    if let Some(documents) = root.child("documents") {
        card.documents = declared_documents(documents, text)?;
    }
    Ok(card)
}

/// A card error at `element`, with its line in the card's `text`.
fn fail(text: &str, element: &Element, message: String) -> CardError {
    CardError {
        line: line_of(text, element.offset),
        message,
    }
}

/// The `id` and `kind` of `<object>`, the two things a card cannot do without.
fn object_identity(root: &Element, text: &str) -> Result<(String, ObjectKind), CardError> {
    if root.name != "object" {
        return Err(fail(
            text,
            root,
            format!("the root element is <{}>, expected <object>", root.name),
        ));
    }
    let id = root
        .attribute("id")
        .map(str::trim)
        .filter(|id| !id.is_empty())
        .ok_or_else(|| fail(text, root, "<object> has no `id` attribute".into()))?
        .to_string();
    let kind_text = root
        .attribute("kind")
        .ok_or_else(|| fail(text, root, "<object> has no `kind` attribute".into()))?;
    let kind = ObjectKind::parse(kind_text.trim()).ok_or_else(|| {
        fail(
            text,
            root,
            format!(
                "kind `{kind_text}` is not one of information_system, hardware_software_complex, platform_software_product"
            ),
        )
    })?;
    Ok((id, kind))
}

/// The whole number in `<name>`, spaces between digit groups allowed ("12 500").
fn count_of(root: &Element, text: &str, name: &str) -> Result<Option<u64>, CardError> {
    let Some(element) = root.child(name) else {
        return Ok(None);
    };
    let value = element.trimmed_text().unwrap_or_default();
    let digits: String = value.chars().filter(|c| !c.is_whitespace()).collect();
    digits.parse::<u64>().map(Some).map_err(|_| {
        fail(
            text,
            element,
            format!("<{name}> must be a whole number, found `{value}`"),
        )
    })
}

/// The Appendix 2 points declared in `<criteria>`: criterion id -> 0 or 1.
fn criteria_points(criteria: &Element, text: &str) -> Result<BTreeMap<String, u8>, CardError> {
    let mut points = BTreeMap::new();
    for criterion in criteria.children_named("criterion") {
        let id = criterion
            .attribute("id")
            .ok_or_else(|| fail(text, criterion, "<criterion> has no `id` attribute".into()))?;
        let value = criterion.trimmed_text().unwrap_or_default();
        let point = match value.as_str() {
            "0" => 0,
            "1" => 1,
            _ => {
                return Err(fail(
                    text,
                    criterion,
                    format!("criterion {id} must be 0 or 1, found `{value}`"),
                ));
            }
        };
        points.insert(id.trim().to_string(), point);
    }
    Ok(points)
}

/// The files `<documents>` declares, each with its document type.
fn declared_documents(documents: &Element, text: &str) -> Result<Vec<DeclaredDocument>, CardError> {
    let mut declared = Vec::new();
    for document in documents.children_named("document") {
        let file = document
            .attribute("file")
            .ok_or_else(|| fail(text, document, "<document> has no `file` attribute".into()))?;
        let doc_type = document
            .attribute("type")
            .ok_or_else(|| fail(text, document, "<document> has no `type` attribute".into()))?;
        declared.push(DeclaredDocument {
            file: file.trim().to_string(),
            doc_type: doc_type.trim().to_string(),
        });
    }
    Ok(declared)
}

#[cfg(test)]
mod tests {
    use super::*;

    const FULL: &str = r#"<?xml version="1.0" encoding="UTF-8"?>
<object id="IS-2021-0042" kind="information_system">
  <name lang="ru">Информационная система «Электронные обращения»</name>
  <name lang="kk">«Электрондық өтініштер» ақпараттық жүйесі</name>
  <short_name>ИС ЭО</short_name>
  <owner_kk>Қазақстан Республикасы Цифрлық даму, инновациялар және аэроғарыш өнеркәсібі министрлігі</owner_kk>
  <stage>industrial_operation</stage>
  <submitted>2026-11-16</submitted>
  <description>Учёт обращений &amp; ответов &#171;онлайн&#187;</description>
  <registered_users>12 500</registered_users>
  <state_bodies>14</state_bodies>
  <services><service>Выдача справки</service><service>Приём заявлений</service></services>
  <criteria><criterion id="1.1">1</criterion><criterion id="3.1">0</criterion></criteria>
  <documents><document file="docs/akt.pdf" type="commissioning_act"/></documents>
</object>"#;

    #[test]
    fn reads_every_field_of_a_full_card() {
        let card = parse_card(FULL.as_bytes()).unwrap();
        assert_eq!(card.id, "IS-2021-0042");
        assert_eq!(card.kind, Some(ObjectKind::InformationSystem));
        assert_eq!(card.names.len(), 2);
        assert_eq!(card.names[1].text, "«Электрондық өтініштер» ақпараттық жүйесі");
        assert_eq!(card.stage, Some(Stage::IndustrialOperation));
        assert!(card.owner_kk.as_deref().is_some_and(|o| o.ends_with("министрлігі")));
        assert_eq!(card.submitted, "2026-11-16".parse().ok());
        assert_eq!(card.description.as_deref(), Some("Учёт обращений & ответов «онлайн»"));
        assert_eq!(card.registered_users, Some(12_500));
        assert_eq!(card.state_bodies, Some(14));
        assert_eq!(card.deployment_sites, None);
        assert_eq!(card.services.len(), 2);
        assert_eq!(card.criteria.get("3.1"), Some(&0));
        assert_eq!(card.documents[0].doc_type, "commissioning_act");
    }

    #[test]
    fn decodes_windows_1251_cards() {
        let xml = "<?xml version=\"1.0\" encoding=\"windows-1251\"?>\n<object id=\"A-1\" kind=\"hardware_software_complex\"><name>Комплекс</name></object>";
        let (bytes, _, _) = encoding_rs::WINDOWS_1251.encode(xml);
        let card = parse_card(&bytes).unwrap();
        assert_eq!(card.names[0].text, "Комплекс");
    }

    #[test]
    fn malformed_cards_name_the_line_and_the_problem() {
        let unclosed =
            "<?xml version=\"1.0\"?>\n<object id=\"X\" kind=\"information_system\">\n  <name>Система\n</object>";
        let err = parse_card(unclosed.as_bytes()).unwrap_err();
        assert_eq!(err.line, 4, "{err}");
        assert!(err.message.contains("malformed XML"), "{err}");

        let bad_kind = "<object id=\"X\" kind=\"server\"/>";
        assert!(
            parse_card(bad_kind.as_bytes())
                .unwrap_err()
                .message
                .contains("kind `server`")
        );

        let no_id = "<object kind=\"information_system\"/>";
        assert!(parse_card(no_id.as_bytes()).unwrap_err().message.contains("no `id`"));

        let bad_count =
            "<object id=\"X\" kind=\"information_system\">\n<registered_users>много</registered_users></object>";
        let err = parse_card(bad_count.as_bytes()).unwrap_err();
        assert_eq!(err.line, 2);
        assert!(err.message.contains("whole number"));
    }

    #[test]
    fn refuses_doctype_and_custom_entities() {
        let bomb = "<?xml version=\"1.0\"?>\n<!DOCTYPE object [<!ENTITY a \"aaaa\">]>\n<object id=\"X\" kind=\"information_system\"><name>&a;</name></object>";
        let err = parse_card(bomb.as_bytes()).unwrap_err();
        assert!(err.message.contains("DOCTYPE"), "{err}");
        let undeclared = "<object id=\"X\" kind=\"information_system\"><name>&a;</name></object>";
        assert!(
            parse_card(undeclared.as_bytes())
                .unwrap_err()
                .message
                .contains("undeclared entity")
        );
    }
}
