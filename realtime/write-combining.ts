// Several packets for the same socket leave in one write. Engine.io holds a socket's packets while its transport is
// busy with a write, then sends the backlog one frame at a time, each its own writev: every flush of more than one
// packet here goes with the TCP socket corked, one writev for N frames (and one wake-up for the reader). A flood of
// acks answered in one read (refusals, a group's acks) costs two writes, not one per ack.
// Beyond that, the local websockets of some rooms can be held until the current run of the event loop ends (a
// commit's messages of one conversation), so that even the first packet waits for the others.
import type { AppServer } from './types.ts';

/** The parts of engine.io's socket and websocket transport this uses (fields its own flow control uses). */
interface HeldConnection {
  readyState: string;
  writeBuffer: unknown[];
  transport: { name: string; writable: boolean; socket?: { _socket?: { cork(): void; uncork(): void } } };
  flush?: () => void;
}

/** Every connection's flush of more than one packet on a websocket writes them in one writev. */
export function corkFlushes(io: AppServer): void {
  io.engine.on('connection', (connection: HeldConnection) => {
    const flush = connection.flush?.bind(connection);
    // An engine.io without flush (another version) is left alone.
    if (!flush) return;
    connection.flush = () => {
      const raw = connection.writeBuffer.length > 1 && connection.transport.name === 'websocket' ? connection.transport.socket?._socket : undefined;
      if (!raw) return flush();
      raw.cork();
      try {
        flush();
      } finally {
        raw.uncork();
      }
    };
  });
}

export class WriteCombiner {
  #io: AppServer;
  #held = new Set<HeldConnection>();
  /** Rooms held in this run of the loop; none between runs, so the first hold of a run schedules the release. */
  #heldRooms = new Set<string>();

  constructor(io: AppServer) {
    this.#io = io;
  }

  /** Holds the writes of this node's websockets in `rooms` until the current run of the event loop ends. */
  hold(rooms: string[]): void {
    const namespace = this.#io.of('/');
    const firstOfRun = this.#heldRooms.size === 0;
    for (const room of rooms) {
      if (this.#heldRooms.has(room)) continue;
      this.#heldRooms.add(room);
      for (const id of namespace.adapter.rooms.get(room) ?? []) {
        const connection = namespace.sockets.get(id)?.conn as unknown as HeldConnection | undefined;
        // A transport already busy holds by itself; polling transports and an engine.io without flush are left alone.
        if (!connection || this.#held.has(connection) || connection.transport.name !== 'websocket'
          || !connection.transport.writable || typeof connection.flush !== 'function') continue;
        connection.transport.writable = false;
        this.#held.add(connection);
      }
    }
    if (!firstOfRun || this.#heldRooms.size === 0) return;
    // After the current run's synchronous work and its promise reactions, before any I/O.
    process.nextTick(() => this.#release());
  }

  #release(): void {
    const held = [...this.#held];
    this.#held.clear();
    this.#heldRooms.clear();
    // Every transport writable again first, so that none stays held whatever happens to another's flush.
    for (const connection of held) connection.transport.writable = true;
    // Each flush corks its socket (corkFlushes), so what a connection holds leaves in one write.
    for (const connection of held) if (connection.readyState !== 'closed') connection.flush!();
  }
}
