//! The GATT table of docs/protocol.md: the SCS Studio service (a command characteristic
//! written in chunks, an event characteristic read and notified) and the standard Device
//! Information service. The UUIDs are literals because trouble's macros take literals; the
//! virtual board's discovery scenario checks them against docs/protocol.md.

use trouble_host::prelude::*;

/// What the Device Information service says of the maker.
pub const MANUFACTURER: &str = "SCS Studio demo (not a medical device)";

/// The SCS Studio service's UUID as it goes over the air (least significant byte first),
/// for the advertisement.
pub const SERVICE_UUID_LE: [u8; 16] = [
    0xd2, 0x80, 0x89, 0x71, 0x3b, 0x83, 0x4f, 0xb9, 0x08, 0x4e, 0xd9, 0xa6, 0x5d, 0x24, 0x61, 0x56,
];

/// The SCS Studio service: requests in on `command`, replies and events out on `event`.
#[gatt_service(uuid = "5661245d-a6d9-4e08-b94f-833b718980d2")]
pub struct StimService {
    /// Request chunks, written with response.
    #[characteristic(uuid = "5661245e-a6d9-4e08-b94f-833b718980d2", write)]
    pub command: heapless::Vec<u8, 20>,
    /// Reply and event chunks, read one at a time; a notification says one waits.
    #[characteristic(uuid = "5661245f-a6d9-4e08-b94f-833b718980d2", read, notify)]
    pub event: heapless::Vec<u8, 20>,
}

/// The standard Device Information service: readable by any central.
#[gatt_service(uuid = service::DEVICE_INFORMATION)]
pub struct DeviceInformation {
    /// Who made it (and that it is not a medical device).
    #[characteristic(uuid = characteristic::MANUFACTURER_NAME_STRING, read)]
    pub manufacturer: heapless::String<40>,
    /// The firmware's version.
    #[characteristic(uuid = characteristic::FIRMWARE_REVISION_STRING, read)]
    pub firmware: heapless::String<16>,
}

/// The board's GATT server.
#[gatt_server]
pub struct Server {
    /// Device Information.
    pub device_information: DeviceInformation,
    /// The SCS Studio service.
    pub stim: StimService,
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A UUID as docs/protocol.md writes it, least significant byte first.
    fn over_the_air(uuid: &str) -> heapless::Vec<u8, 16> {
        let hex: heapless::Vec<u8, 32> = uuid
            .bytes()
            .filter(|&c| c != b'-')
            .map(|c| (c as char).to_digit(16).expect("hex") as u8)
            .collect();
        hex.chunks(2).rev().map(|p| p[0] * 16 + p[1]).collect()
    }

    #[test]
    fn the_advertised_service_uuid_is_stim_protos() {
        assert_eq!(
            over_the_air(stim_proto::gatt::SERVICE_UUID),
            SERVICE_UUID_LE[..]
        );
    }
}
