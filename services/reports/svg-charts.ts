/**
 * Small charts as inline SVG for the printable report. They are read in black and white:
 * every series has its own fill pattern (solid, hatched, dotted, cross-hatched, plain),
 * every bar is outlined, and every value is written out in text beside it, so nothing
 * depends on colour. Each chart is an image with a title and a description; the same
 * figures are in an accessible table next to it.
 */
export type Pattern = 'solid' | 'hatch' | 'dots' | 'cross' | 'plain';

export const escapeXml = (text: string): string =>
  text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&#39;');

const FONT = 'font-family="Arial, Helvetica, sans-serif"';

function patternDefs(prefix: string): string {
  return [
    '<defs>',
    `<pattern id="${prefix}-hatch" width="6" height="6" patternUnits="userSpaceOnUse" patternTransform="rotate(45)"><rect width="6" height="6" fill="#fff"/><line x1="0" y1="0" x2="0" y2="6" stroke="#000" stroke-width="2"/></pattern>`,
    `<pattern id="${prefix}-dots" width="5" height="5" patternUnits="userSpaceOnUse"><rect width="5" height="5" fill="#fff"/><circle cx="2.5" cy="2.5" r="1.1" fill="#000"/></pattern>`,
    `<pattern id="${prefix}-cross" width="6" height="6" patternUnits="userSpaceOnUse"><rect width="6" height="6" fill="#fff"/><path d="M0 0L6 6M6 0L0 6" stroke="#000" stroke-width="0.9"/></pattern>`,
    '</defs>',
  ].join('');
}

const fillOf = (prefix: string, pattern: Pattern): string =>
  pattern === 'solid' ? '#333' : pattern === 'plain' ? '#fff' : `url(#${prefix}-${pattern})`;

function rect(prefix: string, x: number, y: number, width: number, height: number, pattern: Pattern): string {
  return `<rect x="${x.toFixed(1)}" y="${y.toFixed(1)}" width="${Math.max(0, width).toFixed(1)}" height="${height.toFixed(1)}" fill="${fillOf(prefix, pattern)}" stroke="#000" stroke-width="1"/>`;
}

function text(x: number, y: number, content: string, options: { size?: number; anchor?: 'start' | 'middle' | 'end'; weight?: 'bold' } = {}): string {
  return `<text x="${x.toFixed(1)}" y="${y.toFixed(1)}" ${FONT} font-size="${options.size ?? 12}" text-anchor="${options.anchor ?? 'start'}"${options.weight === 'bold' ? ' font-weight="bold"' : ''} fill="#000">${escapeXml(content)}</text>`;
}

function legend(prefix: string, entries: readonly { label: string; pattern: Pattern }[], x: number, y: number): string {
  let at = x;
  const parts: string[] = [];
  for (const entry of entries) {
    parts.push(rect(prefix, at, y - 10, 14, 12, entry.pattern), text(at + 19, y, entry.label, { size: 11 }));
    at += 30 + entry.label.length * 6.2;
  }
  return parts.join('');
}

function frame(id: string, width: number, height: number, title: string, description: string, body: string): string {
  return [
    `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ${width} ${height}" width="${width}" height="${height}" role="img" aria-labelledby="${id}-title ${id}-desc">`,
    `<title id="${id}-title">${escapeXml(title)}</title><desc id="${id}-desc">${escapeXml(description)}</desc>`,
    patternDefs(id),
    `<rect x="0" y="0" width="${width}" height="${height}" fill="#fff"/>`,
    body,
    '</svg>',
  ].join('');
}

export interface StackedBar {
  label: string;
  segments: { value: number; pattern: Pattern }[];
  /** Written after the bar, e.g. "3 on time, 1 late, 1 not done". */
  note: string;
}

/** Horizontal bars, each split into parts (e.g. on time / late / not done), scaled to the largest total. */
export function stackedBarChart(options: { id: string; title: string; description: string; bars: readonly StackedBar[]; legend: readonly { label: string; pattern: Pattern }[] }): string {
  const width = 720;
  const labelWidth = 170;
  const barWidth = 300;
  const rowHeight = 30;
  const top = 34;
  const height = top + options.bars.length * rowHeight + 10;
  const max = Math.max(1, ...options.bars.map((bar) => bar.segments.reduce((sum, segment) => sum + segment.value, 0)));
  const body: string[] = [legend(options.id, options.legend, labelWidth, 16)];
  options.bars.forEach((bar, index) => {
    const y = top + index * rowHeight;
    body.push(text(labelWidth - 8, y + 14, bar.label, { anchor: 'end' }));
    let x = labelWidth;
    for (const segment of bar.segments) {
      if (segment.value <= 0) continue;
      const w = (segment.value / max) * barWidth;
      body.push(rect(options.id, x, y, w, 20, segment.pattern));
      x += w;
    }
    if (x === labelWidth) body.push(`<line x1="${labelWidth}" y1="${y}" x2="${labelWidth}" y2="${y + 20}" stroke="#000"/>`);
    body.push(text(x + 8, y + 14, bar.note, { size: 11 }));
  });
  return frame(options.id, width, height, options.title, options.description, body.join(''));
}

export interface Bar {
  label: string;
  value: number;
  /** Written after the bar, e.g. "5 (50%)". */
  note: string;
}

/** Horizontal bars of one series, one pattern. */
export function barChart(options: { id: string; title: string; description: string; bars: readonly Bar[]; pattern: Pattern }): string {
  const width = 720;
  const labelWidth = 240;
  const barWidth = 320;
  const rowHeight = 26;
  const top = 8;
  const height = top + options.bars.length * rowHeight + 6;
  const max = Math.max(1, ...options.bars.map((bar) => bar.value));
  const body: string[] = [];
  options.bars.forEach((bar, index) => {
    const y = top + index * rowHeight;
    body.push(text(labelWidth - 8, y + 13, bar.label, { anchor: 'end' }));
    const w = (bar.value / max) * barWidth;
    if (bar.value > 0) body.push(rect(options.id, labelWidth, y, w, 18, options.pattern));
    else body.push(`<line x1="${labelWidth}" y1="${y}" x2="${labelWidth}" y2="${y + 18}" stroke="#000"/>`);
    body.push(text(labelWidth + w + 8, y + 13, bar.note, { size: 11 }));
  });
  return frame(options.id, width, height, options.title, options.description, body.join(''));
}

export interface ColumnGroup {
  label: string;
  /** One value (0–100) per series, or undefined where there was nothing to count. */
  values: (number | undefined)[];
}

/** Columns of percentages grouped by month, one pattern per series, each value written above its column. */
export function groupedColumnChart(options: { id: string; title: string; description: string; groups: readonly ColumnGroup[]; series: readonly { label: string; pattern: Pattern }[] }): string {
  const width = 720;
  const left = 44;
  const top = 40;
  const plotHeight = 150;
  const height = top + plotHeight + 40;
  const groupWidth = (width - left - 10) / Math.max(1, options.groups.length);
  const columnWidth = Math.min(20, (groupWidth - 8) / Math.max(1, options.series.length));
  const body: string[] = [legend(options.id, options.series, left, 16)];
  for (const tick of [0, 50, 100]) {
    const y = top + plotHeight - (tick / 100) * plotHeight;
    body.push(`<line x1="${left}" y1="${y}" x2="${width - 10}" y2="${y}" stroke="#000" stroke-width="${tick === 0 ? 1 : 0.5}"${tick === 0 ? '' : ' stroke-dasharray="3 3"'}/>`);
    body.push(text(left - 6, y + 4, `${tick}%`, { size: 10, anchor: 'end' }));
  }
  options.groups.forEach((group, index) => {
    const x0 = left + index * groupWidth + (groupWidth - columnWidth * options.series.length) / 2;
    group.values.forEach((value, s) => {
      const x = x0 + s * columnWidth;
      const pattern = options.series[s]?.pattern ?? 'plain';
      if (value === undefined) {
        body.push(text(x + columnWidth / 2, top + plotHeight - 4, '–', { size: 10, anchor: 'middle' }));
        return;
      }
      const h = (value / 100) * plotHeight;
      body.push(rect(options.id, x, top + plotHeight - h, columnWidth - 2, h, pattern));
      body.push(text(x + columnWidth / 2 - 1, top + plotHeight - h - 3, String(Math.round(value)), { size: 9, anchor: 'middle' }));
    });
    body.push(text(left + index * groupWidth + groupWidth / 2, top + plotHeight + 16, group.label, { size: 10, anchor: 'middle' }));
  });
  return frame(options.id, width, height, options.title, options.description, body.join(''));
}
