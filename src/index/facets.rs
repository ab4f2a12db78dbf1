//! Result counts per document type, state body and object: how many *files* match, not pages,
//! because an analyst filters documents.

use std::collections::{BTreeMap, HashSet};

use serde::Serialize;
use tantivy::collector::{Collector, SegmentCollector};
use tantivy::columnar::{Column, StrColumn};
use tantivy::{DocId, Score, SegmentOrdinal, SegmentReader};

use super::FILE_KEY;

/// One value of a facet and the number of matching files that have it.
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct FacetCount {
    pub value: String,
    pub files: usize,
}

/// Counts of matching files; each list is sorted by count, then value.
#[derive(Debug, Clone, Default, Serialize, PartialEq, Eq)]
pub struct Facets {
    pub doc_type: Vec<FacetCount>,
    pub state_body: Vec<FacetCount>,
    pub object_id: Vec<FacetCount>,
    /// Matching files in all.
    pub files: usize,
}

/// What one segment's matching files contribute: each file's name hash with indexes into the
/// segment's table of (doc type, state body, object) values. A file's pages may sit in several
/// segments, so files are told apart by name across segments; the hash is a column of its own
/// (`file_key`), since decoding thousands of names from the dictionary for a common word was the
/// largest cost of a search.
pub(crate) struct SegmentFacets {
    values: Vec<String>,
    files: Vec<(u64, [u32; 3])>,
}

pub(crate) struct FacetCollector;

pub(crate) struct FacetSegmentCollector {
    columns: Option<[StrColumn; 4]>,
    keys: Option<Column<u64>>,
    /// The first matching document of each file, indexed by the file's term ordinal in this
    /// segment ([`NO_DOC`] for a file with no match): a slot per file is cheaper per matching page
    /// than a hash map, which a common word's tens of thousands of pages made count.
    first_doc: Vec<DocId>,
}

const NO_DOC: DocId = DocId::MAX;

const COLUMNS: [&str; 4] = ["file", "doc_type", "state_body", "object_id"];

impl Collector for FacetCollector {
    type Fruit = Facets;
    type Child = FacetSegmentCollector;

    fn for_segment(&self, _: SegmentOrdinal, segment: &SegmentReader) -> tantivy::Result<FacetSegmentCollector> {
        let fast = segment.fast_fields();
        let mut columns = Vec::with_capacity(COLUMNS.len());
        for name in COLUMNS {
            match fast.str(name)? {
                Some(column) => columns.push(column),
                None => break,
            }
        }
        let columns: Option<[StrColumn; 4]> = columns.try_into().ok();
        let files = columns.as_ref().map_or(0, |c| c[0].num_terms());
        let keys = fast.u64(FILE_KEY).ok();
        Ok(FacetSegmentCollector {
            columns,
            keys,
            first_doc: vec![NO_DOC; files],
        })
    }

    fn requires_scoring(&self) -> bool {
        false
    }

    fn merge_fruits(&self, fruits: Vec<SegmentFacets>) -> tantivy::Result<Facets> {
        let mut seen: HashSet<u64> = HashSet::with_capacity(fruits.iter().map(|f| f.files.len()).sum());
        let mut counts: [BTreeMap<&str, usize>; 3] = Default::default();
        for fruit in &fruits {
            // Counted by value index first, then by value once per distinct value: a string
            // look-up per file per facet was 5 % of the 10k benchmark's searches.
            let mut by_index = vec![[0usize; 3]; fruit.values.len()];
            for (file, value_indexes) in &fruit.files {
                if !seen.insert(*file) {
                    continue;
                }
                for (facet, index) in value_indexes.iter().enumerate() {
                    if let Some(slot) = by_index.get_mut(*index as usize) {
                        slot[facet] += 1;
                    }
                }
            }
            for (value, per_facet) in fruit.values.iter().zip(&by_index) {
                for (count, files) in counts.iter_mut().zip(per_facet) {
                    if *files > 0 {
                        *count.entry(value.as_str()).or_default() += files;
                    }
                }
            }
        }
        let [doc_type, state_body, object_id] = counts.map(|c| {
            let mut list: Vec<FacetCount> = c
                .into_iter()
                .map(|(value, files)| FacetCount {
                    value: value.to_string(),
                    files,
                })
                .collect();
            list.sort_by(|a, b| b.files.cmp(&a.files).then_with(|| a.value.cmp(&b.value)));
            list
        });
        Ok(Facets {
            doc_type,
            state_body,
            object_id,
            files: seen.len(),
        })
    }
}

impl SegmentCollector for FacetSegmentCollector {
    type Fruit = SegmentFacets;

    fn collect(&mut self, doc: DocId, _: Score) {
        let Some(columns) = &self.columns else { return };
        if let Some(ord) = columns[0].term_ords(doc).next()
            && let Some(slot) = self.first_doc.get_mut(ord as usize)
            && *slot == NO_DOC
        {
            *slot = doc;
        }
    }

    /// Each distinct ordinal is decoded once, every column's in one sorted pass over its dictionary.
    fn harvest(self) -> SegmentFacets {
        let mut facets = SegmentFacets {
            values: Vec::new(),
            files: Vec::new(),
        };
        let Some(columns) = &self.columns else {
            return facets;
        };
        let Some(keys) = &self.keys else {
            return facets;
        };
        // Each matching file's first matching page, and the file's key read there. (Every page
        // has a key; one without would be a file this search cannot tell apart, and is left out.)
        let (files, hashes): (Vec<DocId>, Vec<u64>) = self
            .first_doc
            .into_iter()
            .filter(|&doc| doc != NO_DOC)
            .filter_map(|doc| Some((doc, keys.first(doc)?)))
            .unzip();
        let SegmentFacets { values, files: out } = &mut facets;
        let mut indexes: Vec<[u32; 3]> = vec![[0; 3]; files.len()];
        for (column, column_values) in columns[1..].iter().enumerate() {
            let ords: Vec<Option<u64>> = files.iter().map(|&doc| column_values.term_ords(doc).next()).collect();
            let mut distinct: Vec<u64> = ords.iter().flatten().copied().collect();
            distinct.sort_unstable();
            distinct.dedup();
            // One sorted pass over the dictionary: decoding each ordinal on its own (an object per
            // submission) was a fifth of a search.
            let first = values.len() as u32;
            let _ = column_values.dictionary().sorted_ords_to_term_cb(&distinct, |bytes| {
                values.push(String::from_utf8_lossy(bytes).into_owned());
            });
            // A dictionary read error leaves values short; those files then count under "".
            let decoded = values.len() - first as usize;
            let empty = values.len() as u32;
            values.push(String::new());
            for (slot, ord) in indexes.iter_mut().zip(&ords) {
                slot[column] = match ord.and_then(|ord| distinct.binary_search(&ord).ok()) {
                    Some(at) if at < decoded => first + at as u32,
                    _ => empty,
                };
            }
        }
        for (hash, value_indexes) in hashes.into_iter().zip(indexes) {
            out.push((hash, value_indexes));
        }
        facets
    }
}
