//! Result counts per document type, state body and object: how many *files* match, not pages,
//! because an analyst filters documents.

use std::collections::{BTreeMap, HashMap, HashSet};

use serde::Serialize;
use tantivy::collector::{Collector, SegmentCollector};
use tantivy::columnar::StrColumn;
use tantivy::{DocId, Score, SegmentOrdinal, SegmentReader};

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

/// What one matching file contributes: (file, doc type, state body, object).
type FileKey = (String, String, String, String);

pub(crate) struct FacetCollector;

pub(crate) struct FacetSegmentCollector {
    columns: Option<[StrColumn; 4]>,
    /// The first matching document of each file (by the file's term ordinal in this segment).
    first_doc: HashMap<u64, DocId>,
}

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
        Ok(FacetSegmentCollector {
            columns: columns.try_into().ok(),
            first_doc: HashMap::new(),
        })
    }

    fn requires_scoring(&self) -> bool {
        false
    }

    fn merge_fruits(&self, fruits: Vec<Vec<FileKey>>) -> tantivy::Result<Facets> {
        let files: HashSet<FileKey> = fruits.into_iter().flatten().collect();
        let mut counts: [BTreeMap<String, usize>; 3] = Default::default();
        for (_, doc_type, state_body, object_id) in &files {
            for (count, value) in counts.iter_mut().zip([doc_type, state_body, object_id]) {
                *count.entry(value.clone()).or_default() += 1;
            }
        }
        let [doc_type, state_body, object_id] = counts.map(|c| {
            let mut list: Vec<FacetCount> = c
                .into_iter()
                .map(|(value, files)| FacetCount { value, files })
                .collect();
            list.sort_by(|a, b| b.files.cmp(&a.files).then_with(|| a.value.cmp(&b.value)));
            list
        });
        Ok(Facets {
            doc_type,
            state_body,
            object_id,
            files: files.len(),
        })
    }
}

impl SegmentCollector for FacetSegmentCollector {
    type Fruit = Vec<FileKey>;

    fn collect(&mut self, doc: DocId, _: Score) {
        let Some(columns) = &self.columns else { return };
        if let Some(ord) = columns[0].term_ords(doc).next() {
            self.first_doc.entry(ord).or_insert(doc);
        }
    }

    /// Dictionary lookups are what costs here (a common word matches nearly every file), so each
    /// distinct ordinal is decoded once: the few types, bodies and objects through a cache, the
    /// many file names in one sorted pass over the dictionary.
    fn harvest(self) -> Vec<FileKey> {
        let Some(columns) = &self.columns else {
            return Vec::new();
        };
        let mut files: Vec<(u64, DocId)> = self.first_doc.into_iter().collect();
        files.sort_unstable();
        let file_ords: Vec<u64> = files.iter().map(|(ord, _)| *ord).collect();
        let mut names = Vec::with_capacity(file_ords.len());
        // A dictionary read error leaves the names short; the zip below then drops those files.
        let _ = columns[0].dictionary().sorted_ords_to_term_cb(&file_ords, |bytes| {
            names.push(String::from_utf8_lossy(bytes).into_owned())
        });
        let mut decoded: [HashMap<u64, String>; 3] = Default::default();
        let mut value = |column: usize, doc: DocId| {
            let column_values = &columns[column + 1];
            let Some(ord) = column_values.term_ords(doc).next() else {
                return String::new();
            };
            decoded[column]
                .entry(ord)
                .or_insert_with(|| {
                    let mut out = String::new();
                    let _ = column_values.ord_to_str(ord, &mut out);
                    out
                })
                .clone()
        };
        names
            .into_iter()
            .zip(&files)
            .map(|(name, &(_, doc))| (name, value(0, doc), value(1, doc), value(2, doc)))
            .collect()
    }
}
