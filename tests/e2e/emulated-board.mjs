// An emulated SCS Studio board for the end-to-end tests: Chromium's Bluetooth emulation
// (CDP) presents the real GATT layout of docs/protocol.md, and every write and read is
// answered by the device server itself, compiled for Node (crates/node-peripheral), or by
// another backend: the virtual dev board (virtual-board.mjs).
import { createRequire } from 'node:module';

const { Peripheral } = createRequire(import.meta.url)(process.env.PERIPHERAL);

// The GATT layout (stim-proto's gatt.rs).
export const SERVICE = '5661245d-a6d9-4e08-b94f-833b718980d2';
const COMMAND = '5661245e-a6d9-4e08-b94f-833b718980d2';
const EVENT = '5661245f-a6d9-4e08-b94f-833b718980d2';
const DEVICE_INFORMATION = '0000180a-0000-1000-8000-00805f9b34fb';
const MANUFACTURER_NAME = '00002a29-0000-1000-8000-00805f9b34fb';
const CCCD = '00002902-0000-1000-8000-00805f9b34fb';
const ADDRESS = '09:09:09:09:09:09';

/** ATT error "insufficient authentication": what a board answers an unbonded central. */
export const INSUFFICIENT_AUTHENTICATION = 0x05;

/**
 * Presents a board to `page` (call after navigating: a reload drops the adapter).
 * `unbonded`: every write is answered with ATT "insufficient authentication", as the
 * firmware answers a central that has not paired. `unreachable`: connection attempts are
 * never answered (a board out of range). Returns controls:
 * - `disconnect()` drops the link;
 * - `corruptNextRead()` / `corruptNextWrite()` flip a bit of the next value read / written;
 * - `loseNextChunkAfter(n)`: of the next reads, pass n, then lose one chunk on the way;
 * - `holdNextWrite()` leaves the next write unanswered; `holdWrites()` all of them (a link
 *   that dropped without a word), `releaseWrites()` answers again; `held` counts the
 *   writes still held;
 * - `pressButton1()` is the board's emergency-stop button (an event waits for the app);
 * - `dropPulses(n)` makes the board report n pulses its pin loader dropped;
 *   `ringDoorbell()` rings as the board's notification would;
 * - `targetUa(program)`, `state()` read the board itself;
 * - `operations` counts what the page did.
 * `backend` answers writes and reads instead of the Node peripheral: `write(bytes)` resolves
 * to an ATT code (0: done), `read()` to the value; the Node peripheral's own controls
 * (Button 1, dropped pulses, reading the board) then do nothing.
 */
export async function emulateBoard(browser, context, page, { stepped = true, unbonded = false, unreachable = false, backend = null } = {}) {
  const board = backend ? null : new Peripheral(stepped);
  const io = backend ?? {
    write: async (value) => { board.write(value, performance.now()); return 0; },
    read: async () => Buffer.from(board.read()),
  };
  const cdp = await browser.newBrowserCDPSession();
  await cdp.send('BluetoothEmulation.enable', { state: 'powered-on', leSupported: true });
  await cdp.send('BluetoothEmulation.simulatePreconnectedPeripheral', {
    address: ADDRESS, name: 'SCS Studio', manufacturerData: [], knownServiceUuids: [SERVICE],
  });
  // The emulation forgets a peripheral's services when the link drops; a real board keeps
  // them, so the layout is declared again after each drop (with new ids).
  let command;
  let event;
  async function declareLayout() {
    const { serviceId } = await cdp.send('BluetoothEmulation.addService', { address: ADDRESS, serviceUuid: SERVICE });
    ({ characteristicId: command } = await cdp.send('BluetoothEmulation.addCharacteristic', {
      serviceId, characteristicUuid: COMMAND, properties: { write: true },
    }));
    ({ characteristicId: event } = await cdp.send('BluetoothEmulation.addCharacteristic', {
      serviceId, characteristicUuid: EVENT, properties: { read: true, notify: true },
    }));
    await cdp.send('BluetoothEmulation.addDescriptor', { characteristicId: event, descriptorUuid: CCCD });
    const { serviceId: info } = await cdp.send('BluetoothEmulation.addService', { address: ADDRESS, serviceUuid: DEVICE_INFORMATION });
    await cdp.send('BluetoothEmulation.addCharacteristic', { serviceId: info, characteristicUuid: MANUFACTURER_NAME, properties: { read: true } });
  }
  await declareLayout();

  const operations = { connection: 0, discovery: 0, write: 0, read: 0, subscribe: 0 };
  let corrupt = false;
  let corruptWrite = false;
  let loseAfter = null;
  let holdNext = false;
  let holdAll = false;
  let emptyNext = false;
  const held = [];
  cdp.on('BluetoothEmulation.gattOperationReceived', async ({ address, type }) => {
    operations[type] += 1;
    // Out of range: a connection attempt never completes.
    if (unreachable && type === 'connection') return;
    await cdp.send('BluetoothEmulation.simulateGATTOperationResponse', { address, type, code: 0 });
  });
  cdp.on('BluetoothEmulation.characteristicOperationReceived', async ({ characteristicId, type, data }) => {
    if (type === 'write' && characteristicId === command) {
      operations.write += 1;
      if (unbonded) {
        await cdp.send('BluetoothEmulation.simulateCharacteristicOperationResponse', { characteristicId, type, code: unbonded === true ? INSUFFICIENT_AUTHENTICATION : unbonded });
        return;
      }
      if (holdAll || holdNext) {
        holdNext = false;
        held.push({ characteristicId, type });
        return;
      }
      const value = Buffer.from(data, 'base64');
      if (corruptWrite && value.length > 1) {
        value[1] ^= 0x01;
        corruptWrite = false;
      }
      const code = await io.write(value);
      await cdp.send('BluetoothEmulation.simulateCharacteristicOperationResponse', { characteristicId, type, code });
    } else if (type === 'read' && characteristicId === event) {
      operations.read += 1;
      if (emptyNext) {
        // A notification's stand-in: an empty value, nothing taken from the outbox.
        emptyNext = false;
        await cdp.send('BluetoothEmulation.simulateCharacteristicOperationResponse', { characteristicId, type, code: 0, data: '' });
        return;
      }
      let value = await io.read();
      if (loseAfter !== null && value.length > 0) {
        if (loseAfter === 0) {
          value = await io.read();
          loseAfter = null;
        } else {
          loseAfter -= 1;
        }
      }
      if (corrupt && value.length > 1) {
        value[1] ^= 0x01;
        corrupt = false;
      }
      await cdp.send('BluetoothEmulation.simulateCharacteristicOperationResponse', {
        characteristicId, type, code: 0, data: value.toString('base64'),
      });
    } else {
      if (type.startsWith('subscribe')) operations.subscribe += 1;
      await cdp.send('BluetoothEmulation.simulateCharacteristicOperationResponse', { characteristicId, type, code: 0 });
    }
  });
  cdp.on('BluetoothEmulation.descriptorOperationReceived', async ({ descriptorId, type }) => {
    await cdp.send('BluetoothEmulation.simulateDescriptorOperationResponse', { descriptorId, type, code: 0, data: '' });
  });

  // The device chooser: pick the board, answering each prompt once.
  const pageCdp = await context.newCDPSession(page);
  await pageCdp.send('DeviceAccess.enable');
  const answered = new Set();
  pageCdp.on('DeviceAccess.deviceRequestPrompted', async ({ id, devices }) => {
    if (answered.has(id) || devices.length === 0) return;
    answered.add(id);
    await pageCdp.send('DeviceAccess.selectPrompt', { id, deviceId: devices[0].id });
  });

  return {
    operations,
    disconnect: async () => {
      await cdp.send('BluetoothEmulation.simulateGATTDisconnection', { address: ADDRESS });
      await declareLayout();
    },
    corruptNextRead: () => { corrupt = true; },
    corruptNextWrite: () => { corruptWrite = true; },
    loseNextChunkAfter: (n) => { loseAfter = n; },
    holdNextWrite: () => { holdNext = true; },
    holdWrites: () => { holdAll = true; },
    /** Answers again: held writes are answered (too late for the page, which gave up). */
    releaseWrites: async () => {
      holdAll = false;
      for (const op of held.splice(0)) {
        await cdp.send('BluetoothEmulation.simulateCharacteristicOperationResponse', { ...op, code: 0 });
      }
    },
    get held() { return held.length; },
    pressButton1: () => board?.press_button_1(performance.now()),
    /** The board's pin loader reports `count` dropped pulses in its telemetry. */
    dropPulses: (count) => board?.report_dropped_pulses(count),
    /**
     * Rings the doorbell as a notification would. The emulation cannot push a value, so a
     * read from the test's own script (not the app's) gets an empty value, and the
     * browser fires `characteristicvaluechanged` at the app's listener.
     */
    ringDoorbell: async () => {
      emptyNext = true;
      await page.evaluate(async (uuids) => {
        const [device] = await navigator.bluetooth.getDevices();
        const service = await device.gatt.getPrimaryService(uuids.service);
        const event = await service.getCharacteristic(uuids.event);
        await event.readValue();
      }, { service: SERVICE, event: EVENT });
    },
    targetUa: (program) => board?.target_ua(program),
    state: () => board?.state(),
  };
}
