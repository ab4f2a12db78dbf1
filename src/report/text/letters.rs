//! The draft letters' recommendation: one sentence about the object, per verdict.

use super::{Lang, acts, level_name, pick};
use crate::evaluate::{Level, Verdict};
use crate::rules::{Act, ORDER_193};

/// The recommendation a draft letter proposes, in one sentence about the object.
pub fn letter_conclusion(acts: &[Act], verdict: Verdict, name: &str, level: Level, lang: Lang) -> String {
    let level = level_name(level, lang);
    let cite = acts::paragraph(acts, ORDER_193, 26, lang);
    match verdict {
        Verdict::Complies => pick(
            lang,
            format!(
                "По результатам рассмотрения сведений, размещённых на архитектурном портале «электронного правительства», сервисный интегратор рекомендует признать объект «{name}» соответствующим архитектуре «электронного правительства». Уровень соответствия ({cite}): {level}."
            ),
            format!(
                "«Электрондық үкіметтің» архитектуралық порталында орналастырылған мәліметтерді қарау нәтижелері бойынша сервистік интегратор «{name}» объектісін «электрондық үкімет» архитектурасына сәйкес деп тануды ұсынады. Сәйкестік деңгейі ({cite}): {level}."
            ),
            format!(
                "Having reviewed the information on the e-government architecture portal, the service integrator recommends recognising the object “{name}” as compliant with the e-government architecture. Compliance level ({cite}): {level}."
            ),
        ),
        Verdict::DoesNotComply => pick(
            lang,
            format!(
                "По результатам рассмотрения сведений, размещённых на архитектурном портале «электронного правительства», сервисный интегратор рекомендует признать объект «{name}» не соответствующим архитектуре «электронного правительства». Уровень соответствия ({cite}): {level}."
            ),
            format!(
                "«Электрондық үкіметтің» архитектуралық порталында орналастырылған мәліметтерді қарау нәтижелері бойынша сервистік интегратор «{name}» объектісін «электрондық үкімет» архитектурасына сәйкес келмейді деп тануды ұсынады. Сәйкестік деңгейі ({cite}): {level}."
            ),
            format!(
                "Having reviewed the information on the e-government architecture portal, the service integrator recommends recognising the object “{name}” as not compliant with the e-government architecture. Compliance level ({cite}): {level}."
            ),
        ),
        // Never a recommendation the tool could not make: an analyst completes it.
        Verdict::NeedsReview => pick(
            lang,
            format!(
                "Сведения об объекте «{name}» не позволяют автоматически сформировать рекомендацию о соответствии архитектуре «электронного правительства»: перечисленные ниже пункты требуют проверки аналитиком. Рекомендация будет дана после проверки."
            ),
            format!(
                "«{name}» объектісі туралы мәліметтер «электрондық үкімет» архитектурасына сәйкестік туралы ұсынымды автоматты түрде қалыптастыруға мүмкіндік бермейді: төменде көрсетілген тармақтар талдаушының тексеруін қажет етеді. Ұсыным тексеруден кейін беріледі."
            ),
            format!(
                "The information on the object “{name}” does not allow a recommendation on compliance with the e-government architecture to be made automatically: the items below need an analyst's review. The recommendation will follow the review."
            ),
        ),
    }
}
