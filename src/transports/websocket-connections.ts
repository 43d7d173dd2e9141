/**
 * The WebSocket host's connection budget, so no local process can exhaust main's file
 * descriptors: a cap on open TCP connections (Node drops the ones over it at once), a cap on
 * handshakes in progress (connections that have not sent a complete request head yet; the
 * oldest is dropped to admit a new one, so idle connections cannot lock pages out), a deadline
 * for a handshake, and refused upgrades closed at once instead of left half-open.
 * @packageDocumentation
 */
import type { Server } from 'node:http';
import type { Socket } from 'node:net';
import type { Duplex } from 'node:stream';

/** Defaults of the budget (see docs/reliability.md, "Transports"). */
export const CONNECTION_DEFAULTS = {
  /** Open TCP connections (sockets, sync requests and page assets alike). */
  maxConnections: 256,
  /** Connections that have not sent a complete request head yet. */
  maxHandshakes: 32,
  /** Longest a connection may take to send its request head (and a sync body to arrive). */
  handshakeTimeoutMs: 10_000,
} as const;

/** The limits of a {@link ConnectionBudget}. */
export interface ConnectionLimits {
  readonly maxConnections: number;
  readonly maxHandshakes: number;
  readonly handshakeTimeoutMs: number;
}

/** Watches one server's connections and holds them to the limits. */
export class ConnectionBudget {
  /** Connections still in their handshake, oldest first, with their deadline. */
  private readonly handshaking = new Map<Duplex, ReturnType<typeof setTimeout>>();

  constructor(server: Server, private readonly limits: ConnectionLimits) {
    server.maxConnections = limits.maxConnections;
    server.on('connection', (socket: Socket) => this.admit(socket));
    server.on('request', (req: { socket: Duplex }) => this.settled(req.socket));
    server.prependListener('upgrade', (req: { socket: Duplex }) => this.settled(req.socket));
  }

  /** Connections in their handshake now. */
  get handshakes(): number {
    return this.handshaking.size;
  }

  /** The connection sent a complete request head: it is no longer a handshake. */
  settled(socket: Duplex): void {
    const timer = this.handshaking.get(socket);
    if (timer === undefined) return;
    clearTimeout(timer);
    this.handshaking.delete(socket);
  }

  /** Stop every deadline (the server is closing). */
  stop(): void {
    for (const t of this.handshaking.values()) clearTimeout(t);
    this.handshaking.clear();
  }

  private admit(socket: Socket): void {
    if (this.handshaking.size >= this.limits.maxHandshakes) {
      const oldest = this.handshaking.keys().next().value;
      if (oldest) this.drop(oldest);
    }
    const timer = setTimeout(() => this.drop(socket), this.limits.handshakeTimeoutMs);
    timer.unref();
    this.handshaking.set(socket, timer);
    socket.once('close', () => this.settled(socket));
  }

  private drop(socket: Duplex): void {
    this.settled(socket);
    socket.destroy();
  }
}

/**
 * Refuse an upgrade with a bare HTTP response before any socket exists, then close the
 * connection: ended once written, destroyed if the peer does not take it within a second.
 */
export function refuseUpgrade(socket: Duplex, status: number, text: string): void {
  const timer = setTimeout(() => socket.destroy(), 1000);
  timer.unref();
  socket.end(`HTTP/1.1 ${status} ${text}\r\nconnection: close\r\ncontent-length: 0\r\n\r\n`, () => {
    clearTimeout(timer);
    socket.destroy();
  });
}
