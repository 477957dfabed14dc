// Plain JavaScript on purpose: it must run on the old Node it refuses. `npm install`, `npm start` and
// `npm test` run it first, so an old Node gets one sentence instead of ERR_UNKNOWN_FILE_EXTENSION ".ts".
export const REQUIRED_NODE = '22.18';

/** The sentence an old Node gets, or null when this version will do. */
export function nodeVersionProblem(version) {
  const [major, minor] = version.split('.').map(Number);
  const [needMajor, needMinor] = REQUIRED_NODE.split('.').map(Number);
  if (major > needMajor || (major === needMajor && minor >= needMinor)) return null;
  return `Switchboard needs Node.js ${REQUIRED_NODE} or newer (this is ${version}). `
    + 'One way to get it: `nvm install` in this directory (it reads .nvmrc), or '
    + '`npm i --prefix "$HOME/.cache/node22" node@22` and put "$HOME/.cache/node22/node_modules/.bin" first on PATH.';
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const problem = nodeVersionProblem(process.versions.node);
  if (problem) {
    console.error(problem);
    process.exit(1);
  }
}
