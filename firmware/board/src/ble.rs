//! The Bluetooth LE side, wired: the SoftDevice Controller, bonds in flash, the board's
//! address from the chip, and the board's state behind stim-ble's `Board`. The app itself
//! (GATT table, event loop, access policy, bond slots) is stim-ble's, the same code the
//! virtual board runs on the host in CI.

use core::ops::Range;

use defmt::{info, Display2Format};
use embassy_nrf::{mode::Async, pac, rng};
use embassy_sync::blocking_mutex::raw::CriticalSectionRawMutex;
use embassy_sync::signal::Signal;
use embedded_storage_async::nor_flash::NorFlash;
use nrf_sdc::mpsl::MultiprotocolServiceLayer;
use nrf_sdc::{self as sdc, SoftdeviceController};
use sequential_storage::cache::NoCache;
use sequential_storage::map::{MapConfig, MapStorage, PostcardValue};
use serde::{Deserialize, Serialize};
use stim_ble::{Address, BondStore, Note, StoreError, StoredBond};
use stim_core::engine::PhaseEvent;
use stim_core::units::TimeUs;
use stim_fw::leds::Radio;
use stim_fw::stimulator::Stimulator;

use crate::pulses::{self, Clock};
use crate::{with_board, Board};

/// Bytes the SoftDevice Controller needs for one peripheral link with these buffers.
pub const SDC_MEMORY: usize = 4_096;
/// Largest ATT payload (the default 23-byte MTU's 20, with room for a larger MTU).
const L2CAP_MTU: usize = 72;

/// The SoftDevice Controller for one peripheral link.
pub fn controller<'d>(
    p: sdc::Peripherals<'d>,
    rng: &'d mut rng::Rng<'static, Async>,
    mpsl: &'d MultiprotocolServiceLayer,
    mem: &'d mut sdc::Mem<SDC_MEMORY>,
) -> Result<SoftdeviceController<'d>, sdc::Error> {
    sdc::Builder::new()?
        .support_adv()
        .support_peripheral()
        .peripheral_count(1)?
        .buffer_cfg(L2CAP_MTU as u16, L2CAP_MTU as u16, 3, 3)?
        .build(p, rng, mpsl, mem)
}

/// The chip's own static random address: FICR's DEVICEADDR, its top two bits set, as
/// Nordic's stacks do. The same at every start, so bonded centrals find the board again.
pub fn address() -> Address {
    let low = pac::FICR.deviceaddr(0).read().to_le_bytes();
    let high = pac::FICR.deviceaddr(1).read().to_le_bytes();
    Address::random([low[0], low[1], low[2], low[3], high[0], high[1] | 0xc0])
}

/// Rung by Button 1 (the app then tells a connected central that an event waits) and by
/// Button 2 (the app lets a connected central bond).
pub static WAKE: Signal<CriticalSectionRawMutex, ()> = Signal::new();

/// The board as the Bluetooth app sees it.
pub struct Wired {
    pub clock: &'static Clock,
}

impl stim_ble::Board for Wired {
    fn now(&self) -> TimeUs {
        self.clock.now()
    }

    fn stimulator<R>(
        &self,
        f: impl FnOnce(&mut Stimulator, &mut dyn FnMut(&PhaseEvent)) -> R,
    ) -> R {
        with_board(|b| {
            let Board {
                stimulator, feed, ..
            } = b;
            f(stimulator, &mut |e| feed.push(e, pulses::queue))
        })
    }

    fn pairing_open(&self) -> bool {
        let now = self.clock.now();
        with_board(|b| b.pairing.is_open(now))
    }

    fn close_pairing(&self) {
        with_board(|b| b.pairing.close());
    }

    fn set_radio(&self, radio: Radio) {
        with_board(|b| b.radio = radio);
    }

    async fn wake(&self) {
        WAKE.wait().await;
    }

    fn note(&self, note: Note) {
        info!("{}", Display2Format(&note));
    }
}

/// A bond as sequential-storage keeps it.
#[derive(Serialize, Deserialize)]
struct Kept(StoredBond);
impl PostcardValue<'_> for Kept {}

/// Bonds in the BONDS region of flash (memory.x), a key-value map keyed by slot.
pub struct FlashBonds<F: NorFlash> {
    map: MapStorage<u8, F, NoCache>,
    buffer: [u8; 128],
}

impl<F: NorFlash> FlashBonds<F> {
    pub fn new(flash: F) -> Self {
        FlashBonds {
            map: MapStorage::new(flash, MapConfig::new(bond_range()), NoCache::new()),
            buffer: [0; 128],
        }
    }
}

impl<F: NorFlash> BondStore for FlashBonds<F> {
    async fn load(&mut self, slot: u8) -> Option<StoredBond> {
        let kept = self.map.fetch_item::<Kept>(&mut self.buffer, &slot).await;
        kept.ok().flatten().map(|Kept(bond)| bond)
    }

    async fn store(&mut self, slot: u8, bond: &StoredBond) -> Result<(), StoreError> {
        let kept = Kept(bond.clone());
        self.map
            .store_item(&mut self.buffer, &slot, &kept)
            .await
            .map_err(|_| StoreError)
    }
}

/// Where the bonds live (the BONDS region of memory.x).
fn bond_range() -> Range<u32> {
    extern "C" {
        static __bonds_start: u8;
        static __bonds_end: u8;
    }
    // Only the addresses of the linker's symbols are taken, never their contents.
    (core::ptr::addr_of!(__bonds_start) as u32)..(core::ptr::addr_of!(__bonds_end) as u32)
}

/// Runs stim-ble's app on the controller, with bonds in `flash`.
pub async fn run<C: stim_ble::Controller, F: NorFlash>(
    controller: C,
    flash: F,
    clock: &'static Clock,
) {
    info!("Bluetooth: stim-ble on the SoftDevice Controller");
    let mut bonds = FlashBonds::new(flash);
    stim_ble::run(
        controller,
        address(),
        &Wired { clock },
        &mut bonds,
        env!("CARGO_PKG_VERSION"),
    )
    .await;
}
