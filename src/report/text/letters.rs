//! The words of the two letters (`report::letter`): the integrator's recommendation to the
//! authorized body (Order No. 29 p. 5) and its request to the state body. Every sentence of both,
//! in Russian, Kazakh and English; the letter model only arranges them.
//!
//! Two rules run through this file. The judgement of p. 6(2), whether the object complies with
//! the e-government architecture, is never stated: the letter leaves a marked field for the
//! analyst. And every ground for refusal names its own paragraph: p. 6(1) for points, p. 6(3) for
//! missing p. 5 information, p. 10 for an object no longer operated.

use super::{Label, Lang, acts, level_name, pick};
use crate::date::Date;
use crate::rules::{Act, Level, LevelPolicy, ORDER_29, ORDER_193};

pub use super::summaries::points;

/// After «не менее»: «не менее 3 баллов», «не менее 1 балла», «не менее 21 балла».
pub fn at_least_points(n: u32, lang: Lang) -> String {
    let ru = if n % 10 == 1 && n % 100 != 11 {
        "балла"
    } else {
        "баллов"
    };
    pick(
        lang,
        format!("не менее {n} {ru}"),
        format!("кемінде {n} балл"),
        format!("at least {}", points(n, lang)),
    )
}

/// A document type's name inside a sentence: its first letter in lower case, unless the first
/// word is an abbreviation («ИС», «АПК»).
fn in_sentence(name: &str) -> String {
    let mut chars = name.chars();
    match (chars.next(), chars.next()) {
        (Some(first), Some(second)) if first.is_uppercase() && second.is_lowercase() => {
            first.to_lowercase().chain(name.chars().skip(1)).collect()
        }
        _ => name.to_string(),
    }
}

/// A placeholder the analyst fills in Word: «[должность]».
fn fill(text: &str) -> String {
    format!("[{text}]")
}

/// What a blank sender field shows.
#[derive(Debug, Clone, Copy)]
pub enum Blank {
    Organisation,
    Address,
    Position,
    SignatoryName,
    Executor,
    Phone,
    OutgoingNumber,
    AuthorizedBody,
    StateBody,
    GreetingName,
}

pub fn blank(what: Blank, lang: Lang) -> String {
    let (ru, kk, en) = match what {
        Blank::Organisation => (
            "наименование сервисного интегратора",
            "сервистік интегратордың атауы",
            "name of the service integrator",
        ),
        Blank::Address => (
            "адрес, телефон, e-mail",
            "мекенжайы, телефоны, e-mail",
            "address, telephone, e-mail",
        ),
        Blank::Position => ("должность", "лауазымы", "position"),
        Blank::SignatoryName => ("И. О. Фамилия", "А. Ә. Тегі", "initials and surname"),
        Blank::Executor => ("исполнитель", "орындаушы", "prepared by"),
        Blank::Phone => ("телефон", "телефон", "telephone"),
        Blank::OutgoingNumber => ("____", "____", "____"),
        Blank::AuthorizedBody => (
            "уполномоченный орган в сфере информатизации",
            "ақпараттандыру саласындағы уәкілетті орган",
            "the authorized body in the sphere of informatization",
        ),
        Blank::StateBody => (
            "наименование государственного органа",
            "мемлекеттік органның атауы",
            "name of the state body",
        ),
        Blank::GreetingName => ("имя, отчество", "аты, әкесінің аты", "name"),
    };
    fill(pick(lang, ru, kk, en))
}

/// «Исх. № 01-12/[____] от 22.11.2026»: the number is the registry's.
pub fn outgoing(prefix: &str, number: &str, date: Date, lang: Lang) -> String {
    let date = date.dotted();
    pick(
        lang,
        format!("Исх. № {prefix}{number} от {date}"),
        format!("Шығ. № {prefix}{number}, {date} ж."),
        format!("Ref. No. {prefix}{number} of {date}"),
    )
}

pub fn greeting(name: &str, lang: Lang) -> String {
    pick(
        lang,
        format!("Уважаемый {name}!"),
        format!("Құрметті {name}!"),
        format!("Dear {name},"),
    )
}

/// The two letters, for their subject lines and file names.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    Recommendation,
    Request,
}

pub fn subject(kind: Kind, name: &str, lang: Lang) -> String {
    match kind {
        Kind::Recommendation => pick(
            lang,
            format!("О рекомендации по объекту информатизации «{name}»"),
            format!("«{name}» ақпараттандыру объектісі бойынша ұсыным туралы"),
            format!("Recommendation on the informatization object “{name}”"),
        ),
        Kind::Request => pick(
            lang,
            format!("О представлении сведений об объекте информатизации «{name}»"),
            format!("«{name}» ақпараттандыру объектісі туралы мәліметтерді ұсыну туралы"),
            format!("Information to be submitted on the informatization object “{name}”"),
        ),
    }
}

/// The document title of the HTML page.
pub fn title(kind: Kind, lang: Lang) -> &'static str {
    match kind {
        Kind::Recommendation => pick(lang, "Рекомендация", "Ұсыным", "Recommendation"),
        Kind::Request => pick(
            lang,
            "Запрос сведений",
            "Мәліметтерді сұрату",
            "Request for information",
        ),
    }
}

/// The object as the opening sentences name it: «…» (информационная система; государственный
/// орган — Министерство юстиции Республики Казахстан).
fn object(name: &str, kind: Option<&str>, owner: Option<&str>, lang: Lang) -> String {
    let mut details = Vec::new();
    details.extend(kind.map(str::to_string));
    details.extend(owner.map(|o| {
        pick(
            lang,
            format!("государственный орган — {o}"),
            format!("мемлекеттік орган — {o}"),
            format!("state body: {o}"),
        )
    }));
    match details.is_empty() {
        true => format!("«{name}»"),
        false => format!("«{name}» ({})", details.join("; ")),
    }
}

/// The recommendation's opening: who reviewed what, under which paragraph.
pub fn recommendation_opening(
    acts_: &[Act],
    name: &str,
    kind: Option<&str>,
    owner: Option<&str>,
    submitted: Option<Date>,
    lang: Lang,
) -> String {
    let p5 = acts::paragraph(acts_, ORDER_29, 5, lang);
    let object = object(name, kind, owner, lang);
    let received = submitted.map(|d| d.dotted());
    match lang {
        Lang::Ru => format!(
            // The citation ends the sentence: mid-sentence, its participle («утв. приказом № 29»)
            // would need a closing comma.
            "Сервисный интегратор «электронного правительства» рассмотрел сведения об объекте информатизации {object}, размещённые на архитектурном портале «электронного правительства»{}, в порядке, предусмотренном {p5}.",
            received
                .map(|d| format!(" (заявление поступило {d})"))
                .unwrap_or_default()
        ),
        Lang::Kk => format!(
            "«Электрондық үкіметтің» сервистік интеграторы «электрондық үкіметтің» архитектуралық порталында орналастырылған {object} ақпараттандыру объектісі туралы мәліметтерді{} {p5} бойынша қарап, мынаны хабарлайды.",
            received.map(|d| format!(" (өтініш {d} түсті)")).unwrap_or_default()
        ),
        Lang::En => format!(
            "Under {p5}, the e-government service integrator has reviewed the information on the informatization object {object} posted on the e-government architecture portal{}, and reports the following.",
            received
                .map(|d| format!(" (application received on {d})"))
                .unwrap_or_default()
        ),
    }
}

/// The request's opening.
pub fn request_opening(acts_: &[Act], name: &str, kind: Option<&str>, lang: Lang) -> String {
    let p5 = acts::paragraph(acts_, ORDER_29, 5, lang);
    let object = object(name, kind, None, lang);
    pick(
        lang,
        format!(
            "Сервисный интегратор «электронного правительства» рассмотрел сведения об объекте информатизации {object}, размещённые на архитектурном портале «электронного правительства», на предмет наличия сведений, предусмотренных {p5}."
        ),
        format!(
            "«Электрондық үкіметтің» сервистік интеграторы «электрондық үкіметтің» архитектуралық порталында орналастырылған {object} ақпараттандыру объектісі туралы мәліметтерді {p5} бойынша талап етілетін мәліметтердің болуы тұрғысынан қарады."
        ),
        format!(
            "The e-government service integrator has reviewed the information on the informatization object {object} posted on the e-government architecture portal for the information required by {p5}."
        ),
    )
}

/// Section headings of the recommendation, numbered in the letter.
pub fn section_p5(acts_: &[Act], lang: Lang) -> String {
    let p5 = acts::paragraph(acts_, ORDER_29, 5, lang);
    pick(
        lang,
        format!("1. Наличие на архитектурном портале сведений, предусмотренных {p5}:"),
        format!("1. Архитектуралық порталда {p5} бойынша талап етілетін мәліметтердің болуы:"),
        format!("1. Information required by {p5} on the architecture portal:"),
    )
}

/// One p. 5 item of the recommendation: confirmed (with its documents), not confirmed (why), or
/// to be reviewed by the analyst (why).
pub fn p5_item(title: &str, cite: &str, outcome: P5Outcome<'_>, lang: Lang) -> String {
    match outcome {
        P5Outcome::Confirmed(documents) => pick(
            lang,
            format!("{title} ({cite}) — подтверждается: {documents}."),
            format!("{title} ({cite}) — расталады: {documents}."),
            format!("{title} ({cite}): confirmed by {documents}."),
        ),
        P5Outcome::NotConfirmed(reason) => pick(
            lang,
            format!("{title} ({cite}) — не подтверждается. {reason}"),
            format!("{title} ({cite}) — расталмайды. {reason}"),
            format!("{title} ({cite}): not confirmed. {reason}"),
        ),
        P5Outcome::ToReview(reason) => pick(
            lang,
            format!("{title} ({cite}) — требует проверки аналитиком. {reason}"),
            format!("{title} ({cite}) — талдаушының тексеруін қажет етеді. {reason}"),
            format!("{title} ({cite}): to be reviewed by the analyst. {reason}"),
        ),
    }
}

pub enum P5Outcome<'a> {
    Confirmed(&'a str),
    NotConfirmed(&'a str),
    ToReview(&'a str),
}

/// The object has no readable card: nothing of p. 5 can be confirmed.
pub fn no_card(summary: &str, lang: Lang) -> String {
    pick(
        lang,
        format!("Сведения, предусмотренные пунктом 5, не могут быть подтверждены: {summary}"),
        format!("5-тармақта көзделген мәліметтер расталмайды: {summary}"),
        format!("The information required by paragraph 5 cannot be confirmed: {summary}"),
    )
}

/// A document as evidence: «акт ввода в промышленную эксплуатацию № 12 от 15.03.2021 (файл
/// «docs/akt.pdf», с. 3–5)».
pub fn document(
    doc_type: &str,
    number: Option<&str>,
    date: Option<Date>,
    file: &str,
    pages: Option<&str>,
    lang: Lang,
) -> String {
    let number = number.map(|n| format!("№ {n}"));
    let date = date.map(|d| d.dotted());
    let doc_type = in_sentence(doc_type);
    let doc_type = doc_type.as_str();
    match lang {
        Lang::Ru => {
            let mut text = doc_type.to_string();
            if let Some(n) = number {
                text.push_str(&format!(" {n}"));
            }
            if let Some(d) = date {
                text.push_str(&format!(" от {d}"));
            }
            match pages {
                Some(p) => format!("{text} (файл «{file}», с. {p})"),
                None => format!("{text} (файл «{file}»)"),
            }
        }
        Lang::Kk => {
            let mut head = Vec::new();
            head.extend(date.map(|d| format!("{d} жылғы")));
            head.extend(number);
            head.push(doc_type.to_string());
            match pages {
                Some(p) => format!("{} («{file}» файлы, {p}-беттер)", head.join(" ")),
                None => format!("{} («{file}» файлы)", head.join(" ")),
            }
        }
        Lang::En => {
            let mut text = doc_type.to_string();
            if let Some(n) = number {
                text.push_str(&format!(" No. {}", n.trim_start_matches("№ ")));
            }
            if let Some(d) = date {
                text.push_str(&format!(" of {d}"));
            }
            match pages {
                Some(p) => format!("{text} (file “{file}”, p. {p})"),
                None => format!("{text} (file “{file}”)"),
            }
        }
    }
}

/// The document a finding rests on, when a requirement is not met: the rejected protocol, the
/// look-alike act.
pub fn reviewed_document(documents: &str, lang: Lang) -> String {
    pick(
        lang,
        format!("Рассмотрен документ: {documents}."),
        format!("Қаралған құжат: {documents}."),
        format!("Document reviewed: {documents}."),
    )
}

/// The criteria section of the recommendation: points by group and whether p. 6(1) is met.
#[allow(clippy::too_many_arguments)]
pub fn criteria_section(
    acts_: &[Act],
    total: u32,
    groups: &[(String, u32)],
    min_total: u32,
    min_per_group: u32,
    passes: bool,
    lang: Lang,
) -> String {
    let p61 = acts::subparagraph(acts_, ORDER_29, 6, 1, lang);
    let appendix = acts::appendix(acts_, ORDER_29, 2, lang);
    let groups = groups
        .iter()
        .map(|(title, n)| format!("«{title}» — {}", points(*n, lang)))
        .collect::<Vec<_>>()
        .join(", ");
    let (total, min_total, min_group) = (
        points(total, lang),
        at_least_points(min_total, lang),
        at_least_points(min_per_group, lang),
    );
    match lang {
        Lang::Ru => format!(
            "2. Критерии отнесения ({appendix}): набрано {total}, в том числе по группам: {groups}. Требование {p61} ({min_total} в сумме и {min_group} в каждой группе) {}.",
            if passes {
                "выполнено"
            } else {
                "не выполнено"
            }
        ),
        Lang::Kk => format!(
            "2. Жатқызу өлшемшарттары ({appendix}): барлығы {total}, оның ішінде топтар бойынша: {groups}. {p61} талабы (барлығы {min_total} және әр топта {min_group}) {}.",
            if passes {
                "орындалды"
            } else {
                "орындалмады"
            }
        ),
        Lang::En => format!(
            "2. Selection criteria ({appendix}): {total} in total; by group: {groups}. The test of {p61} ({min_total} in total and {min_group} in every group) is {}.",
            if passes { "met" } else { "not met" }
        ),
    }
}

/// A platform software product is not scored under Appendix 2.
pub fn criteria_not_applicable(lang: Lang) -> &'static str {
    pick(
        lang,
        "2. Критерии отнесения к объекту данного вида не применяются.",
        "2. Жатқызу өлшемшарттары осы түрдегі объектіге қолданылмайды.",
        "2. The selection criteria do not apply to an object of this kind.",
    )
}

pub fn grounds_heading(lang: Lang) -> &'static str {
    pick(
        lang,
        "3. Основания для отказа во включении объекта в перечень:",
        "3. Объектіні тізбеге енгізуден бас тарту үшін негіздер:",
        "3. Grounds for refusing to include the object in the list:",
    )
}

/// A ground for refusal, each with its own paragraph.
pub enum Ground<'a> {
    /// p. 6(1): too few points in total or in a group.
    Points {
        total: u32,
        min_total: u32,
        min_per_group: u32,
        empty_groups: &'a [String],
    },
    /// p. 6(3): p. 5 information missing or not acceptable.
    MissingInformation { titles: &'a [String] },
    /// p. 10: the object is no longer operated.
    Decommissioned,
}

pub fn ground(acts_: &[Act], ground: &Ground<'_>, lang: Lang) -> String {
    match ground {
        Ground::Points {
            total,
            min_total,
            min_per_group,
            empty_groups,
        } => {
            let p61 = acts::subparagraph(acts_, ORDER_29, 6, 1, lang);
            let (total, min_total, min_group) = (
                points(*total, lang),
                at_least_points(*min_total, lang),
                at_least_points(*min_per_group, lang),
            );
            let one = empty_groups.len() == 1;
            let groups = empty_groups
                .iter()
                .map(|g| format!("«{g}»"))
                .collect::<Vec<_>>()
                .join(", ");
            let shortfall = match (groups.is_empty(), lang) {
                (true, _) => String::new(),
                (false, Lang::Ru) => format!(
                    "; в {} {groups} требуемый минимум не набран",
                    if one { "группе" } else { "группах" }
                ),
                (false, Lang::Kk) => format!(
                    "; {groups} {} талап етілетін ең аз балл жиналмады",
                    if one { "тобында" } else { "топтарында" }
                ),
                (false, Lang::En) => format!("; below the minimum in {groups}"),
            };
            pick(
                lang,
                format!("{p61}: набрано {total} при необходимых {min_total} и {min_group} в каждой группе{shortfall}."),
                format!("{p61}: {min_total} және әр топта {min_group} қажет болғанда {total} жиналды{shortfall}."),
                format!("{p61}: {total}, where {min_total} and {min_group} in every group are required{shortfall}."),
            )
        }
        Ground::MissingInformation { titles } => {
            let p63 = acts::subparagraph(acts_, ORDER_29, 6, 3, lang);
            let p5 = acts::paragraph(acts_, ORDER_29, 5, lang);
            let titles = titles.iter().map(|t| format!("«{t}»")).collect::<Vec<_>>().join(", ");
            pick(
                lang,
                format!(
                    "{p63}: на архитектурном портале отсутствуют или не могут быть приняты сведения, предусмотренные {p5}: {titles}."
                ),
                format!(
                    "{p63}: архитектуралық порталда {p5} бойынша талап етілетін мәліметтер жоқ немесе қабылдана алмайды: {titles}."
                ),
                format!(
                    "{p63}: the information required by {p5} is missing from the architecture portal or cannot be accepted: {titles}."
                ),
            )
        }
        Ground::Decommissioned => {
            let p10 = acts::paragraph(acts_, ORDER_29, 10, lang);
            pick(
                lang,
                format!("{p10}: эксплуатация объекта прекращена, объект подлежит исключению из перечня."),
                format!("{p10}: объектіні пайдалану тоқтатылған, объект тізбеден алынып тасталуға жатады."),
                format!("{p10}: the object is no longer operated and is to be removed from the list."),
            )
        }
    }
}

/// No ground of p. 6(1) or p. 6(3) was found (p. 6(2) is the analyst's).
pub fn no_grounds(acts_: &[Act], to_review: bool, lang: Lang) -> String {
    let p61 = acts::subparagraph(acts_, ORDER_29, 6, 1, lang);
    let p63 = acts::subparagraph(acts_, ORDER_29, 6, 3, lang);
    let review = match to_review {
        true => pick(
            lang,
            " Сведения, отмеченные выше как требующие проверки, проверяются аналитиком до направления рекомендации.",
            " Жоғарыда тексеруді қажет етеді деп белгіленген мәліметтерді ұсыным жіберілгенге дейін талдаушы тексереді.",
            " The information marked above for review is checked by the analyst before the recommendation is sent.",
        ),
        false => "",
    };
    pick(
        lang,
        format!("Оснований для отказа, предусмотренных {p61} и {p63}, не выявлено.{review}"),
        format!("{p61} және {p63} бойынша бас тарту негіздері анықталған жоқ.{review}"),
        format!("No ground for refusal under {p61} or {p63} was found.{review}"),
    )
}

/// p. 6(2): the analyst's judgement, left as a marked field.
pub fn architecture_field(acts_: &[Act], lang: Lang) -> (String, String) {
    let p62 = acts::subparagraph(acts_, ORDER_29, 6, 2, lang);
    let lead = pick(
        lang,
        format!("4. Соответствие архитектуре «электронного правительства» ({p62}): "),
        format!("4. «Электрондық үкімет» архитектурасына сәйкестік ({p62}): "),
        format!("4. Compliance with the e-government architecture ({p62}): "),
    );
    let field = fill(pick(
        lang,
        "заполняется аналитиком: вывод о соответствии или несоответствии объекта архитектуре «электронного правительства» и его обоснование",
        "талдаушы толтырады: объектінің «электрондық үкімет» архитектурасына сәйкестігі немесе сәйкес еместігі туралы қорытынды және оның негіздемесі",
        "to be filled in by the analyst: the conclusion on the object's compliance or non-compliance with the e-government architecture, and its grounds",
    ));
    (lead, field)
}

/// The level of Order No. 193 p. 26, and how the tool maps its verdict to it: the integrator's
/// policy (`policy.toml`, `[levels]`), not the Rules', told as that policy says it.
pub fn level(acts_: &[Act], levels: Option<&LevelPolicy>, level: Level, lang: Lang) -> String {
    let p26 = acts::paragraph(acts_, ORDER_193, 26, lang);
    let name = level_name(level, lang);
    let lead = pick(
        lang,
        format!("5. Уровень соответствия ({p26}) по результатам проверки сведений: «{name}»."),
        format!("5. Мәліметтерді тексеру нәтижелері бойынша сәйкестік деңгейі ({p26}): «{name}»."),
        format!("5. Level of compliance ({p26}) from the check of the information: “{name}”."),
    );
    let Some(levels) = levels else { return lead };
    let (ru, kk, en) = (
        " Уровень определён по правилу сервисного интегратора, а не по норме Правил: ",
        " Деңгей Қағидалардың нормасы бойынша емес, сервистік интегратордың ережесі бойынша айқындалды: ",
        " The level follows the service integrator's rule, not a provision of the Rules: ",
    );
    let conditions = level_conditions(levels, lang);
    let or = pick(lang, " либо ", " немесе ", " or ");
    let rule: Vec<String> = [Level::Fully, Level::Partially, Level::Not]
        .into_iter()
        .filter_map(|level| {
            let when: Vec<&str> = conditions
                .iter()
                .filter(|(given, _)| *given == level)
                .map(|(_, when)| *when)
                .collect();
            let name = level_name(level, lang);
            let quoted = pick(lang, format!("«{name}»"), format!("«{name}»"), format!("“{name}”"));
            (!when.is_empty()).then(|| format!("{quoted} — {}", when.join(or)))
        })
        .collect();
    format!("{lead}{}{}.", pick(lang, ru, kk, en), rule.join("; "))
}

/// Each situation of the level policy, with the level it gives.
fn level_conditions(levels: &LevelPolicy, lang: Lang) -> [(Level, &'static str); 5] {
    [
        (
            levels.complies,
            pick(
                lang,
                "все сведения подтверждены и замечаний нет",
                "барлық мәліметтер расталды және ескерту жоқ",
                "all information is confirmed without remarks",
            ),
        ),
        (
            levels.complies_with_warnings,
            pick(
                lang,
                "сведения подтверждены с замечаниями",
                "мәліметтер ескертулермен расталды",
                "it is confirmed with remarks",
            ),
        ),
        (
            levels.needs_review,
            pick(
                lang,
                "часть сведений требует проверки",
                "мәліметтердің бір бөлігі тексеруді қажет етеді",
                "part of it needs review",
            ),
        ),
        (
            levels.does_not_comply,
            pick(
                lang,
                "имеется основание для отказа",
                "бас тарту негізі бар",
                "there is a ground for refusal",
            ),
        ),
        (
            levels.no_readable_card,
            pick(
                lang,
                "карточка объекта не прочитана",
                "объект карточкасы оқылмады",
                "the object card could not be read",
            ),
        ),
    ]
}

pub fn found_heading(lang: Lang) -> &'static str {
    pick(
        lang,
        "На архитектурном портале размещены и приняты:",
        "Архитектуралық порталда орналастырылған және қабылданған:",
        "Posted on the architecture portal and accepted:",
    )
}

/// The criteria item of the request.
pub fn criteria_item(acts_: &[Act], total: u32, min_total: u32, min_per_group: u32, lang: Lang) -> (String, String) {
    let p61 = acts::subparagraph(acts_, ORDER_29, 6, 1, lang);
    let appendix = acts::appendix(acts_, ORDER_29, 2, lang);
    let (total, min_total, min_group) = (
        points(total, lang),
        at_least_points(min_total, lang),
        at_least_points(min_per_group, lang),
    );
    let item = pick(
        lang,
        format!(
            "Сведения о соответствии критериям ({p61}, {appendix}): набрано {total} при необходимых {min_total} и {min_group} в каждой группе."
        ),
        format!(
            "Өлшемшарттарға сәйкестік туралы мәліметтер ({p61}, {appendix}): {min_total} және әр топта {min_group} қажет болғанда {total} жиналды."
        ),
        format!(
            "Compliance with the selection criteria ({p61}, {appendix}): {total}, where {min_total} and {min_group} in every group are required."
        ),
    );
    let submit = pick(
        lang,
        "уточнённые сведения о соответствии объекта критериям с подтверждающими документами, если объект им соответствует",
        "объект өлшемшарттарға сәйкес келсе, растайтын құжаттармен бірге нақтыланған мәліметтер",
        "corrected information on the criteria with supporting documents, where the object meets them",
    );
    (item, submit.to_string())
}

pub fn nothing_owed(acts_: &[Act], lang: Lang) -> String {
    let p5 = acts::paragraph(acts_, ORDER_29, 5, lang);
    pick(
        lang,
        format!("Замечаний к сведениям, предусмотренным {p5}, не имеется."),
        format!("{p5} бойынша талап етілетін мәліметтерге ескертулер жоқ."),
        format!("There are no remarks on the information required by {p5}."),
    )
}

pub fn request_closing(lang: Lang) -> &'static str {
    pick(
        lang,
        "Просим разместить указанные сведения на архитектурном портале «электронного правительства» и уведомить об этом сервисного интегратора.",
        "Көрсетілген мәліметтерді «электрондық үкіметтің» архитектуралық порталында орналастыруды және бұл туралы сервистік интеграторды хабардар етуді сұраймыз.",
        "Please post this information on the e-government architecture portal and notify the service integrator.",
    )
}

/// The executor line: «Исп.: А. Б. Сериков, тел. 8 7172 00 00 00».
pub fn executor(name: &str, phone: &str, lang: Lang) -> String {
    pick(
        lang,
        format!("Исп.: {name}, тел. {phone}"),
        format!("Орынд.: {name}, тел. {phone}"),
        format!("Prepared by: {name}, tel. {phone}"),
    )
}

pub fn notes_heading(lang: Lang) -> &'static str {
    pick(
        lang,
        "Для аналитика (удалить перед отправкой):",
        "Талдаушыға (жіберер алдында алып тастаңыз):",
        "For the analyst (delete before sending):",
    )
}

/// The notes for the analyst.
pub enum Note<'a> {
    Drafted(Date),
    /// No head of `schemas/declension.toml` matches: the addressee stays in the nominative.
    NotDeclined(&'a str),
    /// A Kazakh letter to a body the card names only in Russian.
    NoKazakhName(&'a str),
    /// The card names no state body.
    NoOwner,
    /// A sender detail of `schemas/letterhead.toml` is empty.
    LetterheadBlank,
}

pub fn note(note: &Note<'_>, lang: Lang) -> String {
    match note {
        Note::Drafted(date) => format!(
            "{} {} ({}).",
            Label::DraftedAsOf.get(lang),
            date.dotted(),
            Label::ToBeCheckedBeforeSending.get(lang)
        ),
        Note::NotDeclined(name) => pick(
            lang,
            format!("Наименование адресата «{name}» не склонено в дательный падеж: его главное слово не указано в schemas/declension.toml. Адресат оставлен в именительном падеже после «Кому:» — проверьте."),
            format!("Алушының атауы «{name}» барыс септігіне қойылмады: оның басты сөзі schemas/declension.toml файлында жоқ. Алушы «Кімге:» деген сөзден кейін атау септігінде қалдырылды — тексеріңіз."),
            format!("The addressee “{name}” is not declined: its head word is not in schemas/declension.toml. It is left in the nominative after “To:”; check it."),
        ),
        Note::NoKazakhName(name) => pick(
            lang,
            format!("В карточке объекта нет наименования государственного органа на казахском языке (элемент owner_kk); адресат указан по-русски: «{name}». Замените его официальным наименованием на казахском языке."),
            format!("Объект карточкасында мемлекеттік органның қазақ тіліндегі атауы жоқ (owner_kk элементі); алушы орыс тілінде көрсетілген: «{name}». Оны қазақ тіліндегі ресми атауымен ауыстырыңыз."),
            format!("The object card gives no Kazakh name of the state body (element owner_kk); the addressee is in Russian: “{name}”. Replace it with the official Kazakh name."),
        ),
        Note::NoOwner => pick(
            lang,
            "В карточке объекта не указан государственный орган (элемент owner): укажите адресата.".to_string(),
            "Объект карточкасында мемлекеттік орган көрсетілмеген (owner элементі): алушыны көрсетіңіз.".to_string(),
            "The object card names no state body (element owner): fill in the addressee.".to_string(),
        ),
        Note::LetterheadBlank => pick(
            lang,
            "Реквизиты отправителя, подписывающего и исполнителя не заданы в schemas/letterhead.toml: заполните поля в квадратных скобках.".to_string(),
            "Жіберушінің, қол қоюшының және орындаушының деректемелері schemas/letterhead.toml файлында берілмеген: тік жақшадағы өрістерді толтырыңыз.".to_string(),
            "The sender, signatory and executor are not set in schemas/letterhead.toml: fill in the fields in square brackets.".to_string(),
        ),
    }
}
