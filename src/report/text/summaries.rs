//! The words of the summaries (`summary.html`, `summary.xlsx`, the terminal table and the points
//! of the Markdown report): points with their plural, the p. 6(1) test group by group against its
//! thresholds, the reasons of a submission, and the short names of state bodies for sheet names
//! and narrow columns.

use super::findings::requirement_reason_line;
use super::{Label, Lang, pick};
use crate::evaluate::Status;
use crate::report::{CriteriaReport, SubmissionReport};
use crate::rules::Criteria;

/// "1 балл", "2 балла", "5 баллов"; Kazakh keeps the singular after a numeral ("5 балл").
pub fn points(n: u32, lang: Lang) -> String {
    match lang {
        Lang::Ru => format!("{n} {}", russian_plural(n, "балл", "балла", "баллов")),
        Lang::Kk => format!("{n} балл"),
        Lang::En if n == 1 => "1 point".to_string(),
        Lang::En => format!("{n} points"),
    }
}

/// A threshold: "не менее 1 балла", "не менее 3 баллов" (the genitive after «не менее»),
/// "кемінде 3 балл", "at least 3 points".
pub fn at_least_points(n: u32, lang: Lang) -> String {
    match lang {
        Lang::Ru => {
            let noun = if n % 10 == 1 && n % 100 != 11 {
                "балла"
            } else {
                "баллов"
            };
            format!("не менее {n} {noun}")
        }
        Lang::Kk => format!("кемінде {n} балл"),
        Lang::En if n == 1 => "at least 1 point".to_string(),
        Lang::En => format!("at least {n} points"),
    }
}

/// The Russian noun form after a numeral: one (1, 21), few (2–4, 22–24), many (5–20, 25–30, …).
fn russian_plural<'a>(n: u32, one: &'a str, few: &'a str, many: &'a str) -> &'a str {
    match (n % 10, n % 100) {
        (_, 11..=14) => many,
        (1, _) => one,
        (2..=4, _) => few,
        _ => many,
    }
}

/// One line of the p. 6(1) test: a group's points, or the total, against its threshold.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Score {
    /// The group's title from `schemas/criteria.toml`; `None` for the total.
    pub group: Option<String>,
    pub points: u32,
    pub min: u32,
    pub passes: bool,
}

/// The total, then each group of the rules in their order, each against its threshold.
pub fn scores(criteria: &Criteria, c: &CriteriaReport, lang: Lang) -> Vec<Score> {
    let test = &criteria.test;
    let total = Score {
        group: None,
        points: c.points,
        min: test.min_total,
        passes: c.points >= test.min_total,
    };
    let groups = criteria.group.iter().map(|g| {
        let points = c.by_group.get(&g.id).copied().unwrap_or(0);
        Score {
            group: Some(g.title.get(lang).to_string()),
            points,
            min: test.min_per_group,
            passes: points >= test.min_per_group,
        }
    });
    std::iter::once(total).chain(groups).collect()
}

/// "выполнено" / "не выполнено" for a threshold.
pub fn met(passes: bool, lang: Lang) -> &'static str {
    match passes {
        true => Label::ThresholdMet.get(lang),
        false => Label::ThresholdNotMet.get(lang),
    }
}

/// A score as a sentence: "Всего: 1 балл (требуется не менее 3 баллов) — не выполнено",
/// "«Категория»: 0 баллов (требуется не менее 1 балла) — не выполнено".
pub fn score_line(score: &Score, lang: Lang) -> String {
    let name = match &score.group {
        Some(group) => format!("«{group}»"),
        None => Label::Total.get(lang).to_string(),
    };
    let (points, min, met) = (
        points(score.points, lang),
        at_least_points(score.min, lang),
        met(score.passes, lang),
    );
    pick(
        lang,
        format!("{name}: {points} (требуется {min}) — {met}"),
        format!("{name}: {points} ({min} қажет) — {met}"),
        format!("{name}: {points} ({min} required) — {met}"),
    )
}

/// The heading of the points: "Критерии отбора (пп. 1) п. 6 и приложение 2 …)".
pub fn criteria_heading(criteria: &Criteria, lang: Lang) -> String {
    format!(
        "{} ({})",
        Label::SelectionCriteria.get(lang),
        criteria.test.cite.get(lang)
    )
}

/// The groups that fall short, briefly: "Категория — 0 баллов, Пользователи — 0 баллов".
pub fn short_groups(scores: &[Score], lang: Lang) -> String {
    scores
        .iter()
        .filter(|s| !s.passes)
        .filter_map(|s| s.group.as_ref().map(|g| format!("{g} — {}", points(s.points, lang))))
        .collect::<Vec<_>>()
        .join(", ")
}

/// Why a submission's requirements are not met, one line each (title, status, reason); the
/// summary when nothing could be evaluated. The points are shown apart, by group.
pub fn requirement_reasons(s: &SubmissionReport, lang: Lang) -> Vec<String> {
    let mut lines: Vec<String> = s
        .requirements
        .iter()
        .filter(|r| r.status != Status::Present)
        .map(|r| requirement_reason_line(&r.title, r.status, &r.reason, lang))
        .collect();
    if s.requirements.is_empty() {
        lines.push(s.summary.clone());
    }
    lines
}

/// What the state body is to submit: one line per requirement not satisfied, with its paragraph.
pub fn to_submit_lines(s: &SubmissionReport) -> Vec<String> {
    s.requirements
        .iter()
        .filter(|r| !r.status.is_satisfied())
        .map(|r| {
            let what = r.to_submit.as_deref().unwrap_or(&r.title);
            match r.cite.is_empty() {
                true => what.to_string(),
                false => format!("{what} ({})", r.cite),
            }
        })
        .collect()
}

/// The words a state body's name ends with that every name shares, left out of a short name.
const COMMON_TAILS: [&str; 3] = [" Республики Казахстан", " РК", " Қазақстан Республикасы"];

/// Short words a Russian or Kazakh abbreviation leaves out.
const ABBREVIATION_SKIPS: [&str; 8] = ["и", "по", "в", "на", "для", "г.", "мен", "және"];

/// A state body's name short enough for `max` characters: without «Республики Казахстан», else
/// its abbreviation by the initials of its words, as officials write them («Министерство труда и
/// социальной защиты населения» → «МТСЗН», «Министерство цифрового развития, инноваций и
/// аэрокосмической промышленности» → «МЦРИАП»), else cut.
pub fn state_body_short(owner: &str, max: usize) -> String {
    let mut name = owner.trim();
    for tail in COMMON_TAILS {
        if let Some(stripped) = name.strip_suffix(tail) {
            name = stripped.trim_end();
        }
    }
    if name.chars().count() <= max {
        return name.to_string();
    }
    let initials: String = name
        .split(|c: char| c.is_whitespace() || c == ',' || c == '«' || c == '»' || c == '"')
        .filter(|w| !w.is_empty() && !ABBREVIATION_SKIPS.contains(&w.to_lowercase().as_str()))
        .filter_map(|w| w.chars().next())
        .filter(|c| c.is_alphanumeric())
        .flat_map(char::to_uppercase)
        .collect();
    if initials.chars().count() >= 2 && initials.chars().count() <= max {
        return initials;
    }
    name.chars().take(max).collect::<String>().trim_end().to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn points_take_the_plural_of_the_numeral() {
        let ru: Vec<String> = [0, 1, 2, 4, 5, 11, 12, 21, 22, 25, 111]
            .map(|n| points(n, Lang::Ru))
            .to_vec();
        assert_eq!(
            ru,
            [
                "0 баллов",
                "1 балл",
                "2 балла",
                "4 балла",
                "5 баллов",
                "11 баллов",
                "12 баллов",
                "21 балл",
                "22 балла",
                "25 баллов",
                "111 баллов"
            ]
        );
        assert_eq!(points(5, Lang::Kk), "5 балл");
        assert_eq!(points(1, Lang::En), "1 point");
        assert_eq!(points(3, Lang::En), "3 points");
        assert_eq!(at_least_points(1, Lang::Ru), "не менее 1 балла");
        assert_eq!(at_least_points(3, Lang::Ru), "не менее 3 баллов");
        assert_eq!(at_least_points(3, Lang::Kk), "кемінде 3 балл");
    }

    #[test]
    fn state_bodies_shorten_to_their_usual_abbreviation() {
        let short = |name: &str| state_body_short(name, 31);
        assert_eq!(
            short("Министерство юстиции Республики Казахстан"),
            "Министерство юстиции"
        );
        assert_eq!(short("Акимат города Астаны"), "Акимат города Астаны");
        assert_eq!(
            short("Министерство труда и социальной защиты населения Республики Казахстан"),
            "МТСЗН"
        );
        assert_eq!(
            short("Министерство цифрового развития, инноваций и аэрокосмической промышленности Республики Казахстан"),
            "МЦРИАП"
        );
        assert_eq!(
            short("Министерство по чрезвычайным ситуациям Республики Казахстан"),
            "МЧС"
        );
        assert_eq!(short("Министерство сельского хозяйства Республики Казахстан"), "МСХ");
        assert_eq!(state_body_short("Министерство внутренних дел", 10), "МВД");
    }
}
