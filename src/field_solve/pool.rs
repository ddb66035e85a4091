//! The field workers: one Web Worker per core (at least 1, at most [`MOST_WORKERS`]),
//! started at the first solve and reused. A placement's contacts are shared among them in
//! whole batches ([`field_worker::shares`]); each solves its share (of a placement's
//! contacts, or of an atlas level's offsets) and the page puts the shares together.
//!
//! A solve holds the pool while it runs (a second solve waits its turn, looking at its
//! own staleness meanwhile). A solve that turns stale, fails, or is dropped terminates the
//! workers still busy with it and starts fresh ones in their place (see the parent
//! module's doc for why), so the next solve finds every worker idle.

use std::cell::{Cell, RefCell};
use std::collections::VecDeque;
use std::ops::Range;
use std::rc::Rc;

use field_worker::{shares, Job, Report};
use js_sys::{Array, Float32Array, Float64Array};
use wasm_bindgen::prelude::*;
use web_sys::{Event, MessageEvent, Worker};

use crate::transport::sleep;

/// The worker's loader script. Trunk does not hash a worker's file names (index.html).
const WORKER_URL: &str = "/field-worker_loader.js";
/// Most workers: beyond four, a 1 × 16's four batches leave workers idle.
const MOST_WORKERS: usize = 4;
/// How often a solve reads its workers' messages and its staleness, ms.
const POLL_MS: i32 = 15;
/// Answers of at least this many values are copied into the page one per turn.
const YIELD_CELLS: usize = 10_000;
/// How long workers may take to load before the page gives up on them, ms.
const LOAD_MS: f64 = 20_000.0;

/// A share's answer: its unit fields (still in JS memory) and CG iterations, in contact
/// order.
type Answer = (Vec<Float32Array>, Vec<usize>);

/// The workers cannot be used here: no field can be solved on this page.
#[derive(Debug)]
pub struct Unavailable;

/// What a worker has said, kept until the solve waiting on it reads it.
#[derive(Default)]
struct Inbox {
    /// It has loaded and listens.
    ready: bool,
    /// It raised an error: it could not load, or it crashed.
    broken: bool,
    /// Reports with the fields that came with them, oldest first.
    reports: VecDeque<(Report, Vec<Float32Array>)>,
}

/// One worker and its inbox.
struct Slot {
    worker: Worker,
    inbox: Rc<RefCell<Inbox>>,
    /// It has a job it has not answered yet.
    busy: bool,
    _on_message: Closure<dyn FnMut(MessageEvent)>,
    _on_error: Closure<dyn FnMut(Event)>,
}

impl Slot {
    /// Starts a worker (it loads in the background and says when it is ready).
    fn spawn() -> Result<Slot, JsValue> {
        let worker = Worker::new(WORKER_URL)?;
        let inbox = Rc::new(RefCell::new(Inbox::default()));
        let to = inbox.clone();
        let on_message = Closure::<dyn FnMut(MessageEvent)>::new(move |event: MessageEvent| {
            let mut inbox = to.borrow_mut();
            match read(&event.data()) {
                Some((Report::Ready, _)) => inbox.ready = true,
                Some(message) => inbox.reports.push_back(message),
                None => inbox.broken = true,
            }
        });
        let to = inbox.clone();
        let on_error = Closure::<dyn FnMut(Event)>::new(move |event: Event| {
            // Handled here: the page says so in words or respawns, so the console need not
            // shout.
            event.prevent_default();
            to.borrow_mut().broken = true;
        });
        worker.set_onmessage(Some(on_message.as_ref().unchecked_ref()));
        worker.set_onerror(Some(on_error.as_ref().unchecked_ref()));
        Ok(Slot {
            worker,
            inbox,
            busy: false,
            _on_message: on_message,
            _on_error: on_error,
        })
    }

    fn post(&mut self, job: &Job) {
        let header = Float64Array::from(job.encode().as_slice());
        // A typed array always clones; an error would surface as no answer, then staleness.
        let _ = self.worker.post_message(&header);
        self.busy = true;
    }
}

impl Drop for Slot {
    fn drop(&mut self) {
        // Unhook first: no handler may run once its closure is gone.
        self.worker.set_onmessage(None);
        self.worker.set_onerror(None);
        self.worker.terminate();
    }
}

/// A message from a worker: its report and the fields that follow the header.
fn read(data: &JsValue) -> Option<(Report, Vec<Float32Array>)> {
    let parts: &Array = data.dyn_ref()?;
    let header: Float64Array = parts.get(0).dyn_into().ok()?;
    let report = Report::decode(&header.to_vec()).ok()?;
    let fields = parts
        .iter()
        .skip(1)
        .map(|part| part.dyn_into::<Float32Array>())
        .collect::<Result<_, _>>()
        .ok()?;
    Some((report, fields))
}

/// The workers.
struct Pool {
    slots: Vec<Slot>,
}

impl Pool {
    /// One worker per core, at least 1, at most [`MOST_WORKERS`].
    fn start() -> Result<Pool, JsValue> {
        let cores = web_sys::window()
            .map(|w| w.navigator().hardware_concurrency())
            .unwrap_or(1.0);
        let count = (cores as usize).clamp(1, MOST_WORKERS);
        let slots = (0..count)
            .map(|_| Slot::spawn())
            .collect::<Result<_, _>>()?;
        mark("data-field-workers", &count.to_string());
        Ok(Pool { slots })
    }

    /// Waits until every worker listens: `Ok(false)` if `stale` turned true first.
    async fn ready(&self, stale: &dyn Fn() -> bool) -> Result<bool, Unavailable> {
        let began = js_sys::Date::now();
        loop {
            let inboxes = self.slots.iter().map(|s| s.inbox.borrow());
            let (mut ready, mut broken) = (true, false);
            for inbox in inboxes {
                ready &= inbox.ready;
                broken |= inbox.broken && !inbox.ready;
            }
            if broken || js_sys::Date::now() - began > LOAD_MS {
                return Err(Unavailable);
            }
            if ready {
                return Ok(true);
            }
            if stale() {
                return Ok(false);
            }
            sleep(POLL_MS).await;
        }
    }
}

/// Where the pool stands.
enum State {
    /// No solve has asked for it yet.
    Unstarted,
    /// Started, every worker idle.
    Idle(Pool),
    /// A solve holds it.
    Held,
    /// Workers cannot be made here.
    Unavailable,
}

thread_local! {
    static STATE: RefCell<State> = const { RefCell::new(State::Unstarted) };
    /// Solves cancelled while workers were busy with them, for the page's root element.
    static CANCELLED: Cell<u32> = const { Cell::new(0) };
    /// Solves waiting for the pool while another holds it.
    static WAITING: Cell<u32> = const { Cell::new(0) };
}

/// The pool, held by one solve; given back (its busy workers replaced) when dropped.
struct Lease {
    pool: Option<Pool>,
}

impl Lease {
    /// Takes the pool, starting it the first time; waits while another solve holds it.
    /// `Ok(None)` if `stale` turned true while waiting.
    async fn take(stale: &dyn Fn() -> bool) -> Result<Option<Lease>, Unavailable> {
        loop {
            let taken = STATE.with(|state| {
                let mut state = state.borrow_mut();
                match std::mem::replace(&mut *state, State::Held) {
                    State::Idle(pool) => Some(Ok(pool)),
                    State::Unstarted => Some(Pool::start().map_err(|_| Unavailable)),
                    State::Held => None,
                    State::Unavailable => Some(Err(Unavailable)),
                }
            });
            match taken {
                Some(Ok(pool)) => return Ok(Some(Lease { pool: Some(pool) })),
                Some(Err(Unavailable)) => {
                    STATE.with(|s| *s.borrow_mut() = State::Unavailable);
                    return Err(Unavailable);
                }
                None if stale() => return Ok(None),
                None => {
                    WAITING.with(|w| w.set(w.get() + 1));
                    sleep(POLL_MS).await;
                    WAITING.with(|w| w.set(w.get() - 1));
                }
            }
        }
    }

    fn slots(&mut self) -> &mut [Slot] {
        self.pool.as_mut().map_or(&mut [], |p| &mut p.slots)
    }

    /// Gives the pool up for good: no field can be solved on this page from now on.
    fn give_up(mut self) -> Unavailable {
        self.pool = None;
        STATE.with(|s| *s.borrow_mut() = State::Unavailable);
        Unavailable
    }
}

impl Drop for Lease {
    fn drop(&mut self) {
        let Some(mut pool) = self.pool.take() else {
            return;
        };
        // A worker deep in a solve reads no messages: the only way to stop it is to end it.
        let mut cancelled = false;
        for slot in pool
            .slots
            .iter_mut()
            .filter(|s| s.busy || s.inbox.borrow().broken)
        {
            cancelled |= slot.busy;
            match Slot::spawn() {
                Ok(fresh) => *slot = fresh,
                Err(_) => {
                    STATE.with(|s| *s.borrow_mut() = State::Unavailable);
                    return;
                }
            }
        }
        if cancelled {
            let count = CANCELLED.with(|c| {
                c.set(c.get() + 1);
                c.get()
            });
            mark("data-field-cancelled", &count.to_string());
        }
        STATE.with(|s| *s.borrow_mut() = State::Idle(pool));
    }
}

/// Unit fields from the workers: one per source, with the CG iterations of each.
pub type Fields = (Vec<Vec<f32>>, Vec<usize>);

/// Runs `job(share)` for each share of `sources` among the workers, each answering one
/// field of `cells` values per source of its share, telling `progress` (sources solved,
/// of all) as they report. The fields come back in source order. `Ok(None)` when `stale`
/// turns true or a solve fails; `Err(Unavailable)` when there are no workers.
pub async fn run(
    sources: usize,
    cells: usize,
    job: &dyn Fn(Range<usize>) -> Job,
    stale: &dyn Fn() -> bool,
    progress: &dyn Fn(usize, usize),
) -> Result<Option<Fields>, Unavailable> {
    let Some(mut lease) = Lease::take(stale).await? else {
        return Ok(None);
    };
    let ready = match lease.pool.as_ref() {
        Some(pool) => pool.ready(stale).await,
        None => Err(Unavailable),
    };
    match ready {
        Err(Unavailable) => return Err(lease.give_up()),
        Ok(false) => return Ok(None),
        Ok(true) => {}
    }
    let shares = shares(sources, lease.slots().len());
    for (slot, share) in lease.slots().iter_mut().zip(&shares) {
        slot.post(&job(share.clone()));
    }
    let mut done = vec![0; shares.len()];
    let mut solved: Vec<Option<Answer>> = vec![None; shares.len()];
    let mut told = 0;
    loop {
        sleep(POLL_MS).await;
        if stale() {
            return Ok(None);
        }
        for ((slot, share), i) in lease.slots().iter_mut().zip(&shares).zip(0..) {
            let Some(answer) = take_answer(slot, share, cells, &mut done[i]) else {
                continue;
            };
            match answer {
                Some(fields) => solved[i] = Some(fields),
                // A failed or broken worker: the solve fails.
                None => return Ok(None),
            }
        }
        let sum = done.iter().sum();
        if sum != told {
            told = sum;
            progress(sum, sources);
        }
        if solved.iter().all(Option::is_some) {
            break;
        }
    }
    // Into the page's memory one field at a time (a few MB, about a millisecond each),
    // yielding between them: all at once would hold the page for two frames. Small
    // answers (a threshold per fibre) come at once: a yield costs a timer's 4 ms.
    let (mut fields, mut iterations) = (Vec::new(), Vec::new());
    for (arrays, i) in solved.into_iter().flatten() {
        for array in arrays {
            fields.push(array.to_vec());
            if cells >= YIELD_CELLS {
                sleep(0).await;
            }
            if stale() {
                return Ok(None);
            }
        }
        iterations.extend(i);
    }
    Ok((!stale()).then_some((fields, iterations)))
}

/// Whether the page found that workers cannot be made here.
pub fn unavailable() -> bool {
    STATE.with(|s| matches!(*s.borrow(), State::Unavailable))
}

/// Whether a solve is waiting for the pool (a background job should give way).
pub fn wanted() -> bool {
    WAITING.with(Cell::get) > 0
}

/// Reads `slot`'s reports on its `share`: progress into `done`; then `None` while it is
/// still working, `Some(Some(fields and iterations))` once they came whole, `Some(None)`
/// if it failed, crashed or answered nonsense.
fn take_answer(
    slot: &mut Slot,
    share: &Range<usize>,
    cells: usize,
    done: &mut usize,
) -> Option<Option<Answer>> {
    let mut inbox = slot.inbox.borrow_mut();
    if inbox.broken {
        return Some(None);
    }
    while let Some((report, fields)) = inbox.reports.pop_front() {
        match report {
            Report::Progress { done: d, .. } => *done = d,
            Report::UnitFields { iterations } => {
                slot.busy = false;
                *done = share.len();
                let whole = fields.len() == share.len()
                    && iterations.len() == share.len()
                    && fields.iter().all(|f| f.length() as usize == cells);
                return Some(whole.then_some((fields, iterations)));
            }
            Report::Failed | Report::Ready => {
                slot.busy = false;
                return Some(None);
            }
        }
    }
    None
}

/// Sets `name` on the page's root element: how solves ran, for the end-to-end tests
/// (and anyone looking in the inspector).
pub fn mark(name: &str, value: &str) {
    if let Some(root) = web_sys::window()
        .and_then(|w| w.document())
        .and_then(|d| d.document_element())
    {
        let _ = root.set_attribute(name, value);
    }
}
