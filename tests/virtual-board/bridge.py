"""A bridge from the browser to the virtual dev board, for the end-to-end tests: Chromium's
emulated Bluetooth peripheral (tests/e2e/virtual-board.mjs) hands each GATT operation
to this process, which carries it out as a bumble central bonded with the virtual board
(the firmware's own Bluetooth app) through RootCanal, and answers.

One JSON object per line. In: {"op": "write", "data": hex} | {"op": "read"} |
{"op": "button1"}. Out: {"ready": true} once bonded, then one answer per request,
{"ok": true} | {"data": hex} | {"error": ATT error code}, and {"doorbell": true} whenever the
board notifies. Environment as rig.py's.
"""

import asyncio
import json
import sys

from bumble.att import ATT_Error

from rig import COMMAND, EVENT, Rig


def say(message):
    print(json.dumps(message), flush=True)


async def main():
    rig = Rig()
    await rig.start()
    try:
        central = await rig.central()
        await central.find_board()
        await rig.board.press(2)
        await rig.board.says('pairing window open')
        await central.connect()
        await central.connection.pair()
        await rig.board.says('bond kept in slot')
        await central.characteristic(EVENT).subscribe(lambda _: say({'doorbell': True}))
        say({'ready': True})

        reader = asyncio.StreamReader()
        await asyncio.get_running_loop().connect_read_pipe(
            lambda: asyncio.StreamReaderProtocol(reader), sys.stdin)
        while line := await reader.readline():
            request = json.loads(line)
            try:
                if request['op'] == 'write':
                    await central.characteristic(COMMAND).write_value(
                        bytes.fromhex(request['data']), with_response=True)
                    say({'ok': True})
                elif request['op'] == 'read':
                    say({'data': bytes(await central.characteristic(EVENT).read_value()).hex()})
                elif request['op'] == 'button1':
                    await rig.board.press(1)
                    say({'ok': True})
            except ATT_Error as e:
                say({'error': e.error_code})
    finally:
        await rig.stop()


if __name__ == '__main__':
    asyncio.run(main())
