//! Which segments the writer merges, so that a run's memory does not grow with the corpus.
//!
//! Every time the writer's buffer fills it writes a segment; Tantivy's default policy merges
//! segments level by level into ever larger ones, and a merge reads all of its inputs through
//! memory maps. At 5 000 files the last merge read eight segments of 3 600 pages each, and the
//! 115 MB it mapped was the run's peak (of 371 MB). Here merges stay small: segments are merged only into
//! segments of at most [`MAX_MERGED_PAGES`] pages, so what one merge maps is bounded whatever the
//! corpus, and the index ends with one segment per that many pages (a search's cost per segment
//! is small next to its cost per matching page).

use tantivy::index::SegmentMeta;
use tantivy::indexer::{MergeCandidate, MergePolicy};

/// The most documents (pages and records) a merge may produce: two of the writer's flushed
/// segments (3 600 documents each), about 25 MB of index to read.
const MAX_MERGED_PAGES: u32 = 8_000;
/// A merge of fewer segments would only rewrite one.
const MIN_SEGMENTS_IN_MERGE: usize = 2;

/// Merges the smallest segments into groups of at most [`MAX_MERGED_PAGES`] live documents,
/// once [`MIN_SEGMENTS_IN_MERGE`] of them fit in one group. A segment that lost documents to
/// deletions (a re-read file) counts by what is left of it, so it rejoins the small ones.
#[derive(Debug, Default)]
pub struct BoundedMerges;

impl MergePolicy for BoundedMerges {
    fn compute_merge_candidates(&self, segments: &[SegmentMeta]) -> Vec<MergeCandidate> {
        let mut small: Vec<&SegmentMeta> = segments
            .iter()
            .filter(|segment| segment.num_docs() <= MAX_MERGED_PAGES / 2)
            .collect();
        small.sort_by_key(|segment| segment.num_docs());
        let mut candidates = Vec::new();
        let mut group = Vec::new();
        let mut pages = 0;
        for segment in small {
            if pages + segment.num_docs() > MAX_MERGED_PAGES {
                if group.len() >= MIN_SEGMENTS_IN_MERGE {
                    candidates.push(MergeCandidate(std::mem::take(&mut group)));
                }
                group.clear();
                pages = 0;
            }
            group.push(segment.id());
            pages += segment.num_docs();
        }
        if group.len() >= MIN_SEGMENTS_IN_MERGE {
            candidates.push(MergeCandidate(group));
        }
        candidates
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use tantivy::index::SegmentId;
    use tantivy::schema::Schema;

    fn segments(pages: &[u32]) -> Vec<SegmentMeta> {
        let index = tantivy::Index::create_in_ram(Schema::builder().build());
        pages
            .iter()
            .map(|&n| index.new_segment_meta(SegmentId::generate_random(), n))
            .collect()
    }

    fn merged_sizes(pages: &[u32]) -> Vec<u32> {
        let metas = segments(pages);
        BoundedMerges
            .compute_merge_candidates(&metas)
            .iter()
            .map(|candidate| {
                candidate
                    .0
                    .iter()
                    .map(|id| metas.iter().find(|m| m.id() == *id).map_or(0, SegmentMeta::num_docs))
                    .sum()
            })
            .collect()
    }

    #[test]
    fn no_merge_ever_produces_more_than_the_bound() {
        let sizes = merged_sizes(&[3_600; 25]);
        assert_eq!(
            sizes,
            vec![7_200; 12],
            "25 flushes: twelve merges of two, one left over"
        );
        assert_eq!(
            merged_sizes(&[2_500, 3_000, 3_500]),
            vec![5_500],
            "the third does not fit"
        );
        assert_eq!(
            merged_sizes(&[3_000, 4_000, 4_100]),
            vec![7_000],
            "a segment over half the bound is left alone"
        );
    }

    #[test]
    fn merged_segments_are_left_alone_and_few_flushes_wait() {
        assert!(merged_sizes(&[7_200, 7_200, 7_200, 3_600]).is_empty());
        assert!(merged_sizes(&[3_600]).is_empty());
        assert_eq!(merged_sizes(&[7_200, 3_600, 1_200, 900]), vec![5_700]);
    }
}
