//! A dev board over Web Bluetooth: the SCS Studio GATT service of docs/protocol.md.
//!
//! Chrome and Edge (desktop, Android) have Web Bluetooth; Firefox and Safari do not, and
//! [`BluetoothLink::available`] says so before anyone presses a button. Replies are pulled
//! by reading the event characteristic after each request. Notifications on it ring a
//! doorbell (an event waits); the page's own reads fire the same browser event, so the
//! link counts its reads and passes only the other rings on.

use std::cell::{Cell, RefCell};
use std::rc::Rc;

use js_sys::{DataView, JsString, Uint8Array};
use stim_proto::gatt::{COMMAND_UUID, DEVICE_INFORMATION_UUID, EVENT_UUID, SERVICE_UUID};
use wasm_bindgen::closure::Closure;
use wasm_bindgen::{JsCast, JsValue};
use web_sys::{
    Bluetooth, BluetoothDevice, BluetoothLeScanFilterInit, BluetoothRemoteGattCharacteristic,
    RequestDeviceOptions,
};

use super::{sleep, within, Link, LinkError, Step};

/// The time limit of a connection (connect, discovery, subscription), ms.
pub const CONNECT_MS: u32 = 10_000;

/// The characteristics of one connection (replaced on reconnect).
struct Characteristics {
    command: BluetoothRemoteGattCharacteristic,
    event: BluetoothRemoteGattCharacteristic,
}

/// A connected board.
pub struct BluetoothLink {
    device: BluetoothDevice,
    characteristics: RefCell<Option<Characteristics>>,
    /// Called by the browser when the link drops (`gattserverdisconnected`).
    on_disconnect: Closure<dyn FnMut()>,
    /// Called by the browser on every value of the event characteristic
    /// (`characteristicvaluechanged`): a notification, or the echo of a read.
    on_value: Closure<dyn FnMut()>,
    /// Reads of ours whose echo has not come yet.
    echoes: Rc<Cell<u32>>,
    /// Set by [`BluetoothLink::close`]: the user disconnected.
    closed: Cell<bool>,
}

/// The browser's words for a failed operation, sorted into what the user can do.
fn bluetooth_error(e: JsValue) -> LinkError {
    let name = js_sys::Reflect::get(&e, &JsValue::from_str("name"))
        .ok()
        .and_then(|n| n.as_string())
        .unwrap_or_default();
    let text = e
        .dyn_ref::<js_sys::Error>()
        .map(|e| String::from(e.message()))
        .or_else(|| e.as_string())
        .unwrap_or_else(|| "unknown error".into());
    classify(&name, &text)
}

/// Sorts a DOMException (`name`, `message`) into a [`LinkError`].
pub fn classify(name: &str, message: &str) -> LinkError {
    let lower = message.to_ascii_lowercase();
    if lower.contains("cancelled") {
        LinkError::Cancelled
    } else if name == "SecurityError"
        || ["authenticat", "not paired", "encrypt", "authoriz"]
            .iter()
            .any(|w| lower.contains(w))
    {
        LinkError::NotPaired
    } else if lower.contains("disconnected") || lower.contains("not connected") {
        LinkError::Lost
    } else {
        LinkError::Bluetooth(message.to_string())
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
    /// connects, and calls `on_disconnect` whenever the link drops and `on_doorbell`
    /// whenever the board rings (an event waits to be read).
    pub async fn choose_and_connect(
        on_disconnect: impl FnMut() + 'static,
        mut on_doorbell: impl FnMut() + 'static,
    ) -> Result<Self, LinkError> {
        let bluetooth = bluetooth()?;
        let filter = BluetoothLeScanFilterInit::new();
        filter.set_services(&[JsString::from(SERVICE_UUID)]);
        let options = RequestDeviceOptions::new();
        options.set_filters(&[filter]);
        options.set_optional_services(&[JsString::from(DEVICE_INFORMATION_UUID)]);
        let device: BluetoothDevice = wait(bluetooth.request_device(&options)).await?;
        let echoes = Rc::new(Cell::new(0u32));
        let on_value = {
            let echoes = Rc::clone(&echoes);
            Closure::<dyn FnMut()>::new(move || {
                if echoes.get() > 0 {
                    echoes.set(echoes.get() - 1);
                } else {
                    on_doorbell();
                }
            })
        };
        let link = BluetoothLink {
            device,
            characteristics: RefCell::new(None),
            on_disconnect: Closure::<dyn FnMut()>::new(on_disconnect),
            on_value,
            echoes,
            closed: Cell::new(false),
        };
        link.device
            .add_event_listener_with_callback(
                "gattserverdisconnected",
                link.on_disconnect.as_ref().unchecked_ref(),
            )
            .map_err(bluetooth_error)?;
        // On failure `link` drops here, which removes the listener and disconnects.
        within(CONNECT_MS, Step::Connect, link.reconnect()).await?;
        Ok(link)
    }

    /// Connects (again): discovers the service anew and subscribes to the doorbell.
    pub async fn reconnect(&self) -> Result<(), LinkError> {
        let gatt = self
            .device
            .gatt()
            .ok_or_else(|| LinkError::Bluetooth("this device has no GATT server".into()))?;
        let server: web_sys::BluetoothRemoteGattServer = wait(gatt.connect()).await?;
        let service: web_sys::BluetoothRemoteGattService =
            wait(server.get_primary_service_with_str(SERVICE_UUID)).await?;
        let command = wait(service.get_characteristic_with_str(COMMAND_UUID)).await?;
        let event: BluetoothRemoteGattCharacteristic =
            wait(service.get_characteristic_with_str(EVENT_UUID)).await?;
        self.detach_event();
        event
            .add_event_listener_with_callback(
                "characteristicvaluechanged",
                self.on_value.as_ref().unchecked_ref(),
            )
            .map_err(bluetooth_error)?;
        self.echoes.set(0);
        // The doorbell; replies are read, so a link without it still works.
        let _ = event.start_notifications().await;
        *self.characteristics.borrow_mut() = Some(Characteristics { command, event });
        Ok(())
    }

    /// The board's advertised name.
    pub fn name(&self) -> String {
        self.device.name().unwrap_or_else(|| "unnamed board".into())
    }

    /// Whether the user closed this link.
    pub fn is_closed(&self) -> bool {
        self.closed.get()
    }

    /// Disconnects for good: removes both listeners, then drops the GATT connection (so a
    /// later drop calls nothing).
    pub fn close(&self) {
        if self.closed.replace(true) {
            return;
        }
        let _ = self.device.remove_event_listener_with_callback(
            "gattserverdisconnected",
            self.on_disconnect.as_ref().unchecked_ref(),
        );
        self.detach_event();
        if let Some(gatt) = self.device.gatt() {
            gatt.disconnect();
        }
    }

    fn detach_event(&self) {
        if let Some(c) = self.characteristics.borrow().as_ref() {
            let _ = c.event.remove_event_listener_with_callback(
                "characteristicvaluechanged",
                self.on_value.as_ref().unchecked_ref(),
            );
        }
    }

    fn characteristic(
        &self,
        pick: fn(&Characteristics) -> &BluetoothRemoteGattCharacteristic,
    ) -> Result<BluetoothRemoteGattCharacteristic, LinkError> {
        if self.closed.get() {
            return Err(LinkError::Lost);
        }
        self.characteristics
            .borrow()
            .as_ref()
            .map(|c| pick(c).clone())
            .ok_or(LinkError::Lost)
    }
}

impl Drop for BluetoothLink {
    fn drop(&mut self) {
        self.close();
    }
}

impl Link for BluetoothLink {
    async fn write(&self, chunk: &[u8]) -> Result<(), LinkError> {
        let command = self.characteristic(|c| &c.command)?;
        // A write given up on (an emergency stop went first) may still be pending in the
        // browser, which then refuses another for a moment: try again, within the
        // session's time limit.
        loop {
            let promise = command
                .write_value_with_response_with_u8_slice(chunk)
                .map_err(bluetooth_error)?;
            match wait(promise).await {
                Err(LinkError::Bluetooth(why)) if why.contains("in progress") => sleep(10).await,
                other => return other.map(|_| ()),
            }
        }
    }

    async fn read(&self) -> Result<Vec<u8>, LinkError> {
        let event = self.characteristic(|c| &c.event)?;
        self.echoes.set(self.echoes.get() + 1);
        let view: DataView = match wait(event.read_value()).await {
            Ok(view) => view,
            Err(e) => {
                self.echoes.set(self.echoes.get().saturating_sub(1));
                return Err(e);
            }
        };
        Ok(Uint8Array::new_with_byte_offset_and_length(
            &view.buffer(),
            view.byte_offset() as u32,
            view.byte_length() as u32,
        )
        .to_vec())
    }
}
