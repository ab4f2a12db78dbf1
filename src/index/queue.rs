//! A bound on the documents waiting for Tantivy's indexing threads.
//!
//! Tantivy queues added documents for its indexing threads in a channel of up to 10 000
//! documents. Each page carries its text three times over (once per analysis), and whenever the
//! indexing threads fall behind (flushing a segment, or sharing two cores with the extraction
//! workers) the queue fills: when pages were queued pre-tokenised (some 240 KB each), it held
//! 320 MB at 5 000 files, the run's largest allocation, and the deeper the corpus the likelier a
//! full queue. So each document carries a
//! [`Ticket`] that is given back when an indexing thread is done with the document and drops it,
//! and adding waits while [`MAX_QUEUED`] tickets are out.

use std::sync::{Arc, Condvar, Mutex, PoisonError};
use std::time::{Duration, Instant};

use tantivy::TantivyDocument;
use tantivy::schema::document::Document;

/// Documents (pages and records) that may wait for the indexing threads: a few MB of pages, and
/// far more than two threads take in the time one file is read.
const MAX_QUEUED: usize = 256;
/// How long adding waits for a ticket before it goes on regardless: the bound is on memory, not
/// a condition of correctness, and a stalled indexing thread must not stall the run for good
/// (Tantivy reports a dead one on the next add or at the commit).
const MAX_WAIT: Duration = Duration::from_secs(30);

/// Counts the tickets out.
#[derive(Debug, Default)]
pub(super) struct Gate {
    queued: Mutex<usize>,
    freed: Condvar,
}

impl Gate {
    /// A ticket for one more queued document, once fewer than [`MAX_QUEUED`] are queued.
    pub(super) fn enter(self: &Arc<Self>) -> Ticket {
        let deadline = Instant::now() + MAX_WAIT;
        let mut queued = self.queued.lock().unwrap_or_else(PoisonError::into_inner);
        while *queued >= MAX_QUEUED {
            let left = deadline.saturating_duration_since(Instant::now());
            if left.is_zero() {
                break;
            }
            queued = self
                .freed
                .wait_timeout(queued, left)
                .unwrap_or_else(PoisonError::into_inner)
                .0;
        }
        *queued += 1;
        Ticket { gate: Arc::clone(self) }
    }

    #[cfg(test)]
    fn queued(&self) -> usize {
        *self.queued.lock().unwrap_or_else(PoisonError::into_inner)
    }
}

/// One queued document's place; given back when dropped.
#[derive(Debug)]
pub(super) struct Ticket {
    gate: Arc<Gate>,
}

impl Drop for Ticket {
    fn drop(&mut self) {
        let mut queued = self.gate.queued.lock().unwrap_or_else(PoisonError::into_inner);
        *queued = queued.saturating_sub(1);
        self.gate.freed.notify_one();
    }
}

/// A document on its way to the indexing threads, with its ticket (none for the commit's own),
/// which is given back when the indexing thread drops the document.
#[derive(Debug)]
pub(super) struct Queued {
    pub(super) document: TantivyDocument,
    pub(super) _ticket: Option<Ticket>,
}

impl Document for Queued {
    type Value<'a> = <TantivyDocument as Document>::Value<'a>;
    type FieldsValuesIter<'a> = <TantivyDocument as Document>::FieldsValuesIter<'a>;

    fn iter_fields_and_values(&self) -> Self::FieldsValuesIter<'_> {
        self.document.iter_fields_and_values()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::mpsc;

    #[test]
    fn adding_waits_while_the_queue_is_full_and_resumes_when_a_document_is_indexed() {
        let gate = Arc::new(Gate::default());
        let mut tickets: Vec<Ticket> = (0..MAX_QUEUED).map(|_| gate.enter()).collect();
        assert_eq!(gate.queued(), MAX_QUEUED);
        let (sent, received) = mpsc::channel();
        let waiting = Arc::clone(&gate);
        let adder = std::thread::spawn(move || {
            let ticket = waiting.enter();
            sent.send(()).ok();
            ticket
        });
        assert!(
            received.recv_timeout(Duration::from_millis(300)).is_err(),
            "a full queue lets no document in"
        );
        let indexed = Queued {
            document: TantivyDocument::new(),
            _ticket: tickets.pop(),
        };
        drop(indexed);
        assert!(
            received.recv_timeout(Duration::from_secs(10)).is_ok(),
            "one indexed, one let in"
        );
        let late = adder.join().ok();
        assert_eq!(gate.queued(), MAX_QUEUED);
        drop((tickets, late));
        assert_eq!(gate.queued(), 0);
    }
}
