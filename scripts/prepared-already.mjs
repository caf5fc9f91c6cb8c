// Exits 0 (so `prepare` skips its build) when npm runs `prepare` for `npx mnist-lab` in a clone
// that `npm install` has already built: npm exec installs the checkout into its cache as a link
// to this same folder, and building it again would only cost half a minute.
import { existsSync } from 'node:fs';

const built = existsSync(new URL('../dist/cli/main.js', import.meta.url));
process.exit(process.env.npm_command === 'exec' && built ? 0 : 1);
