//! Runs the requests of `corroborate links` politely: at most `per_host` at once to one
//! host, with a pause between two requests to the same host, and every host in parallel
//! otherwise, on a fixed number of threads. The answers come back in the order the
//! tasks were given, whatever order they finished in, so the output is deterministic.

use std::collections::{BTreeMap, VecDeque};
use std::sync::{Condvar, Mutex};
use std::time::{Duration, Instant};

/// The threads that make requests, however many hosts there are.
pub const THREADS: usize = 16;

/// How tasks are spread over time and threads.
#[derive(Clone, Copy, Debug)]
pub struct Limits {
    /// Requests at once to one host.
    pub per_host: usize,
    /// The least time between the starts of two requests to one host.
    pub pause: Duration,
    pub threads: usize,
}

struct Host {
    waiting: VecDeque<usize>,
    running: usize,
    next_start: Instant,
}

struct State<R> {
    hosts: BTreeMap<String, Host>,
    /// The host of each task.
    owner: Vec<String>,
    unstarted: usize,
    answers: Vec<Option<R>>,
}

/// Runs `work` on every task (its host, its input) within `limits`, and gives the
/// answers in the tasks' order.
pub fn run<T, R, F>(tasks: Vec<(String, T)>, limits: Limits, work: F) -> Vec<R>
where
    T: Send,
    R: Send,
    F: Fn(T) -> R + Sync,
{
    let count = tasks.len();
    let now = Instant::now();
    let mut hosts: BTreeMap<String, Host> = BTreeMap::new();
    let mut inputs: Vec<Mutex<Option<T>>> = Vec::with_capacity(count);
    let mut owner = Vec::with_capacity(count);
    for (i, (host, input)) in tasks.into_iter().enumerate() {
        owner.push(host.clone());
        hosts
            .entry(host)
            .or_insert_with(|| Host {
                waiting: VecDeque::new(),
                running: 0,
                next_start: now,
            })
            .waiting
            .push_back(i);
        inputs.push(Mutex::new(Some(input)));
    }
    let state = Mutex::new(State {
        hosts,
        owner,
        unstarted: count,
        answers: (0..count).map(|_| None).collect(),
    });
    let changed = Condvar::new();
    let per_host = limits.per_host.max(1);
    let threads = limits.threads.clamp(1, count.max(1));
    std::thread::scope(|scope| {
        for _ in 0..threads {
            scope.spawn(|| {
                loop {
                    let Some(i) = next_task(&state, &changed, per_host, limits.pause) else {
                        return;
                    };
                    let input = inputs[i].lock().ok().and_then(|mut slot| slot.take());
                    let answer = input.map(&work);
                    let Ok(mut guard) = state.lock() else {
                        return;
                    };
                    let state = &mut *guard;
                    state.answers[i] = answer;
                    // The host of task `i` has a free place again.
                    if let Some(host) = state.hosts.get_mut(&state.owner[i]) {
                        host.running = host.running.saturating_sub(1);
                    }
                    drop(guard);
                    changed.notify_all();
                }
            });
        }
    });
    state
        .into_inner()
        .map(|s| s.answers.into_iter().flatten().collect())
        .unwrap_or_default()
}

/// Waits until some host may start a request, and takes its next task; `None` when
/// every task has been started.
fn next_task<R>(
    state: &Mutex<State<R>>,
    changed: &Condvar,
    per_host: usize,
    pause: Duration,
) -> Option<usize> {
    let mut guard = state.lock().ok()?;
    loop {
        if guard.unstarted == 0 {
            return None;
        }
        let now = Instant::now();
        let mut soonest: Option<Instant> = None;
        let mut chosen = None;
        for (name, host) in guard.hosts.iter() {
            if host.waiting.is_empty() || host.running >= per_host {
                continue;
            }
            if host.next_start <= now {
                chosen = Some(name.clone());
                break;
            }
            soonest = Some(soonest.map_or(host.next_start, |s| s.min(host.next_start)));
        }
        if let Some(name) = chosen {
            let host = guard.hosts.get_mut(&name)?;
            let i = host.waiting.pop_front()?;
            host.running += 1;
            host.next_start = now + pause;
            guard.unstarted -= 1;
            return Some(i);
        }
        guard = match soonest {
            Some(at) => changed.wait_timeout(guard, at - now).ok()?.0,
            None => changed.wait(guard).ok()?,
        };
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::atomic::{AtomicUsize, Ordering};

    #[test]
    fn answers_keep_the_tasks_order_and_hosts_their_limit() {
        let tasks: Vec<(String, usize)> = (0..40).map(|i| (format!("h{}", i % 3), i)).collect();
        let running: Vec<AtomicUsize> = (0..3).map(|_| AtomicUsize::new(0)).collect();
        let most = AtomicUsize::new(0);
        let limits = Limits {
            per_host: 2,
            pause: Duration::from_millis(1),
            threads: 8,
        };
        let answers = run(tasks, limits, |i| {
            let now = running[i % 3].fetch_add(1, Ordering::SeqCst) + 1;
            most.fetch_max(now, Ordering::SeqCst);
            std::thread::sleep(Duration::from_millis(3));
            running[i % 3].fetch_sub(1, Ordering::SeqCst);
            i * 10
        });
        assert_eq!(answers, (0..40).map(|i| i * 10).collect::<Vec<_>>());
        assert!(most.load(Ordering::SeqCst) <= 2);
    }

    #[test]
    fn one_host_is_asked_with_a_pause_between_requests() {
        let tasks: Vec<(String, ())> = (0..5).map(|_| ("h".to_owned(), ())).collect();
        let limits = Limits {
            per_host: 1,
            pause: Duration::from_millis(30),
            threads: 4,
        };
        let started = Instant::now();
        let answers = run(tasks, limits, |()| Instant::now());
        assert_eq!(answers.len(), 5);
        // Four pauses at least between five starts.
        assert!(started.elapsed() >= Duration::from_millis(4 * 30));
        assert!(answers.windows(2).all(|w| w[1] >= w[0]));
        assert_eq!(
            run(Vec::<(String, ())>::new(), limits, |()| 1),
            Vec::<i32>::new()
        );
    }
}
