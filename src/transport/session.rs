//! The protocol over a [`Link`]: one exchange at a time (an emergency stop first), every
//! step under a time limit, replies matched to their request, and every chunk reported
//! to an observer (the log) as it actually travelled.

use std::cell::{Cell, RefCell};
use std::future::Future;
use std::pin::Pin;
use std::rc::Rc;
use std::task::{Context, Poll, Waker};

use futures::future::{select, Either};
use stim_core::units::TimeUs;
use stim_proto::client::{Client, Incoming};
use stim_proto::fragment::DEFAULT_CHUNK;
use stim_proto::messages::{Event, Request, Response};

use super::turns::Turns;
use super::{sleep, within, Link, LinkError, Step};

/// Time limits of an exchange, ms.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Timeouts {
    /// One GATT write or read.
    pub operation_ms: u32,
    /// The whole reply, from the last chunk written (empty reads in between).
    pub reply_ms: u32,
    /// The wait between two empty reads.
    pub retry_ms: u32,
}

impl Default for Timeouts {
    fn default() -> Self {
        Timeouts {
            operation_ms: 2_000,
            reply_ms: 3_000,
            retry_ms: 20,
        }
    }
}

/// What travelled, reported as it happens.
#[derive(Clone, Debug, PartialEq)]
pub enum Traffic {
    /// A request whose every chunk was written (and confirmed).
    Sent {
        /// The request.
        request: Request,
        /// Its chunks, as written.
        chunks: Vec<Vec<u8>>,
        /// A background poll, not something the user did.
        poll: bool,
    },
    /// The response to the request in flight.
    Received {
        /// The response.
        response: Response,
        /// Its chunks, as read.
        chunks: Vec<Vec<u8>>,
        /// The answer to a background poll.
        poll: bool,
    },
    /// An unsolicited event.
    Event {
        /// The event.
        event: Event,
        /// Its chunks, as read.
        chunks: Vec<Vec<u8>>,
    },
    /// Chunks that belonged to no message being waited for (stray, stale or damaged), and
    /// were passed over.
    Skipped {
        /// The chunks.
        chunks: Vec<Vec<u8>>,
        /// Why, in words.
        why: String,
    },
    /// A request that failed (before or after being sent).
    Failed {
        /// The request.
        request: Request,
        /// Why.
        error: LinkError,
        /// A background poll.
        poll: bool,
    },
}

/// Where traffic is reported.
pub type Observer = Rc<dyn Fn(Traffic)>;

/// A protocol session over `L`.
pub struct Session<L> {
    link: L,
    client: RefCell<Client>,
    turns: Turns,
    timeouts: Timeouts,
    observer: Observer,
    /// Bumped by every emergency stop: the exchange in flight gives up, and ordinary
    /// requests queued before it are cancelled.
    preemptions: Rc<Cell<u64>>,
    /// Who waits for the next preemption.
    preempt_waker: Rc<RefCell<Option<Waker>>>,
    /// Chunks of a message being joined (for the log), and whether one is being joined.
    joining: RefCell<Vec<Vec<u8>>>,
    /// An exchange was given up on: its late reply may still wait, so the next ordinary
    /// request drains first (docs/protocol.md, "After a timeout").
    unsettled: Cell<bool>,
}

impl<L: Link> Session<L> {
    /// A session over `link` with the default time limits, reporting to `observer`.
    pub fn new(link: L, observer: Observer) -> Self {
        Session::with_timeouts(link, observer, Timeouts::default())
    }

    /// A session with these time limits.
    pub fn with_timeouts(link: L, observer: Observer, timeouts: Timeouts) -> Self {
        Session {
            link,
            client: RefCell::new(Client::new()),
            turns: Turns::new(),
            timeouts,
            observer,
            preemptions: Rc::new(Cell::new(0)),
            preempt_waker: Rc::new(RefCell::new(None)),
            joining: RefCell::new(vec![]),
            unsettled: Cell::new(false),
        }
    }

    /// The link underneath.
    pub fn link(&self) -> &L {
        &self.link
    }

    /// Sends `request` and waits for its response; `poll` marks a background poll.
    ///
    /// Requests queue in order. An emergency stop goes before every request still
    /// waiting (which are then cancelled with [`LinkError::Preempted`]) and does not wait
    /// for the one in flight: that one gives up at once.
    pub async fn request(&self, request: &Request, poll: bool) -> Result<Response, LinkError> {
        let urgent = matches!(request, Request::EmergencyStop);
        let generation = self.preemptions.get();
        if urgent {
            self.preemptions.set(generation + 1);
            if let Some(waker) = self.preempt_waker.borrow_mut().take() {
                waker.wake();
            }
        }
        let turn = self.turns.take(urgent).await;
        if !urgent && self.preemptions.get() != generation {
            let error = LinkError::Preempted;
            self.report(Traffic::Failed {
                request: request.clone(),
                error: error.clone(),
                poll,
            });
            return Err(error);
        }
        let result = if urgent {
            // No drain first: the stop must not wait. A late rejection taken for its
            // answer only makes the app read the status again, which tells the truth.
            self.exchange(request, poll).await
        } else {
            let preempted = Preempted {
                generation: self.preemptions.get(),
                counter: Rc::clone(&self.preemptions),
                waker: Rc::clone(&self.preempt_waker),
            };
            let exchange = std::pin::pin!(async {
                if self.unsettled.get() {
                    self.read_until_empty().await?;
                    self.unsettled.set(false);
                }
                self.exchange(request, poll).await
            });
            match select(exchange, preempted).await {
                Either::Left((result, _)) => result,
                Either::Right(_) => Err(LinkError::Preempted),
            }
        };
        drop(turn);
        if let Err(error) = &result {
            // Whatever was half-joined belongs to nobody now, and a late reply may come.
            self.joining.borrow_mut().clear();
            self.unsettled.set(true);
            self.report(Traffic::Failed {
                request: request.clone(),
                error: error.clone(),
                poll,
            });
        }
        result
    }

    /// Reads what waits on the event characteristic until it is empty (a doorbell rang):
    /// events are reported, anything else is passed over.
    pub async fn drain(&self) -> Result<(), LinkError> {
        let _turn = self.turns.take(false).await;
        self.read_until_empty().await
    }

    async fn read_until_empty(&self) -> Result<(), LinkError> {
        loop {
            let chunk = within(self.timeouts.operation_ms, Step::Read, self.link.read()).await?;
            if chunk.is_empty() {
                return Ok(());
            }
            // No response is awaited: whatever completes is an event or stale.
            let _ = self.take_chunk(chunk, false, false);
        }
    }

    fn report(&self, traffic: Traffic) {
        (self.observer)(traffic);
    }

    /// Writes `request` and reads until its response comes.
    async fn exchange(&self, request: &Request, poll: bool) -> Result<Response, LinkError> {
        let chunks = self.client.borrow_mut().request(request, DEFAULT_CHUNK)?;
        for chunk in &chunks {
            within(
                self.timeouts.operation_ms,
                Step::Write,
                self.link.write(chunk),
            )
            .await?;
        }
        self.report(Traffic::Sent {
            request: request.clone(),
            chunks: chunks.iter().map(|c| c.to_vec()).collect(),
            poll,
        });
        let started = now_ms();
        loop {
            let chunk = within(self.timeouts.operation_ms, Step::Read, self.link.read()).await?;
            if chunk.is_empty() {
                if now_ms() - started > self.timeouts.reply_ms as f64 {
                    return Err(LinkError::Timeout(Step::Reply, self.timeouts.reply_ms));
                }
                sleep(self.timeouts.retry_ms as i32).await;
                continue;
            }
            if let Some(response) = self.take_chunk(chunk, true, poll)? {
                return Ok(response);
            }
        }
    }

    /// One chunk read: the response to the request in flight when it completes one (and
    /// one is `awaiting`); events are reported; stray, stale and late chunks are passed
    /// over.
    fn take_chunk(
        &self,
        chunk: Vec<u8>,
        awaiting: bool,
        poll: bool,
    ) -> Result<Option<Response>, LinkError> {
        let index = chunk[0] & 0x7f;
        let last = chunk[0] & 0x80 != 0;
        let mut joining = self.joining.borrow_mut();
        // A chunk that continues no message (the rest of a reply given up on, or of a
        // damaged one): skip it, or it would fail the next command.
        if index != 0 && joining.is_empty() {
            drop(joining);
            self.report(Traffic::Skipped {
                chunks: vec![chunk],
                why: "a chunk of no message being received".into(),
            });
            return Ok(None);
        }
        if index == 0 {
            joining.clear();
        }
        joining.push(chunk.clone());
        if !last {
            drop(joining);
            // Errors here are gaps: they drop the partial message.
            if let Err(e) = self.client.borrow_mut().receive(&chunk) {
                let chunks = std::mem::take(&mut *self.joining.borrow_mut());
                return Err(self.damaged(chunks, e));
            }
            return Ok(None);
        }
        let chunks = std::mem::take(&mut *joining);
        drop(joining);
        match self.client.borrow_mut().receive(&chunk) {
            Ok(Some(Incoming::Response(response))) if awaiting => {
                self.report(Traffic::Received {
                    response: response.clone(),
                    chunks,
                    poll,
                });
                Ok(Some(response))
            }
            Ok(Some(Incoming::Response(response))) => {
                self.report(Traffic::Skipped {
                    chunks,
                    why: format!("a late reply to a request given up on ({response})"),
                });
                Ok(None)
            }
            Ok(Some(Incoming::Event(event))) => {
                self.report(Traffic::Event { event, chunks });
                Ok(None)
            }
            Ok(Some(Incoming::Stale(seq))) => {
                self.report(Traffic::Skipped {
                    chunks,
                    why: format!("the reply to request {seq}, which was given up on"),
                });
                Ok(None)
            }
            Ok(None) => Ok(None),
            Err(e) => Err(self.damaged(chunks, e)),
        }
    }

    /// A message that could not be read: logged as passed over, returned as an error.
    fn damaged(&self, chunks: Vec<Vec<u8>>, e: stim_proto::wire::WireError) -> LinkError {
        self.report(Traffic::Skipped {
            chunks,
            why: format!("damaged: {e}"),
        });
        LinkError::Protocol(e)
    }
}

/// Resolves when an emergency stop comes after the one it was made at.
struct Preempted {
    generation: u64,
    counter: Rc<Cell<u64>>,
    waker: Rc<RefCell<Option<Waker>>>,
}

impl Future for Preempted {
    type Output = ();

    fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<()> {
        if self.counter.get() != self.generation {
            Poll::Ready(())
        } else {
            *self.waker.borrow_mut() = Some(cx.waker().clone());
            Poll::Pending
        }
    }
}

/// Milliseconds of page time.
pub fn now_ms() -> f64 {
    web_sys::window()
        .and_then(|w| w.performance())
        .map_or(0.0, |p| p.now())
}

/// Microseconds of page time (the virtual device's host clock).
pub fn page_time_us() -> TimeUs {
    (now_ms() * 1_000.0) as TimeUs
}
