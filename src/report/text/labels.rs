//! Headings, column names and short phrases of the renderers: one entry per label, whatever
//! file shows it ("Государственный орган" is typed once, here).

use super::acts::paragraph;
use super::{Lang, pick};
use crate::rules::{Act, ORDER_29, ORDER_193};

/// A label of the reports; [`Label::get`] gives its text.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Label {
    // Shared by the Markdown reports, summary.html, summary.xlsx and the terminal table.
    Object,
    StateBody,
    StateBodyNotStated,
    Name,
    Directory,
    KindStage,
    AsOf,
    Verdict,
    Level,
    Points,
    Status,
    Requirement,
    Reason,
    Evidence,
    File,
    Files,
    DocumentType,
    Note,
    PagesAbbr,
    SelectionCriteria,
    WhatToSubmit,
    Warnings,
    Reasons,
    ReasonsAndWarnings,
    Submissions,
    Total,
    Totals,
    ItemsToActOn,
    All,
    Shown,
    Rules,
    EveryObjectComplies,
    /// The terminal table's last column.
    ProblemsColumn,
    // summary.html: changes since the previous run.
    Changes,
    ChangesSince,
    FirstRun,
    HistoryUnreadable,
    NewSubmissions,
    RemovedSubmissions,
    VerdictChanges,
    NewlyMissing,
    NewlyPresent,
    FilesAddedChangedRemoved,
    NoChanges,
    Change,
    Details,
    NewSubmission,
    SubmissionRemoved,
    Changed,
    StatusChanged,
    FileAdded,
    FileChanged,
    FileRemoved,
    ReadThisRun,
    Unchanged,
    // summary.html: protocols, deadlines, trend, matrix.
    ProtocolValidity,
    NoProtocolExpiring,
    ApplicationDeadlines,
    NoDeadlineNear,
    Received,
    Due,
    State,
    OverdueWorkingDays,
    DueToday,
    WorkingDaysLeft,
    NoHolidayList,
    TrendOfVerdicts,
    Matrix,
    // Draft letters.
    To,
    Subject,
    LetterItemsHeading,
    LetterWarningsHeading,
    ToSubmit,
    LegalBasis,
    DraftedAsOf,
    ToBeCheckedBeforeSending,
    // Issue 14: summaries (summary.html, summary.xlsx, the terminal table, Markdown points).
    PointsTotal,
    ThresholdMet,
    ThresholdNotMet,
    GroundsOfVerdict,
    CriteriaGroup,
    PointsRequired,
    Outcome,
    NotApplicable,
}

impl Label {
    pub fn get(self, lang: Lang) -> &'static str {
        use Label::*;
        let (ru, kk, en) = match self {
            Object => ("Объект", "Объект", "Object"),
            StateBody => ("Государственный орган", "Мемлекеттік орган", "State body"),
            StateBodyNotStated => (
                "(государственный орган не указан)",
                "(мемлекеттік орган көрсетілмеген)",
                "(state body not stated)",
            ),
            Name => ("Наименование", "Атауы", "Name"),
            Directory => ("Каталог", "Каталог", "Directory"),
            KindStage => ("Вид / стадия", "Түрі / сатысы", "Kind / stage"),
            AsOf => ("Дата проверки", "Тексеру күні", "As of"),
            Verdict => ("Вывод", "Қорытынды", "Verdict"),
            Level => ("Уровень", "Деңгей", "Level"),
            Points => ("Баллы", "Балл", "Points"),
            Status => ("Статус", "Мәртебесі", "Status"),
            Requirement => ("Требование", "Талап", "Requirement"),
            Reason => ("Основание", "Негіздеме", "Reason"),
            Evidence => ("Документ", "Құжат", "Evidence"),
            File => ("Файл", "Файл", "File"),
            Files => ("Файлы", "Файлдар", "Files"),
            DocumentType => ("Тип", "Түрі", "Type"),
            Note => ("Примечание", "Ескерту", "Note"),
            PagesAbbr => ("стр.", "бет", "p."),
            SelectionCriteria => ("Критерии отбора", "Іріктеу өлшемшарттары", "Selection criteria"),
            WhatToSubmit => ("Что необходимо представить", "Не ұсыну қажет", "What to submit"),
            Warnings => ("Замечания", "Ескертулер", "Warnings"),
            Reasons => ("Причины", "Себептер", "Reasons"),
            ReasonsAndWarnings => ("Причины и замечания", "Себептер мен ескертулер", "Reasons and warnings"),
            Submissions => ("Объектов", "Объектілер", "Submissions"),
            Total => ("Всего", "Барлығы", "Total"),
            Totals => ("Итого", "Жиыны", "Totals"),
            ItemsToActOn => ("Пунктов к исполнению", "Орындалатын тармақтар", "Items to act on"),
            All => ("все", "барлығы", "all"),
            Shown => ("показано", "көрсетілген", "shown"),
            Rules => ("правила", "ережелер", "rules"),
            EveryObjectComplies => (
                "Все объекты соответствуют.",
                "Барлық объектілер сәйкес келеді.",
                "Every object complies.",
            ),
            ProblemsColumn => (
                "Отсутствует / истёк / недействителен / проверить",
                "Жоқ / мерзімі өткен / жарамсыз / тексеру",
                "Missing / expired / invalid / review",
            ),
            Changes => ("Изменения", "Өзгерістер", "Changes"),
            ChangesSince => (
                "Изменения с проверки",
                "Тексеруден бергі өзгерістер",
                "Changes since the run of",
            ),
            FirstRun => (
                "Первая проверка: сравнивать не с чем.",
                "Алғашқы тексеру: салыстыратын ештеңе жоқ.",
                "First run: nothing to compare with.",
            ),
            HistoryUnreadable => (
                "Не прочитан файл истории",
                "Тарих файлы оқылмады",
                "History file not readable",
            ),
            NewSubmissions => ("новых объектов", "жаңа объектілер", "new submissions"),
            RemovedSubmissions => ("удалённых", "жойылғандар", "removed"),
            VerdictChanges => ("смена вывода", "қорытынды өзгерді", "verdict changes"),
            NewlyMissing => ("впервые отсутствует", "жаңадан жоқ", "newly missing"),
            NewlyPresent => ("впервые есть", "жаңадан бар", "newly present"),
            FilesAddedChangedRemoved => (
                "файлов добавлено / изменено / удалено",
                "файлдар қосылды / өзгерді / жойылды",
                "files added / changed / removed",
            ),
            NoChanges => ("Изменений нет.", "Өзгерістер жоқ.", "No changes."),
            Change => ("Изменение", "Өзгеріс", "Change"),
            Details => ("Подробно", "Толығырақ", "Details"),
            NewSubmission => ("новый объект", "жаңа объект", "new submission"),
            SubmissionRemoved => ("объект удалён", "объект жойылды", "submission removed"),
            Changed => ("изменён", "өзгерді", "changed"),
            StatusChanged => ("статус изменён", "мәртебе өзгерді", "status changed"),
            FileAdded => ("файл добавлен", "файл қосылды", "file added"),
            FileChanged => ("файл изменён", "файл өзгерді", "file changed"),
            FileRemoved => ("файл удалён", "файл жойылды", "file removed"),
            ReadThisRun => ("прочитано в этом прогоне", "осы жолы оқылды", "read in this run"),
            Unchanged => ("без изменений", "өзгеріссіз", "unchanged"),
            ProtocolValidity => (
                "Сроки действия протоколов",
                "Хаттамалардың қолданылу мерзімдері",
                "Protocol validity",
            ),
            NoProtocolExpiring => (
                "Истекающих и истёкших со времени прошлой проверки протоколов нет.",
                "Мерзімі аяқталатын немесе өткен тексеруден бері өткен хаттамалар жоқ.",
                "No protocol expires soon or expired since the last run.",
            ),
            ApplicationDeadlines => (
                "Сроки рассмотрения заявлений",
                "Өтініштерді қарау мерзімдері",
                "Application deadlines",
            ),
            NoDeadlineNear => (
                "Просроченных и близких к сроку заявлений нет.",
                "Мерзімі өткен немесе жақындаған өтініштер жоқ.",
                "No application is past or near its deadline.",
            ),
            Received => ("Поступило", "Түсті", "Received"),
            Due => ("Срок", "Мерзімі", "Due"),
            State => ("Состояние", "Жағдайы", "State"),
            OverdueWorkingDays => (
                "просрочено, раб. дн.:",
                "кешіктірілді, жұмыс күні:",
                "overdue, working days:",
            ),
            DueToday => ("истекает сегодня", "бүгін аяқталады", "due today"),
            WorkingDaysLeft => ("осталось раб. дн.:", "қалған жұмыс күні:", "working days left:"),
            NoHolidayList => (
                "(праздники года не загружены)",
                "(жылдың мерекелері жүктелмеген)",
                "(no holiday list for the year)",
            ),
            TrendOfVerdicts => ("Динамика выводов", "Қорытындылар динамикасы", "Trend of verdicts"),
            Matrix => (
                "Матрица: объекты × требования",
                "Матрица: объектілер × талаптар",
                "Matrix: submissions × requirements",
            ),
            To => ("Кому", "Кімге", "To"),
            Subject => ("Тема", "Тақырыбы", "Subject"),
            LetterItemsHeading => (
                "Отсутствующие, недействительные или требующие проверки сведения и что необходимо представить:",
                "Жоқ, жарамсыз немесе тексеруді қажет ететін мәліметтер және не ұсыну қажет:",
                "Missing, invalid or unverified information, and what to submit:",
            ),
            LetterWarningsHeading => (
                "Кроме того, при проверке отмечено:",
                "Сонымен қатар тексеру кезінде мыналар анықталды:",
                "The check also noted:",
            ),
            ToSubmit => ("Представить", "Ұсыну қажет", "To submit"),
            LegalBasis => (
                "Нормативные правовые акты",
                "Нормативтік құқықтық актілер",
                "Legal acts",
            ),
            DraftedAsOf => (
                "Проект подготовлен автоматически по состоянию на",
                "Жоба автоматты түрде дайындалды, күні:",
                "Drafted automatically as of",
            ),
            ToBeCheckedBeforeSending => (
                "подлежит проверке аналитиком перед отправкой",
                "жіберер алдында талдаушы тексеруі тиіс",
                "to be checked by an analyst before it is sent",
            ),
            // Issue 14: summaries.
            PointsTotal => ("Баллы, всего", "Балл, барлығы", "Points, total"),
            ThresholdMet => ("выполнено", "орындалды", "met"),
            ThresholdNotMet => ("не выполнено", "орындалмады", "not met"),
            GroundsOfVerdict => ("Основание вывода", "Қорытындының негіздемесі", "Grounds of the verdict"),
            CriteriaGroup => ("Группа критериев", "Өлшемшарттар тобы", "Criteria group"),
            PointsRequired => ("Требуется", "Қажет", "Required"),
            Outcome => ("Итог", "Нәтиже", "Outcome"),
            NotApplicable => (
                "не применяются к данному виду объекта",
                "объектінің бұл түріне қолданылмайды",
                "do not apply to this kind of object",
            ),
        };
        pick(lang, ru, kk, en)
    }
}

// Headings that cite an act: the paragraph comes from `acts.toml`.

/// "уровень (п. 26 Правил, утв. приказом № 193/НҚ)": the level of Order No. 193 p. 26.
pub fn level_with_cite(acts: &[Act], lang: Lang) -> String {
    let cite = paragraph(acts, ORDER_193, 26, lang);
    pick(
        lang,
        format!("уровень ({cite})"),
        format!("деңгейі ({cite})"),
        format!("level ({cite})"),
    )
}

/// The heading of the p. 5 requirements of a submission.
pub fn p5_information(acts: &[Act], lang: Lang) -> String {
    let cite = paragraph(acts, ORDER_29, 5, lang);
    pick(
        lang,
        format!("Сведения по {cite}"),
        format!("{cite} бойынша мәліметтер"),
        format!("Information under {cite}"),
    )
}

/// The heading of `missing-documents.md`.
pub fn missing_p5_information(acts: &[Act], lang: Lang) -> String {
    let cite = paragraph(acts, ORDER_29, 5, lang);
    pick(
        lang,
        format!("Недостающие сведения по {cite}"),
        format!("{cite} бойынша жетіспейтін мәліметтер"),
        format!("Missing information under {cite}"),
    )
}

/// The title of `summary.html`.
pub fn check_title(acts: &[Act], lang: Lang) -> String {
    let cite = paragraph(acts, ORDER_29, 5, lang);
    pick(
        lang,
        format!("Проверка сведений по {cite}"),
        format!("{cite} бойынша мәліметтерді тексеру"),
        format!("Check of the information under {cite}"),
    )
}

/// The heading of the matrix of `summary.html`.
pub fn matrix_heading(acts: &[Act], lang: Lang) -> String {
    format!("{} ({})", Label::Matrix.get(lang), paragraph(acts, ORDER_29, 5, lang))
}

/// A run diff's totals in one sentence, without the final stop: summary.html and `serve`'s history.
pub fn diff_totals_sentence(totals: &crate::history::diff::DiffTotals, lang: Lang) -> String {
    format!(
        "{}: {}; {}: {}; {}: {}; {}: {}; {}: {}; {}: {} / {} / {}",
        Label::NewSubmissions.get(lang),
        totals.new_submissions,
        Label::RemovedSubmissions.get(lang),
        totals.removed_submissions,
        Label::VerdictChanges.get(lang),
        totals.verdict_changes,
        Label::NewlyMissing.get(lang),
        totals.newly_missing,
        Label::NewlyPresent.get(lang),
        totals.newly_present,
        Label::FilesAddedChangedRemoved.get(lang),
        totals.files_added,
        totals.files_changed,
        totals.files_removed
    )
}
