// Turns any picture of one digit into the form MNIST's images have (LeCun, Cortes and Burges,
// "The MNIST database"): white ink on black, the digit size-normalised into a 20x20 box keeping
// its aspect ratio (anti-aliased, hence grey levels), then centred by its centre of mass in a
// 28x28 field. Browser-safe: the CLI's `predict` and the web page's drawing pad share it.

/** A decoded image: row-major pixels, `channels` values per pixel (gray, RGB or RGBA). */
export interface DigitImage {
  /** 0..255 for integer arrays; 0..1 for Float32Array. */
  data: Uint8Array | Uint8ClampedArray | Float32Array;
  width: number;
  height: number;
  channels: 1 | 3 | 4;
}

export interface MnistFormOptions {
  /**
   * Whether the digit is dark ink on a light background and must be inverted. Default 'auto':
   * decided from the image's border (the mean of its outermost pixels above one half means a
   * light background).
   */
  invert?: boolean | 'auto';
  /**
   * Ink level, as a fraction of the strongest ink, below which a pixel does not count when
   * cropping to the digit (so paper grain or JPEG noise do not widen the box). Default 0.2.
   */
  cropThreshold?: number;
}

/** MNIST's side and the box the digit is fitted into. */
const SIDE = 28;
const BOX = 20;

/** Rec. 601 luma, as most grayscale conversions (and PIL's 'L' mode) use. */
function luma(r: number, g: number, b: number): number {
  return 0.299 * r + 0.587 * g + 0.114 * b;
}

function checkImage(image: DigitImage): void {
  const { width, height, channels, data } = image;
  if (!Number.isInteger(width) || !Number.isInteger(height) || width < 1 || height < 1) {
    throw new RangeError(
      `toMnistForm: width and height must be positive integers, got ${width}x${height}.`,
    );
  }
  if (channels !== 1 && channels !== 3 && channels !== 4) {
    throw new RangeError(`toMnistForm: channels must be 1, 3 or 4, got ${String(channels)}.`);
  }
  if (data.length !== width * height * channels) {
    throw new RangeError(
      `toMnistForm: a ${width}x${height} image with ${channels} channel(s) needs ${width * height * channels} values, got ${data.length}.`,
    );
  }
}

/**
 * Gray levels in [0, 1]. Transparent pixels are composited onto the background the strokes
 * stand out from: a drawing of light strokes on a transparent canvas gets black, of dark
 * strokes white (so a canvas with no background painted works either way).
 */
function grayscale(image: DigitImage): Float32Array {
  const { data, width, height, channels } = image;
  const scale = data instanceof Float32Array ? 1 : 1 / 255;
  const n = width * height;
  const gray = new Float32Array(n);
  const alpha = channels === 4 ? new Float32Array(n) : null;
  for (let i = 0; i < n; i++) {
    const p = i * channels;
    const v = channels === 1 ? data[p]! : luma(data[p]!, data[p + 1]!, data[p + 2]!);
    gray[i] = Math.min(1, Math.max(0, v * scale));
    if (alpha) alpha[i] = Math.min(1, Math.max(0, data[p + 3]! * scale));
  }
  if (alpha && alpha.some((a) => a < 1)) {
    let ink = 0;
    let weight = 0;
    for (let i = 0; i < n; i++) {
      ink += gray[i]! * alpha[i]!;
      weight += alpha[i]!;
    }
    const background = weight > 0 && ink / weight > 0.5 ? 0 : 1;
    for (let i = 0; i < n; i++) gray[i] = gray[i]! * alpha[i]! + background * (1 - alpha[i]!);
  }
  return gray;
}

/** Mean of the outermost ring of pixels. */
function borderMean(gray: Float32Array, width: number, height: number): number {
  let sum = 0;
  let count = 0;
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      if (y === 0 || y === height - 1 || x === 0 || x === width - 1) {
        sum += gray[y * width + x]!;
        count++;
      }
    }
  }
  return sum / count;
}

/** Resamples a w x h plane to ow x oh: area averaging when shrinking, bilinear when enlarging. */
function resize(src: Float32Array, w: number, h: number, ow: number, oh: number): Float32Array {
  const out = new Float32Array(ow * oh);
  const sx = w / ow;
  const sy = h / oh;
  if (sx >= 1 && sy >= 1) {
    for (let oy = 0; oy < oh; oy++) {
      const y0 = oy * sy;
      const y1 = y0 + sy;
      for (let ox = 0; ox < ow; ox++) {
        const x0 = ox * sx;
        const x1 = x0 + sx;
        let sum = 0;
        for (let y = Math.floor(y0); y < Math.min(h, Math.ceil(y1)); y++) {
          const wy = Math.min(y + 1, y1) - Math.max(y, y0);
          for (let x = Math.floor(x0); x < Math.min(w, Math.ceil(x1)); x++) {
            const wx = Math.min(x + 1, x1) - Math.max(x, x0);
            sum += src[y * w + x]! * wx * wy;
          }
        }
        out[oy * ow + ox] = sum / (sx * sy);
      }
    }
    return out;
  }
  // Pixel centres map onto pixel centres; edges are clamped.
  const at = (x: number, y: number): number =>
    src[Math.min(h - 1, Math.max(0, y)) * w + Math.min(w - 1, Math.max(0, x))]!;
  for (let oy = 0; oy < oh; oy++) {
    const fy = (oy + 0.5) * sy - 0.5;
    const y = Math.floor(fy);
    const ty = fy - y;
    for (let ox = 0; ox < ow; ox++) {
      const fx = (ox + 0.5) * sx - 0.5;
      const x = Math.floor(fx);
      const tx = fx - x;
      const top = at(x, y) * (1 - tx) + at(x + 1, y) * tx;
      const bottom = at(x, y + 1) * (1 - tx) + at(x + 1, y + 1) * tx;
      out[oy * ow + ox] = top * (1 - ty) + bottom * ty;
    }
  }
  return out;
}

/**
 * The 28x28 MNIST-form of a picture of one digit: 784 values in [0, 1], white ink on black,
 * row-major. Grayscale; invert when the background is light; stretch so the background is 0
 * and the strongest ink 1; crop to the ink; fit into 20x20 keeping the aspect ratio; place so
 * the centre of mass is at the centre of the 28x28 field. A blank image gives all zeros.
 */
export function toMnistForm(image: DigitImage, options: MnistFormOptions = {}): Float32Array {
  checkImage(image);
  const { width, height } = image;
  const threshold = options.cropThreshold ?? 0.2;
  if (!(threshold >= 0 && threshold < 1)) {
    throw new RangeError(`toMnistForm: cropThreshold must be in [0, 1), got ${threshold}.`);
  }
  const gray = grayscale(image);
  const border = borderMean(gray, width, height);
  const invert =
    options.invert === undefined || options.invert === 'auto' ? border > 0.5 : options.invert;
  if (invert) for (let i = 0; i < gray.length; i++) gray[i] = 1 - gray[i]!;
  // The background level becomes 0 and the strongest ink 1 (grey paper, faint pencil).
  const background = invert ? 1 - border : border;
  let peak = 0;
  for (const v of gray) peak = Math.max(peak, v);
  const out = new Float32Array(SIDE * SIDE);
  if (peak - background <= 1e-6) return out;
  const span = peak - background;
  for (let i = 0; i < gray.length; i++) gray[i] = Math.max(0, (gray[i]! - background) / span);

  let left = width;
  let right = -1;
  let top = height;
  let bottom = -1;
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      if (gray[y * width + x]! > threshold) {
        left = Math.min(left, x);
        right = Math.max(right, x);
        top = Math.min(top, y);
        bottom = Math.max(bottom, y);
      }
    }
  }
  if (right < 0) return out;
  const cw = right - left + 1;
  const ch = bottom - top + 1;
  const crop = new Float32Array(cw * ch);
  for (let y = 0; y < ch; y++) {
    for (let x = 0; x < cw; x++) crop[y * cw + x] = gray[(top + y) * width + left + x]!;
  }
  const fit = BOX / Math.max(cw, ch);
  const fw = Math.max(1, Math.round(cw * fit));
  const fh = Math.max(1, Math.round(ch * fit));
  const digit = resize(crop, cw, ch, fw, fh);

  let mass = 0;
  let mx = 0;
  let my = 0;
  for (let y = 0; y < fh; y++) {
    for (let x = 0; x < fw; x++) {
      const v = Math.min(1, Math.max(0, digit[y * fw + x]!));
      digit[y * fw + x] = v;
      mass += v;
      mx += v * x;
      my += v * y;
    }
  }
  const centre = (SIDE - 1) / 2;
  const place = (com: number, size: number): number =>
    Math.min(SIDE - size, Math.max(0, Math.round(centre - com)));
  const ox = place(mx / mass, fw);
  const oy = place(my / mass, fh);
  for (let y = 0; y < fh; y++) out.set(digit.subarray(y * fw, (y + 1) * fw), (oy + y) * SIDE + ox);
  return out;
}
