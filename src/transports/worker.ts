/**
 * `remora/transports/worker`: a renderer in a Node `worker_threads` Worker.
 *
 * Async frames travel over a dedicated MessagePort. Synchronous calls block the worker (never
 * main) with `Atomics.wait` on a SharedArrayBuffer; main posts the reply on a second port
 * and bumps a counter; the worker wakes and takes the reply with `receiveMessageOnPort`.
 * A reply whose value is a finite number, a boolean, null or undefined skips the port: main
 * writes it into the shared buffer (no message to clone, no wake-up of the worker's event loop).
 * Binary mode `structured`: postMessage clones each message as it is sent, so remora hands it
 * binary data uncopied, and buffers marked with `transfer()` go in its transfer list.
 * The session ends when the worker exits or either side closes its port.
 *
 * @example
 * ```ts
 * // main
 * const worker = new Worker(new URL('./renderer.js', import.meta.url));
 * broker.connect(workerTransport(worker));
 * // renderer.js (in the worker)
 * const client = connect(await connectToMain());
 * ```
 * @module remora/transports/worker
 */
import { MessageChannel, type MessagePort, parentPort, receiveMessageOnPort, type Worker } from 'node:worker_threads';
import * as errors from '../errors/factories.js';
import type { CloseReason, SyncTransport, Transport } from '../transport.js';
import { refusalOf, TransportEnd } from './transport-end.js';

const CONNECT_KEY = '__remora_connect__';
/** Slot 0: bumped for every sync reply. Slot 1: 1 once main closed. */
const SEQ = 0;
const CLOSED = 1;
/**
 * The inline reply: slot 2 its state (EMPTY, WRITING, FULL), slot 3 its request id, slot 6
 * the kind of value; the number itself is the Float64 at byte 16.
 */
const SLOT = 2;
const SLOT_ID = 3;
const SLOT_KIND = 6;
const EMPTY = 0;
const WRITING = 1;
const FULL = 2;
/** Float64 index of the inline number (byte 16). */
const SLOT_NUMBER = 2;
const FLAG_BYTES = 32;
/** Kinds of inline value: a number, true, false, null, undefined (wire `['u']`). */
const K_NUMBER = 0;
const K_TRUE = 1;
const K_FALSE = 2;
const K_NULL = 3;
const K_UNDEFINED = 4;

/** The kind of an `ok` reply's wire value that fits the shared buffer, or -1. */
function inlineKind(v: unknown): number {
  if (typeof v === 'number') return K_NUMBER;
  if (v === true) return K_TRUE;
  if (v === false) return K_FALSE;
  if (v === null) return K_NULL;
  return Array.isArray(v) && v.length === 1 && v[0] === 'u' ? K_UNDEFINED : -1;
}

/** True when an `ok` frame has no fields besides `t`, `id` and `v` (counted without allocating). */
function exactlyOkFields(m: object): boolean {
  let n = 0;
  for (const _ in m) if (++n > 3) return false;
  return n === 3;
}

function inlineValue(kind: number, n: number): unknown {
  switch (kind) {
    case K_NUMBER:
      return n;
    case K_TRUE:
      return true;
    case K_FALSE:
      return false;
    case K_NULL:
      return null;
    default:
      return ['u'];
  }
}

interface ConnectMessage {
  [CONNECT_KEY]: { port: MessagePort; syncPort: MessagePort; flag: SharedArrayBuffer };
}

class PortTransport extends TransportEnd implements Transport {
  /** postMessage clones each message as it is sent and takes a transfer list. */
  readonly binary = 'structured' as const;

  constructor(protected readonly port: MessagePort, protected readonly syncPort: MessagePort, protected readonly flag: Int32Array) {
    super();
    port.on('message', (m: unknown) => this.push(m));
    port.once('close', () => this.ended({ kind: 'closed', detail: 'the other side closed its port' }));
  }

  /**
   * Post one message, moving the buffers of `transfer` (detached here afterwards). Never
   * throws: a message that cannot be cloned closes the connection (both ports, so the other
   * side learns) with a typed reason (`E_BAD_VALUE`, or `E_FRAME_TOO_LARGE` when the clone
   * ran out of room).
   */
  send(message: unknown, transfer?: readonly ArrayBuffer[]): void {
    if (this.isClosed) return;
    try {
      if (transfer && transfer.length > 0) this.port.postMessage(message, transfer as ArrayBuffer[]);
      else this.port.postMessage(message);
    } catch (e) {
      this.close(refusalOf(e, 'a message to the other side'));
    }
  }

  close(reason: CloseReason = { kind: 'closed' }): void {
    if (this.isClosed) return;
    this.ended(reason);
    this.port.close();
    this.syncPort.close();
  }
}

class MainSide extends PortTransport {
  private readonly numbers: Float64Array;

  constructor(port: MessagePort, syncPort: MessagePort, flag: Int32Array, worker: Worker) {
    super(port, syncPort, flag);
    this.numbers = new Float64Array(flag.buffer);
    const onExit = (code: number): void => this.ended({ kind: 'exit', detail: `worker exited with code ${code}` });
    worker.once('exit', onExit);
    this.closed$.subscribe(() => worker.off('exit', onExit));
  }

  replySync(message: unknown): void {
    if (this.isClosed) return;
    try {
      if (!this.inline(message)) this.syncPort.postMessage(message);
    } catch (e) {
      this.close(refusalOf(e, 'a synchronous reply to the worker'));
      return;
    }
    Atomics.add(this.flag, SEQ, 1);
    Atomics.notify(this.flag, SEQ);
  }

  /**
   * Write an `ok` reply with a primitive value into the shared buffer. Only when the slot is
   * empty: a late reply still unread there (its call timed out) sends the next one by port.
   */
  private inline(message: unknown): boolean {
    const m = message as { t?: unknown; id?: unknown; v?: unknown };
    if (m.t !== 'ok' || typeof m.id !== 'number' || (m.id | 0) !== m.id) return false;
    const kind = inlineKind(m.v);
    if (kind < 0 || !exactlyOkFields(m)) return false;
    if (Atomics.compareExchange(this.flag, SLOT, EMPTY, WRITING) !== EMPTY) return false;
    if (kind === K_NUMBER) this.numbers[SLOT_NUMBER] = m.v as number;
    Atomics.store(this.flag, SLOT_ID, m.id);
    Atomics.store(this.flag, SLOT_KIND, kind);
    Atomics.store(this.flag, SLOT, FULL);
    return true;
  }

  override close(reason?: CloseReason): void {
    // Wake a renderer blocked in a sync call so it sees E_CLOSED instead of waiting out its deadline.
    Atomics.store(this.flag, CLOSED, 1);
    Atomics.add(this.flag, SEQ, 1);
    Atomics.notify(this.flag, SEQ);
    super.close(reason);
  }

  override ended(reason: CloseReason): void {
    Atomics.store(this.flag, CLOSED, 1);
    Atomics.notify(this.flag, SEQ);
    super.ended(reason);
  }
}

class RendererSide extends PortTransport implements SyncTransport {
  private readonly numbers: Float64Array;

  constructor(port: MessagePort, syncPort: MessagePort, flag: Int32Array) {
    super(port, syncPort, flag);
    this.numbers = new Float64Array(flag.buffer);
  }

  sendSync(message: unknown, id: number, timeoutMs: number): unknown {
    if (this.isClosed || Atomics.load(this.flag, CLOSED) === 1) throw errors.closed({ what: 'main closed this connection' });
    // The reply counter is read before posting, so the first thing to do is sleep: a reply that
    // lands before the wait has already moved the counter, and the wait returns at once.
    let seen = Atomics.load(this.flag, SEQ);
    this.port.postMessage(message);
    const deadline = Date.now() + timeoutMs;
    let left = timeoutMs;
    for (;;) {
      if (left <= 0 || Atomics.wait(this.flag, SEQ, seen, left) === 'timed-out') {
        this.send({ t: 'cancel', id });
        throw errors.syncTimeout({ ms: timeoutMs });
      }
      seen = Atomics.load(this.flag, SEQ);
      if (Atomics.load(this.flag, SLOT) === FULL) {
        const rid = Atomics.load(this.flag, SLOT_ID);
        const v = inlineValue(Atomics.load(this.flag, SLOT_KIND), this.numbers[SLOT_NUMBER]!);
        Atomics.store(this.flag, SLOT, EMPTY);
        if (rid === id) return { t: 'ok', id, v };
        // A late inline reply to an earlier sync call that timed out: discard it.
      }
      for (let m = receiveMessageOnPort(this.syncPort); m; m = receiveMessageOnPort(this.syncPort)) {
        if ((m.message as { id?: unknown }).id === id) return m.message;
        // A late reply to an earlier sync call that timed out: discard it.
      }
      if (Atomics.load(this.flag, CLOSED) === 1) throw errors.closed({ what: 'main closed this connection while a synchronous call was waiting' });
      left = deadline - Date.now();
    }
  }
}

/**
 * Main side: connect to a renderer running in `worker`. Posts the connection's ports to the
 * worker; the worker calls {@link connectToMain}.
 */
export function workerTransport(worker: Worker): Transport {
  const a = new MessageChannel();
  const s = new MessageChannel();
  const flag = new SharedArrayBuffer(FLAG_BYTES);
  const msg: ConnectMessage = { [CONNECT_KEY]: { port: a.port2, syncPort: s.port2, flag } };
  worker.postMessage(msg, [a.port2, s.port2]);
  return new MainSide(a.port1, s.port1, new Int32Array(flag), worker);
}

/** Options of {@link connectToMain}. */
export interface WorkerConnectOptions {
  /** Where main's connect message arrives. Default: the worker's `parentPort`. */
  port?: MessagePort | null;
  /**
   * How long to wait for main's `workerTransport(worker)` on this worker, in ms, before the
   * promise rejects with `E_TIMEOUT`. Default {@link DEFAULT_CONNECT_TIMEOUT}; 0 waits forever.
   */
  timeout?: number;
}

/** Default wait for main's `workerTransport(worker)` (see {@link WorkerConnectOptions.timeout}). */
export const DEFAULT_CONNECT_TIMEOUT = 10_000;

/**
 * Renderer side (inside the worker): wait for main's ports and return the transport.
 * Main's connect message waits in the port's queue until this call listens for it. If it has
 * not come within `timeout` (main never called `workerTransport(worker)` for this worker), the
 * promise rejects with `E_TIMEOUT` and stops listening, so the worker can exit. The timer is not
 * unref'd: the wait is pending work, and the script gets the error rather than hanging or
 * exiting silently. A `MessagePort` (or null) in place of the options is taken as `port`.
 */
export function connectToMain(options: WorkerConnectOptions | MessagePort | null = {}): Promise<SyncTransport> {
  const o: WorkerConnectOptions = options === null || isPort(options) ? { port: options } : options;
  const port = o.port === undefined ? parentPort : o.port;
  const ms = o.timeout ?? DEFAULT_CONNECT_TIMEOUT;
  if (!port) return Promise.reject(errors.of('E_PROTOCOL', 'connectToMain() must run inside a worker thread (no parentPort).'));
  return new Promise((resolve, reject) => {
    let timer: ReturnType<typeof setTimeout> | undefined;
    const onMessage = (m: unknown): void => {
      if (!isConnect(m)) return;
      port.off('message', onMessage);
      if (timer !== undefined) clearTimeout(timer);
      resolve(fromConnect(m));
    };
    port.on('message', onMessage);
    if (!(ms > 0)) return;
    timer = setTimeout(() => {
      port.off('message', onMessage);
      reject(errors.waitedInVain({
        ms,
        waitedFor: "main's workerTransport(worker) on this worker",
        advice: 'Call broker.connect(workerTransport(worker)) in main for this worker, or raise connectToMain({ timeout }) if main is slow to start.',
      }));
    }, ms);
  });
}

function isPort(o: WorkerConnectOptions | MessagePort): o is MessagePort {
  return typeof (o as { postMessage?: unknown }).postMessage === 'function';
}

function isConnect(m: unknown): m is ConnectMessage {
  return typeof m === 'object' && m !== null && CONNECT_KEY in m;
}

function fromConnect(m: ConnectMessage): SyncTransport {
  const c = m[CONNECT_KEY];
  return new RendererSide(c.port, c.syncPort, new Int32Array(c.flag));
}
