/**
 * `remora/transports/worker`: a renderer in a Node `worker_threads` Worker.
 *
 * Async frames travel over a dedicated MessagePort. Synchronous calls block the worker (never
 * main) with `Atomics.wait` on a SharedArrayBuffer; main posts the reply on a second port
 * and bumps a counter; the worker wakes and takes the reply with `receiveMessageOnPort`.
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
 * @packageDocumentation
 */
import { Subject, type Observable } from 'rxjs';
import { MessageChannel, type MessagePort, parentPort, receiveMessageOnPort, type Worker } from 'node:worker_threads';
import { RemoraError } from '../errors.js';
import type { CloseReason, SyncTransport, Transport } from '../transport.js';

const CONNECT_KEY = '__remora_connect__';
/** Slot 0: bumped for every sync reply. Slot 1: 1 once main closed. */
const SEQ = 0;
const CLOSED = 1;

interface ConnectMessage {
  [CONNECT_KEY]: { port: MessagePort; syncPort: MessagePort; flag: SharedArrayBuffer };
}

class PortTransport implements Transport {
  private readonly inbox = new Subject<unknown>();
  private readonly closedSubject = new Subject<CloseReason>();
  readonly messages$: Observable<unknown> = this.inbox.asObservable();
  readonly closed$: Observable<CloseReason> = this.closedSubject.asObservable();
  isClosed = false;

  constructor(protected readonly port: MessagePort, protected readonly syncPort: MessagePort, protected readonly flag: Int32Array) {
    port.on('message', (m: unknown) => {
      if (!this.isClosed) this.inbox.next(m);
    });
    port.once('close', () => this.ended({ kind: 'closed', detail: 'the other side closed its port' }));
  }

  send(message: unknown): void {
    if (this.isClosed) return;
    try {
      this.port.postMessage(message);
    } catch (e) {
      this.ended({ kind: 'error', detail: `postMessage failed: ${(e as Error).message}` });
    }
  }

  ended(reason: CloseReason): void {
    if (this.isClosed) return;
    this.isClosed = true;
    this.closedSubject.next(reason);
    this.closedSubject.complete();
    this.inbox.complete();
  }

  close(reason: CloseReason = { kind: 'closed' }): void {
    if (this.isClosed) return;
    this.ended(reason);
    this.port.close();
    this.syncPort.close();
  }
}

class MainSide extends PortTransport {
  constructor(port: MessagePort, syncPort: MessagePort, flag: Int32Array, worker: Worker) {
    super(port, syncPort, flag);
    const onExit = (code: number): void => this.ended({ kind: 'exit', detail: `worker exited with code ${code}` });
    worker.once('exit', onExit);
    this.closed$.subscribe(() => worker.off('exit', onExit));
  }

  replySync(message: unknown): void {
    if (this.isClosed) return;
    this.syncPort.postMessage(message);
    Atomics.add(this.flag, SEQ, 1);
    Atomics.notify(this.flag, SEQ);
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
  sendSync(message: unknown, id: number, timeoutMs: number): unknown {
    if (this.isClosed || Atomics.load(this.flag, CLOSED) === 1) throw new RemoraError('E_CLOSED', 'Closed: main closed this connection.');
    this.port.postMessage(message);
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const seen = Atomics.load(this.flag, SEQ);
      for (let m = receiveMessageOnPort(this.syncPort); m; m = receiveMessageOnPort(this.syncPort)) {
        if ((m.message as { id?: unknown }).id === id) return m.message;
        // A late reply to an earlier sync call that timed out: discard it.
      }
      if (Atomics.load(this.flag, CLOSED) === 1) throw new RemoraError('E_CLOSED', 'Closed: main closed this connection while a synchronous call was waiting.');
      const left = deadline - Date.now();
      if (left <= 0 || Atomics.wait(this.flag, SEQ, seen, left) === 'timed-out') {
        this.send({ t: 'cancel', id });
        throw new RemoraError('E_TIMEOUT', `The synchronous call did not settle within ${timeoutMs} ms. Raise syncTimeout, or use the async API.`);
      }
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
  const flag = new SharedArrayBuffer(8);
  const msg: ConnectMessage = { [CONNECT_KEY]: { port: a.port2, syncPort: s.port2, flag } };
  worker.postMessage(msg, [a.port2, s.port2]);
  return new MainSide(a.port1, s.port1, new Int32Array(flag), worker);
}

/**
 * Renderer side (inside the worker): wait for main's ports and return the transport.
 * Main's connect message waits in the port's queue until this call listens for it.
 */
export function connectToMain(port: MessagePort | null = parentPort): Promise<SyncTransport> {
  if (!port) return Promise.reject(new RemoraError('E_PROTOCOL', 'connectToMain() must run inside a worker thread (no parentPort).'));
  return new Promise((resolve) => {
    const onMessage = (m: unknown): void => {
      if (!isConnect(m)) return;
      port.off('message', onMessage);
      resolve(fromConnect(m));
    };
    port.on('message', onMessage);
  });
}

function isConnect(m: unknown): m is ConnectMessage {
  return typeof m === 'object' && m !== null && CONNECT_KEY in m;
}

function fromConnect(m: ConnectMessage): SyncTransport {
  const c = m[CONNECT_KEY];
  return new RendererSide(c.port, c.syncPort, new Int32Array(c.flag));
}
