//! A k-way merge of sorted streams: the next item of the merged order is the least of the
//! streams' current heads, so the merge holds one item per stream, however long the streams
//! are. `merge` runs it over the findings of the shard reports, each already in the report's
//! order (`findings::sort`), to write the merged report without holding its findings.

use std::cmp::Ordering;
use std::collections::BinaryHeap;

/// The least head of all streams first; equal heads in stream order, so that the merged order
/// does not depend on how the heap breaks ties.
pub struct KWayMerge<I, T, E>
where
    I: Iterator<Item = Result<T, E>>,
{
    streams: Vec<I>,
    heads: BinaryHeap<Head<T>>,
    order: fn(&T, &T) -> Ordering,
    /// The error of a stream whose items are not in `order`.
    unsorted: fn(&I) -> E,
    started: bool,
    /// After an error the merge ends: what follows it would be out of order or incomplete.
    failed: bool,
}

/// A stream's current item. The heap is a max-heap: `Ord` is reversed so that the least item
/// (and of equal items the one of the first stream) is on top.
struct Head<T> {
    item: T,
    stream: usize,
    order: fn(&T, &T) -> Ordering,
}

impl<T> Ord for Head<T> {
    fn cmp(&self, other: &Self) -> Ordering {
        (self.order)(&other.item, &self.item).then_with(|| other.stream.cmp(&self.stream))
    }
}

impl<T> PartialOrd for Head<T> {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

impl<T> PartialEq for Head<T> {
    fn eq(&self, other: &Self) -> bool {
        self.cmp(other) == Ordering::Equal
    }
}

impl<T> Eq for Head<T> {}

impl<I, T, E> KWayMerge<I, T, E>
where
    I: Iterator<Item = Result<T, E>>,
{
    /// Merges `streams`, each sorted by `order`; a stream found out of order ends the merge
    /// with `unsorted(stream)`, since its items could no longer come out in order.
    pub fn new(streams: Vec<I>, order: fn(&T, &T) -> Ordering, unsorted: fn(&I) -> E) -> Self {
        KWayMerge {
            heads: BinaryHeap::with_capacity(streams.len()),
            streams,
            order,
            unsorted,
            started: false,
            failed: false,
        }
    }

    /// Items read from the streams and not yet handed out: at most one per stream.
    pub fn buffered(&self) -> usize {
        self.heads.len()
    }

    /// The streams, once the merge is over (to read what follows their items).
    pub fn into_streams(self) -> Vec<I> {
        self.streams
    }

    /// Reads the next item of `stream` into the heap; `after` is the item it handed out last,
    /// which the next one must not precede.
    fn advance(&mut self, stream: usize, after: Option<&T>) -> Result<(), E> {
        let Some(source) = self.streams.get_mut(stream) else {
            return Ok(());
        };
        let Some(next) = source.next() else {
            return Ok(());
        };
        let item = next?;
        if after.is_some_and(|previous| (self.order)(&item, previous) == Ordering::Less) {
            return Err((self.unsorted)(source));
        }
        self.heads.push(Head {
            item,
            stream,
            order: self.order,
        });
        Ok(())
    }

    fn fail(&mut self, error: E) -> Option<Result<T, E>> {
        self.failed = true;
        self.heads.clear();
        Some(Err(error))
    }
}

impl<I, T, E> Iterator for KWayMerge<I, T, E>
where
    I: Iterator<Item = Result<T, E>>,
{
    type Item = Result<T, E>;

    fn next(&mut self) -> Option<Self::Item> {
        if self.failed {
            return None;
        }
        if !self.started {
            self.started = true;
            for stream in 0..self.streams.len() {
                if let Err(error) = self.advance(stream, None) {
                    return self.fail(error);
                }
            }
        }
        let Head { item, stream, .. } = self.heads.pop()?;
        // The stream that gave the least item is the only one whose head must move on.
        if let Err(error) = self.advance(stream, Some(&item)) {
            return self.fail(error);
        }
        Some(Ok(item))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::atomic::{AtomicUsize, Ordering as AtomicOrdering};
    use std::sync::Arc;

    /// The merge of `streams`; an unsorted stream's error is its remaining length.
    fn merged(streams: Vec<Vec<u32>>) -> Result<Vec<u32>, usize> {
        let streams = streams
            .into_iter()
            .map(|s| s.into_iter().map(Ok::<u32, usize>))
            .collect();
        KWayMerge::new(streams, u32::cmp, |s| s.len()).collect()
    }

    #[test]
    fn merges_sorted_streams_in_order() {
        assert_eq!(
            merged(vec![vec![1, 4, 7], vec![2, 5], vec![], vec![3, 6, 8, 9]]),
            Ok(vec![1, 2, 3, 4, 5, 6, 7, 8, 9])
        );
        assert_eq!(merged(vec![]), Ok(vec![]));
        assert_eq!(merged(vec![vec![2, 2], vec![2]]), Ok(vec![2, 2, 2]));
    }

    #[test]
    fn a_stream_out_of_order_ends_the_merge_with_its_error() {
        assert_eq!(merged(vec![vec![1, 2], vec![5, 3, 4, 6]]), Err(2));
    }

    #[test]
    fn a_stream_error_ends_the_merge() {
        let streams = vec![
            vec![Ok(1), Ok(2)].into_iter(),
            vec![Ok(1), Err(7), Ok(9)].into_iter(),
        ];
        let mut merge = KWayMerge::new(streams, u32::cmp, |_| 0);
        let items: Vec<Result<u32, u32>> = merge.by_ref().collect();
        assert_eq!(items, vec![Ok(1), Err(7)]);
        assert!(merge.next().is_none());
    }

    /// An item that counts how many of its kind are alive.
    struct Tracked {
        key: u64,
        live: Arc<AtomicUsize>,
    }

    impl Tracked {
        fn new(key: u64, live: &Arc<AtomicUsize>) -> Tracked {
            live.fetch_add(1, AtomicOrdering::SeqCst);
            Tracked {
                key,
                live: Arc::clone(live),
            }
        }
    }

    impl Drop for Tracked {
        fn drop(&mut self) {
            self.live.fetch_sub(1, AtomicOrdering::SeqCst);
        }
    }

    /// The property the streaming merge rests on (issue 19): the items alive at once are
    /// bounded by the number of streams, not by how many items the streams hold. The streams
    /// are lazy, as shard files read one finding at a time are; a merge that collected or
    /// sorted them would hold every item and fail here.
    #[test]
    fn holds_at_most_one_item_per_stream_however_long_the_streams() {
        const STREAMS: u64 = 5;
        const PER_STREAM: u64 = 20_000;
        let live = Arc::new(AtomicUsize::new(0));
        let streams: Vec<_> = (0..STREAMS)
            .map(|s| {
                let live = Arc::clone(&live);
                (0..PER_STREAM).map(move |i| Ok::<_, ()>(Tracked::new(i * STREAMS + s, &live)))
            })
            .collect();
        let mut merge = KWayMerge::new(streams, |a: &Tracked, b| a.key.cmp(&b.key), |_| ());
        let mut expected = 0;
        while let Some(item) = merge.next() {
            let item = item.unwrap_or_else(|()| panic!("no stream fails"));
            assert_eq!(item.key, expected);
            expected += 1;
            assert!(merge.buffered() <= STREAMS as usize);
            // The heads, and the item in hand.
            assert!(live.load(AtomicOrdering::SeqCst) <= STREAMS as usize + 1);
        }
        assert_eq!(expected, STREAMS * PER_STREAM);
        assert_eq!(live.load(AtomicOrdering::SeqCst), 0);
    }
}
