//! The points test of p. 6(1) and Appendix 2 (`schemas/criteria.toml`).

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use super::requirements::known_count;
use super::{FileEvidence, Warning};
use crate::card::{ObjectCard, ObjectKind};
use crate::rules::{CountField, CriterionFact, Rules};

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CriterionOutcome {
    pub id: String,
    pub group: String,
    pub points: u8,
    pub declared: Option<u8>,
    /// What the facts say, when they are known: it checks the declaration, never adds to it.
    pub computed: Option<u8>,
    /// The fact only approximates the criterion (`proxy` in `schemas/criteria.toml`).
    pub proxy: bool,
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
    if !test.applies_to.contains(&kind) {
        return None;
    }
    let mut by_group: BTreeMap<String, u32> = rules.criteria.group.iter().map(|g| (g.id.clone(), 0)).collect();
    let mut items = Vec::new();
    for criterion in &rules.criteria.criterion {
        let declared = card.criteria.get(&criterion.id).copied();
        let computed = criterion
            .computed
            .as_ref()
            .and_then(|c| fact(card, files, c.fact).map(|value| u8::from(value > c.greater_than)));
        let proxy = criterion.computed.as_ref().is_some_and(|c| c.proxy.is_some());
        if let (Some(declared), Some(computed)) = (declared, computed)
            && declared != computed
        {
            warnings.push(Warning::CriterionDisagrees {
                criterion: criterion.id.clone(),
                declared,
                computed,
                proxy,
            });
        }
        // The declaration scores; the facts can only take its point away, never add one.
        let points = declared.unwrap_or(0).min(computed.unwrap_or(1));
        *by_group.entry(criterion.group.clone()).or_default() += points as u32;
        items.push(CriterionOutcome {
            id: criterion.id.clone(),
            group: criterion.group.clone(),
            points,
            declared,
            computed,
            proxy,
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

fn fact(card: &ObjectCard, files: &[FileEvidence], fact: CriterionFact) -> Option<u64> {
    match fact {
        // An empty list is as likely "not filled in" as "no services": leave it to the declaration.
        CriterionFact::Services => (!card.services.is_empty()).then_some(card.services.len() as u64),
        CriterionFact::RegisteredUsers => known_count(card, files, CountField::RegisteredUsers),
        CriterionFact::StateBodies => known_count(card, files, CountField::StateBodies),
        CriterionFact::DeploymentSites => known_count(card, files, CountField::DeploymentSites),
    }
}
