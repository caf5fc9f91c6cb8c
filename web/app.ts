import { store } from './api.js';
import { fill, h } from './dom.js';
import { comparePage } from './pages/compare.js';
import { drawPage } from './pages/draw.js';
import { runPage } from './pages/run.js';
import { runsPage } from './pages/runs.js';
import { startPage } from './pages/start.js';
import { sweepPage } from './pages/sweep.js';
import { trainHerePage } from './pages/train-here.js';

/** A page draws into `main` and returns what to undo when the user leaves it. */
export type Page = (main: HTMLElement, params: Record<string, string>) => () => void;

const PAGES: Record<string, Page> = {
  '': runsPage,
  run: runPage,
  compare: comparePage,
  sweep: sweepPage,
  start: startPage,
  draw: drawPage,
  'train-here': trainHerePage,
};

const main = document.getElementById('main')!;
let leave: () => void = () => {};

function route(): void {
  leave();
  const hash = location.hash.replace(/^#\/?/, '');
  const [name = '', q = ''] = hash.split('?');
  const page = PAGES[name];
  for (const a of document.querySelectorAll('nav a')) {
    a.classList.toggle('active', a.getAttribute('href') === `#/${name}`);
  }
  if (!page) {
    fill(main, h('p', { class: 'error' }, `No page '${name}'.`), h('a', { href: '#/' }, 'Runs'));
    leave = () => {};
    return;
  }
  main.replaceChildren();
  leave = page(main, Object.fromEntries(new URLSearchParams(q)));
  window.scrollTo(0, 0);
}

const live = document.getElementById('live')!;
store.on((what) => {
  if (what === 'connection') {
    live.classList.toggle('on', store.connected);
    live.title = store.connected ? 'live updates on' : 'reconnecting…';
  }
});
store.connect();
window.addEventListener('hashchange', route);
route();
