// Plain JavaScript, like check-node.mjs: the flags the server's Node runs with, printed for `npm start`'s
// command line and imported by whatever else starts a server (tests, benches), so all run it the same way.
//
// AsyncLocalStorage (the ORM's transaction context) is built on async hooks in Node 22: once used, every
// promise and every socket write calls a hook that copies the context, about 8 % of the server's CPU per
// message delivered or conversation created (docs/performance.md). Node 22 can back it by AsyncContextFrame
// instead, under a flag; Node 24 does so by default and refuses the flag, so it is given to 22 and 23 only.
const FRAME_FLAG = '--experimental-async-context-frame';

/** The flags for this Node version (`process.versions.node`). */
export function serverNodeFlags(version) {
  const major = Number(version.split('.')[0]);
  return major === 22 || major === 23 ? [FRAME_FLAG] : [];
}

if (import.meta.url === `file://${process.argv[1]}`) console.log(serverNodeFlags(process.versions.node).join(' '));
