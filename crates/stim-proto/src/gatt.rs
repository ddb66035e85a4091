//! The Bluetooth LE GATT layout of an SCS Studio stimulator (see docs/protocol.md).
//!
//! One custom service with two characteristics, plus the standard Device Information
//! service. A request is written to [`COMMAND_UUID`] in chunks (write with response); the
//! reply, and any unsolicited event, come back as chunks from [`EVENT_UUID`], by read
//! (the client pulls after each request) or by notification.

/// The SCS Studio service.
pub const SERVICE_UUID: &str = "5661245d-a6d9-4e08-b94f-833b718980d2";
/// Requests from the client: write with response, one chunk per write.
pub const COMMAND_UUID: &str = "5661245e-a6d9-4e08-b94f-833b718980d2";
/// Replies and events to the client: read (next chunk, empty when none) and notify.
pub const EVENT_UUID: &str = "5661245f-a6d9-4e08-b94f-833b718980d2";
/// The standard Device Information service (0x180A).
pub const DEVICE_INFORMATION_UUID: &str = "0000180a-0000-1000-8000-00805f9b34fb";
/// Its Manufacturer Name String characteristic (0x2A29).
pub const MANUFACTURER_NAME_UUID: &str = "00002a29-0000-1000-8000-00805f9b34fb";
/// Its Firmware Revision String characteristic (0x2A26).
pub const FIRMWARE_REVISION_UUID: &str = "00002a26-0000-1000-8000-00805f9b34fb";
/// The Client Characteristic Configuration descriptor that switches notifications on.
pub const CCCD_UUID: &str = "00002902-0000-1000-8000-00805f9b34fb";
/// The name the board advertises.
pub const ADVERTISED_NAME: &str = "SCS Studio";
