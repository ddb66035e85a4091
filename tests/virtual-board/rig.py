"""The virtual dev board on a bench: RootCanal (a virtual controller, from PyPI), the
board's own Bluetooth app built for the host (crates/virtual-board) on one of its
controllers, and bumble (a real BLE central stack, from PyPI) on another, all on one
virtual radio. Each test gets its own RootCanal, on its own ports.

Environment: VIRTUAL_BOARD (the board binary), ROOTCANAL (the controller binary).
"""

import asyncio
import os
import re
import socket
import struct
import tempfile

from bumble.att import ATT_Error
from bumble.core import UUID, AdvertisingData
from bumble.device import Device, Peer
from bumble.hci import Address
from bumble.keys import JsonKeyStore
from bumble.pairing import PairingConfig, PairingDelegate
from bumble.transport import open_transport

# What the board must show, read from docs/protocol.md (the page a client is written from).
PROTOCOL = os.path.join(os.path.dirname(os.path.abspath(__file__)), '../../docs/protocol.md')


def gatt_layout():
    """docs/protocol.md's GATT table: {what: (UUID, properties)}, as the page writes them."""
    layout, rows = {}, False
    for line in open(PROTOCOL, encoding='utf-8'):
        if line.startswith('## Bluetooth LE GATT layout'):
            rows = True
        elif rows and line.startswith('## '):
            break
        elif rows and line.startswith('| ') and '`' in line:
            what, uuid, properties = [c.strip() for c in line.strip().strip('|').split('|')]
            layout[what] = (uuid.strip('`'), properties)
    return layout


def short(uuid):
    """A 16-bit UUID as the page writes it (`0x180A`)."""
    return UUID.from_16_bits(int(uuid.strip('`'), 16))


LAYOUT = gatt_layout()
SERVICE = UUID(LAYOUT['SCS Studio service'][0])
COMMAND = UUID(LAYOUT['command characteristic'][0])
EVENT = UUID(LAYOUT['event characteristic'][0])
DEVICE_INFORMATION = short(LAYOUT['Device Information service'][0])
MANUFACTURER_NAME, FIRMWARE_REVISION = (
    short(u) for u in re.findall(r'`(0x2A..)`', LAYOUT['Device Information service'][1]))
NAME = re.search(r'The board advertises the name `([^`]+)`',
                 open(PROTOCOL, encoding='utf-8').read()).group(1)
# The virtual board's static random address (crates/virtual-board).
BOARD_ADDRESS = Address('C0:DE:5C:50:00:01', Address.RANDOM_DEVICE_ADDRESS)


def free_ports(n):
    """n TCP ports free now on the loopback interface."""
    sockets = [socket.socket() for _ in range(n)]
    for s in sockets:
        s.bind(('127.0.0.1', 0))
    ports = [s.getsockname()[1] for s in sockets]
    for s in sockets:
        s.close()
    return ports


async def wait_for_port(port, timeout=10.0):
    """Waits until something listens on port."""
    deadline = asyncio.get_running_loop().time() + timeout
    while True:
        try:
            _, writer = await asyncio.open_connection('127.0.0.1', port)
            writer.close()
            return
        except OSError:
            if asyncio.get_running_loop().time() > deadline:
                raise TimeoutError(f'nothing listens on port {port}')
            await asyncio.sleep(0.05)


class Board:
    """The virtual board process: its buttons (stdin) and its log (stdout)."""

    def __init__(self, hci_port, bonds):
        self.hci_port = hci_port
        self.bonds = bonds
        self.log = []
        self.process = None
        self._reader = None
        self._changed = asyncio.Event()

    async def start(self):
        self.process = await asyncio.create_subprocess_exec(
            os.environ['VIRTUAL_BOARD'], '--hci', f'127.0.0.1:{self.hci_port}',
            '--bonds', self.bonds,
            stdin=asyncio.subprocess.PIPE, stdout=asyncio.subprocess.PIPE)
        self._reader = asyncio.create_task(self._read())
        await self.says('advertising')

    async def _read(self):
        while line := await self.process.stdout.readline():
            self.log.append(line.decode().rstrip())
            self._changed.set()

    async def says(self, words, after=0, timeout=10.0):
        """Waits for a line of the log (from line `after` on) that contains `words`."""
        async def seen():
            while True:
                for line in self.log[after:]:
                    if words in line:
                        return line
                self._changed.clear()
                await self._changed.wait()
        try:
            return await asyncio.wait_for(seen(), timeout)
        except TimeoutError:
            raise AssertionError(f'the board never said {words!r}; its log:\n' + '\n'.join(self.log))

    async def press(self, button):
        """Presses Button 1 (emergency stop) or Button 2 (pairing window)."""
        self.process.stdin.write(f'button{button}\n'.encode())
        await self.process.stdin.drain()

    async def stop(self):
        """Pulls the board's power: it stops at the end of its input."""
        if self.process and self.process.returncode is None:
            self.process.stdin.close()
            try:
                await asyncio.wait_for(self.process.wait(), 5)
            except TimeoutError:
                self.process.kill()
                await self.process.wait()
        if self._reader:
            await self._reader


class Rig:
    """RootCanal, the board, and as many centrals as a test needs."""

    async def start(self):
        self.dir = tempfile.TemporaryDirectory()
        test, hci, link, ble = free_ports(4)
        self.hci_port = hci
        self.rootcanal = await asyncio.create_subprocess_exec(
            os.environ['ROOTCANAL'], f'-test_port={test}', f'-hci_port={hci}',
            f'-link_port={link}', f'-link_ble_port={ble}',
            stdout=asyncio.subprocess.DEVNULL, stderr=asyncio.subprocess.DEVNULL)
        await wait_for_port(hci)
        self.board = Board(hci, os.path.join(self.dir.name, 'bonds'))
        await self.board.start()
        self.centrals = []

    async def restart_board(self):
        """The board loses power and starts again: a new controller, the same flash."""
        await self.board.stop()
        self.board = Board(self.hci_port, self.board.bonds)
        await self.board.start()

    async def central(self, name='central', address='F0:F1:F2:F3:F4:F5'):
        """A bumble central with its own controller and a key store that keeps bonds. It
        connects from its static random address and gives that as its identity (bumble
        would otherwise give its controller's public address, which it never connects
        from, and the board could not find the bond after a restart)."""
        transport = await open_transport(f'tcp-client:127.0.0.1:{self.hci_port}')
        device = Device.with_hci(name, Address(address), transport.source, transport.sink)
        device.keystore = JsonKeyStore(name, os.path.join(self.dir.name, f'{name}-keys.json'))
        device.pairing_config_factory = lambda _: PairingConfig(
            sc=True, mitm=False, bonding=True,
            identity_address_type=PairingConfig.AddressType.RANDOM,
            delegate=PairingDelegate(io_capability=PairingDelegate.NO_OUTPUT_NO_INPUT))
        await device.power_on()
        self.centrals.append(transport)
        return Central(device)

    async def stop(self):
        for transport in self.centrals:
            await transport.close()
        await self.board.stop()
        self.rootcanal.kill()
        await self.rootcanal.wait()
        self.dir.cleanup()


class Central:
    """A bumble central connected (or not) to the board."""

    def __init__(self, device):
        self.device = device
        self.connection = None
        self.peer = None
        self.doorbells = 0
        self._rung = asyncio.Event()

    async def find_board(self, timeout=10.0):
        """Scans until both the board's advertisement and its scan response are seen;
        returns what they say: {'name': …, 'services': […], 'connectable': …}."""
        seen = {'name': None, 'services': [], 'connectable': False}
        found = asyncio.get_running_loop().create_future()

        def on_advertisement(advertisement):
            if advertisement.address != BOARD_ADDRESS or found.done():
                return
            data = advertisement.data
            seen['name'] = seen['name'] or data.get(AdvertisingData.COMPLETE_LOCAL_NAME)
            seen['services'] += data.get(
                AdvertisingData.COMPLETE_LIST_OF_128_BIT_SERVICE_CLASS_UUIDS) or []
            seen['connectable'] |= advertisement.is_connectable
            if seen['name'] and seen['services']:
                found.set_result(seen)

        self.device.on('advertisement', on_advertisement)
        await self.device.start_scanning(active=True, filter_duplicates=False)
        try:
            return await asyncio.wait_for(found, timeout)
        finally:
            await self.device.stop_scanning()
            self.device.remove_listener('advertisement', on_advertisement)

    async def connect(self):
        """Connects and discovers the board's services and characteristics."""
        self.connection = await self.device.connect(BOARD_ADDRESS, timeout=10.0)
        self.peer = Peer(self.connection)
        await self.peer.discover_services()
        for service in self.peer.services:
            await service.discover_characteristics()
        return self.connection

    def characteristic(self, uuid):
        (found,) = self.peer.get_characteristics_by_uuid(uuid)
        return found

    async def subscribe(self):
        """Subscribes to the event characteristic's doorbell."""
        def rung(_value):
            self.doorbells += 1
            self._rung.set()
        await self.characteristic(EVENT).subscribe(rung)

    async def doorbell(self, timeout=5.0):
        """Waits for the next notification on the event characteristic."""
        self._rung.clear()
        await asyncio.wait_for(self._rung.wait(), timeout)

    async def write_error(self, value):
        """Writes a chunk to the command characteristic: None, or the ATT error code."""
        try:
            await self.characteristic(COMMAND).write_value(value, with_response=True)
            return None
        except ATT_Error as e:
            return e.error_code

    async def request(self, message, timeout=3.0):
        """Sends a message in 20-byte chunks and reads the reply as docs/protocol.md says:
        each read gives the next chunk, or nothing yet."""
        for chunk in chunks(message):
            await self.characteristic(COMMAND).write_value(chunk, with_response=True)
        return await self.read_message(timeout)

    async def read_message(self, timeout=3.0):
        """Reads the event characteristic chunk by chunk until a message is whole."""
        reply = b''
        deadline = asyncio.get_running_loop().time() + timeout
        while True:
            chunk = bytes(await self.characteristic(EVENT).read_value())
            if not chunk:
                if asyncio.get_running_loop().time() > deadline:
                    raise TimeoutError('no reply')
                await asyncio.sleep(0.02)
                continue
            reply += chunk[1:]
            if chunk[0] & 0x80:
                return reply

    async def disconnect(self):
        await self.connection.disconnect()


# The protocol, written from docs/protocol.md.

VERSION = 2


def golden(label):
    """The golden bytes docs/protocol.md shows for the message it calls `label`."""
    for line in open(PROTOCOL, encoding='utf-8'):
        cells = [c.strip() for c in line.strip().strip('|').split('|')]
        if len(cells) == 4 and cells[0] == label:
            return bytes.fromhex(cells[3].strip('`'))
    raise KeyError(f'docs/protocol.md has no golden row {label!r}')

def crc32c(data):
    """CRC-32/ISCSI: polynomial 0x1EDC6F41 reflected, init and final XOR 0xFFFFFFFF."""
    crc = 0xFFFFFFFF
    for byte in data:
        crc ^= byte
        for _ in range(8):
            crc = (crc >> 1) ^ (0x82F63B78 if crc & 1 else 0)
    return crc ^ 0xFFFFFFFF


def varint(n):
    out = b''
    while True:
        if n < 0x80:
            return out + bytes([n])
        out += bytes([n & 0x7F | 0x80])
        n >>= 7


def message(seq, body):
    """The version, the sequence number, the body, the CRC."""
    head = bytes([VERSION]) + varint(seq) + body
    return head + struct.pack('<I', crc32c(head))


def chunks(message, size=20):
    parts = [message[i:i + size - 1] for i in range(0, len(message), size - 1)]
    return [bytes([i | (0x80 if i == len(parts) - 1 else 0)]) + p for i, p in enumerate(parts)]
