//! Which segments the writer merges, so that a run's memory does not grow with the corpus.
//!
//! Every time the writer's buffer fills it writes a segment; Tantivy's default policy merges
//! segments level by level into ever larger ones, and a merge reads all of its inputs through
//! memory maps. At 5 000 files the last merge read eight segments of 3 600 pages each, and the
//! 115 MB it mapped was the run's peak (of 371 MB). Here merges stay small: segments are merged only into
//! segments of at most [`MAX_MERGED_PAGES`] pages, so what one merge maps is bounded whatever the
//! corpus, and the index ends with one segment per that many pages (a search's cost per segment
//! is small next to its cost per matching page).
//!
//! Nor are a few small segments merged: the last flushes of a run (each indexing thread writes
//! what it holds at the commit) would otherwise be merged at the very end, on one core, while the
//! run waits. At 1k files that merge turned three segments into two and cost about 0.3 s of the
//! run's 6 s. Small segments wait until they hold [`MIN_MERGED_PAGES`] together, or until there
//! are [`MANY_SMALL_SEGMENTS`] of them, so that nightly runs that each add a few pages cannot pile
//! up segments for every search to visit.

use tantivy::index::{SegmentId, SegmentMeta};
use tantivy::indexer::{MergeCandidate, MergePolicy};

/// The most documents (pages and records) a merge may produce: two of the writer's flushed
/// segments (3 600 documents each), about 25 MB of index to read.
const MAX_MERGED_PAGES: u32 = 8_000;
/// A merge of fewer segments would only rewrite one.
const MIN_SEGMENTS_IN_MERGE: usize = 2;
/// Small segments are worth a merge once they hold this many documents together: half the
/// bound, so two of the writer's full flushes are merged as soon as both are written.
const MIN_MERGED_PAGES: u32 = MAX_MERGED_PAGES / 2;
/// ...or once there are this many of them, however few documents they hold (Tantivy's own
/// policy waits for the same number).
const MANY_SMALL_SEGMENTS: usize = 8;

/// Merges the smallest segments into groups of at most [`MAX_MERGED_PAGES`] live documents,
/// once a group holds [`MIN_MERGED_PAGES`] documents in [`MIN_SEGMENTS_IN_MERGE`] segments or
/// more, or [`MANY_SMALL_SEGMENTS`] segments. A segment that lost documents to deletions (a
/// re-read file) counts by what is left of it, so it rejoins the small ones.
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
        let worth_merging = |group: &[SegmentId], pages: u32| {
            group.len() >= MANY_SMALL_SEGMENTS || (group.len() >= MIN_SEGMENTS_IN_MERGE && pages >= MIN_MERGED_PAGES)
        };
        for segment in small {
            if pages + segment.num_docs() > MAX_MERGED_PAGES {
                if worth_merging(&group, pages) {
                    candidates.push(MergeCandidate(std::mem::take(&mut group)));
                }
                group.clear();
                pages = 0;
            }
            group.push(segment.id());
            pages += segment.num_docs();
        }
        if worth_merging(&group, pages) {
            candidates.push(MergeCandidate(group));
        }
        candidates
    }
}

#[cfg(test)]
mod tests {
    use super::*;
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

    #[test]
    fn a_runs_last_small_flushes_wait_until_they_are_many_or_large() {
        // The 1k bench's cold run ends with two flushes of some 940 pages each: merging them cost
        // 0.3 s at the end of the run, on one core.
        assert!(merged_sizes(&[7_234, 940, 941]).is_empty());
        // An unchanged nightly re-run adds nothing, so nothing changes.
        assert!(merged_sizes(&[7_234, 940, 941, 12]).is_empty());
        assert_eq!(merged_sizes(&[7_234, 940, 941, 2_200]), vec![4_081]);
        // Nights that each add a few pages do not pile up segments for every search.
        assert_eq!(merged_sizes(&[7_234, 1_881, 5, 9, 3, 7, 11, 4, 8]), vec![1_928]);
        assert!(merged_sizes(&[7_234, 1_881, 5, 9, 3, 7, 11, 4]).is_empty());
    }
}
