// What a phone camera does to a QR code, as small deterministic operations on RGBA images
// (`{ width, height, data }`, 4 bytes a pixel, as pngjs and ImageData hold them), for bench/qr-scan-rate.mjs.
// Every operation returns a new image and leaves its input alone; randomness comes only from `random(seed)`.
import jpeg from 'jpeg-js';

// Math's functions as module bindings: a global lookup in a hot loop is slow where the module runs in a
// vm context (jest), and these loops touch every pixel.
const { PI, abs, ceil, cos, exp, floor, hypot, imul, log, max, min, round, sin, sqrt } = Math;

/** A seeded PRNG (mulberry32) giving numbers in [0, 1): the same seed, the same images. */
export function random(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = imul(t ^ (t >>> 15), t | 1);
    t ^= t + imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** A number between `low` and `high`, drawn from `rand`. */
export const between = (rand, low, high) => low + (high - low) * rand();

/** A standard normal sample (Box–Muller) from `rand`. */
function gaussian(rand) {
  const u = 1 - rand();
  return sqrt(-2 * log(u)) * cos(2 * PI * rand());
}

/** A blank image filled with one grey level (opaque). */
export function blank(width, height, grey = 255) {
  const data = new Uint8ClampedArray(width * height * 4).fill(grey);
  for (let i = 3; i < data.length; i += 4) data[i] = 255;
  return { width, height, data };
}

/** Applies `fn(value, x, y, channel)` to each colour channel of each pixel; alpha stays. */
function mapPixels(image, fn) {
  const { width, height } = image;
  const data = new Uint8ClampedArray(image.data);
  for (let y = 0; y < height; y++)
    for (let x = 0; x < width; x++) {
      const i = (y * width + x) * 4;
      for (let c = 0; c < 3; c++) data[i + c] = fn(image.data[i + c], x, y, c);
    }
  return { width, height, data };
}

/** Gaussian blur of standard deviation `sigma` pixels (separable; edges repeat): defocus, hand shake. */
export function gaussianBlur(image, sigma) {
  const radius = max(1, ceil(3 * sigma));
  const kernel = Array.from({ length: 2 * radius + 1 }, (_, k) => exp(-((k - radius) ** 2) / (2 * sigma * sigma)));
  const sum = kernel.reduce((s, v) => s + v, 0);
  const weights = kernel.map((v) => v / sum);
  const { width, height } = image;
  const pass = (source, dx, dy) => {
    const out = new Float32Array(width * height * 4);
    for (let y = 0; y < height; y++)
      for (let x = 0; x < width; x++)
        for (let c = 0; c < 4; c++) {
          let acc = 0;
          for (let k = -radius; k <= radius; k++) {
            const sx = min(width - 1, max(0, x + k * dx));
            const sy = min(height - 1, max(0, y + k * dy));
            acc += weights[k + radius] * source[(sy * width + sx) * 4 + c];
          }
          out[(y * width + x) * 4 + c] = acc;
        }
    return out;
  };
  return { width, height, data: Uint8ClampedArray.from(pass(pass(image.data, 1, 0), 0, 1), round) };
}

/** Maps black to `dark` and white to `light` (linearly): faded ink, dim light, a grey screen. */
export function lowContrast(image, dark, light) {
  return mapPixels(image, (v) => dark + ((light - dark) * v) / 255);
}

/** Adds Gaussian noise of `sigma` grey levels to every channel of every pixel independently: a sensor in poor light. */
export function sensorNoise(image, sigma, seed) {
  const rand = random(seed);
  return mapPixels(image, (v) => v + sigma * gaussian(rand));
}

/**
 * Resamples the image to `width`×`height` by area averaging (each output pixel is the mean of the input
 * area it covers), as a camera sensor integrates light over its pixels.
 */
export function resize(image, width, height) {
  const sx = image.width / width;
  const sy = image.height / height;
  const data = new Uint8ClampedArray(width * height * 4);
  for (let y = 0; y < height; y++) {
    const y0 = y * sy;
    const y1 = y0 + sy;
    for (let x = 0; x < width; x++) {
      const x0 = x * sx;
      const x1 = x0 + sx;
      const acc = [0, 0, 0, 0];
      let area = 0;
      for (let iy = floor(y0); iy < min(image.height, ceil(y1)); iy++) {
        const wy = min(y1, iy + 1) - max(y0, iy);
        for (let ix = floor(x0); ix < min(image.width, ceil(x1)); ix++) {
          const w = wy * (min(x1, ix + 1) - max(x0, ix));
          const i = (iy * image.width + ix) * 4;
          for (let c = 0; c < 4; c++) acc[c] += w * image.data[i + c];
          area += w;
        }
      }
      for (let c = 0; c < 4; c++) data[(y * width + x) * 4 + c] = round(acc[c] / area);
    }
  }
  return { width, height, data };
}

/** The 3×3 homography (row-major, h33 = 1) taking each `from[i]` = [x, y] to `to[i]`, four points each. */
export function homography(from, to) {
  // Eight equations in h11…h32; Gaussian elimination with partial pivoting.
  const rows = [];
  for (let i = 0; i < 4; i++) {
    const [x, y] = from[i];
    const [u, v] = to[i];
    rows.push([x, y, 1, 0, 0, 0, -u * x, -u * y, u]);
    rows.push([0, 0, 0, x, y, 1, -v * x, -v * y, v]);
  }
  for (let col = 0; col < 8; col++) {
    let pivot = col;
    for (let r = col + 1; r < 8; r++) if (abs(rows[r][col]) > abs(rows[pivot][col])) pivot = r;
    [rows[col], rows[pivot]] = [rows[pivot], rows[col]];
    for (let r = 0; r < 8; r++) {
      if (r === col) continue;
      const f = rows[r][col] / rows[col][col];
      for (let k = col; k < 9; k++) rows[r][k] -= f * rows[col][k];
    }
  }
  return [...rows.map((row, i) => row[8] / row[i]), 1];
}

const apply = (h, x, y) => {
  const w = h[6] * x + h[7] * y + h[8];
  return [(h[0] * x + h[1] * y + h[2]) / w, (h[3] * x + h[4] * y + h[5]) / w];
};

/**
 * Warps the image so that its corners land on `corners` ([x, y] for top-left, top-right, bottom-right,
 * bottom-left), on a canvas just big enough plus `margin` pixels, filled with `background` grey.
 * Bilinear sampling, 2×2 samples per output pixel (a sensor pixel averages the light it gets).
 */
export function warp(image, corners, { background = 255, margin = 8 } = {}) {
  const xs = corners.map(([x]) => x);
  const ys = corners.map(([, y]) => y);
  const left = floor(min(...xs)) - margin;
  const top = floor(min(...ys)) - margin;
  const width = ceil(max(...xs)) + margin - left;
  const height = ceil(max(...ys)) + margin - top;
  const w = image.width;
  const h = image.height;
  const shifted = corners.map(([x, y]) => [x - left, y - top]);
  const back = homography(shifted, [
    [0, 0],
    [w, 0],
    [w, h],
    [0, h],
  ]);
  const out = blank(width, height, background);
  const sample = (sx, sy, c) => {
    // Pixel centres sit at half-integers.
    const fx = sx - 0.5;
    const fy = sy - 0.5;
    const x0 = floor(fx);
    const y0 = floor(fy);
    const ax = fx - x0;
    const ay = fy - y0;
    const at = (x, y) =>
      x < 0 || y < 0 || x >= w || y >= h ? (c === 3 ? 255 : background) : image.data[(y * w + x) * 4 + c];
    return (
      (1 - ay) * ((1 - ax) * at(x0, y0) + ax * at(x0 + 1, y0)) +
      ay * ((1 - ax) * at(x0, y0 + 1) + ax * at(x0 + 1, y0 + 1))
    );
  };
  for (let y = 0; y < height; y++)
    for (let x = 0; x < width; x++) {
      const acc = [0, 0, 0];
      for (const [ox, oy] of [
        [0.25, 0.25],
        [0.75, 0.25],
        [0.25, 0.75],
        [0.75, 0.75],
      ]) {
        const [sx, sy] = apply(back, x + ox, y + oy);
        for (let c = 0; c < 3; c++) acc[c] += sample(sx, sy, c);
      }
      const i = (y * width + x) * 4;
      for (let c = 0; c < 3; c++) out.data[i + c] = round(acc[c] / 4);
    }
  return out;
}

/** The image's four corners, clockwise from the top left. */
function cornersOf(image) {
  return [
    [0, 0],
    [image.width, 0],
    [image.width, image.height],
    [0, image.height],
  ];
}

/** Rotates the image by `degrees` about its centre onto a canvas that holds all of it, filled with `background`. */
export function rotate(image, degrees, background = 255) {
  const a = (degrees * PI) / 180;
  const cx = image.width / 2;
  const cy = image.height / 2;
  const corners = cornersOf(image).map(([x, y]) => [
    cx + (x - cx) * cos(a) - (y - cy) * sin(a),
    cy + (x - cx) * sin(a) + (y - cy) * cos(a),
  ]);
  return warp(image, corners, { background, margin: 2 });
}

/**
 * Photographs the image tilted by `degrees` about an axis in its plane at `axisDegrees` from the
 * horizontal, through its centre, with a pinhole camera `distance` image widths away (a phone's ~70°
 * field of view, the code filling ~30% of the frame's width, is about 2.4): the near side grows, the far
 * side shrinks.
 */
export function perspective(image, degrees, axisDegrees, { distance = 2.4, background = 255 } = {}) {
  const t = (degrees * PI) / 180;
  const phi = (axisDegrees * PI) / 180;
  const [ux, uy] = [cos(phi), sin(phi)];
  const d = distance * image.width;
  const cx = image.width / 2;
  const cy = image.height / 2;
  const corners = cornersOf(image).map(([x0, y0]) => {
    // Rodrigues' rotation of (x, y, 0) about the unit axis (ux, uy, 0).
    const [x, y] = [x0 - cx, y0 - cy];
    const dot = ux * x + uy * y;
    const rx = x * cos(t) + ux * dot * (1 - cos(t));
    const ry = y * cos(t) + uy * dot * (1 - cos(t));
    const rz = (ux * y - uy * x) * sin(t);
    const scale = d / (d + rz);
    return [cx + rx * scale, cy + ry * scale];
  });
  return warp(image, corners, { background });
}

/**
 * A specular highlight (a lamp on a laminated card or a glossy print): an ellipse centred at (`cx`, `cy`)
 * with semi-axes `rx`, `ry` pixels at `degrees`, pushing each pixel towards white by `strength` (0–1)
 * fully inside 60% of the ellipse, fading out by ~1.3× its size.
 */
export function glare(image, { cx, cy, rx, ry, degrees, strength }) {
  const a = (degrees * PI) / 180;
  return mapPixels(image, (v, x, y) => {
    const dx = x + 0.5 - cx;
    const dy = y + 0.5 - cy;
    const u = (dx * cos(a) + dy * sin(a)) / rx;
    const w = (-dx * sin(a) + dy * cos(a)) / ry;
    const r = sqrt(u * u + w * w);
    const amount = strength * (r <= 0.6 ? 1 : exp(-(((r - 0.6) / 0.35) ** 2)));
    return v + (255 - v) * amount;
  });
}

/**
 * Uneven light over a photographed sheet: brightness falls linearly by `falloff` (0–1) across the image
 * towards `degrees`, and by `vignette` (0–1) from the centre to the corners, as a lens does.
 */
export function unevenLight(image, falloff, degrees, vignette) {
  const a = (degrees * PI) / 180;
  const { width, height } = image;
  const half = hypot(width, height) / 2;
  return mapPixels(image, (v, x, y) => {
    const dx = x - width / 2;
    const dy = y - height / 2;
    const along = (dx * cos(a) + dy * sin(a)) / half; // -1 … 1
    const r = hypot(dx, dy) / half; // 0 … 1
    return v * (1 - (falloff * (along + 1)) / 2) * (1 - vignette * r * r);
  });
}

/** Places the image in the middle of a `margin`-pixel border of `grey` (paper around a printed code, a desk). */
export function pad(image, margin, grey) {
  const out = blank(image.width + 2 * margin, image.height + 2 * margin, grey);
  for (let y = 0; y < image.height; y++)
    out.data.set(
      image.data.subarray(y * image.width * 4, (y + 1) * image.width * 4),
      ((y + margin) * out.width + margin) * 4,
    );
  return out;
}

/** The image after a JPEG round trip at `quality` (1–100), as a phone saves a photo (jpeg-js, pure JS). */
export function jpegRoundTrip(image, quality) {
  const encoded = jpeg.encode({ width: image.width, height: image.height, data: image.data }, quality);
  const decoded = jpeg.decode(encoded.data, { useTArray: true, formatAsRGBA: true });
  return { width: decoded.width, height: decoded.height, data: new Uint8ClampedArray(decoded.data) };
}

/**
 * Width in pixels of the whole photographed symbol (quiet zone included) in every degraded image but
 * `small modules`: ~4.6 px a module for a version 10 code (57 modules + 2 × 4 of quiet zone), what a
 * phone photo scaled to the page's 1,024 px gives when the code fills about a third of its width. The
 * same for every QR version and error-correction level, since a card or certificate prints its code at
 * one size whatever the version: a higher version gets smaller modules.
 */
export const symbolPx = 300;

/** The rendered symbol (any pixels per module) as a camera sees it `width` pixels wide: area averaging. */
export const capture = (image, width) => resize(image, width, round((width * image.height) / image.width));

/**
 * What each degraded image is made of, from a sharp render of the code (several pixels a module, quiet
 * zone included) and a seed: the severities a hand-held phone produces, each drawn at random (seeded)
 * between the bounds `severity` states. Module sizes are for a version 10 code (65 modules with its
 * quiet zone), the larger of a company certificate's at level M.
 */
export const degradations = [
  {
    name: 'blur',
    severity: 'Gaussian σ 1.5–2.5 px (0.33–0.54 module at version 10): a close-up slightly out of focus or shaken',
    apply: (image, rand) => gaussianBlur(capture(image, symbolPx), between(rand, 1.5, 2.5)),
  },
  {
    name: 'low contrast',
    severity: 'black and white mapped to greys 50–80 levels apart, dark level 90–140 (faded print, dim light)',
    apply: (image, rand) => {
      const dark = between(rand, 90, 140);
      return lowContrast(capture(image, symbolPx), dark, dark + between(rand, 50, 80));
    },
  },
  {
    name: 'sensor noise',
    severity: 'Gaussian noise σ 15–30 grey levels per channel and pixel (a phone sensor in poor light)',
    apply: (image, rand) => sensorNoise(capture(image, symbolPx), between(rand, 15, 30), floor(rand() * 2 ** 32)),
  },
  {
    name: 'small modules',
    severity: 'the symbol 98–130 px wide (1.5–2 px a module at version 10): a code far from the camera',
    apply: (image, rand) => capture(image, round(65 * between(rand, 1.5, 2))),
  },
  {
    name: 'rotation',
    severity: '10–30° either way, on white',
    apply: (image, rand) => rotate(capture(image, symbolPx), (rand() < 0.5 ? -1 : 1) * between(rand, 10, 30)),
  },
  {
    name: 'perspective',
    severity: 'tilted 20–35° about a random in-plane axis, pinhole camera 2.4 symbol widths away',
    apply: (image, rand) => perspective(capture(image, symbolPx), between(rand, 20, 35), between(rand, 0, 180)),
  },
  {
    name: 'glare',
    severity:
      'a highlight ellipse of semi-axes 15–25% × 8–15% of the symbol, centred in its middle 60%, any angle, pushing 85–100% to white in its core',
    apply: (image, rand) => {
      const photo = capture(image, symbolPx);
      const w = photo.width;
      return glare(photo, {
        cx: w * between(rand, 0.2, 0.8),
        cy: w * between(rand, 0.2, 0.8),
        rx: w * between(rand, 0.15, 0.25),
        ry: w * between(rand, 0.08, 0.15),
        degrees: between(rand, 0, 180),
        strength: between(rand, 0.85, 1),
      });
    },
  },
  {
    name: 'printed and photographed',
    severity:
      'ink 35–60 on grey paper 200–230 with a paper border, rotated up to 8°, on a desk of grey 70–110, tilted 8–15°, blur σ 1–1.6 px, light falling 30–50% across plus a 15–30% vignette, noise σ 6–12, JPEG quality 75–90',
    apply: (image, rand) => {
      const paper = between(rand, 200, 230);
      const desk = between(rand, 70, 110);
      let photo = lowContrast(capture(image, symbolPx), between(rand, 35, 60), paper);
      photo = pad(photo, 30, paper);
      photo = rotate(photo, between(rand, -8, 8), desk);
      photo = perspective(photo, between(rand, 8, 15), between(rand, 0, 180), { background: desk });
      photo = gaussianBlur(photo, between(rand, 1, 1.6));
      photo = unevenLight(photo, between(rand, 0.3, 0.5), between(rand, 0, 360), between(rand, 0.15, 0.3));
      photo = sensorNoise(photo, between(rand, 6, 12), floor(rand() * 2 ** 32));
      return jpegRoundTrip(photo, round(between(rand, 75, 90)));
    },
  },
];
