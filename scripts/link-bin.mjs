// Run by `npm install` in a clone (prepare): links node_modules/.bin/mnist-lab to this
// checkout's bin, so `npx mnist-lab ...` runs the local build at once. Without it, npx finds
// no local bin and installs the folder into its own cache, rebuilding everything (over a minute).
import { chmodSync, mkdirSync, rmSync, symlinkSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const binDir = join(root, 'node_modules', '.bin');
const link = join(binDir, 'mnist-lab');
mkdirSync(binDir, { recursive: true });
rmSync(link, { force: true });
symlinkSync(join('..', '..', 'bin', 'mnist-lab.js'), link);
chmodSync(join(root, 'bin', 'mnist-lab.js'), 0o755);
