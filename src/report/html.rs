//! `summary.html`: one self-contained page (no external assets) for the morning: what changed
//! since the last run, protocols about to expire, deadlines, the trend of verdicts (inline SVG),
//! and the matrix of submissions × requirements with filters (inline JS), each row ending with
//! the reasons of the requirements not present and the submission's warnings.
//!
//! Everything from documents, cards and file names is untrusted: it passes through [`escape`],
//! and filter values are indexes, never text copied into attributes or scripts.

use std::collections::BTreeMap;
use std::fmt::Write;

use super::text::summaries;
use super::text::{
    Label, check_title, diff_totals_sentence, level_name, matrix_heading, requirement_title, status_label, verdict_name,
};
use super::{CriteriaReport, DeadlineNotice, Lang, NightlyReport, SubmissionReport};
use crate::evaluate::schedule::DeadlineState;
use crate::evaluate::{Status, Verdict};
use crate::history::diff::{Change, DiffTotals, SubmissionDiff};
use crate::rules::Rules;

/// Escapes text for HTML element content and quoted attribute values.
pub fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c if c.is_control() && c != '\n' && c != '\t' => out.push('\u{fffd}'),
            c => out.push(c),
        }
    }
    out
}

const VERDICTS: [Verdict; 3] = [Verdict::Complies, Verdict::NeedsReview, Verdict::DoesNotComply];

fn verdict_colour(verdict: &str) -> &'static str {
    match verdict {
        "complies" => "#2e7d32",
        "needs_review" => "#f9a825",
        _ => "#c62828",
    }
}

const STYLE: &str = "body{font-family:system-ui,sans-serif;margin:1.5em;color:#222}\
h1{font-size:1.5em}h2{font-size:1.2em;margin-top:1.6em;border-bottom:1px solid #ccc}\
table{border-collapse:collapse;font-size:.85em}th,td{border:1px solid #bbb;padding:.25em .4em;vertical-align:top}\
th{background:#eee;position:sticky;top:0}td.id{white-space:nowrap}\
.st-present{background:#c8e6c9}.st-expired_accepted{background:#fff3bf}.st-needs_review{background:#ffe0b2}\
.st-expired{background:#ffcdd2}.st-invalid{background:#ef9a9a}.st-missing{background:#e57373;color:#fff}\
.st-na{color:#999;text-align:center}.v-complies{color:#2e7d32;font-weight:bold}\
.v-needs_review{color:#b26a00;font-weight:bold}.v-does_not_comply{color:#c62828;font-weight:bold}\
.filters{margin:.6em 0}.filters label{margin-right:1.2em}.legend span{display:inline-block;padding:0 .5em;margin-right:.3em}\
.muted{color:#666}ul.changes{margin:.2em 0;padding-left:1.2em}\
td.notes{min-width:24em;max-width:48em}td.notes ul{margin:.1em 0 .3em;padding-left:1.2em}.notes p{margin:.2em 0 0}\
.cr-pass{background:#c8e6c9}.cr-fail{background:#e57373;color:#fff;font-weight:bold}td.cr-pass,td.cr-fail{white-space:nowrap}\
th small{font-weight:normal;display:block}.notes li.cr-fail{background:none;color:#b71c1c}.notes li.cr-pass{background:none}td.object{white-space:normal;min-width:12em;max-width:20em}td.object b{white-space:nowrap}\
@media print{.filters{display:none}th{position:static}body{margin:0;font-size:9pt}\
*{-webkit-print-color-adjust:exact;print-color-adjust:exact}tr{break-inside:avoid}}";

const SCRIPT: &str = "(function(){var o=document.getElementById('f-owner'),v=document.getElementById('f-verdict');\
function apply(){var rows=document.querySelectorAll('#matrix tbody tr'),shown=0;for(var i=0;i<rows.length;i++){\
var r=rows[i],ok=(o.value===''||r.getAttribute('data-owner')===o.value)&&(v.value===''||r.getAttribute('data-verdict')===v.value);\
r.style.display=ok?'':'none';if(ok){shown++;}}document.getElementById('f-count').textContent=shown;}\
o.addEventListener('change',apply);v.addEventListener('change',apply);apply();})();";

pub fn summary_html(rules: &Rules, nightly: &NightlyReport) -> String {
    let report = &nightly.report;
    let lang = report.lang;
    let mut out = String::new();
    let title = format!("{} — {}", check_title(&rules.acts, lang), report.as_of.dotted());
    let _ = write!(
        out,
        "<!DOCTYPE html>\n<html lang=\"{}\"><head><meta charset=\"utf-8\"><title>{}</title><style>{STYLE}</style></head><body>\n<h1>{}</h1>\n",
        lang.code(),
        escape(&title),
        escape(&title)
    );
    let verdicts = VERDICTS
        .iter()
        .map(|v| {
            format!(
                "<span class=\"v-{}\">{}: {}</span>",
                v.as_str(),
                verdict_name(*v, lang),
                report.totals.verdicts.get(v.as_str()).copied().unwrap_or(0)
            )
        })
        .collect::<Vec<_>>()
        .join("; ");
    let _ = writeln!(
        out,
        "<p>{}: {} ({verdicts}). {}: {}; {}: {}, {}: {}.</p>",
        Label::Submissions.get(lang),
        report.totals.submissions,
        Label::Files.get(lang),
        report.totals.files,
        Label::ReadThisRun.get(lang),
        nightly.run.files_read.len(),
        Label::Unchanged.get(lang),
        nightly.run.files_unchanged + nightly.run.files_touched.len()
    );
    diff_section(&mut out, rules, nightly);
    expiry_section(&mut out, nightly);
    deadlines_section(&mut out, rules, nightly);
    trend_section(&mut out, nightly);
    matrix_section(&mut out, rules, &report.submissions, lang);
    let _ = writeln!(
        out,
        "<p class=\"muted\">{} · {} {}</p>\n<script>{SCRIPT}</script>\n</body></html>",
        escape(&report.tool),
        Label::Rules.get(lang),
        escape(&report.rules)
    );
    out
}

fn status_or_dash(status: Option<Status>, lang: Lang) -> String {
    status.map(|s| status_label(s, lang)).unwrap_or_else(|| "—".to_string())
}

/// What changed since the previous run: the totals, then one row per submission.
fn diff_section(out: &mut String, rules: &Rules, nightly: &NightlyReport) {
    let lang = nightly.report.lang;
    let diff = &nightly.diff;
    let _ = write!(out, "<h2 id=\"diff\">");
    match diff.previous {
        Some(previous) => {
            let _ = writeln!(out, "{} {}</h2>", Label::ChangesSince.get(lang), previous.dotted());
        }
        None => {
            let _ = writeln!(
                out,
                "{}</h2>\n<p>{}</p>",
                Label::Changes.get(lang),
                Label::FirstRun.get(lang)
            );
        }
    }
    for problem in &diff.history_problems {
        let _ = writeln!(
            out,
            "<p class=\"muted\">{}: {}</p>",
            Label::HistoryUnreadable.get(lang),
            escape(problem)
        );
    }
    if diff.previous.is_none() {
        return;
    }
    diff_totals(out, &diff.totals, lang);
    if diff.submissions.is_empty() {
        let _ = writeln!(out, "<p>{}</p>", Label::NoChanges.get(lang));
        return;
    }
    let _ = writeln!(
        out,
        "<table id=\"diff-table\"><thead><tr><th>{}</th><th>{}</th><th>{}</th><th>{}</th><th>{}</th></tr></thead><tbody>",
        Label::Object.get(lang),
        Label::StateBody.get(lang),
        Label::Change.get(lang),
        Label::Verdict.get(lang),
        Label::Details.get(lang)
    );
    for s in &diff.submissions {
        diff_row(out, rules, s, lang);
    }
    out.push_str("</tbody></table>\n");
}

fn diff_totals(out: &mut String, totals: &DiffTotals, lang: Lang) {
    let _ = writeln!(out, "<p>{}.</p>", escape(&diff_totals_sentence(totals, lang)));
}

/// One submission of the diff: the change, the verdict (before → after) and the details.
fn diff_row(out: &mut String, rules: &Rules, s: &SubmissionDiff, lang: Lang) {
    let change = match s.change {
        Change::New => Label::NewSubmission,
        Change::Removed => Label::SubmissionRemoved,
        Change::Changed => Label::Changed,
    }
    .get(lang);
    let verdict = match (s.verdict_before, s.verdict_after) {
        (Some(a), Some(b)) if a != b => format!("{} → {}", verdict_name(a, lang), verdict_name(b, lang)),
        (_, Some(b)) => verdict_name(b, lang),
        (Some(a), None) => verdict_name(a, lang),
        (None, None) => String::new(),
    };
    let mut details = String::new();
    for (label, changes) in [
        (Label::NewlyMissing, &s.newly_missing),
        (Label::NewlyPresent, &s.newly_present),
        (Label::StatusChanged, &s.other_status_changes),
    ] {
        for c in changes.iter() {
            let _ = write!(
                details,
                "<li>{}: {} ({} → {})</li>",
                label.get(lang),
                escape(&requirement_title(rules, &c.requirement, lang)),
                status_or_dash(c.before, lang),
                status_or_dash(c.after, lang)
            );
        }
    }
    for (label, files) in [
        (Label::FileAdded, &s.files_added),
        (Label::FileChanged, &s.files_changed),
        (Label::FileRemoved, &s.files_removed),
    ] {
        for f in files {
            let _ = write!(details, "<li>{}: <code>{}</code></li>", label.get(lang), escape(f));
        }
    }
    let _ = writeln!(
        out,
        "<tr><td class=\"id\">{}</td><td>{}</td><td>{change}</td><td>{}</td><td><ul class=\"changes\">{details}</ul></td></tr>",
        escape(&s.object_id),
        escape(s.owner.as_deref().unwrap_or("—")),
        escape(&verdict)
    );
}

/// Protocols about to expire, or expired since the previous run.
fn expiry_section(out: &mut String, nightly: &NightlyReport) {
    let lang = nightly.report.lang;
    let _ = writeln!(out, "<h2 id=\"expiry\">{}</h2>", Label::ProtocolValidity.get(lang));
    if nightly.expiry.is_empty() {
        let _ = writeln!(out, "<p>{}</p>", Label::NoProtocolExpiring.get(lang));
        return;
    }
    out.push_str("<ul>\n");
    for n in &nightly.expiry {
        let _ = writeln!(
            out,
            "<li><b>{}</b> ({}): {}</li>",
            escape(&n.object_id),
            escape(n.owner.as_deref().unwrap_or("—")),
            escape(&n.text)
        );
    }
    out.push_str("</ul>\n");
}

/// Applications past or near the deadline of the recommendation.
fn deadlines_section(out: &mut String, rules: &Rules, nightly: &NightlyReport) {
    let lang = nightly.report.lang;
    let _ = writeln!(
        out,
        "<h2 id=\"deadlines\">{}</h2>",
        Label::ApplicationDeadlines.get(lang)
    );
    if nightly.deadlines.is_empty() {
        let _ = writeln!(out, "<p>{}</p>", Label::NoDeadlineNear.get(lang));
        return;
    }
    let _ = writeln!(
        out,
        "<p>{}</p>\n<table id=\"deadlines-table\"><thead><tr><th>{}</th><th>{}</th><th>{}</th><th>{}</th><th>{}</th><th>{}</th></tr></thead><tbody>",
        escape(rules.policy.deadline.cite.get(lang)),
        Label::Object.get(lang),
        Label::StateBody.get(lang),
        Label::Verdict.get(lang),
        Label::Received.get(lang),
        Label::Due.get(lang),
        Label::State.get(lang)
    );
    for n in &nightly.deadlines {
        deadline_row(out, n, lang);
    }
    out.push_str("</tbody></table>\n");
}

fn deadline_row(out: &mut String, n: &DeadlineNotice, lang: Lang) {
    let d = &n.deadline;
    let state = match d.state {
        DeadlineState::Overdue => format!(
            "<span class=\"st-missing\">{} {}</span>",
            Label::OverdueWorkingDays.get(lang),
            -d.working_days_left
        ),
        DeadlineState::DueToday => format!("<span class=\"st-expired\">{}</span>", Label::DueToday.get(lang)),
        DeadlineState::Near | DeadlineState::OnTime => format!(
            "<span class=\"st-needs_review\">{} {}</span>",
            Label::WorkingDaysLeft.get(lang),
            d.working_days_left
        ),
    };
    let note = if d.holidays_known {
        String::new()
    } else {
        format!(" <span class=\"muted\">{}</span>", Label::NoHolidayList.get(lang))
    };
    let _ = writeln!(
        out,
        "<tr><td class=\"id\">{}</td><td>{}</td><td class=\"v-{}\">{}</td><td>{}</td><td>{}</td><td>{state}{note}</td></tr>",
        escape(&n.object_id),
        escape(n.owner.as_deref().unwrap_or("—")),
        n.verdict.as_str(),
        verdict_name(n.verdict, lang),
        d.submitted.dotted(),
        d.due.dotted()
    );
}

fn trend_section(out: &mut String, nightly: &NightlyReport) {
    let lang = nightly.report.lang;
    let _ = writeln!(out, "<h2 id=\"trend\">{}</h2>", Label::TrendOfVerdicts.get(lang));
    let points = &nightly.trend;
    let max = points
        .iter()
        .map(|p| p.verdicts.values().sum::<usize>())
        .max()
        .unwrap_or(0)
        .max(1);
    let (bar, gap, chart_height, top) = (28usize, 14usize, 140usize, 10usize);
    let width = (50 + points.len() * (bar + gap)).max(520);
    let height = top + chart_height + 40;
    let _ = writeln!(
        out,
        "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{width}\" height=\"{height}\" role=\"img\" aria-label=\"{}\">",
        Label::TrendOfVerdicts.get(lang)
    );
    let _ = writeln!(
        out,
        "<line x1=\"40\" y1=\"{}\" x2=\"{width}\" y2=\"{}\" stroke=\"#999\"/><text x=\"4\" y=\"{}\" font-size=\"10\">{max}</text>",
        top + chart_height,
        top + chart_height,
        top + 10
    );
    for (i, point) in points.iter().enumerate() {
        let x = 50 + i * (bar + gap);
        let mut y = top + chart_height;
        for verdict in VERDICTS {
            let count = point.verdicts.get(verdict.as_str()).copied().unwrap_or(0);
            if count == 0 {
                continue;
            }
            let h = count * chart_height / max;
            y -= h;
            let _ = writeln!(
                out,
                "<rect x=\"{x}\" y=\"{y}\" width=\"{bar}\" height=\"{h}\" fill=\"{}\"><title>{}: {} {count}</title></rect>",
                verdict_colour(verdict.as_str()),
                point.as_of.dotted(),
                verdict_name(verdict, lang)
            );
        }
        let _ = writeln!(
            out,
            "<text x=\"{}\" y=\"{}\" font-size=\"10\" text-anchor=\"middle\">{:02}.{:02}</text>",
            x + bar / 2,
            top + chart_height + 14,
            point.as_of.day(),
            point.as_of.month()
        );
    }
    let mut lx = 50;
    for verdict in VERDICTS {
        let _ = writeln!(
            out,
            "<rect x=\"{lx}\" y=\"{}\" width=\"10\" height=\"10\" fill=\"{}\"/><text x=\"{}\" y=\"{}\" font-size=\"11\">{}</text>",
            top + chart_height + 22,
            verdict_colour(verdict.as_str()),
            lx + 14,
            top + chart_height + 31,
            verdict_name(verdict, lang)
        );
        lx += 150;
    }
    out.push_str("</svg>\n");
}

/// The matrix of submissions × requirements, with its filters and legend.
fn matrix_section(out: &mut String, rules: &Rules, submissions: &[SubmissionReport], lang: Lang) {
    let _ = writeln!(
        out,
        "<h2 id=\"matrix-title\">{}</h2>",
        escape(&matrix_heading(&rules.acts, lang))
    );
    let mut owners: BTreeMap<&str, usize> = BTreeMap::new();
    for s in submissions {
        let next = owners.len();
        owners.entry(owner_of(s)).or_insert(next);
    }
    matrix_filters(out, &owners, submissions.len(), lang);
    let _ = write!(
        out,
        "<table id=\"matrix\"><thead><tr><th>{}</th><th>{}</th><th>{}</th><th>{}</th>",
        Label::Object.get(lang),
        Label::StateBody.get(lang),
        Label::Verdict.get(lang),
        Label::Level.get(lang)
    );
    criteria_headers(out, rules, lang);
    for r in &rules.requirements {
        let _ = write!(
            out,
            "<th title=\"{}\">{}</th>",
            escape(r.cite.get(lang)),
            escape(r.title.get(lang))
        );
    }
    let _ = write!(out, "<th>{}</th>", Label::ReasonsAndWarnings.get(lang));
    out.push_str("</tr></thead><tbody>\n");
    for s in submissions {
        matrix_row(out, rules, s, owners.get(owner_of(s)).copied().unwrap_or(0), lang);
    }
    out.push_str("</tbody></table>\n");
}

/// The filters by state body and verdict (values are indexes and ids, never text), and the legend.
fn matrix_filters(out: &mut String, owners: &BTreeMap<&str, usize>, shown: usize, lang: Lang) {
    let _ = write!(
        out,
        "<div class=\"filters\"><label>{} <select id=\"f-owner\"><option value=\"\">{}</option>",
        Label::StateBody.get(lang),
        Label::All.get(lang)
    );
    for (owner, i) in owners {
        let _ = write!(out, "<option value=\"{i}\">{}</option>", escape(owner));
    }
    let _ = write!(
        out,
        "</select></label><label>{} <select id=\"f-verdict\"><option value=\"\">{}</option>",
        Label::Verdict.get(lang),
        Label::All.get(lang)
    );
    for verdict in VERDICTS {
        let _ = write!(
            out,
            "<option value=\"{}\">{}</option>",
            verdict.as_str(),
            verdict_name(verdict, lang)
        );
    }
    let _ = writeln!(
        out,
        "</select></label><span>{}: <b id=\"f-count\">{shown}</b></span></div>",
        Label::Shown.get(lang)
    );
    let _ = write!(out, "<p class=\"legend\">");
    for status in Status::ALL {
        let _ = write!(
            out,
            "<span class=\"st-{}\">{}</span>",
            status.as_str(),
            status_label(status, lang)
        );
    }
    out.push_str("</p>\n");
}

/// One submission of the matrix: a status per requirement, then the reasons and warnings.
fn matrix_row(out: &mut String, rules: &Rules, s: &SubmissionReport, owner: usize, lang: Lang) {
    let _ = write!(
        out,
        "<tr data-owner=\"{owner}\" data-verdict=\"{}\"><td class=\"id object\" title=\"{}\"><b>{}</b><br>{}</td><td>{}</td><td class=\"v-{}\" title=\"{}\">{}</td><td>{}</td>",
        s.verdict.as_str(),
        escape(&s.path),
        escape(&s.object_id),
        escape(s.name.as_deref().unwrap_or("")),
        escape(owner_of(s)),
        s.verdict.as_str(),
        escape(&s.summary),
        verdict_name(s.verdict, lang),
        level_name(s.level, lang)
    );
    criteria_cells(out, rules, s.criteria.as_ref(), lang);
    for r in &rules.requirements {
        match s.requirements.iter().find(|x| x.id == r.id) {
            Some(x) => {
                let _ = write!(
                    out,
                    "<td class=\"st-{}\" data-requirement=\"{}\" title=\"{}\">{}</td>",
                    x.status.as_str(),
                    escape(&r.id),
                    escape(&x.reason),
                    status_label(x.status, lang)
                );
            }
            None => out.push_str("<td class=\"st-na\">—</td>"),
        }
    }
    notes_cell(out, rules, s, lang);
    out.push_str("</tr>\n");
}

/// The criteria columns' headers: the total, then each group of the rules, each with its threshold
/// visible under it and the act in its tooltip.
fn criteria_headers(out: &mut String, rules: &Rules, lang: Lang) {
    let criteria = &rules.criteria;
    let cite = escape(&summaries::criteria_heading(criteria, lang));
    let _ = write!(
        out,
        "<th class=\"criteria\" title=\"{cite}\">{}<small>{}</small></th>",
        Label::PointsTotal.get(lang),
        summaries::at_least_points(criteria.test.min_total, lang)
    );
    for group in &criteria.group {
        let _ = write!(
            out,
            "<th class=\"criteria\" title=\"{cite}\">{}<small>{}</small></th>",
            escape(group.title.get(lang)),
            summaries::at_least_points(criteria.test.min_per_group, lang)
        );
    }
}

/// The criteria cells of a row: the points, green when the threshold is met and red with the
/// words "не выполнено" when not (never the colour alone); "—" where the test does not apply.
fn criteria_cells(out: &mut String, rules: &Rules, criteria: Option<&CriteriaReport>, lang: Lang) {
    let Some(c) = criteria else {
        for _ in 0..=rules.criteria.group.len() {
            let _ = write!(
                out,
                "<td class=\"st-na\" title=\"{}\">—</td>",
                Label::NotApplicable.get(lang)
            );
        }
        return;
    };
    for score in summaries::scores(&rules.criteria, c, lang) {
        let class = if score.passes { "cr-pass" } else { "cr-fail" };
        let _ = write!(
            out,
            "<td class=\"{class}\" data-criteria=\"{}\">{}",
            if score.group.is_some() { "group" } else { "total" },
            summaries::points(score.points, lang)
        );
        if !score.passes {
            let _ = write!(out, "<br>{}", summaries::met(false, lang));
        }
        out.push_str("</td>");
    }
}

/// The points of the p. 6(1) test as HTML: a heading with the act, then the total and each group
/// against its threshold, met or not. For any page that shows a submission (`serve` too).
pub fn criteria_html(rules: &Rules, c: &CriteriaReport, lang: Lang) -> String {
    let mut out = format!(
        "<p><b>{}:</b></p><ul class=\"criteria\">",
        escape(&summaries::criteria_heading(&rules.criteria, lang))
    );
    for score in summaries::scores(&rules.criteria, c, lang) {
        let class = if score.passes { "cr-pass" } else { "cr-fail" };
        let _ = write!(
            out,
            "<li class=\"{class}\">{}</li>",
            escape(&summaries::score_line(&score, lang))
        );
    }
    out.push_str("</ul>");
    out
}

/// The matrix's last cell, visible and printable (the colours and tooltips alone do not say it):
/// the grounds of the verdict, why each requirement not present has its status, the points by
/// group when the test is failed, what to submit, then the submission's warnings.
fn notes_cell(out: &mut String, rules: &Rules, s: &SubmissionReport, lang: Lang) {
    out.push_str("<td class=\"notes\">");
    if s.verdict != Verdict::Complies || !s.warnings.is_empty() {
        let _ = write!(
            out,
            "<p class=\"grounds\"><b>{}:</b> {}</p>",
            Label::GroundsOfVerdict.get(lang),
            escape(&s.summary)
        );
    }
    let reasons = summaries::requirement_reasons(s, lang);
    list(out, Label::Reasons, "reasons", &reasons, lang);
    if let Some(c) = s.criteria.as_ref().filter(|c| !c.passes) {
        out.push_str(&criteria_html(rules, c, lang));
    }
    list(
        out,
        Label::WhatToSubmit,
        "to-submit",
        &summaries::to_submit_lines(s),
        lang,
    );
    let warnings: Vec<String> = s.warnings.iter().map(|w| w.text.clone()).collect();
    list(out, Label::Warnings, "warnings", &warnings, lang);
    if s.verdict == Verdict::Complies && reasons.is_empty() && s.warnings.is_empty() {
        out.push('—');
    }
    out.push_str("</td>");
}

/// A titled list of the notes cell, nothing when empty.
fn list(out: &mut String, title: Label, class: &str, lines: &[String], lang: Lang) {
    if lines.is_empty() {
        return;
    }
    let _ = write!(out, "<p><b>{}:</b></p><ul class=\"{class}\">", title.get(lang));
    for line in lines {
        let _ = write!(out, "<li>{}</li>", escape(line));
    }
    out.push_str("</ul>");
}

fn owner_of(s: &SubmissionReport) -> &str {
    s.owner.as_deref().unwrap_or("—")
}

#[cfg(test)]
pub(super) mod tests {
    use super::{escape, summary_html};
    use crate::card::{LocalizedName, ObjectCard, ObjectKind, Stage};
    use crate::date::Date;
    use crate::evaluate::CheckedSubmission;
    use crate::evaluate::{CriteriaOutcome, Evaluation, Finding, Level, RequirementOutcome, Status, Verdict, Warning};
    use crate::history::diff::{DiffTotals, RunDiff};
    use crate::report::{Lang, NightlyReport, Report, RunInfo, SubmissionReport};
    use crate::rules::Rules;

    /// The id of the fixture's submission that does not comply: a look-alike commissioning act
    /// and warnings, one with markup in a file name.
    pub(in crate::report) const LOOKALIKE: &str = "IS-2026-0001";
    /// The id of the fixture's submission that complies with a warning.
    pub(in crate::report) const COMPLIES_WITH_WARNING: &str = "IS-2026-0002";

    fn date(y: i32, m: u32, d: u32) -> Date {
        Date::new(y, m, d).unwrap()
    }

    fn submission(id: &str, dir: &str, stage: Stage, lookalike: bool, warnings: Vec<Warning>) -> CheckedSubmission {
        let rules = Rules::embedded().unwrap();
        let requirements = rules
            .requirements_for(ObjectKind::InformationSystem)
            .map(|r| match r.id.as_str() {
                "p5.is.commissioning_document" if lookalike => RequirementOutcome {
                    id: r.id.clone(),
                    status: Status::Missing,
                    finding: Finding::LookalikeDocument {
                        file: format!("{dir}/docs/Письмо.pdf"),
                        recognised_as: "cover_letter".to_string(),
                    },
                    evidence: Vec::new(),
                },
                "p5.is.technical_documentation" if lookalike => RequirementOutcome {
                    id: r.id.clone(),
                    status: Status::NeedsReview,
                    finding: Finding::LookalikeDocument {
                        file: format!("{dir}/docs/Отказ.pdf"),
                        recognised_as: "commissioning_refusal".to_string(),
                    },
                    evidence: Vec::new(),
                },
                _ => RequirementOutcome {
                    id: r.id.clone(),
                    status: Status::Present,
                    finding: Finding::DocumentFound {
                        doc_type: "commissioning_act".to_string(),
                    },
                    evidence: Vec::new(),
                },
            })
            .collect();
        let (verdict, level) = if lookalike {
            (Verdict::DoesNotComply, Level::Not)
        } else {
            (Verdict::Complies, Level::Partially)
        };
        CheckedSubmission {
            dir: dir.to_string(),
            object_id: id.to_string(),
            card: Some(ObjectCard {
                id: id.to_string(),
                kind: Some(ObjectKind::InformationSystem),
                names: vec![LocalizedName {
                    lang: Some("ru".to_string()),
                    text: format!("Информационная система {id}"),
                }],
                owner: Some("Министерство <юстиции> & Co".to_string()),
                stage: Some(stage),
                ..ObjectCard::default()
            }),
            evaluation: Evaluation {
                verdict,
                level,
                blocker: None,
                requirements,
                criteria: None,
                warnings,
            },
            files: Vec::new(),
        }
    }

    /// A nightly report of two submissions with findings and warnings from issue 11.
    pub(in crate::report) fn nightly_with_notes(lang: Lang) -> NightlyReport {
        nightly_of(checked_with_notes(), lang)
    }

    /// The id of a submission whose documents are all present and which fails the p. 6(1) test:
    /// one point, in the group «scale» only.
    pub(in crate::report) const POINTS_FAIL: &str = "IS-2026-0003";

    /// [`nightly_with_notes`] and [`POINTS_FAIL`].
    pub(in crate::report) fn nightly_with_points(lang: Lang) -> NightlyReport {
        let mut checked = checked_with_notes();
        let mut failing = submission(
            POINTS_FAIL,
            "minjust/points",
            Stage::IndustrialOperation,
            false,
            Vec::new(),
        );
        failing.evaluation.verdict = Verdict::DoesNotComply;
        failing.evaluation.level = Level::Not;
        failing.evaluation.criteria = Some(CriteriaOutcome {
            points: 1,
            by_group: [("scale", 1), ("category", 0), ("users", 0)]
                .map(|(g, p)| (g.to_string(), p))
                .into(),
            passes: false,
            items: Vec::new(),
        });
        checked.push(failing);
        nightly_of(checked, lang)
    }

    fn checked_with_notes() -> Vec<CheckedSubmission> {
        vec![
            submission(
                LOOKALIKE,
                "minjust/lookalike",
                Stage::Decommissioned,
                true,
                vec![
                    Warning::ObjectDecommissioned,
                    Warning::DeclaredFileNotFound {
                        file: "minjust/lookalike/docs/<b>akt</b>.pdf".to_string(),
                    },
                ],
            ),
            submission(
                COMPLIES_WITH_WARNING,
                "minjust/trial",
                Stage::IndustrialOperation,
                false,
                vec![Warning::TrialOperationTooLong {
                    from: Some(date(2022, 2, 1)),
                    months: None,
                    to: Some(date(2024, 3, 15)),
                    max_months: 12,
                    file: "minjust/trial/docs/Акт ввода ПЭ.pdf".to_string(),
                }],
            ),
        ]
    }

    fn nightly_of(checked: Vec<CheckedSubmission>, lang: Lang) -> NightlyReport {
        let rules = Rules::embedded().unwrap();
        NightlyReport {
            report: Report::build(&rules, &checked, date(2026, 11, 22), lang),
            run: RunInfo {
                files_read: Vec::new(),
                files_touched: Vec::new(),
                files_unchanged: 0,
                files_removed: 0,
                index_rebuilt: false,
            },
            diff: RunDiff {
                previous: None,
                totals: DiffTotals::default(),
                submissions: Vec::new(),
                history_problems: Vec::new(),
            },
            expiry: Vec::new(),
            deadlines: Vec::new(),
            trend: Vec::new(),
        }
    }

    pub(in crate::report) fn by_id<'a>(report: &'a Report, id: &str) -> &'a SubmissionReport {
        report.submissions.iter().find(|s| s.object_id == id).unwrap()
    }

    /// What the fixture's submission must show: each requirement's reason where it is not
    /// present, and each warning's text.
    pub(in crate::report) fn notes_of(s: &SubmissionReport) -> Vec<String> {
        s.requirements
            .iter()
            .filter(|r| r.status != Status::Present)
            .map(|r| r.reason.clone())
            .chain(s.warnings.iter().map(|w| w.text.clone()))
            .collect()
    }

    #[test]
    fn the_matrix_shows_every_reason_and_warning_of_a_submission() {
        let rules = Rules::embedded().unwrap();
        for lang in [Lang::Ru, Lang::Kk, Lang::En] {
            let nightly = nightly_with_notes(lang);
            let html = summary_html(&rules, &nightly);
            for id in [LOOKALIKE, COMPLIES_WITH_WARNING] {
                let s = by_id(&nightly.report, id);
                let notes = notes_of(s);
                assert_eq!(notes.len(), if id == LOOKALIKE { 4 } else { 1 }, "{lang:?} {id}");
                // Inside the submission's own row of the matrix, escaped.
                let matrix = &html[html.find("id=\"matrix\"").unwrap()..];
                let start = matrix.find(&format!("<b>{id}</b>")).unwrap();
                let row = &matrix[start..start + matrix[start..].find("</tr>").unwrap()];
                for note in &notes {
                    assert!(row.contains(&escape(note)), "{lang:?} {id}: {note}\n{row}");
                }
                assert!(row.contains(super::Label::Warnings.get(lang)), "{lang:?} {id}");
            }
            assert!(!html.contains("<b>akt</b>"), "a file name is escaped");
            assert!(html.contains("&lt;b&gt;akt&lt;/b&gt;"));
            assert_eq!(html.matches("<script").count(), 1, "no new script");
        }
        let ru = summary_html(&rules, &nightly_with_notes(Lang::Ru));
        assert!(ru.contains("Замечания") && ru.contains("Причины и замечания"));
        assert!(ru.contains("Сам документ не представлен"), "the look-alike finding");
        assert!(ru.contains("Опытная эксплуатация продолжалась с 01.02.2022 по 15.03.2024"));
        let kk = summary_html(&rules, &nightly_with_notes(Lang::Kk));
        assert!(kk.contains("Ескертулер") && kk.contains("Себептер мен ескертулер"));
        assert!(kk.contains("Құжаттың өзі ұсынылмаған"), "the look-alike finding");
        assert!(kk.contains("Тәжірибелік пайдалану 01.02.2022 бастап 15.03.2024 дейін"));
    }

    /// The row of `id` in the matrix.
    fn matrix_row_of<'a>(html: &'a str, id: &str) -> &'a str {
        let matrix = &html[html.find("id=\"matrix\"").unwrap()..];
        let start = matrix.find(&format!("<b>{id}</b>")).unwrap();
        &matrix[start..start + matrix[start..].find("</tr>").unwrap()]
    }

    #[test]
    fn a_failed_points_test_shows_in_the_criteria_columns_and_the_notes() {
        let rules = Rules::embedded().unwrap();
        let ru = summary_html(&rules, &nightly_with_points(Lang::Ru));
        let header = &ru[ru.find("id=\"matrix\"").unwrap()..ru.find("</thead>").unwrap()];
        for words in [
            "Баллы, всего<small>не менее 3 баллов</small>",
            "Категория<small>не менее 1 балла</small>",
        ] {
            assert!(header.contains(words), "{words}\n{header}");
        }
        let row = matrix_row_of(&ru, POINTS_FAIL);
        // Total 1, scale 1 (met), category 0, users 0: three red cells, one green.
        assert_eq!(row.matches("<td class=\"cr-fail\"").count(), 3, "{row}");
        assert_eq!(row.matches("<td class=\"cr-pass\"").count(), 1, "{row}");
        assert!(row.contains("1 балл<br>не выполнено"));
        assert!(row.contains("0 баллов<br>не выполнено"));
        for line in [
            "Всего: 1 балл (требуется не менее 3 баллов) — не выполнено",
            "«Масштаб»: 1 балл (требуется не менее 1 балла) — выполнено",
            "«Категория»: 0 баллов (требуется не менее 1 балла) — не выполнено",
            "«Пользователи»: 0 баллов (требуется не менее 1 балла) — не выполнено",
            "Основание вывода:</b> Не соответствует: критерии отбора",
        ] {
            assert!(row.contains(line), "{line}\n{row}");
        }
        assert!(!row.contains("балл(ов)"), "the plural is the numeral's");
        let s = by_id(&nightly_with_points(Lang::Ru).report, POINTS_FAIL)
            .criteria
            .as_ref()
            .unwrap()
            .reason
            .clone();
        assert_eq!(
            s,
            "Итого 1 балл (Масштаб — 1 балл, Категория — 0 баллов, Пользователи — 0 баллов); требуется не менее 3 баллов \
             и не менее 1 балла в каждой группе (пп. 1) п. 6 и приложение 2 к Правилам, утв. приказом № 29)."
        );
        // A submission the test does not fail shows no points detail in its notes.
        assert!(!matrix_row_of(&ru, LOOKALIKE).contains("Всего: "));
        let kk = summary_html(&rules, &nightly_with_points(Lang::Kk));
        let row = matrix_row_of(&kk, POINTS_FAIL);
        assert!(
            row.contains("«Санат»: 0 балл (кемінде 1 балл қажет) — орындалмады"),
            "{row}"
        );
        assert!(
            row.contains("Барлығы: 1 балл (кемінде 3 балл қажет) — орындалмады"),
            "{row}"
        );
    }

    #[test]
    fn the_notes_say_what_to_submit() {
        let rules = Rules::embedded().unwrap();
        let nightly = nightly_with_notes(Lang::Ru);
        let html = summary_html(&rules, &nightly);
        let row = matrix_row_of(&html, LOOKALIKE);
        let s = by_id(&nightly.report, LOOKALIKE);
        let owed: Vec<_> = s.requirements.iter().filter(|r| !r.status.is_satisfied()).collect();
        assert_eq!(owed.len(), 2);
        assert!(row.contains("Что необходимо представить:"));
        for r in owed {
            assert!(row.contains(&escape(r.to_submit.as_deref().unwrap())), "{}", r.title);
        }
    }

    #[test]
    fn escapes_markup_and_quotes() {
        assert_eq!(
            escape("<script>alert('x')</script> & \"q\""),
            "&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt; &amp; &quot;q&quot;"
        );
        assert_eq!(escape("a\u{0}b"), "a\u{fffd}b");
    }
}
