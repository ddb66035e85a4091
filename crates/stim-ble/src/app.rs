//! The event loop: advertise, serve one central at a time, go back to advertising when it
//! leaves. Each request is checked by stim-fw's access policy; bonds are made only while
//! the pairing window is open and kept in the board's store.

use embassy_futures::select::{select, Either};
use stim_fw::access::{decide, Denial, LinkSecurity, Operation};
use stim_fw::leds::Radio;
use trouble_host::prelude::*;

use crate::bonds::{Slots, StoredBond};
use crate::gatt::{Server, MANUFACTURER, SERVICE_UUID_LE};
use crate::{Board, BondStore, Note, StoreError, BONDS};
use stim_fw::stimulator::CHUNK;

/// One central at a time.
const CONNECTIONS: usize = 1;
/// Signalling and ATT.
const L2CAP_CHANNELS: usize = 2;

/// Runs the Bluetooth app on `controller` for `board`, its bonds in `store`: restores the
/// bonds, then advertises and serves centrals for ever. `address` is the board's static
/// random address, the same at every start so that bonded centrals find it again;
/// `firmware` is the version the Device Information service gives.
pub async fn run<C: Controller>(
    controller: C,
    address: Address,
    board: &impl Board,
    store: &mut impl BondStore,
    firmware: &str,
) {
    // The stack's bond table has room for one more than the slots: trouble adds a new bond
    // before the app sees it, and the app then evicts the oldest when all slots are taken.
    let mut resources: HostResources<
        DefaultPacketPool,
        CONNECTIONS,
        L2CAP_CHANNELS,
        1,
        { BONDS + CONNECTIONS },
    > = HostResources::new();
    let stack = trouble_host::new(controller, &mut resources)
        .set_random_address(address)
        .set_io_capabilities(IoCapabilities::NoInputNoOutput)
        .build();

    let mut slots = Slots::<Identity, BONDS>::default();
    for slot in 0..BONDS as u8 {
        if let Some(kept) = store.load(slot).await {
            if stack.add_bond_information(kept.bond.clone()).is_ok() {
                slots.restore(slot, kept.number, kept.bond.identity);
                board.note(Note::BondRestored { slot });
            }
        }
    }

    let mut runner = stack.runner();
    let mut peripheral = stack.peripheral();
    let server = match Server::new_with_config(GapConfig::Peripheral(PeripheralConfig {
        name: stim_proto::gatt::ADVERTISED_NAME,
        appearance: &appearance::UNKNOWN,
    })) {
        Ok(server) => server,
        Err(_) => panic!("the GATT table fits its storage"),
    };
    let info = &server.device_information;
    let _ = server.set(
        &info.manufacturer,
        &heapless::String::try_from(MANUFACTURER).unwrap_or_default(),
    );
    let _ = server.set(
        &info.firmware,
        &heapless::String::try_from(firmware).unwrap_or_default(),
    );

    let host = async {
        loop {
            if runner.run().await.is_err() {
                board.note(Note::HostStopped);
                embassy_time::Timer::after_secs(1).await;
            }
        }
    };
    let app = async {
        loop {
            board.note(Note::Advertising);
            let Ok(conn) = advertise(&mut peripheral, &server).await else {
                board.note(Note::AdvertisingFailed);
                embassy_time::Timer::after_secs(1).await;
                continue;
            };
            board.set_radio(Radio::Connected);
            // Bonding only while the window opened by Button 2 is open (followed while
            // the link lasts).
            let bondable = board.pairing_open();
            let _ = conn.raw().set_bondable(bondable);
            board.note(Note::Connected { bondable });
            // A doorbell rung while nobody was connected is stale: the central reads the
            // state when it connects.
            board.stimulator(|s, _| s.take_doorbell());
            let mut link = Link {
                board,
                server: &server,
                conn: &conn,
                bondable,
            };
            link.serve(&stack, &mut slots, store).await;
            let now = board.now();
            board.stimulator(|s, sink| s.link_lost(now, sink));
            board.set_radio(Radio::Advertising);
            board.note(Note::Disconnected);
        }
    };
    select(host, app).await;
}

async fn advertise<'v, 's, C: Controller>(
    peripheral: &mut Peripheral<'v, C, DefaultPacketPool>,
    server: &'s Server<'v>,
) -> Result<GattConnection<'v, 's, DefaultPacketPool>, BleHostError<C::Error>> {
    let mut data = [0; 31];
    let len = AdStructure::encode_slice(
        &[
            AdStructure::Flags(LE_GENERAL_DISCOVERABLE | BR_EDR_NOT_SUPPORTED),
            AdStructure::CompleteServiceUuids128(&[SERVICE_UUID_LE]),
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

/// The ATT error a denial maps to (the browser then asks the user to pair).
fn att_error(denial: Denial) -> AttErrorCode {
    match denial {
        Denial::NotEncrypted => AttErrorCode::INSUFFICIENT_ENCRYPTION,
        Denial::NotBonded | Denial::PairingWindowClosed => {
            AttErrorCode::INSUFFICIENT_AUTHENTICATION
        }
    }
}

/// One connection being served.
struct Link<'a, 'v, 's, B> {
    board: &'a B,
    server: &'s Server<'v>,
    conn: &'a GattConnection<'v, 's, DefaultPacketPool>,
    /// What the link was last told: whether the central may bond.
    bondable: bool,
}

impl<B: Board> Link<'_, '_, '_, B> {
    /// What the link has proved, in stim-fw's terms.
    fn security(&self) -> LinkSecurity {
        LinkSecurity {
            encrypted: self
                .conn
                .raw()
                .security_level()
                .is_ok_and(|l| l.encrypted()),
            bonded: self.conn.raw().is_bonded_peer(),
        }
    }

    /// Tells the central an event waits on the event characteristic (if it subscribed).
    async fn notify(&self) {
        let event = &self.server.stim.event;
        if !event.should_notify(self.conn) {
            return;
        }
        if event
            .notify(self.conn, &heapless::Vec::new(), false)
            .await
            .is_ok()
        {
            self.board.note(Note::Notified);
        }
    }

    /// Lets the central bond while the pairing window is open, and not after: checked at
    /// each event and each wake, so Button 2 pressed during a connection counts.
    fn follow_pairing_window(&mut self) {
        let open = self.board.pairing_open();
        if open != self.bondable {
            self.bondable = open;
            let _ = self.conn.raw().set_bondable(open);
            self.board.note(Note::Bondable { bondable: open });
        }
    }

    /// Serves the connection until it closes; between its events, a board that wakes
    /// with an event waiting (Button 1) has the central notified.
    async fn serve<C: Controller>(
        &mut self,
        stack: &Stack<'_, C, DefaultPacketPool>,
        slots: &mut Slots<Identity, BONDS>,
        store: &mut impl BondStore,
    ) {
        loop {
            self.follow_pairing_window();
            let event = match select(self.conn.next(), self.board.wake()).await {
                Either::First(event) => event,
                Either::Second(()) => {
                    if self.board.stimulator(|s, _| s.take_doorbell()) {
                        self.notify().await;
                    }
                    continue;
                }
            };
            match event {
                GattConnectionEvent::Disconnected { .. } => return,
                GattConnectionEvent::PairingComplete {
                    bond: Some(bond), ..
                } => {
                    // The window may have closed since the link was last told.
                    if let Err(denial) =
                        decide(Operation::Pair, self.security(), self.board.pairing_open())
                    {
                        let _ = stack.remove_bond_information(bond.identity);
                        self.board.note(Note::Refused(Operation::Pair, denial));
                        self.conn.raw().disconnect();
                        continue;
                    }
                    // Bonded: the window has done its work, whether the store keeps it or not.
                    self.board.close_pairing();
                    let note = match keep(stack, slots, store, bond).await {
                        Ok(slot) => Note::Paired { slot: Some(slot) },
                        Err(StoreError) => Note::BondNotKept,
                    };
                    self.board.note(note);
                }
                GattConnectionEvent::PairingComplete { bond: None, .. } => {
                    self.board.note(Note::Paired { slot: None });
                }
                GattConnectionEvent::PairingFailed(_) => self.board.note(Note::PairingFailed),
                GattConnectionEvent::Gatt { event: gatt } => self.answer(gatt).await,
                _ => {}
            }
        }
    }

    /// Notes a refusal and gives the ATT error it maps to.
    fn refuse(&self, operation: Operation, denial: Denial) -> AttErrorCode {
        self.board.note(Note::Refused(operation, denial));
        att_error(denial)
    }

    /// Answers a GATT request. The command, the event characteristic and its subscription
    /// go through the access policy; an event chunk stays in the table only while its
    /// read is answered, so a read by UUID (around the handle) finds nothing.
    async fn answer(&mut self, gatt: GattEvent<'_, '_, DefaultPacketPool>) {
        let (command, event) = (&self.server.stim.command, &self.server.stim.event);
        let link = self.security();
        let now = self.board.now();
        let mut written = None;
        let mut handed_out = false;
        let reply = match gatt {
            GattEvent::Write(w) if w.handle() == command.handle => {
                let outcome = w.with_data(|_, data| match data.len() {
                    bytes if bytes > CHUNK => Err(None),
                    bytes => self
                        .board
                        .stimulator(|s, sink| s.write(now, link, data, sink))
                        .map(|()| bytes)
                        .map_err(Some),
                });
                match outcome {
                    Ok(bytes) => {
                        written = Some(bytes);
                        w.accept_unprocessed()
                    }
                    Err(Some(denial)) => w.reject(self.refuse(Operation::WriteCommand, denial)),
                    Err(None) => {
                        self.board.note(Note::ChunkTooLong);
                        w.reject(AttErrorCode::INVALID_ATTRIBUTE_VALUE_LENGTH)
                    }
                }
            }
            GattEvent::Read(r) if r.handle() == event.handle => {
                match self.board.stimulator(|s, _| s.read(link)) {
                    Ok(chunk) => {
                        // trouble 0.8's `accept_unprocessed` sends reads empty: the chunk
                        // is set for this one read and cleared once it is answered.
                        let value = chunk
                            .and_then(|c| heapless::Vec::from_slice(&c).ok())
                            .unwrap_or_default();
                        let _ = self.server.set(event, &value);
                        handed_out = true;
                        r.accept()
                    }
                    Err(denial) => r.reject(self.refuse(Operation::ReadEvents, denial)),
                }
            }
            // Subscribing to the event characteristic is reading it, for the policy.
            GattEvent::Write(w) if Some(w.handle()) == event.cccd_handle => {
                match decide(Operation::ReadEvents, link, false) {
                    Ok(()) => w.accept(),
                    Err(denial) => w.reject(self.refuse(Operation::ReadEvents, denial)),
                }
            }
            // Device Information and the GATT services: anyone may read them.
            other => other.accept(),
        };
        if let Ok(reply) = reply {
            reply.send().await;
        }
        if handed_out {
            let _ = self.server.set(event, &heapless::Vec::new());
        }
        // A written command is answered on the event characteristic: ring the doorbell.
        if let Some(bytes) = written {
            self.board.note(Note::Command { bytes });
            self.notify().await;
        }
    }
}

/// Keeps a new bond: in the store first, and only once it is there in the slots, evicting
/// the bond it replaces from the stack too. The slot.
async fn keep<C: Controller>(
    stack: &Stack<'_, C, DefaultPacketPool>,
    slots: &mut Slots<Identity, BONDS>,
    store: &mut impl BondStore,
    bond: BondInformation,
) -> Result<u8, StoreError> {
    let placed = slots.place(bond.identity);
    let kept = StoredBond {
        number: placed.number,
        bond,
    };
    store.store(placed.slot, &kept).await?;
    slots.take(&placed);
    if let Some(evicted) = placed.evicted {
        let _ = stack.remove_bond_information(evicted);
    }
    Ok(placed.slot)
}
