/** The current UTC time for folder names: 2026-11-22_00-52-24 (sorts by time, no ':' for Windows). */
export function fileStamp(date: Date = new Date()): string {
  return date.toISOString().replace(/[:.]/g, '-').replace('T', '_').slice(0, 19);
}
