//! Work spread over the machine's cores, results kept in input order: loading
//! reads and parses thousands of small files, each independent of the others;
//! a compile renders each revision's statements while the next is lowered.

use std::sync::mpsc;
use std::sync::Mutex;

/// Below this many items one thread does the work: starting threads costs
/// more than a few files take.
const MIN_PARALLEL: usize = 64;

/// `items.iter().map(f).collect()`, run on up to every core in contiguous
/// chunks; the results come back in the order of `items`.
pub fn map<T: Sync, R: Send>(items: &[T], f: impl Fn(&T) -> R + Sync) -> Vec<R> {
    let threads = std::thread::available_parallelism().map_or(1, |n| n.get());
    if threads < 2 || items.len() < MIN_PARALLEL {
        return items.iter().map(f).collect();
    }
    let chunk = items.len().div_ceil(threads);
    let f = &f;
    std::thread::scope(|scope| {
        let running: Vec<_> = items
            .chunks(chunk)
            .map(|part| scope.spawn(move || part.iter().map(f).collect::<Vec<R>>()))
            .collect();
        let mut out = Vec::with_capacity(items.len());
        for thread in running {
            // A panic in `f` is a bug: carry it to the caller as it would be unthreaded.
            out.extend(
                thread
                    .join()
                    .unwrap_or_else(|p| std::panic::resume_unwind(p)),
            );
        }
        out
    })
}

/// Items queued for the workers before `produce` waits: enough to keep them
/// busy, few enough that the queue holds little memory.
const QUEUE: usize = 64;

/// Runs `produce` on this thread; every item it hands to its `emit` is given
/// to `work` on the other cores while `produce` goes on. Returns what
/// `produce` returned and the results of `work`, in the order the items were
/// emitted. On one core, `work` runs inline at each `emit`.
pub fn pipeline<T: Send, R: Send, P>(
    produce: impl FnOnce(&mut dyn FnMut(T)) -> P,
    work: impl Fn(T) -> R + Sync,
) -> (P, Vec<R>) {
    let threads = std::thread::available_parallelism().map_or(1, |n| n.get());
    if threads < 2 {
        let mut results = Vec::new();
        let produced = produce(&mut |item| results.push(work(item)));
        return (produced, results);
    }
    let work = &work;
    let (items, queue) = mpsc::sync_channel::<(usize, T)>(QUEUE);
    let queue = &Mutex::new(queue);
    std::thread::scope(|scope| {
        let (done, results) = mpsc::channel::<(usize, R)>();
        let workers: Vec<_> = (0..threads)
            .map(|_| {
                let done = done.clone();
                scope.spawn(move || loop {
                    // The lock is held only to take the next item, not while working on it.
                    let next = queue.lock().map(|q| q.recv());
                    match next {
                        Ok(Ok((i, item))) => {
                            if done.send((i, work(item))).is_err() {
                                return;
                            }
                        }
                        _ => return,
                    }
                })
            })
            .collect();
        drop(done);
        let mut emitted = 0;
        let produced = produce(&mut |item| {
            // A send fails only when every worker is gone, that is after a
            // panic in `work`, which the join below carries on.
            let _ = items.send((emitted, item));
            emitted += 1;
        });
        drop(items);
        for worker in workers {
            worker
                .join()
                .unwrap_or_else(|p| std::panic::resume_unwind(p));
        }
        let mut ordered: Vec<Option<R>> = (0..emitted).map(|_| None).collect();
        for (i, result) in results {
            ordered[i] = Some(result);
        }
        let ordered = ordered
            .into_iter()
            .map(|r| r.expect("every emitted item was worked on"))
            .collect();
        (produced, ordered)
    })
}

#[cfg(test)]
mod tests {
    #[test]
    fn results_keep_the_input_order_on_any_number_of_items() {
        for n in [0, 1, 63, 64, 65, 1000, 1001] {
            let items: Vec<usize> = (0..n).collect();
            let out = super::map(&items, |i| i * 2);
            assert_eq!(out, (0..n).map(|i| i * 2).collect::<Vec<_>>(), "n = {n}");
        }
    }

    #[test]
    fn a_pipeline_returns_results_in_emission_order() {
        for n in [0usize, 1, 64, 1000] {
            let (produced, out) = super::pipeline(
                |emit| {
                    for i in 0..n {
                        emit(i);
                    }
                    "done"
                },
                |i| {
                    // Uneven work, so that results arrive out of order.
                    if i % 7 == 0 {
                        std::thread::yield_now();
                    }
                    i * 3
                },
            );
            assert_eq!(produced, "done");
            assert_eq!(out, (0..n).map(|i| i * 3).collect::<Vec<_>>(), "n = {n}");
        }
    }

    #[test]
    fn a_panic_in_a_pipeline_worker_reaches_the_caller() {
        let caught = std::panic::catch_unwind(|| {
            super::pipeline(
                |emit| {
                    for i in 0..200 {
                        emit(i);
                    }
                },
                |i: usize| {
                    assert!(i != 100, "worker fails at 100");
                    i
                },
            )
        });
        assert!(caught.is_err());
    }
}
