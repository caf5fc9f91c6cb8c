// PNG and JPEG files as pixels, through pngjs and jpeg-js, with sizes bounded before decoding.
import { readFile, stat } from 'node:fs/promises';
import jpeg from 'jpeg-js';
import { PNG } from 'pngjs';
import type { DigitImage } from '../../src/data/mnist-form.js';

/** Largest image file read, and largest picture decoded (pixels). */
const MAX_FILE_BYTES = 64 * 1024 * 1024;
const MAX_PIXELS = 40_000_000;

/** An image file that cannot be used: the message names it. */
export class ImageFileError extends Error {
  constructor(
    readonly file: string,
    detail: string,
  ) {
    super(`${file}: ${detail}`);
    this.name = 'ImageFileError';
  }
}

const isPng = (b: Uint8Array): boolean =>
  b.length >= 24 && b[0] === 0x89 && b[1] === 0x50 && b[2] === 0x4e && b[3] === 0x47;
const isJpeg = (b: Uint8Array): boolean =>
  b.length >= 3 && b[0] === 0xff && b[1] === 0xd8 && b[2] === 0xff;

/** Decodes a PNG or JPEG file to RGBA pixels. */
export async function readImage(file: string): Promise<DigitImage> {
  const info = await stat(file).catch((e: NodeJS.ErrnoException) => {
    throw new ImageFileError(file, e.code === 'ENOENT' ? 'not found.' : e.message);
  });
  if (!info.isFile()) throw new ImageFileError(file, 'not a regular file.');
  if (info.size > MAX_FILE_BYTES)
    throw new ImageFileError(
      file,
      `is ${info.size} bytes, more than the limit of ${MAX_FILE_BYTES}.`,
    );
  const bytes = new Uint8Array(await readFile(file));
  try {
    if (isPng(bytes)) {
      const view = new DataView(bytes.buffer, bytes.byteOffset);
      const width = view.getUint32(16);
      const height = view.getUint32(20);
      if (width * height > MAX_PIXELS)
        throw new Error(`${width}x${height} pixels is more than the limit of ${MAX_PIXELS}`);
      const png = PNG.sync.read(Buffer.from(bytes));
      return {
        data: new Uint8Array(png.data.buffer, png.data.byteOffset, png.data.byteLength),
        width: png.width,
        height: png.height,
        channels: 4,
      };
    }
    if (isJpeg(bytes)) {
      const img = jpeg.decode(bytes, {
        useTArray: true,
        formatAsRGBA: true,
        maxResolutionInMP: MAX_PIXELS / 1e6,
        maxMemoryUsageInMB: 512,
      });
      return { data: img.data, width: img.width, height: img.height, channels: 4 };
    }
  } catch (e) {
    throw new ImageFileError(file, `cannot be decoded (${(e as Error).message}).`);
  }
  throw new ImageFileError(file, 'is not a PNG or JPEG image.');
}
