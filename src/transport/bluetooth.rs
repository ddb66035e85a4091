//! A dev board over Web Bluetooth: the SCS Studio GATT service of docs/protocol.md.
//!
//! Chrome and Edge (desktop, Android) have Web Bluetooth; Firefox and Safari do not, and
//! [`BluetoothLink::available`] says so before anyone presses a button. Replies are pulled
//! by reading the event characteristic after each request; notifications only ring the
//! doorbell for events, so a link without them (or a test without them) still works.

use std::cell::RefCell;

use js_sys::{DataView, JsString, Uint8Array};
use stim_proto::gatt::{COMMAND_UUID, DEVICE_INFORMATION_UUID, EVENT_UUID, SERVICE_UUID};
use wasm_bindgen::closure::Closure;
use wasm_bindgen::{JsCast, JsValue};
use web_sys::{
    Bluetooth, BluetoothDevice, BluetoothLeScanFilterInit, BluetoothRemoteGattCharacteristic,
    RequestDeviceOptions,
};

use super::{Link, LinkError};

/// The characteristics of one connection (replaced on reconnect).
struct Characteristics {
    command: BluetoothRemoteGattCharacteristic,
    event: BluetoothRemoteGattCharacteristic,
}

/// A connected board.
pub struct BluetoothLink {
    device: BluetoothDevice,
    characteristics: RefCell<Characteristics>,
    /// Kept alive as long as the link: the browser calls it on disconnection.
    _on_disconnect: Closure<dyn FnMut()>,
}

/// The browser's words for a failed operation.
fn bluetooth_error(e: JsValue) -> LinkError {
    let text = e
        .dyn_ref::<js_sys::Error>()
        .map(|e| String::from(e.message()))
        .or_else(|| e.as_string())
        .unwrap_or_else(|| "unknown error".into());
    if text.contains("cancelled") || text.contains("User cancelled") {
        LinkError::Cancelled
    } else if text.contains("disconnected") || text.contains("not connected") {
        LinkError::Lost
    } else {
        LinkError::Bluetooth(text)
    }
}

async fn wait<T>(promise: js_sys::Promise<T>) -> Result<T, LinkError>
where
    js_sys::Promise<T>: std::future::IntoFuture<Output = Result<T, JsValue>>,
{
    promise.await.map_err(bluetooth_error)
}

fn bluetooth() -> Result<Bluetooth, LinkError> {
    let navigator = web_sys::window()
        .ok_or(LinkError::NoWebBluetooth)?
        .navigator();
    // `navigator.bluetooth` is undefined where the API is missing.
    let present = js_sys::Reflect::get(&navigator, &JsValue::from_str("bluetooth"))
        .is_ok_and(|b| !b.is_undefined());
    if !present {
        return Err(LinkError::NoWebBluetooth);
    }
    navigator.bluetooth().ok_or(LinkError::NoWebBluetooth)
}

impl BluetoothLink {
    /// Whether this browser has Web Bluetooth at all.
    pub fn available() -> bool {
        bluetooth().is_ok()
    }

    /// Asks the user to choose a board (call from a click: browsers require a gesture),
    /// connects, and calls `on_disconnect` whenever the link drops.
    pub async fn choose_and_connect(
        on_disconnect: impl FnMut() + 'static,
    ) -> Result<Self, LinkError> {
        let bluetooth = bluetooth()?;
        let filter = BluetoothLeScanFilterInit::new();
        filter.set_services(&[JsString::from(SERVICE_UUID)]);
        let options = RequestDeviceOptions::new();
        options.set_filters(&[filter]);
        options.set_optional_services(&[JsString::from(DEVICE_INFORMATION_UUID)]);
        let device: BluetoothDevice = wait(bluetooth.request_device(&options)).await?;
        let characteristics = connect(&device).await?;
        let on_disconnect = Closure::<dyn FnMut()>::new(on_disconnect);
        device
            .add_event_listener_with_callback(
                "gattserverdisconnected",
                on_disconnect.as_ref().unchecked_ref(),
            )
            .map_err(bluetooth_error)?;
        Ok(BluetoothLink {
            device,
            characteristics: RefCell::new(characteristics),
            _on_disconnect: on_disconnect,
        })
    }

    /// Connects again after a loss: discovers the service anew and subscribes again.
    pub async fn reconnect(&self) -> Result<(), LinkError> {
        let characteristics = connect(&self.device).await?;
        *self.characteristics.borrow_mut() = characteristics;
        Ok(())
    }

    /// The board's advertised name.
    pub fn name(&self) -> String {
        self.device.name().unwrap_or_else(|| "unnamed board".into())
    }
}

/// GATT connect, service and characteristic discovery, and the event subscription.
async fn connect(device: &BluetoothDevice) -> Result<Characteristics, LinkError> {
    let gatt = device
        .gatt()
        .ok_or_else(|| LinkError::Bluetooth("this device has no GATT server".into()))?;
    let server: web_sys::BluetoothRemoteGattServer = wait(gatt.connect()).await?;
    let service: web_sys::BluetoothRemoteGattService =
        wait(server.get_primary_service_with_str(SERVICE_UUID)).await?;
    let command = wait(service.get_characteristic_with_str(COMMAND_UUID)).await?;
    let event: BluetoothRemoteGattCharacteristic =
        wait(service.get_characteristic_with_str(EVENT_UUID)).await?;
    // The doorbell for events; replies are read, so a failure here is not fatal.
    let _ = event.start_notifications().await;
    Ok(Characteristics { command, event })
}

impl Link for BluetoothLink {
    async fn write(&self, chunk: &[u8]) -> Result<(), LinkError> {
        let command = self.characteristics.borrow().command.clone();
        let promise = command
            .write_value_with_response_with_u8_slice(chunk)
            .map_err(bluetooth_error)?;
        wait(promise).await.map(|_| ())
    }

    async fn read(&self) -> Result<Vec<u8>, LinkError> {
        let event = self.characteristics.borrow().event.clone();
        let view: DataView = wait(event.read_value()).await?;
        Ok(Uint8Array::new_with_byte_offset_and_length(
            &view.buffer(),
            view.byte_offset() as u32,
            view.byte_length() as u32,
        )
        .to_vec())
    }
}
