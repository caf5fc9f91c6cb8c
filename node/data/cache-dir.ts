import { homedir } from 'node:os';
import { join } from 'node:path';

/** The user cache: $XDG_CACHE_HOME/mnist-lab, else ~/.cache/mnist-lab. */
export function userCacheDir(env: NodeJS.ProcessEnv = process.env): string {
  const xdg = env['XDG_CACHE_HOME'];
  return join(xdg && xdg.length > 0 ? xdg : join(homedir(), '.cache'), 'mnist-lab');
}
