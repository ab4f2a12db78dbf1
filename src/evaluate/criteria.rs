//! The points test of p. 6(1) and Appendix 2 (`schemas/criteria.toml`).

use std::collections::BTreeMap;

use serde::Serialize;

use super::requirements::known_count;
use super::{FileEvidence, Warning};
use crate::card::{ObjectCard, ObjectKind};
use crate::rules::Rules;

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct CriterionOutcome {
    pub id: String,
    pub group: String,
    pub points: u8,
    pub declared: Option<u8>,
    /// Set when the item was decided from facts rather than the declaration.
    pub computed: Option<u8>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct CriteriaOutcome {
    pub points: u32,
    /// Group id -> points.
    pub by_group: BTreeMap<String, u32>,
    pub passes: bool,
    pub items: Vec<CriterionOutcome>,
}

/// `None` for kinds the test does not apply to (platform software products, p. 11).
pub fn evaluate_criteria(
    rules: &Rules,
    kind: ObjectKind,
    card: &ObjectCard,
    files: &[FileEvidence],
    warnings: &mut Vec<Warning>,
) -> Option<CriteriaOutcome> {
    let test = &rules.criteria.test;
    if !test.applies_to.iter().any(|k| k == kind.as_str()) {
        return None;
    }
    let mut by_group: BTreeMap<String, u32> = rules.criteria.group.iter().map(|g| (g.id.clone(), 0)).collect();
    let mut items = Vec::new();
    for criterion in &rules.criteria.criterion {
        let declared = card.criteria.get(&criterion.id).copied();
        let computed = criterion
            .computed
            .as_ref()
            .and_then(|c| fact(card, files, &c.fact).map(|value| u8::from(value > c.greater_than)));
        if let (Some(declared), Some(computed)) = (declared, computed)
            && declared != computed
        {
            warnings.push(Warning::CriterionDisagrees {
                criterion: criterion.id.clone(),
                declared,
                computed,
            });
        }
        let points = computed.or(declared).unwrap_or(0);
        *by_group.entry(criterion.group.clone()).or_default() += points as u32;
        items.push(CriterionOutcome {
            id: criterion.id.clone(),
            group: criterion.group.clone(),
            points,
            declared,
            computed,
        });
    }
    let points = by_group.values().sum();
    let passes = points >= test.min_total && by_group.values().all(|&p| p >= test.min_per_group);
    Some(CriteriaOutcome {
        points,
        by_group,
        passes,
        items,
    })
}

fn fact(card: &ObjectCard, files: &[FileEvidence], name: &str) -> Option<u64> {
    match name {
        // An empty list is as likely "not filled in" as "no services": leave it to the declaration.
        "services" => (!card.services.is_empty()).then_some(card.services.len() as u64),
        other => known_count(card, files, other),
    }
}
