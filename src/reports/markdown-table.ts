/** A GitHub-flavoured markdown table; columns marked 'right' are right-aligned (numbers). */
export function markdownTable(
  header: readonly string[],
  rows: readonly (readonly string[])[],
  align: readonly ('left' | 'right')[] = [],
): string {
  const cell = (s: string): string => s.replace(/\|/g, '\\|').replace(/\n/g, ' ');
  const widths = header.map((h, c) =>
    Math.max(3, cell(h).length, ...rows.map((r) => cell(r[c] ?? '').length)),
  );
  const pad = (s: string, c: number): string =>
    align[c] === 'right' ? cell(s).padStart(widths[c]!) : cell(s).padEnd(widths[c]!);
  const line = (cells: readonly string[]): string =>
    `| ${header.map((_, c) => pad(cells[c] ?? '', c)).join(' | ')} |`;
  const rule = `| ${widths.map((w, c) => (align[c] === 'right' ? `${'-'.repeat(w - 1)}:` : '-'.repeat(w))).join(' | ')} |`;
  return [line(header), rule, ...rows.map(line)].join('\n');
}
