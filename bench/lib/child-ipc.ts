// The parent side of a bench client process talks to it over IPC: `start` runs the process's setup and
// answers `{ready}` (or `{error}`); every other command goes to its own handler; `stop` exits.
type Handlers = Record<string, () => void>;

export function serveParent<Cfg>(start: (cfg: Cfg) => Promise<number>, handlers: Handlers, stop: () => void): void {
  process.on('message', async (msg: { cmd: string; cfg?: Cfg }) => {
    if (msg.cmd === 'start') {
      try {
        process.send!({ ready: await start(msg.cfg!) });
      } catch (err) {
        process.send!({ error: String(err) });
      }
    } else if (msg.cmd === 'stop') {
      stop();
      process.exit(0);
    } else {
      handlers[msg.cmd]?.();
    }
  });
}
