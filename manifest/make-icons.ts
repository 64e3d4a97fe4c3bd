/**
 * Draws the two Teams app icons and writes them next to this file:
 *   color.png   192×192, the loop mark in white on a rounded #2E5E8C square
 *   outline.png  32×32, the same mark in pure white on a fully transparent background
 * Run with `npx tsx manifest/make-icons.ts`. The PNGs are committed; rerun only to change them.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { crc32, deflateSync } from 'node:zlib';

type Rgba = readonly [number, number, number, number];
const BLUE: Rgba = [0x2e, 0x5e, 0x8c, 255];
const WHITE: Rgba = [255, 255, 255, 255];

/** Minimal PNG: 8-bit RGBA (colour type 6), no interlace, filter type 0 on every row. */
export function encodePng(width: number, height: number, rgba: Buffer): Buffer {
  const stride = width * 4;
  const raw = Buffer.alloc((stride + 1) * height);
  for (let y = 0; y < height; y++) rgba.copy(raw, y * (stride + 1) + 1, y * stride, (y + 1) * stride);
  const chunk = (type: string, data: Buffer): Buffer => {
    const body = Buffer.concat([Buffer.from(type, 'ascii'), data]);
    const length = Buffer.alloc(4);
    length.writeUInt32BE(data.length);
    const crc = Buffer.alloc(4);
    crc.writeUInt32BE(crc32(body));
    return Buffer.concat([length, body, crc]);
  };
  const header = Buffer.alloc(13);
  header.writeUInt32BE(width, 0);
  header.writeUInt32BE(height, 4);
  header.set([8, 6, 0, 0, 0], 8); // bit depth, colour type RGBA, compression, filter, interlace
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', header),
    chunk('IDAT', deflateSync(raw, { level: 9 })),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}

/**
 * The loop mark, in coordinates where the mark's box is [-1, 1] on both axes (y up):
 * a thick ring open at the top right, with an arrowhead at one end pointing into the gap.
 */
const RING = { mid: 0.62, half: 0.17, gapFrom: 25, gapTo: 100 }; // radii in box units, angles in degrees
const ARROW = { length: 0.5, halfWidth: 0.38 };

function inMark(x: number, y: number): boolean {
  const r = Math.hypot(x, y);
  const angle = (Math.atan2(y, x) * 180) / Math.PI;
  if (Math.abs(r - RING.mid) <= RING.half && (angle <= RING.gapFrom || angle >= RING.gapTo)) return true;
  // Arrowhead: base across the ring where the gap begins, apex along the direction of travel (anticlockwise).
  const a = (RING.gapFrom * Math.PI) / 180;
  const [cx, cy] = [x - RING.mid * Math.cos(a), y - RING.mid * Math.sin(a)];
  const along = -cx * Math.sin(a) + cy * Math.cos(a);
  const across = cx * Math.cos(a) + cy * Math.sin(a);
  return along >= 0 && along <= ARROW.length && Math.abs(across) <= ARROW.halfWidth * (1 - along / ARROW.length);
}

/** Fraction of a pixel inside `shape`, sampled on an n×n grid. */
function coverage(px: number, py: number, n: number, shape: (x: number, y: number) => boolean): number {
  let hits = 0;
  for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) if (shape(px + (i + 0.5) / n, py + (j + 0.5) / n)) hits++;
  return hits / (n * n);
}

/** Pixel-space test for the mark centred in a square of `size` px, the mark's box `markSize` px wide. */
function markAt(size: number, markSize: number) {
  return (x: number, y: number): boolean => inMark((x - size / 2) / (markSize / 2), (size / 2 - y) / (markSize / 2));
}

function roundedSquare(size: number, radius: number) {
  return (x: number, y: number): boolean => {
    const dx = Math.max(radius - x, x - (size - radius), 0);
    const dy = Math.max(radius - y, y - (size - radius), 0);
    return dx * dx + dy * dy <= radius * radius;
  };
}

export function drawColorIcon(size = 192): Buffer {
  const rgba = Buffer.alloc(size * size * 4);
  const background = roundedSquare(size, size * 0.2);
  const mark = markAt(size, size * 0.6);
  for (let y = 0; y < size; y++) {
    for (let x = 0; x < size; x++) {
      const bg = coverage(x, y, 4, background);
      const fg = coverage(x, y, 4, mark);
      // White mark over blue square; anti-aliased edges, transparent outside the square.
      const pixel = [0, 1, 2].map((c) => Math.round((BLUE[c] ?? 0) * (1 - fg) + (WHITE[c] ?? 0) * fg));
      rgba.set([...pixel, Math.round(255 * bg)], (y * size + x) * 4);
    }
  }
  return encodePng(size, size, rgba);
}

export function drawOutlineIcon(size = 32): Buffer {
  const rgba = Buffer.alloc(size * size * 4); // all zero: fully transparent
  const mark = markAt(size, size - 2);
  for (let y = 0; y < size; y++) {
    for (let x = 0; x < size; x++) {
      // Teams wants pure white on transparent, so no partial alpha: a pixel is in or out.
      if (coverage(x, y, 4, mark) >= 0.5) rgba.set(WHITE, (y * size + x) * 4);
    }
  }
  return encodePng(size, size, rgba);
}

if (require.main === module) {
  for (const [name, png] of [
    ['color.png', drawColorIcon()],
    ['outline.png', drawOutlineIcon()],
  ] as const) {
    writeFileSync(join(__dirname, name), png);
    console.log(`wrote manifest/${name} (${png.length} bytes)`);
  }
}
