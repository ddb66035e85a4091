//! Turns on the link: one exchange at a time, in the order asked, except that urgent
//! requests (the emergency stop) go before every ordinary one still waiting.
//!
//! A plain queue rather than a mutex because order matters: five quick amplitude presses
//! must reach the device in the order they were pressed, and an emergency stop must not
//! wait behind them.

use std::cell::{Cell, RefCell};
use std::collections::VecDeque;
use std::future::Future;
use std::pin::Pin;
use std::rc::Rc;
use std::task::{Context, Poll, Waker};

/// One waiter: its ticket, whether it is urgent, and how to wake it.
struct Waiter {
    ticket: u64,
    urgent: bool,
    waker: Option<Waker>,
}

#[derive(Default)]
struct Inner {
    busy: Cell<bool>,
    next_ticket: Cell<u64>,
    queue: RefCell<VecDeque<Waiter>>,
}

impl Inner {
    fn wake_front(&self) {
        if let Some(waker) = self
            .queue
            .borrow_mut()
            .front_mut()
            .and_then(|w| w.waker.take())
        {
            waker.wake();
        }
    }
}

/// The queue of turns.
#[derive(Clone, Default)]
pub struct Turns(Rc<Inner>);

/// Holding one means it is your turn; dropping it passes the turn on.
pub struct Turn(Rc<Inner>);

impl Drop for Turn {
    fn drop(&mut self) {
        self.0.busy.set(false);
        self.0.wake_front();
    }
}

/// Waits for a turn (see [`Turns::take`]); dropping it leaves the queue.
pub struct Waiting {
    inner: Rc<Inner>,
    ticket: u64,
}

impl Turns {
    /// A queue with nobody in it.
    pub fn new() -> Self {
        Turns::default()
    }

    /// Joins the queue: at the back, or, when `urgent`, behind the other urgent waiters
    /// only.
    pub fn take(&self, urgent: bool) -> Waiting {
        let inner = &self.0;
        let ticket = inner.next_ticket.get();
        inner.next_ticket.set(ticket + 1);
        let waiter = Waiter {
            ticket,
            urgent,
            waker: None,
        };
        let mut queue = inner.queue.borrow_mut();
        if urgent {
            let at = queue.iter().take_while(|w| w.urgent).count();
            queue.insert(at, waiter);
        } else {
            queue.push_back(waiter);
        }
        Waiting {
            inner: Rc::clone(inner),
            ticket,
        }
    }

    /// How many wait (not counting the one whose turn it is).
    pub fn waiting(&self) -> usize {
        self.0.queue.borrow().len()
    }
}

impl Future for Waiting {
    type Output = Turn;

    fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Turn> {
        let inner = &self.inner;
        let mut queue = inner.queue.borrow_mut();
        let first = queue.front().map(|w| w.ticket) == Some(self.ticket);
        if first && !inner.busy.get() {
            queue.pop_front();
            inner.busy.set(true);
            return Poll::Ready(Turn(Rc::clone(inner)));
        }
        if let Some(w) = queue.iter_mut().find(|w| w.ticket == self.ticket) {
            w.waker = Some(cx.waker().clone());
        }
        Poll::Pending
    }
}

impl Drop for Waiting {
    fn drop(&mut self) {
        let was_front = {
            let mut queue = self.inner.queue.borrow_mut();
            let at = queue.iter().position(|w| w.ticket == self.ticket);
            if let Some(at) = at {
                queue.remove(at);
            }
            at == Some(0)
        };
        if was_front && !self.inner.busy.get() {
            self.inner.wake_front();
        }
    }
}
