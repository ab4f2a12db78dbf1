//! Findings, warnings, the summary of a submission, the criteria sentence and the nightly
//! notices (expiry, deadlines), as sentences in the report language. Long `match`es of data: one
//! arm per case, the three languages side by side. Every sentence about a requirement names its
//! paragraph through the requirement's `cite` in the report next to it.

use super::summaries;
use super::{Lang, doc_type_name, field_name, file_status_name, level_name, pick, stage_name, status_label};
use super::{acts, page_range, requirement_title};
use crate::date::Date;
use crate::evaluate::DocRef;
use crate::evaluate::schedule::{Deadline, DeadlineState, ExpiryState, ProtocolExpiry};
use crate::evaluate::{Blocker, CriteriaOutcome, Evaluation, Finding, Status, ValiditySource, Verdict, Warning};
use crate::rules::{ORDER_29, ORDER_193, Rules};

fn validity(v: &ValiditySource, lang: Lang) -> String {
    match v {
        ValiditySource::Stated => pick(
            lang,
            "срок указан в протоколе".into(),
            "мерзімі хаттамада көрсетілген".into(),
            "as stated in the protocol".into(),
        ),
        ValiditySource::Policy { months, from } => pick(
            lang,
            format!(
                "срок в протоколе не указан; по политике — {months} мес. от даты протокола {} (политика, не норма права)",
                from.dotted()
            ),
            format!(
                "хаттамада мерзім көрсетілмеген; саясат бойынша — хаттама күнінен {} бастап {months} ай (құқық нормасы емес, саясат)",
                from.dotted()
            ),
            format!(
                "no validity stated; policy default of {months} months from the protocol date {} (policy, not law)",
                from.dotted()
            ),
        ),
    }
}

pub fn finding(rules: &Rules, finding: &Finding, lang: Lang) -> String {
    match finding {
        Finding::DocumentFound { doc_type } => {
            let name = doc_type_name(rules, doc_type, lang);
            pick(
                lang,
                format!("Найден документ: {name}."),
                format!("Құжат табылды: {name}."),
                format!("Document found: {name}."),
            )
        }
        Finding::CardDescription { chars } => pick(
            lang,
            format!("Описание приведено в карточке объекта ({chars} знаков)."),
            format!("Сипаттама объект карточкасында берілген ({chars} таңба)."),
            format!("The object card holds a description ({chars} characters)."),
        ),
        Finding::CountsFound { values } => {
            let list = values
                .iter()
                .map(|(f, v)| format!("{} — {v}", field_name(*f, lang)))
                .collect::<Vec<_>>()
                .join("; ");
            pick(
                lang,
                format!("Указано: {list}."),
                format!("Көрсетілген: {list}."),
                format!("Stated: {list}."),
            )
        }
        Finding::ProtocolInForce {
            valid_until,
            validity: v,
        } => pick(
            lang,
            format!(
                "Протокол с положительным результатом действует до {} ({}).",
                valid_until.dotted(),
                validity(v, lang)
            ),
            format!(
                "Оң нәтижелі хаттама {} дейін жарамды ({}).",
                valid_until.dotted(),
                validity(v, lang)
            ),
            format!(
                "Positive protocol in force until {} ({}).",
                valid_until.dotted(),
                validity(v, lang)
            ),
        ),
        Finding::ProtocolExpiredAccepted {
            valid_until,
            validity: v,
            ..
        } => pick(
            lang,
            format!(
                "Срок протокола истёк {} ({}); допускается, так как система на стадии развития.",
                valid_until.dotted(),
                validity(v, lang)
            ),
            format!(
                "Хаттаманың мерзімі {} өткен ({}); жүйе даму сатысында болғандықтан жол беріледі.",
                valid_until.dotted(),
                validity(v, lang)
            ),
            format!(
                "The protocol expired on {} ({}); accepted because the system is at the development stage.",
                valid_until.dotted(),
                validity(v, lang)
            ),
        ),
        Finding::ProtocolExpired {
            valid_until,
            validity: v,
        } => pick(
            lang,
            format!(
                "Срок протокола истёк {} ({}); истёкший протокол допускается только на стадии развития.",
                valid_until.dotted(),
                validity(v, lang)
            ),
            format!(
                "Хаттаманың мерзімі {} өткен ({}); мерзімі өткен хаттамаға тек даму сатысында жол беріледі.",
                valid_until.dotted(),
                validity(v, lang)
            ),
            format!(
                "The protocol expired on {} ({}); an expired protocol is accepted only at the development stage.",
                valid_until.dotted(),
                validity(v, lang)
            ),
        ),
        Finding::NegativeResult => pick(
            lang,
            "Протокол фиксирует отрицательный результат (несоответствие требованиям) и не подтверждает соответствие."
                .into(),
            "Хаттамада теріс нәтиже (талаптарға сәйкес келмеу) көрсетілген, ол сәйкестікті растамайды.".into(),
            "The protocol records a negative result (non-compliance) and is not evidence of compliance.".into(),
        ),
        Finding::QualifiedResult => pick(
            lang,
            "Вывод протокола частичный или с оговорками (соответствие не в полной мере); это не положительный результат испытаний.".into(),
            "Хаттаманың қорытындысы ішінара немесе ескертпелермен берілген (толық сәйкестік жоқ); бұл сынақтың оң нәтижесі емес.".into(),
            "The protocol's conclusion is partial or qualified; that is not a positive test result.".into(),
        ),
        Finding::LaterNegativeResult { negative, positive } => pick(
            lang,
            format!(
                "Более поздний протокол {} не подтверждает соответствие; он отменяет вывод более раннего протокола {}.",
                doc_ref(negative, lang),
                doc_ref(positive, lang)
            ),
            format!(
                "Кейінгі {} хаттамасы сәйкестікті растамайды; ол бұрынғы {} хаттамасының қорытындысын жояды.",
                doc_ref(negative, lang),
                doc_ref(positive, lang)
            ),
            format!(
                "The later protocol {} does not confirm compliance; it outweighs the earlier protocol {}.",
                doc_ref(negative, lang),
                doc_ref(positive, lang)
            ),
        ),
        Finding::ConflictingResults { negative, positive } => pick(
            lang,
            format!(
                "Протоколы расходятся: {} — без положительного вывода, {} — с положительным; какой из них новее, по датам установить нельзя. Требуется проверка аналитиком.",
                doc_ref(negative, lang),
                doc_ref(positive, lang)
            ),
            format!(
                "Хаттамалар сәйкес емес: {} — оң қорытындысыз, {} — оң қорытындымен; қайсысы кейінгі екенін күні бойынша анықтау мүмкін емес. Талдаушының тексеруі қажет.",
                doc_ref(negative, lang),
                doc_ref(positive, lang)
            ),
            format!(
                "The protocols disagree: {} is not positive, {} is; their dates do not tell which is newer. An analyst must check them.",
                doc_ref(negative, lang),
                doc_ref(positive, lang)
            ),
        ),
        Finding::LookalikeDocument { file, recognised_as } => {
            let name = doc_type_name(rules, recognised_as, lang);
            let lists_only = rules.doctype(recognised_as).is_some_and(|d| d.lists_only);
            if lists_only {
                pick(
                    lang,
                    format!("Сам документ не представлен: {file} — это {name}, в котором документ лишь перечислен или обещан."),
                    format!("Құжаттың өзі ұсынылмаған: {file} — {name}, онда құжат тек аталған немесе кейін жіберілетіні айтылған."),
                    format!("The document itself is not submitted: {file} is a {name} that only lists or promises it."),
                )
            } else {
                pick(
                    lang,
                    format!("Вместо требуемого документа представлен иной: {file} — {name}; он не подтверждает требование."),
                    format!("Талап етілген құжаттың орнына басқа құжат ұсынылған: {file} — {name}; ол талапты растамайды."),
                    format!("Another document stands in place of the required one: {file} is a {name} and is not evidence."),
                )
            }
        }
        Finding::DraftDocument => pick(
            lang,
            "Документ имеет отметку «ПРОЕКТ» и не является подписанным документом.".into(),
            "Құжатта «ЖОБА» белгісі бар, ол қол қойылған құжат емес.".into(),
            "The document is marked as a draft and is not a signed document.".into(),
        ),
        Finding::DatedAfterAsOf { date } => pick(
            lang,
            format!(
                "Документ датирован {}, позднее даты проверки; он не принят как подтверждение. Требуется проверка аналитиком.",
                date.dotted()
            ),
            format!(
                "Құжат {} күнімен, тексеру күнінен кейін жасалған; ол растау ретінде қабылданбады. Талдаушының тексеруі қажет.",
                date.dotted()
            ),
            format!(
                "The document is dated {}, after the as-of date; it is not taken as evidence. An analyst must check it.",
                date.dotted()
            ),
        ),
        Finding::SubjectUnclear { name } => pick(
            lang,
            format!(
                "Не удалось однозначно установить, что документ относится к заявленному объекту: в нём назван объект «{name}». Требуется проверка аналитиком."
            ),
            format!(
                "Құжаттың мәлімделген объектіге қатысты екенін бір мәнді анықтау мүмкін болмады: онда «{name}» объектісі аталған. Талдаушының тексеруі қажет."
            ),
            format!(
                "Whether the document concerns this object cannot be read without doubt: it names «{name}». An analyst must check it."
            ),
        ),
        Finding::ResultNotStated => pick(
            lang,
            "В протоколе не найден вывод о соответствии; требуется проверка аналитиком.".into(),
            "Хаттамада сәйкестік туралы қорытынды табылмады; талдаушының тексеруі қажет.".into(),
            "No conclusion on compliance was found in the protocol; an analyst must check it.".into(),
        ),
        Finding::NoProtocolDate => pick(
            lang,
            "В протоколе не найдены ни дата, ни срок действия; требуется проверка аналитиком.".into(),
            "Хаттамада күні де, жарамдылық мерзімі де табылмады; талдаушының тексеруі қажет.".into(),
            "Neither a date nor a validity end was found in the protocol; an analyst must check it.".into(),
        ),
        Finding::OtherObject { name } => pick(
            lang,
            format!("Документ относится к другому объекту («{name}»), а не к заявленному."),
            format!("Құжат мәлімделген объектіге емес, басқа объектіге («{name}») қатысты."),
            format!("The document concerns another object («{name}»), not this one."),
        ),
        Finding::ObjectNotNamed => pick(
            lang,
            "В документе не найдено наименование объекта из карточки; требуется проверка аналитиком.".into(),
            "Құжатта карточкадағы объект атауы табылмады; талдаушының тексеруі қажет.".into(),
            "The document does not name the card's object; an analyst must check it.".into(),
        ),
        Finding::NoDocument {
            doc_types,
            card_description_chars,
            min_chars,
        } => {
            let names = doc_types
                .iter()
                .map(|t| doc_type_name(rules, t, lang))
                .collect::<Vec<_>>()
                .join(", ");
            let card_note = match (card_description_chars, min_chars) {
                (Some(chars), Some(min)) => pick(
                    lang,
                    format!(" Описание в карточке слишком короткое ({chars} из {min} знаков, политика)."),
                    format!(" Карточкадағы сипаттама тым қысқа ({chars} / {min} таңба, саясат)."),
                    format!(" The card's description is too short ({chars} of {min} characters, policy)."),
                ),
                _ => String::new(),
            };
            pick(
                lang,
                format!("Не найден документ: {names}.{card_note}"),
                format!("Құжат табылмады: {names}.{card_note}"),
                format!("No document found: {names}.{card_note}"),
            )
        }
        Finding::CountsMissing { fields } => {
            let list = fields
                .iter()
                .map(|f| field_name(*f, lang))
                .collect::<Vec<_>>()
                .join(", ");
            pick(
                lang,
                format!("Не указано ни в карточке, ни в сведениях о пользователях: {list}."),
                format!("Карточкада да, пайдаланушылар туралы мәліметтерде де көрсетілмеген: {list}."),
                format!("Stated neither in the card nor in a statistics sheet: {list}."),
            )
        }
        Finding::UnreadableFiles { files } => {
            let list = files
                .iter()
                .map(|(f, s)| format!("{f} ({})", file_status_name(*s, lang)))
                .collect::<Vec<_>>()
                .join(", ");
            pick(
                lang,
                format!(
                    "Подходящий документ не найден среди прочитанных файлов, но часть файлов прочитать не удалось: {list}. Требуется проверка аналитиком."
                ),
                format!(
                    "Оқылған файлдар арасында тиісті құжат табылмады, бірақ кейбір файлдар оқылмады: {list}. Талдаушының тексеруі қажет."
                ),
                format!(
                    "No suitable document among the files read, but some files could not be read: {list}. An analyst must check them."
                ),
            )
        }
        Finding::PartlyReadFiles { files } => {
            let list = files.join(", ");
            pick(
                lang,
                format!(
                    "Подходящий документ или сведения не найдены в прочитанном тексте, но часть содержимого файлов прочитать не удалось: {list}. Требуется проверка аналитиком."
                ),
                format!(
                    "Оқылған мәтіннен тиісті құжат немесе мәліметтер табылмады, бірақ файлдар мазмұнының бір бөлігі оқылмады: {list}. Талдаушының тексеруі қажет."
                ),
                format!(
                    "No suitable document or figure in the text read, but part of some files could not be read: {list}. An analyst must check them."
                ),
            )
        }
        Finding::UnrecognisedScans { files } => match files.as_slice() {
            [file] => pick(
                lang,
                format!(
                    "Подходящий документ не найден, однако в файле {file}, текст которого распознан со сканированного изображения, вид документа не установлен, а в тексте назван объект: возможно, это требуемый документ. Требуется проверка аналитиком."
                ),
                format!(
                    "Тиісті құжат табылмады, алайда мәтіні сканерленген бейнеден танылған {file} файлында құжат түрі анықталмады, ал мәтінде объект аталған: бұл талап етілетін құжат болуы мүмкін. Талдаушының тексеруі қажет."
                ),
                format!(
                    "No suitable document found, but {file} was read by OCR from a scanned image, its type was not recognised and its text names the object: it may be the required document. An analyst must check it."
                ),
            ),
            _ => {
                let list = files.join(", ");
                pick(
                    lang,
                    format!(
                        "Подходящий документ не найден, однако в файлах {list}, текст которых распознан со сканированного изображения, вид документа не установлен, а в тексте назван объект: один из них может быть требуемым документом. Требуется проверка аналитиком."
                    ),
                    format!(
                        "Тиісті құжат табылмады, алайда мәтіні сканерленген бейнеден танылған {list} файлдарында құжат түрі анықталмады, ал мәтінде объект аталған: олардың бірі талап етілетін құжат болуы мүмкін. Талдаушының тексеруі қажет."
                    ),
                    format!(
                        "No suitable document found, but {list} were read by OCR from scanned images, their type was not recognised and their text names the object: one may be the required document. An analyst must check them."
                    ),
                )
            }
        },
    }
}

pub fn warning(rules: &Rules, warning: &Warning, lang: Lang) -> String {
    match warning {
        Warning::ExpiredProtocolAccepted { requirement } => {
            let title = requirement_title(rules, requirement, lang);
            pick(
                lang,
                format!("{title}: принят протокол с истёкшим сроком действия (объект на стадии развития)."),
                format!("{title}: мерзімі өткен хаттама қабылданды (объект даму сатысында)."),
                format!("{title}: an expired protocol was accepted (the object is at the development stage)."),
            )
        }
        Warning::DeclaredTypeDiffers {
            file,
            declared,
            recognised,
        } => {
            let (d, r) = (
                doc_type_name(rules, declared, lang),
                doc_type_name(rules, recognised, lang),
            );
            pick(
                lang,
                format!("{file}: в карточке указан как «{d}», по содержанию — «{r}»."),
                format!("{file}: карточкада «{d}» деп көрсетілген, мазмұны бойынша — «{r}»."),
                format!("{file}: declared as “{d}”, but its content is “{r}”."),
            )
        }
        Warning::DeclaredFileNotFound { file } => pick(
            lang,
            format!("{file}: указан в карточке, но отсутствует в материалах."),
            format!("{file}: карточкада көрсетілген, бірақ материалдарда жоқ."),
            format!("{file}: declared in the card but not submitted."),
        ),
        Warning::DeclaredTypeUnknown { file, declared } => pick(
            lang,
            format!("{file}: в карточке указан неизвестный тип документа «{declared}»."),
            format!("{file}: карточкада белгісіз құжат түрі «{declared}» көрсетілген."),
            format!("{file}: the card declares an unknown document type “{declared}”."),
        ),
        Warning::CountsDisagree {
            field,
            card,
            document,
            file,
        } => {
            let name = field_name(*field, lang);
            pick(
                lang,
                format!("{name}: в карточке {card}, в {file} — {document}."),
                format!("{name}: карточкада {card}, {file} файлында — {document}."),
                format!("{name}: the card says {card}, {file} says {document}."),
            )
        }
        Warning::CriterionDisagrees {
            criterion,
            declared,
            computed,
            proxy,
        } => {
            let counted = declared.min(computed);
            let note = proxy_note(rules, criterion, lang);
            let measured = if *proxy { format!(" ({note})") } else { String::new() };
            pick(
                lang,
                format!(
                    "Критерий {criterion}: заявлено {declared}, по сведениям{measured} — {computed}; учтено {counted}."
                ),
                format!(
                    "{criterion} өлшемшарты: мәлімделгені {declared}, мәліметтер бойынша{measured} — {computed}; {counted} ескерілді."
                ),
                format!(
                    "Criterion {criterion}: declared {declared}, the facts{measured} give {computed}; {counted} counted."
                ),
            )
        }
        Warning::CountIsZero { field } => {
            let name = field_name(*field, lang);
            pick(
                lang,
                format!("Указано нулевое значение: {name} — 0."),
                format!("Нөлдік мән көрсетілген: {name} — 0."),
                format!("A count of zero: {name} is 0."),
            )
        }
        Warning::ObjectDecommissioned => {
            let cite = rules.law.decommissioned.cite.get(lang);
            pick(
                lang,
                format!(
                    "В карточке указана стадия «прекращение эксплуатации»: такой объект исключается из Перечня ({cite})."
                ),
                format!(
                    "Карточкада «пайдалануды тоқтату» сатысы көрсетілген: мұндай объект Тізбеден алынып тасталады ({cite})."
                ),
                format!(
                    "The card gives the stage \"decommissioned\": such an object is removed from the list ({cite})."
                ),
            )
        }
        Warning::StageContradictsDocuments { stage, file, doc_type } => {
            let (stage, name) = (stage_name(*stage, lang), doc_type_name(rules, doc_type, lang));
            pick(
                lang,
                format!(
                    "В карточке указана стадия «{stage}», но представлен документ «{name}» ({file}); стадию следует уточнить."
                ),
                format!(
                    "Карточкада «{stage}» сатысы көрсетілген, бірақ «{name}» құжаты ұсынылған ({file}); сатыны нақтылау қажет."
                ),
                format!("The card gives the stage \"{stage}\", but {file} is a {name}; the stage should be checked."),
            )
        }
        Warning::CommissionedBeforeSecurityTest {
            commissioned,
            tested,
            file,
        } => {
            let cite = rules.law.security_test_before_commissioning.cite.get(lang);
            let (commissioned, tested) = (dotted(commissioned), dotted(tested));
            pick(
                lang,
                format!(
                    "Ввод в промышленную эксплуатацию ({file}, {commissioned}) предшествует самому раннему известному положительному результату испытаний на соответствие требованиям информационной безопасности ({tested}); ввод допускается при наличии акта с положительным результатом испытаний ({cite})."
                ),
                format!(
                    "Өнеркәсіптік пайдалануға енгізу ({file}, {commissioned}) ақпараттық қауіпсіздік талаптарына сәйкестігіне сынақтың белгілі ең ерте оң нәтижесінен ({tested}) бұрын болған; енгізу сынақтың оң нәтижесі туралы акт болған кезде жүзеге асырылады ({cite})."
                ),
                format!(
                    "Commissioning ({file}, {commissioned}) precedes the earliest known positive information-security test ({tested}); commissioning requires an act with a positive test result ({cite})."
                ),
            )
        }
        Warning::TrialOperationTooLong {
            from,
            to,
            months,
            max_months,
            file,
        } => {
            let cite = rules.law.trial_operation.cite.get(lang);
            let (ru, kk, en) = match (from, to, months) {
                (Some(from), Some(to), _) => {
                    let (from, to) = (dotted(from), dotted(to));
                    (
                        format!("с {from} по {to}"),
                        format!("{from} бастап {to} дейін"),
                        format!("from {from} to {to}"),
                    )
                }
                (_, _, Some(months)) => (
                    format!("{months} мес."),
                    format!("{months} ай"),
                    format!("{months} months"),
                ),
                _ => (String::new(), String::new(), String::new()),
            };
            pick(
                lang,
                format!(
                    "Опытная эксплуатация продолжалась {ru} ({file}), дольше установленного срока ({max_months} мес.; {cite})."
                ),
                format!(
                    "Тәжірибелік пайдалану {kk} жүргізілген ({file}), белгіленген мерзімнен ұзақ ({max_months} ай; {cite})."
                ),
                format!("Trial operation ran {en} ({file}), longer than allowed ({max_months} months; {cite})."),
            )
        }
    }
}

/// How a computed criterion only approximates what Appendix 2 says.
fn proxy_note(rules: &Rules, criterion: &str, lang: Lang) -> String {
    rules
        .criteria
        .criterion
        .iter()
        .find(|c| c.id == criterion)
        .and_then(|c| c.computed.as_ref())
        .and_then(|c| c.proxy.as_ref())
        .map(|p| p.get(lang).to_string())
        .unwrap_or_default()
}

/// A protocol as officials cite it: "№ 112-ИБ от 12.03.2025 (docs/protocol.pdf)".
fn doc_ref(doc: &DocRef, lang: Lang) -> String {
    let mut parts = Vec::new();
    if let Some(number) = &doc.number {
        parts.push(format!("№ {number}"));
    }
    if let Some(date) = doc.date {
        parts.push(match lang {
            Lang::Ru => format!("от {}", date.dotted()),
            Lang::Kk => format!("{} ж.", date.dotted()),
            Lang::En => format!("of {}", date.dotted()),
        });
    }
    match doc.pages {
        Some(pages) => parts.push(format!(
            "({}, {} {})",
            doc.file,
            pick(lang, "стр.", "бет", "pp."),
            page_range(pages)
        )),
        None => parts.push(format!("({})", doc.file)),
    }
    parts.join(" ")
}

fn dotted(date: &Date) -> String {
    date.dotted()
}

/// The p. 6(1) test in one sentence: the total and each group (in the rules' order, with the
/// numeral's plural), then the thresholds when it fails.
pub fn criteria(rules: &Rules, c: &CriteriaOutcome, lang: Lang) -> String {
    let test = &rules.criteria.test;
    let groups = rules
        .criteria
        .group
        .iter()
        .map(|g| {
            let points = c.by_group.get(&g.id).copied().unwrap_or(0);
            format!("{} — {}", g.title.get(lang), summaries::points(points, lang))
        })
        .collect::<Vec<_>>()
        .join(", ");
    let cite = test.cite.get(lang);
    let points = summaries::points(c.points, lang);
    let (total, per_group) = (
        summaries::at_least_points(test.min_total, lang),
        summaries::at_least_points(test.min_per_group, lang),
    );
    match (c.passes, lang) {
        (true, Lang::Ru) => format!("Итого {points} ({groups}); требование {cite} выполнено."),
        (true, Lang::Kk) => format!("Барлығы {points} ({groups}); {cite} талабы орындалды."),
        (true, Lang::En) => format!("{points} in total ({groups}); the test of {cite} is met."),
        (false, Lang::Ru) => {
            format!("Итого {points} ({groups}); требуется {total} и {per_group} в каждой группе ({cite}).")
        }
        (false, Lang::Kk) => {
            format!("Барлығы {points} ({groups}); {cite} бойынша {total} және әр топта {per_group} қажет.")
        }
        (false, Lang::En) => {
            format!("{points} in total ({groups}); {cite} requires {total} and {per_group} in every group.")
        }
    }
}

pub fn summary(rules: &Rules, evaluation: &Evaluation, lang: Lang) -> String {
    if let Some(blocker) = &evaluation.blocker {
        return blocker_summary(rules, blocker, lang);
    }
    verdict_summary(rules, evaluation, lang)
}

/// Why nothing could be evaluated.
fn blocker_summary(rules: &Rules, blocker: &Blocker, lang: Lang) -> String {
    let p5 = acts::paragraph(&rules.acts, ORDER_29, 5, lang);
    match blocker {
        Blocker::NoCard => pick(
            lang,
            format!(
                "Нет карточки объекта (object.xml): вид объекта и требования {p5}, определить нельзя. Требуется проверка аналитиком."
            ),
            format!(
                "Объект карточкасы (object.xml) жоқ: объект түрін, демек {p5} бойынша талаптарды анықтау мүмкін емес. Талдаушының тексеруі қажет."
            ),
            format!(
                "No object card (object.xml): the kind of object, and so the requirements of {p5}, cannot be determined. An analyst must review it."
            ),
        ),
        // The parser's `message` is English, for the operator: Russian and Kazakh readers get the
        // line, and the JSON report keeps the message.
        Blocker::CardUnreadable { file, message } => pick(
            lang,
            format!("Файл карточки объекта {file} не удалось прочитать. Требуется проверка аналитиком."),
            format!("{file} объект карточкасының файлын оқу мүмкін болмады. Талдаушының тексеруі қажет."),
            format!("The object card file {file} could not be read ({message}). An analyst must review it."),
        ),
        Blocker::CardInvalid { file, line, message } => pick(
            lang,
            format!("Карточка объекта {file} не читается: ошибка в строке {line}. Требуется исправить карточку."),
            format!("{file} объект карточкасы оқылмайды: {line}-жолда қате бар. Карточканы түзету қажет."),
            format!("The object card {file} cannot be read (line {line}: {message}). The card must be corrected."),
        ),
    }
}

/// Why this verdict, naming the requirements not met.
fn verdict_summary(rules: &Rules, evaluation: &Evaluation, lang: Lang) -> String {
    // Named by their titles, never by their ids: officials read this sentence.
    let failing: Vec<String> = evaluation
        .requirements
        .iter()
        .filter(|r| r.status.is_failure())
        .map(|r| format!("«{}»", requirement_title(rules, &r.id, lang)))
        .collect();
    let review: Vec<String> = evaluation
        .requirements
        .iter()
        .filter(|r| r.status == Status::NeedsReview)
        .map(|r| format!("«{}»", requirement_title(rules, &r.id, lang)))
        .collect();
    let criteria_fail = evaluation.criteria.as_ref().is_some_and(|c| !c.passes);
    let level = level_name(evaluation.level, lang);
    let (p5, p26) = (
        acts::paragraph(&rules.acts, ORDER_29, 5, lang),
        acts::paragraph(&rules.acts, ORDER_193, 26, lang),
    );
    match evaluation.verdict {
        Verdict::Complies => pick(
            lang,
            format!("Сведения, предусмотренные {p5}, размещены; уровень соответствия ({p26}): {level}."),
            format!("{p5} бойынша мәліметтер орналастырылған; сәйкестік деңгейі ({p26}): {level}."),
            format!("The information required by {p5} is on the portal; compliance level ({p26}): {level}."),
        ),
        Verdict::NeedsReview => pick(
            lang,
            format!("Требуется проверка аналитиком: {}.", review.join(", ")),
            format!("Талдаушының тексеруі қажет: {}.", review.join(", ")),
            format!("Needs an analyst's review: {}.", review.join(", ")),
        ),
        Verdict::DoesNotComply => {
            let mut parts = failing;
            if criteria_fail {
                let p6 = acts::subparagraph(&rules.acts, ORDER_29, 6, 1, lang);
                parts.push(pick(
                    lang,
                    format!("критерии отбора ({p6})"),
                    format!("іріктеу өлшемшарттары ({p6})"),
                    format!("selection criteria ({p6})"),
                ));
            }
            if evaluation.warnings.contains(&Warning::ObjectDecommissioned) {
                let cite = rules.law.decommissioned.cite.get(lang);
                parts.push(pick(
                    lang,
                    format!("эксплуатация объекта прекращена ({cite})"),
                    format!("объектіні пайдалану тоқтатылған ({cite})"),
                    format!("the object is no longer operated ({cite})"),
                ));
            }
            pick(
                lang,
                format!("Не соответствует: {}.", parts.join(", ")),
                format!("Сәйкес келмейді: {}.", parts.join(", ")),
                format!("Does not comply: {}.", parts.join(", ")),
            )
        }
    }
}

pub fn expiry(rules: &Rules, expiry: &ProtocolExpiry, lang: Lang) -> String {
    let title = requirement_title(rules, &expiry.requirement, lang);
    let until = expiry.valid_until.dotted();
    match expiry.state {
        ExpiryState::Expiring { days_left, within_days } => pick(
            lang,
            format!("{title}: протокол действует до {until}; осталось {days_left} дн. (в пределах {within_days} дн.)."),
            format!("{title}: хаттама {until} дейін жарамды; {days_left} күн қалды ({within_days} күн ішінде)."),
            format!(
                "{title}: the protocol is in force until {until}; {days_left} days left (within {within_days} days)."
            ),
        ),
        ExpiryState::ExpiredSinceLastRun { previous } => pick(
            lang,
            format!(
                "{title}: срок протокола истёк {until}, после предыдущей проверки ({}).",
                previous.dotted()
            ),
            format!(
                "{title}: хаттаманың мерзімі {until} өтті, алдыңғы тексеруден ({}) кейін.",
                previous.dotted()
            ),
            format!(
                "{title}: the protocol expired on {until}, since the previous run ({}).",
                previous.dotted()
            ),
        ),
    }
}

pub fn deadline(rules: &Rules, deadline: &Deadline, lang: Lang) -> String {
    let cite = rules.policy.deadline.cite.get(lang);
    let (submitted, due) = (deadline.submitted.dotted(), deadline.due.dotted());
    let left = deadline.working_days_left;
    let mut sentence = match deadline.state {
        DeadlineState::Overdue => pick(
            lang,
            format!(
                "Заявление поступило {submitted}; срок рекомендации ({cite}) истёк {due}, просрочено на {} раб. дн.",
                -left
            ),
            format!(
                "Өтініш {submitted} түсті; ұсыным беру мерзімі ({cite}) {due} өтті, {} жұмыс күні кешіктірілді.",
                -left
            ),
            format!(
                "Application received {submitted}; the recommendation ({cite}) was due {due}, {} working days overdue.",
                -left
            ),
        ),
        DeadlineState::DueToday => pick(
            lang,
            format!("Заявление поступило {submitted}; срок рекомендации ({cite}) истекает сегодня, {due}."),
            format!("Өтініш {submitted} түсті; ұсыным беру мерзімі ({cite}) бүгін, {due}, аяқталады."),
            format!("Application received {submitted}; the recommendation ({cite}) is due today, {due}."),
        ),
        DeadlineState::Near | DeadlineState::OnTime => pick(
            lang,
            format!("Заявление поступило {submitted}; срок рекомендации ({cite}) — {due}, осталось {left} раб. дн."),
            format!("Өтініш {submitted} түсті; ұсыным беру мерзімі ({cite}) — {due}, {left} жұмыс күні қалды."),
            format!(
                "Application received {submitted}; the recommendation ({cite}) is due {due}, {left} working days left."
            ),
        ),
    };
    if !deadline.holidays_known {
        sentence.push_str(pick(
            lang,
            " Праздничные дни этого года не загружены (schemas/holidays-kz-*.toml): учтены только выходные.",
            " Осы жылдың мереке күндері жүктелмеген (schemas/holidays-kz-*.toml): тек демалыс күндері ескерілді.",
            " No holiday list for this year (schemas/holidays-kz-*.toml): only weekends were skipped.",
        ));
    }
    sentence
}

/// One requirement that is not met, as a line of a summary: "title (status): reason".
pub(crate) fn requirement_reason_line(title: &str, status: Status, reason: &str, lang: Lang) -> String {
    format!("{title} ({}): {reason}", status_label(status, lang))
}
