// Loaded with `node --import` by tests that bound a command's memory: prints the process's peak
// resident set size on exit, as the last line of stderr.
import { writeSync } from 'node:fs';

process.on('exit', () => {
  writeSync(2, `\nmaxrss-kb ${process.resourceUsage().maxRSS}\n`);
});
