// Run by `npm pack` (prepack): copies the four DejaVu faces the figures use, and their licence,
// from the dev dependency into fonts/, so the package ships them and not the whole family.
import { copyFileSync, mkdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const src = dirname(createRequire(import.meta.url).resolve('dejavu-fonts-ttf/package.json'));
const out = join(root, 'fonts');
mkdirSync(out, { recursive: true });
// Keep in step with FONT_FILES in node/reports/svg-png.ts.
for (const f of [
  'DejaVuSans.ttf',
  'DejaVuSans-Bold.ttf',
  'DejaVuSans-Oblique.ttf',
  'DejaVuSansMono.ttf',
]) {
  copyFileSync(join(src, 'ttf', f), join(out, f));
}
copyFileSync(join(src, 'LICENSE'), join(out, 'LICENSE'));
