// DATA_DIR holds the embedded database and the generated secrets (message bodies, inbox and webhook secrets):
// only the server's own user may read it. Made with mode 0700 (parents too) and, for a folder an earlier
// version left readable, every entry under it loses its group and other permissions.
import { chmod, mkdir, readdir, stat } from 'node:fs/promises';
import { join } from 'node:path';

async function restrict(path: string): Promise<void> {
  const info = await stat(path);
  if (info.isDirectory()) {
    if ((info.mode & 0o777) !== 0o700) await chmod(path, 0o700);
    for (const entry of await readdir(path)) await restrict(join(path, entry));
  } else if (info.mode & 0o077) {
    await chmod(path, info.mode & 0o700);
  }
}

/** Creates the folder when it does not exist, and closes it to everyone but this user. */
export async function prepareDataDir(dir: string): Promise<void> {
  await mkdir(dir, { recursive: true, mode: 0o700 });
  await restrict(dir);
}
