//! The Bluetooth LE side: the GATT layout of docs/protocol.md over trouble-host and the
//! SoftDevice Controller, each request checked by stim-fw's access policy, bonds in flash.

use core::ops::Range;

use defmt::{info, warn};
use embassy_nrf::{mode::Async, rng};
use embassy_sync::blocking_mutex::raw::CriticalSectionRawMutex;
use embassy_sync::signal::Signal;
use embedded_storage_async::nor_flash::NorFlash;
use nrf_sdc::mpsl::MultiprotocolServiceLayer;
use nrf_sdc::{self as sdc, SoftdeviceController};
use sequential_storage::cache::NoCache;
use sequential_storage::map::{MapConfig, MapStorage, PostcardValue};
use serde::{Deserialize, Serialize};
use stim_fw::access::{decide, Denial, LinkSecurity, Operation};
use stim_fw::leds::Radio;
use trouble_host::prelude::*;

use crate::pulses::{self, Clock};
use crate::{with_board, Board};

/// Bytes the SoftDevice Controller needs for one peripheral link with these buffers.
pub const SDC_MEMORY: usize = 4_096;
/// Largest ATT payload (the default 23-byte MTU's 20, with room for a larger MTU).
const L2CAP_MTU: usize = 72;
/// One central at a time.
const CONNECTIONS: usize = 1;
/// Signalling and ATT.
const L2CAP_CHANNELS: usize = 2;
/// What the Device Information service says of the maker.
const MANUFACTURER: &str = "SCS Studio demo (not a medical device)";
/// Bonds kept (and restored at start-up).
const BONDS: usize = 4;

/// The SCS Studio service: requests in on `command`, replies and events out on `event`.
#[gatt_service(uuid = "5661245d-a6d9-4e08-b94f-833b718980d2")]
struct StimService {
    #[characteristic(uuid = "5661245e-a6d9-4e08-b94f-833b718980d2", write)]
    command: heapless::Vec<u8, 20>,
    #[characteristic(uuid = "5661245f-a6d9-4e08-b94f-833b718980d2", read, notify)]
    event: heapless::Vec<u8, 20>,
}

/// The standard Device Information service: readable by any central.
#[gatt_service(uuid = service::DEVICE_INFORMATION)]
struct DeviceInformation {
    #[characteristic(uuid = characteristic::MANUFACTURER_NAME_STRING, read)]
    manufacturer: heapless::String<40>,
    #[characteristic(uuid = characteristic::FIRMWARE_REVISION_STRING, read)]
    firmware: heapless::String<16>,
}

#[gatt_server]
struct Server {
    device_information: DeviceInformation,
    stim: StimService,
}

#[derive(Serialize, Deserialize)]
struct StoredBond(BondInformation);
impl PostcardValue<'_> for StoredBond {}

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

/// Where the bonds live (the BONDS region of memory.x).
fn bond_range() -> Range<u32> {
    extern "C" {
        static __bonds_start: u8;
        static __bonds_end: u8;
    }
    // Only the addresses of the linker's symbols are taken, never their contents.
    (core::ptr::addr_of!(__bonds_start) as u32)..(core::ptr::addr_of!(__bonds_end) as u32)
}

/// Advertises, serves one central at a time, and goes back to advertising when it leaves.
pub async fn run<C: Controller, F: NorFlash>(controller: C, mut flash: F, clock: &'static Clock) {
    // A static random address made from the chip's unique ID would be better; the DK's
    // FICR address is what the SoftDevice Controller uses when none is set.
    let mut resources: HostResources<DefaultPacketPool, CONNECTIONS, L2CAP_CHANNELS, 1, BONDS> =
        HostResources::new();
    let stack = trouble_host::new(controller, &mut resources)
        .set_io_capabilities(IoCapabilities::NoInputNoOutput)
        .build();

    let mut bonds =
        MapStorage::<u8, _, _>::new(&mut flash, MapConfig::new(bond_range()), NoCache::new());
    let mut buffer = [0u8; 128];
    for slot in 0..BONDS as u8 {
        if let Ok(Some(StoredBond(bond))) = bonds.fetch_item::<StoredBond>(&mut buffer, &slot).await
        {
            if stack.add_bond_information(bond).is_ok() {
                info!("bond {} restored", slot);
            }
        }
    }
    let mut next_slot = 0u8;

    let runner = stack.runner();
    let mut peripheral = stack.peripheral();
    let server = match Server::new_with_config(GapConfig::Peripheral(PeripheralConfig {
        name: stim_proto::gatt::ADVERTISED_NAME,
        appearance: &appearance::UNKNOWN,
    })) {
        Ok(server) => server,
        Err(_) => panic!("the GATT table fits its storage"),
    };
    let info = &server.device_information;
    let manufacturer = heapless::String::try_from(MANUFACTURER).unwrap_or_default();
    let firmware = heapless::String::try_from(env!("CARGO_PKG_VERSION")).unwrap_or_default();
    let _ = server.set(&info.manufacturer, &manufacturer);
    let _ = server.set(&info.firmware, &firmware);

    let _ = embassy_futures::join::join(ble_task(runner), async {
        loop {
            let Ok(conn) = advertise(&mut peripheral, &server).await else {
                warn!("advertising failed; retrying");
                embassy_time::Timer::after_secs(1).await;
                continue;
            };
            let now = clock.now();
            let window = with_board(|b| {
                b.radio = Radio::Connected;
                b.pairing.is_open(now)
            });
            // Bonding only while the window opened by Button 2 is open.
            let _ = conn
                .raw()
                .set_bondable(decide(Operation::Pair, LinkSecurity::default(), window).is_ok());
            // A doorbell rung while nobody was connected is stale: the central reads the
            // state when it connects.
            DOORBELL.reset();
            embassy_futures::select::select(
                serve(
                    &server,
                    &conn,
                    clock,
                    &mut bonds,
                    &mut buffer,
                    &mut next_slot,
                ),
                ring_doorbell(&server, &conn),
            )
            .await;
            let now = clock.now();
            with_board(|b| {
                let Board {
                    stimulator, feed, ..
                } = b;
                stimulator.link_lost(now, |e| feed.push(e, pulses::queue));
                b.radio = Radio::Advertising;
            });
            info!("link lost: the confirmed program keeps running");
        }
    })
    .await;
}

async fn ble_task<C: Controller, P: PacketPool>(mut runner: Runner<'_, C, P>) {
    loop {
        if runner.run().await.is_err() {
            warn!("the BLE host stopped; restarting it");
        }
    }
}

async fn advertise<'v, 's, C: Controller>(
    peripheral: &mut Peripheral<'v, C, DefaultPacketPool>,
    server: &'s Server<'v>,
) -> Result<GattConnection<'v, 's, DefaultPacketPool>, BleHostError<C::Error>> {
    let mut data = [0; 31];
    let service: [u8; 16] = {
        // The 128-bit UUID, least significant byte first.
        let mut b = [
            0x56, 0x61, 0x24, 0x5d, 0xa6, 0xd9, 0x4e, 0x08, 0xb9, 0x4f, 0x83, 0x3b, 0x71, 0x89,
            0x80, 0xd2,
        ];
        b.reverse();
        b
    };
    let len = AdStructure::encode_slice(
        &[
            AdStructure::Flags(LE_GENERAL_DISCOVERABLE | BR_EDR_NOT_SUPPORTED),
            AdStructure::CompleteServiceUuids128(&[service]),
        ],
        &mut data[..],
    )?;
    let mut scan = [0; 31];
    let scan_len = AdStructure::encode_slice(
        &[AdStructure::CompleteLocalName(
            stim_proto::gatt::ADVERTISED_NAME.as_bytes(),
        )],
        &mut scan[..],
    )?;
    let advertiser = peripheral
        .advertise(
            &Default::default(),
            Advertisement::ConnectableScannableUndirected {
                adv_data: &data[..len],
                scan_data: &scan[..scan_len],
            },
        )
        .await?;
    Ok(advertiser.accept().await?.with_attribute_server(server)?)
}

/// What the link has proved, in stim-fw's terms.
fn security(conn: &GattConnection<'_, '_, DefaultPacketPool>) -> LinkSecurity {
    LinkSecurity {
        encrypted: conn.raw().security_level().is_ok_and(|l| l.encrypted()),
        bonded: conn.raw().is_bonded_peer(),
    }
}

/// The ATT error a denial maps to (the browser then asks the user to pair).
fn att_error(denial: Denial) -> AttErrorCode {
    match denial {
        Denial::NotEncrypted => AttErrorCode::INSUFFICIENT_ENCRYPTION,
        Denial::NotBonded | Denial::PairingWindowClosed => {
            AttErrorCode::INSUFFICIENT_AUTHENTICATION
        }
    }
}

/// Rung when an event waits that no write asked for (Button 1): the connection then
/// notifies, so the central reads it without waiting for its next poll.
pub static DOORBELL: Signal<CriticalSectionRawMutex, ()> = Signal::new();

/// Notifies the central each time the doorbell rings, for as long as the link lasts.
async fn ring_doorbell(server: &Server<'_>, conn: &GattConnection<'_, '_, DefaultPacketPool>) {
    loop {
        DOORBELL.wait().await;
        let _ = server
            .stim
            .event
            .notify(conn, &heapless::Vec::new(), false)
            .await;
    }
}

/// Serves one connection until it closes.
async fn serve<F: NorFlash>(
    server: &Server<'_>,
    conn: &GattConnection<'_, '_, DefaultPacketPool>,
    clock: &Clock,
    bonds: &mut MapStorage<u8, &mut F, NoCache>,
    buffer: &mut [u8],
    next_slot: &mut u8,
) {
    let (command, event) = (&server.stim.command, &server.stim.event);
    loop {
        match conn.next().await {
            GattConnectionEvent::Disconnected { .. } => return,
            GattConnectionEvent::PairingComplete {
                bond: Some(bond), ..
            } => {
                let stored = bonds.store_item(buffer, next_slot, &StoredBond(bond)).await;
                if stored.is_ok() {
                    info!("bond stored in slot {}", *next_slot);
                    *next_slot = (*next_slot + 1) % BONDS as u8;
                }
                with_board(|b| b.pairing.close());
            }
            GattConnectionEvent::PairingFailed(_) => warn!("pairing failed"),
            GattConnectionEvent::Gatt { event: gatt } => {
                let link = security(conn);
                let now = clock.now();
                let outcome = match &gatt {
                    GattEvent::Write(w) if w.handle() == command.handle => {
                        w.with_data(|_, data| {
                            with_board(|b| {
                                let Board {
                                    stimulator, feed, ..
                                } = b;
                                stimulator.write(now, link, data, |e| feed.push(e, pulses::queue))
                            })
                        })
                    }
                    GattEvent::Read(r) if r.handle() == event.handle => {
                        match with_board(|b| b.stimulator.read(link)) {
                            Ok(chunk) => {
                                let value = chunk
                                    .and_then(|c| heapless::Vec::from_slice(&c).ok())
                                    .unwrap_or_default();
                                let _ = server.set(event, &value);
                                Ok(())
                            }
                            Err(denial) => Err(denial),
                        }
                    }
                    _ => Ok(()),
                };
                let wrote = matches!(&gatt, GattEvent::Write(w) if w.handle() == command.handle);
                let reply = match outcome {
                    Ok(()) => gatt.accept(),
                    Err(denial) => gatt.reject(att_error(denial)),
                };
                if let Ok(reply) = reply {
                    reply.send().await;
                }
                // The doorbell: a reply may wait on the event characteristic.
                if wrote && outcome.is_ok() {
                    let _ = event.notify(conn, &heapless::Vec::new(), false).await;
                }
            }
            _ => {}
        }
    }
}
