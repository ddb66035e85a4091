//! Which slot a new bond takes. A peer that bonds again keeps its slot; a new peer takes a
//! free slot, and only when all are taken the oldest bond's — never slot 0 by default, as
//! a counter that restarts at boot would.

use serde::{Deserialize, Serialize};
use trouble_host::prelude::BondInformation;

/// A bond as kept in a slot, with its age: bonds are numbered as they are made, across
/// restarts, so the oldest is known after a reboot.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct StoredBond {
    /// The bond's number: higher is newer.
    pub number: u32,
    /// The keys and the peer's identity.
    pub bond: BondInformation,
}

/// Where a new bond goes.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Placement<Peer> {
    /// Whose bond it is.
    pub peer: Peer,
    /// The slot it is kept in.
    pub slot: u8,
    /// Its number (newer than every bond kept).
    pub number: u32,
    /// The other peer whose bond it replaces, if all slots were taken by others.
    pub evicted: Option<Peer>,
}

/// The slots, each empty or holding a peer's bond and its number.
#[derive(Clone, Debug)]
pub struct Slots<Peer, const N: usize> {
    slots: [Option<(u32, Peer)>; N],
}

impl<Peer: Copy + PartialEq, const N: usize> Default for Slots<Peer, N> {
    fn default() -> Self {
        Slots { slots: [None; N] }
    }
}

impl<Peer: Copy + PartialEq, const N: usize> Slots<Peer, N> {
    /// Records a bond found in `slot` at start-up.
    pub fn restore(&mut self, slot: u8, number: u32, peer: Peer) {
        if let Some(s) = self.slots.get_mut(usize::from(slot)) {
            *s = Some((number, peer));
        }
    }

    /// Where a new bond with `peer` goes: the peer's own slot if it has one, else the
    /// first free slot, else the oldest bond's. Nothing changes until [`Slots::take`].
    pub fn place(&self, peer: Peer) -> Placement<Peer> {
        let number = self
            .slots
            .iter()
            .flatten()
            .map(|&(n, _)| n.saturating_add(1))
            .max()
            .unwrap_or(0);
        let own = self
            .slots
            .iter()
            .position(|s| matches!(s, Some((_, p)) if *p == peer));
        let free = || self.slots.iter().position(Option::is_none);
        let oldest = || {
            (0..N)
                .min_by_key(|&i| self.slots[i].map_or(0, |(n, _)| n))
                .unwrap_or(0)
        };
        let slot = own.or_else(free).unwrap_or_else(oldest);
        let evicted = self.slots[slot].map(|(_, p)| p).filter(|&p| p != peer);
        Placement {
            peer,
            slot: slot as u8,
            number,
            evicted,
        }
    }

    /// Records a placement (once its bond is kept).
    pub fn take(&mut self, placed: &Placement<Peer>) {
        if let Some(s) = self.slots.get_mut(usize::from(placed.slot)) {
            *s = Some((placed.number, placed.peer));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Places a bond and records it, as the app does once the store kept it.
    fn place<P: Copy + PartialEq, const N: usize>(
        slots: &mut Slots<P, N>,
        peer: P,
    ) -> Placement<P> {
        let placed = slots.place(peer);
        slots.take(&placed);
        placed
    }

    #[test]
    fn a_placement_changes_nothing_until_it_is_taken() {
        let mut slots = Slots::<char, 2>::default();
        slots.restore(0, 4, 'a');
        let first = slots.place('b');
        assert_eq!(slots.place('c'), Placement { peer: 'c', ..first });
    }

    #[test]
    fn after_a_reboot_a_new_peer_takes_a_free_slot_not_slot_0() {
        let mut slots = Slots::<char, 4>::default();
        slots.restore(0, 7, 'a');
        let placed = place(&mut slots, 'b');
        assert_eq!((placed.slot, placed.number, placed.evicted), (1, 8, None));
    }

    #[test]
    fn a_peer_that_bonds_again_keeps_its_slot() {
        let mut slots = Slots::<char, 4>::default();
        slots.restore(2, 3, 'a');
        slots.restore(0, 5, 'b');
        let placed = place(&mut slots, 'a');
        assert_eq!((placed.slot, placed.number, placed.evicted), (2, 6, None));
    }

    #[test]
    fn when_all_slots_are_taken_the_oldest_bond_goes_even_after_a_reboot() {
        let mut slots = Slots::<char, 3>::default();
        for (slot, number, peer) in [(0, 11, 'a'), (1, 9, 'b'), (2, 10, 'c')] {
            slots.restore(slot, number, peer);
        }
        let placed = place(&mut slots, 'd');
        assert_eq!(
            (placed.slot, placed.number, placed.evicted),
            (1, 12, Some('b'))
        );
        let placed = place(&mut slots, 'e');
        assert_eq!((placed.slot, placed.evicted), (2, Some('c')));
    }

    #[test]
    fn bonds_fill_the_slots_in_turn_then_replace_the_oldest() {
        let mut slots = Slots::<u8, 4>::default();
        let taken: heapless::Vec<u8, 6> = (0..6).map(|peer| place(&mut slots, peer).slot).collect();
        assert_eq!(taken, [0, 1, 2, 3, 0, 1]);
    }
}
