"""The virtual dev board's scenarios (issue 17): the firmware's own Bluetooth app, built
for the host, driven by a real central (bumble) through a virtual controller (RootCanal).
Run by `cargo xtask test` (stage `board`); see rig.py for the bench."""

import asyncio
import unittest

from bumble.att import ATT_Error

from rig import (COMMAND, DEVICE_INFORMATION, EVENT, FIRMWARE_REVISION, LAYOUT,
                 MANUFACTURER_NAME, NAME, SERVICE, VERSION, Rig, chunks, golden, message,
                 varint)

# ATT errors (Bluetooth Core, Vol 3, Part F, 3.4.1.1).
INSUFFICIENT_AUTHENTICATION = 0x05
INVALID_ATTRIBUTE_VALUE_LENGTH = 0x0D
# The protocol's golden requests (docs/protocol.md, "Every message, byte by byte").
IDENTIFY = golden('`Identify`')
# Reply kinds: Reply::Response is 0, then the response's tag.
DONE, IDENTITY, STATUS, TELEMETRY = 0, 3, 4, 6
# Device states in a Status (stim-core's State).
IDLE, RUNNING, EMERGENCY_STOPPED = 1, 2, 4
# The golden LoadProgramSet: one tonic program, E4 − E5 +, 50 Hz, 200 µs, 2.0 mA, patient
# range 0–6 mA. Its fields lie between the tag and the CRC.
LOAD_MESSAGE = golden('`LoadProgramSet`: one tonic program (below)')
LOAD_FIELDS = LOAD_MESSAGE[3:-4]


def request(seq, tag, fields=b''):
    """A request message: its tag, then its fields."""
    return message(seq, bytes([tag]) + fields)


def status(body):
    """(state, [target µA of each program]) from a Status at the start of body: state,
    selection (All: 0; One: 1 and the program), program count, then four amplitudes now
    and four targets, as varints."""
    state, i = body[0], (2 if body[1] == 0 else 3)
    programs, i = body[i], i + 1
    values = []
    while len(values) < 8:
        value, shift = 0, 0
        while True:
            value |= (body[i] & 0x7F) << shift
            shift += 7
            i += 1
            if body[i - 1] < 0x80:
                break
        values.append(value)
    return state, values[4:4 + programs]


def reply_kind(reply):
    """(sequence number, response tag) of a reply: version, seq varint, Reply tag 0."""
    assert reply[0] == VERSION, f'protocol version {reply[0]}'
    seq, i = 0, 1
    while True:
        seq |= (reply[i] & 0x7F) << (7 * (i - 1))
        i += 1
        if reply[i - 1] < 0x80:
            break
    assert reply[i] == 0, f'not a Response: {reply.hex(" ")}'
    return seq, reply[i + 1]


# Request tags (stim-proto's Request, docs/protocol.md).
GET_STATUS, LOAD, START, STOP, SET_AMPLITUDE, READ_TELEMETRY = 1, 3, 4, 5, 6, 9


class Scenarios(unittest.IsolatedAsyncioTestCase):
    async def asyncSetUp(self):
        self.rig = Rig()
        await self.rig.start()

    async def asyncTearDown(self):
        self.board_log = self.rig.board.log
        await self.rig.stop()

    def run(self, result=None):
        """Runs the test; a failure shows the board's log (every line it said)."""
        failures = len(result.failures) + len(result.errors) if result else 0
        outcome = super().run(result)
        if result and len(result.failures) + len(result.errors) > failures:
            print('\nthe board\'s log:\n' + '\n'.join(self.board_log), flush=True)
        return outcome

    async def paired_central(self, name='central', address='F0:F1:F2:F3:F4:F5'):
        """A central bonded inside the pairing window opened by Button 2."""
        central = await self.rig.central(name, address)
        await central.find_board()
        mark = len(self.rig.board.log)
        await self.rig.board.press(2)
        await self.rig.board.says('pairing window open', after=mark)
        await central.connect()
        await central.connection.pair()
        await self.rig.board.says('bond kept in slot', after=mark)
        return central

    async def test_discovery_matches_docs_protocol_md(self):
        central = await self.rig.central()
        advertised = await central.find_board()
        self.assertEqual(advertised['name'], NAME)
        self.assertIn(SERVICE, advertised['services'])
        self.assertTrue(advertised['connectable'])
        await central.connect()
        services = {s.uuid for s in central.peer.services}
        self.assertIn(SERVICE, services)
        self.assertIn(DEVICE_INFORMATION, services)
        # The properties the page gives: write (with response) in; read and notify out.
        command, event = central.characteristic(COMMAND), central.characteristic(EVENT)
        bits = {'read': 0x02, 'write (with response)': 0x08, 'notify': 0x10}
        for characteristic, what in ((command, 'command characteristic'),
                                     (event, 'event characteristic')):
            wanted = {p.split(' (CCCD')[0].strip() for p in LAYOUT[what][1].split(', ')}
            got = {p for p, bit in bits.items() if characteristic.properties & bit}
            self.assertEqual(got, wanted, what)
        self.assertEqual(len(event.descriptors or await event.discover_descriptors()), 1,
                         'the event characteristic has its CCCD')
        # Anyone may read Device Information: no pairing yet.
        maker = bytes(await central.characteristic(MANUFACTURER_NAME).read_value()).decode()
        firmware = bytes(await central.characteristic(FIRMWARE_REVISION).read_value()).decode()
        self.assertIn('not a medical device', maker)
        self.assertRegex(firmware, r'^\d+\.\d+\.\d+$')

    async def test_a_command_before_pairing_is_refused_and_pairing_outside_the_window_gives_no_bond(self):
        central = await self.rig.central()
        await central.find_board()
        await central.connect()
        self.assertEqual(await central.write_error(chunks(IDENTIFY)[0]),
                         INSUFFICIENT_AUTHENTICATION)
        await self.rig.board.says('refused WriteCommand: NotBonded')
        # Pairing without Button 2: the link may be encrypted, but no bond is made...
        try:
            await central.connection.pair()
        except Exception:
            pass
        await self.rig.board.says('may not bond')
        await self.rig.board.says('paired, not bonded')
        self.assertNotIn('bond kept', '\n'.join(self.rig.board.log))
        # ...and commands stay refused.
        self.assertEqual(await central.write_error(chunks(IDENTIFY)[0]),
                         INSUFFICIENT_AUTHENTICATION)


    async def test_pairing_inside_the_window_bonds_and_the_bond_survives_a_restart_and_a_second_bond(self):
        first = await self.paired_central()
        self.assertTrue(first.connection.is_encrypted)
        self.assertTrue(first.connection.sc, 'LE Secure Connections')
        seq, kind = reply_kind(await first.request(IDENTIFY))
        self.assertEqual((seq, kind), (1, IDENTITY))
        await first.disconnect()
        await self.rig.board.says('disconnected')

        # The board loses power and starts again: the bond comes back from its store.
        await self.rig.restart_board()
        await self.rig.board.says('bond restored from slot 0')
        await first.connect()
        await first.connection.encrypt()
        self.assertEqual(reply_kind(await first.request(IDENTIFY))[1], IDENTITY)
        await first.disconnect()
        await self.rig.board.says('disconnected')

        # A second central bonds after the restart: it takes slot 1, not the first's.
        second = await self.paired_central('second', 'F0:F1:F2:F3:F4:F6')
        self.assertIn('bond kept in slot 1', '\n'.join(self.rig.board.log))
        self.assertEqual(reply_kind(await second.request(IDENTIFY))[1], IDENTITY)
        mark = len(self.rig.board.log)
        await second.disconnect()
        await self.rig.board.says('disconnected', after=mark)

        await self.rig.restart_board()
        await self.rig.board.says('bond restored from slot 1')
        await first.connect()
        await first.connection.encrypt()
        self.assertEqual(reply_kind(await first.request(IDENTIFY))[1], IDENTITY)

    async def test_a_full_session_identify_load_start_amplitude_telemetry_stop(self):
        central = await self.paired_central()
        transcript = []
        for seq, (tag, fields) in enumerate([
            (0, b''),                                     # Identify
            (LOAD, LOAD_FIELDS),                        # LoadProgramSet: one tonic program
            (START, b''),
            (SET_AMPLITUDE, bytes([0]) + varint(2500)),   # program 1 to 2.5 mA
            (READ_TELEMETRY, b''),
            (STOP, b''),
            (GET_STATUS, b''),
        ], start=1):
            reply = await central.request(request(seq, tag, fields))
            got_seq, kind = reply_kind(reply)
            self.assertEqual(got_seq, seq, 'a response carries its request\'s number')
            body = reply[3:]  # version, a one-byte seq, Reply::Response
            transcript.append((kind, status(body[1:]) if kind in (STATUS, TELEMETRY) else None))
        self.assertEqual(transcript, [
            (IDENTITY, None),
            (DONE, None),
            (DONE, None),
            (DONE, None),
            (TELEMETRY, (RUNNING, [2500])),
            (DONE, None),
            (STATUS, (IDLE, [2500])),
        ])

    async def test_button_1_stops_stimulation_and_the_central_is_notified(self):
        central = await self.paired_central()
        await central.subscribe()
        for seq, (tag, fields) in enumerate([(LOAD, LOAD_FIELDS), (START, b'')], start=1):
            self.assertEqual(reply_kind(await central.request(request(seq, tag, fields)))[1], DONE)
        rung = central.doorbells
        await self.rig.board.press(1)
        await central.doorbell()
        self.assertGreater(central.doorbells, rung)
        event = await central.read_message()
        # The version, seq 0, Reply::Event, Event::StateChanged, then the status.
        self.assertEqual(event[:4], bytes([VERSION, 0, 1, 0]))
        self.assertEqual(status(event[4:])[0], EMERGENCY_STOPPED)

    async def test_link_loss_keeps_the_program_running_and_reverts_a_test_amplitude(self):
        central = await self.paired_central()
        for seq, (tag, fields) in enumerate([
            (LOAD, LOAD_FIELDS), (START, b''), (SET_AMPLITUDE, bytes([0]) + varint(3000)),
        ], start=1):
            self.assertEqual(reply_kind(await central.request(request(seq, tag, fields)))[1], DONE)
        # The link drops (the central vanishes), then comes back.
        await central.disconnect()
        await self.rig.board.says('disconnected')
        await central.connect()
        await central.connection.encrypt()
        reply = await central.request(request(4, GET_STATUS))
        self.assertEqual(reply_kind(reply)[1], STATUS)
        self.assertEqual(status(reply[4:]), (RUNNING, [2000]),
                         'still running, at the programmed 2.0 mA, not the tested 3.0 mA')


    async def test_an_unbonded_central_reads_no_reply_by_uuid_and_may_not_subscribe(self):
        bonded = await self.paired_central()
        self.assertEqual(reply_kind(await bonded.request(IDENTIFY))[1], IDENTITY)
        mark = len(self.rig.board.log)
        await bonded.disconnect()
        await self.rig.board.says('disconnected', after=mark)
        stranger = await self.rig.central('stranger', 'F0:F1:F2:F3:F4:F7')
        await stranger.find_board()
        await stranger.connect()
        # Read by type (by UUID) goes around the handle: it must find no reply kept.
        values = await stranger.peer.read_characteristics_by_uuid(EVENT)
        self.assertTrue(all(not bytes(v) for v in values), f'read by UUID gave {values}')
        with self.assertRaises(ATT_Error) as refused:
            await stranger.characteristic(EVENT).read_value()
        self.assertEqual(refused.exception.error_code, INSUFFICIENT_AUTHENTICATION)
        with self.assertRaises(ATT_Error) as refused:
            await stranger.subscribe()
        self.assertEqual(refused.exception.error_code, INSUFFICIENT_AUTHENTICATION)

    async def test_button_2_pressed_while_connected_lets_that_central_bond(self):
        central = await self.rig.central()
        await central.find_board()
        await central.connect()
        await self.rig.board.says('may not bond')
        await self.rig.board.press(2)
        await self.rig.board.says('pairing window open: may bond')
        await central.connection.pair()
        await self.rig.board.says('bond kept in slot 0')
        self.assertEqual(reply_kind(await central.request(IDENTIFY))[1], IDENTITY)

    async def test_a_fifth_central_bonds_in_the_oldest_slot(self):
        for n in range(5):
            central = await self.paired_central(f'central{n}', f'F0:F1:F2:F3:F4:{0xE0 + n:02X}')
            self.assertEqual(reply_kind(await central.request(IDENTIFY))[1], IDENTITY)
            mark = len(self.rig.board.log)
            await central.disconnect()
            await self.rig.board.says('disconnected', after=mark)
        kept = [line.split('slot ')[1] for line in self.rig.board.log if 'bond kept in slot' in line]
        self.assertEqual(kept, ['0', '1', '2', '3', '0'])

    async def test_a_chunk_longer_than_a_chunk_never_reaches_the_stimulator(self):
        central = await self.paired_central()
        await central.peer.request_mtu(64)
        too_long = bytes([0x80]) + bytes(30)
        self.assertEqual(await central.write_error(too_long), INVALID_ATTRIBUTE_VALUE_LENGTH)
        await self.rig.board.says('refused a command chunk longer than 20 bytes')
        # Had it reached the device, its Rejected answer would come first.
        self.assertEqual(reply_kind(await central.request(IDENTIFY)), (1, IDENTITY))


if __name__ == '__main__':
    unittest.main(verbosity=2)
