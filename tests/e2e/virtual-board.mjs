// The virtual dev board behind Chromium's emulated peripheral: each GATT write and read
// the page makes is carried out by a bumble central bonded with the firmware's own
// Bluetooth app on RootCanal (tests/virtual-board/bridge.py), and its answer goes back to
// the page. Needs VIRTUAL_RADIO_PYTHON, VIRTUAL_BOARD and ROOTCANAL (cargo xtask test).
import { spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';

const BRIDGE = fileURLToPath(new URL('../virtual-board/bridge.py', import.meta.url));

/**
 * Starts RootCanal, the virtual board and a bonded central; resolves once bonded. Returns
 * a backend for `emulateBoard` (`write`, `read`), `pressButton1()`, `onDoorbell(f)` (f runs
 * at each notification from the board), `log` (the bridge's stderr) and `stop()`.
 */
export async function startVirtualBoard() {
  const bridge = spawn(process.env.VIRTUAL_RADIO_PYTHON, [BRIDGE], {
    cwd: fileURLToPath(new URL('../virtual-board/', import.meta.url)),
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  const log = [];
  bridge.stderr.on('data', (d) => log.push(d.toString()));
  const answers = [];
  let doorbell = () => {};
  let ready;
  const bonded = new Promise((resolve, reject) => {
    ready = resolve;
    bridge.on('exit', (code) => {
      const stopped = new Error(`the bridge stopped (${code}): ${log.join('')}`);
      reject(stopped);
      // Requests still waiting get an answer that says so, not a hang.
      for (const answer of answers.splice(0)) answer({ stopped });
    });
  });
  createInterface({ input: bridge.stdout }).on('line', (line) => {
    const message = JSON.parse(line);
    if (message.ready) ready();
    else if (message.doorbell) doorbell();
    else answers.shift()?.(message);
  });
  // One operation at a time, as the page makes them.
  let queue = Promise.resolve();
  const ask = (request) => {
    const answer = queue.then(() => new Promise((resolve) => {
      answers.push(resolve);
      bridge.stdin.write(`${JSON.stringify(request)}\n`);
    }));
    queue = answer;
    return answer;
  };
  await bonded;
  /** An answer's field, or the reason there is none. */
  const field = (answer, name) => {
    if (answer.stopped) throw answer.stopped;
    if (answer.error !== undefined && name !== 'error') throw new Error(`ATT error ${answer.error}`);
    return answer[name];
  };
  return {
    write: async (value) => field(await ask({ op: 'write', data: value.toString('hex') }), 'error') ?? 0,
    read: async () => Buffer.from(field(await ask({ op: 'read' }), 'data'), 'hex'),
    pressButton1: () => ask({ op: 'button1' }),
    onDoorbell: (f) => { doorbell = f; },
    log,
    stop: async () => {
      bridge.stdin.end();
      await new Promise((resolve) => (bridge.exitCode !== null ? resolve() : bridge.on('exit', resolve)));
    },
  };
}
