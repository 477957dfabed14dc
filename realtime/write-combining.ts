// Several packets for the same sockets in one run of the event loop (a commit's messages of one conversation)
// leave in one write per socket. Engine.io already holds a socket's packets while its transport is busy with a
// write; here the local websockets of some rooms are held that way until the current run ends, then each sends
// what it holds with its TCP socket corked: one writev for N frames instead of N (and one wake-up per reader).
import type { AppServer } from './types.ts';

/** The parts of engine.io's socket and websocket transport this uses (fields its own flow control uses). */
interface HeldConnection {
  readyState: string;
  transport: { name: string; writable: boolean; socket?: { _socket?: { cork(): void; uncork(): void } } };
  flush?: () => void;
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
    for (const connection of held) {
      if (connection.readyState === 'closed') continue;
      const raw = connection.transport.socket?._socket;
      raw?.cork();
      try {
        connection.flush!();
      } finally {
        raw?.uncork();
      }
    }
  }
}
