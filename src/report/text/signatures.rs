//! Electronic signatures as sentences: who signed a document, what a signature file signs, and
//! what was established about the signature.

use super::{Lang, pick};
use crate::date::Date;
use crate::extract::signature::{Problem, Signature, SignedFileLink, Verification};

/// "подписано ЭЦП: ФИО (организация), ИИН …, БИН …, дата — outcome", beside the signed document.
/// `signature_file` is named when it is another file than the document.
pub fn signed_by(signature: &Signature, signature_file: Option<&str>, lang: Lang) -> String {
    let mut text = format!(
        "{}: {} — {}",
        pick(lang, "подписано ЭЦП", "ЭЦҚ-мен қол қойылған", "digitally signed"),
        signer_line(signature, lang),
        signature_outcome(signature, lang)
    );
    if let Some(file) = signature_file {
        text.push_str(&format!(" (`{}`)", file.replace('`', "'")));
    }
    text
}

/// The note on a signature file itself: what it signs, who signed it and what was established.
pub fn signature_file_note(signature: &Signature, lang: Lang) -> String {
    let target = match (signature.link, &signature.signed_file) {
        (Some(SignedFileLink::Inside), _) => pick(
            lang,
            "ЭЦП; подписанный документ находится внутри файла подписи",
            "ЭЦҚ; қол қойылған құжат қолтаңба файлының ішінде",
            "digital signature; the signed document is inside the signature file",
        )
        .to_string(),
        (Some(SignedFileLink::NameOnly), Some(file)) => format!(
            "{} {}",
            signature_of(file, lang),
            pick(
                lang,
                "(сопоставлена по имени файла; хеш-значение не сверялось)",
                "(файл атауы бойынша сәйкестендірілді; хэш-мәні салыстырылған жоқ)",
                "(matched by file name; the digest was not compared)",
            )
        ),
        (_, Some(file)) => signature_of(file, lang),
        (_, None) => pick(
            lang,
            "ЭЦП; подписанный документ в представлении не найден",
            "ЭЦҚ; қол қойылған құжат ұсынылған құжаттардың арасында табылмады",
            "digital signature; the signed document is not in the submission",
        )
        .to_string(),
    };
    format!(
        "{target}: {} — {}",
        signer_line(signature, lang),
        signature_outcome(signature, lang)
    )
}

fn signature_of(file: &str, lang: Lang) -> String {
    let file = format!("`{}`", file.replace('`', "'"));
    pick(
        lang,
        format!("ЭЦП к файлу {file}"),
        format!("{file} файлына қойылған ЭЦҚ"),
        format!("digital signature of {file}"),
    )
}

fn signer_line(signature: &Signature, lang: Lang) -> String {
    let signer = &signature.signer;
    let mut parts = Vec::new();
    let name = signer.name.clone().unwrap_or_else(|| {
        pick(
            lang,
            "подписавший не указан",
            "қол қоюшы көрсетілмеген",
            "signer not named",
        )
        .to_string()
    });
    parts.push(match &signer.organisation {
        Some(organisation) => format!("{name} ({organisation})"),
        None => name,
    });
    if let Some(iin) = &signer.iin {
        parts.push(format!("{} {iin}", pick(lang, "ИИН", "ЖСН", "IIN")));
    }
    if let Some(bin) = &signer.bin {
        parts.push(format!("{} {bin}", pick(lang, "БИН", "БСН", "BIN")));
    }
    match signature.signing_time.as_deref().and_then(signing_date) {
        Some(date) => parts.push(date.dotted()),
        None => parts.push(
            pick(
                lang,
                "время подписания не указано",
                "қол қою уақыты көрсетілмеген",
                "signing time not stated",
            )
            .to_string(),
        ),
    }
    parts.join(", ")
}

/// The date of a `YYYY-MM-DDTHH:MM:SSZ` signing time (UTC, as signed).
fn signing_date(time: &str) -> Option<Date> {
    let date = time.get(..10)?;
    let mut fields = date.split('-').map(str::parse::<u32>);
    let (Some(Ok(year)), Some(Ok(month)), Some(Ok(day))) = (fields.next(), fields.next(), fields.next()) else {
        return None;
    };
    Date::new(i32::try_from(year).ok()?, month, day)
}

fn signature_outcome(signature: &Signature, lang: Lang) -> String {
    const NOT_TRUSTED: [&str; 3] = [
        "проверка сертификата в НУЦ РК не выполнялась",
        "сертификатты ҚР ҰКО-да тексеру жүргізілген жоқ",
        "the certificate was not checked with NCA RK",
    ];
    let not_trusted = pick(lang, NOT_TRUSTED[0], NOT_TRUSTED[1], NOT_TRUSTED[2]);
    let content_differs = pick(
        lang,
        "подпись не соответствует документу: его содержимое отличается от подписанного",
        "қолтаңба құжатқа сәйкес келмейді: оның мазмұны қол қойылған мазмұннан өзгеше",
        "the signature does not match the document: its content differs from what was signed",
    );
    if signature.link == Some(SignedFileLink::ChangedAfterSigning) {
        return content_differs.to_string();
    }
    match signature.verification {
        Verification::Verified => format!(
            "{}; {not_trusted}",
            pick(
                lang,
                "подпись математически верна",
                "қолтаңба математикалық тұрғыдан дұрыс",
                "the signature is mathematically valid",
            )
        ),
        Verification::Invalid(Problem::ContentChanged) => content_differs.to_string(),
        Verification::Invalid(_) => pick(
            lang,
            "подпись недействительна: значение подписи не соответствует ключу сертификата",
            "қолтаңба жарамсыз: қолтаңба мәні сертификат кілтіне сәйкес келмейді",
            "the signature is invalid: its value does not match the certificate's key",
        )
        .to_string(),
        Verification::NotVerified(problem) => {
            let why = match problem {
                Problem::GostAlgorithm => pick(
                    lang,
                    "подпись по ГОСТ 34.310 присутствует, но не проверялась (алгоритм не поддерживается)",
                    "ГОСТ 34.310 бойынша қолтаңба бар, бірақ тексерілмеді (алгоритмге қолдау көрсетілмейді)",
                    "a GOST 34.310 signature is present but was not verified (algorithm not supported)",
                ),
                Problem::NoCertificate => pick(
                    lang,
                    "подпись не проверялась: в ней нет сертификата подписавшего",
                    "қолтаңба тексерілмеді: онда қол қоюшының сертификаты жоқ",
                    "not verified: the signer's certificate is not included",
                ),
                Problem::UnreadableKey => pick(
                    lang,
                    "подпись не проверялась: открытый ключ сертификата не прочитан",
                    "қолтаңба тексерілмеді: сертификаттың ашық кілті оқылмады",
                    "not verified: the certificate's public key could not be read",
                ),
                Problem::NoSignedAttributes => pick(
                    lang,
                    "подпись не проверялась: в ней нет подписываемых атрибутов",
                    "қолтаңба тексерілмеді: онда қол қойылатын атрибуттар жоқ",
                    "not verified: the signature has no signed attributes",
                ),
                Problem::UnsupportedAlgorithm | Problem::SignatureMismatch | Problem::ContentChanged => pick(
                    lang,
                    "подпись присутствует, но не проверялась (алгоритм не поддерживается)",
                    "қолтаңба бар, бірақ тексерілмеді (алгоритмге қолдау көрсетілмейді)",
                    "the signature is present but was not verified (algorithm not supported)",
                ),
            };
            format!("{why}; {not_trusted}")
        }
    }
}
