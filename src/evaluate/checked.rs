//! One submission as `check` leaves it: its card, its evaluation and every file's record.
//!
//! Kept beside the evaluation rather than in the pipeline that assembles it, so the layers that
//! render it (reports, history) need nothing above `evaluate`.

use crate::card::ObjectCard;
use crate::record::FileRecord;

use super::Evaluation;

/// One submission, checked.
pub struct CheckedSubmission {
    pub dir: String,
    pub object_id: String,
    pub card: Option<ObjectCard>,
    pub evaluation: Evaluation,
    /// Every file of the submission with what happened to it.
    pub files: Vec<FileRecord>,
}
