import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { afterAll, describe, expect, it, jest } from '@jest/globals';
import jpeg from 'jpeg-js';
import { PNG } from 'pngjs';

import { decodeCredentialLink } from '@credledger/verify';
import { encodeCredentialLink } from '@credledger/verify/formats';
import { createQrPool, renderPngBatch } from '../src/qr/render-pool.js';
import { credentialQrVersion, renderPng, renderSvg, renderTerminal } from '../src/qr/render.js';
import { readQrImage, readQrTerminalText } from '../src/qr/scan.js';
import { createSampleGenerator } from './helpers/sample-credentials.js';

// PNG rendering and scanning are pure JS; on a busy 2-core machine one round trip can take seconds.
jest.setTimeout(60_000);

const moj = 'https://verify.moj.gov.tw/';
const moea = 'https://verify.moea.gov.tw/';
const gen = createSampleGenerator(7);
const dir = mkdtempSync(join(tmpdir(), 'credledger-qr-'));
afterAll(() => {
  rmSync(dir, { recursive: true, force: true });
});

const credentials = [
  ...Array.from({ length: 3 }, () => ({ jwt: gen.lawyerLicence().jwt, base: moj })),
  { jwt: gen.lawyerLicence({ alg: 'EdDSA' }).jwt, base: moj },
  { jwt: gen.economicCertificate('company-registration').jwt, base: moea },
  { jwt: gen.economicCertificate('factory-registration').jwt, base: moea },
  { jwt: gen.economicCertificate('certificate-of-origin').jwt, base: moea },
  { jwt: gen.economicCertificate('certificate-of-origin', { alg: 'EdDSA' }).jwt, base: moea },
];

function jwtOf(text: string): string | undefined {
  const result = decodeCredentialLink(text);
  return 'jwt' in result ? result.jwt : undefined;
}

describe('QR round trip through real images', () => {
  it.each(credentials.map((c, i) => [i, c] as const))(
    'credential %i: PNG file → jsQR → byte-exact JWT',
    async (i, { jwt, base }) => {
      const link = encodeCredentialLink(jwt, base);
      const { png, version } = await renderPng(link);
      expect(version).toBe(credentialQrVersion(link));
      expect(version).toBeLessThanOrEqual(13);
      const file = join(dir, `c${i}.png`);
      writeFileSync(file, png);
      const text = await readQrImage(file);
      expect(text).toBe(link);
      expect(jwtOf(text)).toBe(jwt);
    },
  );

  it('reads a JPEG too', async () => {
    const { jwt, base } = credentials[4]!;
    const link = encodeCredentialLink(jwt, base);
    const { png } = await renderPng(link, { scale: 6 });
    const image = PNG.sync.read(png);
    const jpg = jpeg.encode({ data: image.data, width: image.width, height: image.height }, 85).data;
    expect(jwtOf(await readQrImage(new Uint8Array(jpg)))).toBe(jwt);
  });

  it('renders a version fixed in advance, and the QR still decodes', async () => {
    const { jwt, base } = credentials[0]!;
    const link = encodeCredentialLink(jwt, base);
    const { png, version } = await renderPng(link, { version: 14 });
    expect(version).toBe(14);
    expect(jwtOf(await readQrImage(png))).toBe(jwt);
  });

  it('renders SVG at the same version', async () => {
    const link = encodeCredentialLink(credentials[1]!.jwt, moj);
    const { svg, version } = await renderSvg(link);
    expect(svg.startsWith('<svg')).toBe(true);
    const size = 17 + 4 * version + 2 * 4;
    expect(svg).toContain(`viewBox="0 0 ${size} ${size}"`);
  });

  it.each([false, true])('terminal rendering (darkOnLight %s) decodes back to the JWT', async (darkOnLight) => {
    const { jwt, base } = credentials[5]!;
    const link = encodeCredentialLink(jwt, base);
    const { text, version } = await renderTerminal(link, { darkOnLight });
    expect(version).toBe(credentialQrVersion(link));
    expect(text).toMatch(/^[ \u2580\u2584\u2588\n]+$/);
    expect(jwtOf(readQrTerminalText(text))).toBe(jwt);
  });

  it('renders a batch on worker threads in order, reporting progress', async () => {
    const links = credentials.map(({ jwt, base }) => encodeCredentialLink(jwt, base));
    const progress: number[] = [];
    const pngs = await renderPngBatch(links, {
      workers: 2,
      onProgress: (done, total) => {
        expect(total).toBe(links.length);
        progress.push(done);
      },
    });
    expect(progress).toEqual(links.map((_, i) => i + 1));
    expect(pngs).toHaveLength(links.length);
    for (const [i, png] of pngs.entries()) expect(await readQrImage(png)).toBe(links[i]);
    expect(await renderPngBatch([])).toEqual([]);
  });

  it('fails the batch when a link does not fit a fixed version', async () => {
    const link = encodeCredentialLink(credentials[0]!.jwt, moj);
    await expect(renderPngBatch([link], { version: 5 })).rejects.toThrow();
  });
});

describe('createQrPool', () => {
  it('encodes and renders credentials on its workers: each PNG scans back to the exact JWT', async () => {
    await using pool = createQrPool({ baseUrl: moj, workers: 2 });
    const lawyers = credentials.filter((c) => c.base === moj);
    const pngs = await Promise.all(lawyers.map(({ jwt }) => pool.renderCredential(jwt)));
    for (const [i, png] of pngs.entries()) {
      const link = await readQrImage(png);
      expect(link).toBe(encodeCredentialLink(lawyers[i]!.jwt, moj));
      expect(jwtOf(link)).toBe(lawyers[i]!.jwt);
    }
  });

  it('answers a malformed credential with CREDENTIAL_MALFORMED and goes on with the next', async () => {
    await using pool = createQrPool({ baseUrl: moj, workers: 1 });
    await expect(pool.renderCredential('not a credential')).rejects.toMatchObject({
      name: 'CredledgerError',
      code: 'CREDENTIAL_MALFORMED',
    });
    const { jwt } = credentials[0]!;
    expect(jwtOf(await readQrImage(await pool.renderCredential(jwt)))).toBe(jwt);
  });

  it('refuses a bad base URL or worker count, credentials without a base URL, and work once closed', async () => {
    expect(() => createQrPool({ baseUrl: 'verify.moj.gov.tw' })).toThrow(
      expect.objectContaining({ code: 'CONFIG_INVALID' }),
    );
    expect(() => createQrPool({ workers: 0 })).toThrow(expect.objectContaining({ code: 'CONFIG_INVALID' }));
    const pool = createQrPool({ workers: 1 });
    await expect(pool.renderCredential(credentials[0]!.jwt)).rejects.toMatchObject({ code: 'CONFIG_INVALID' });
    const link = encodeCredentialLink(credentials[0]!.jwt, moj);
    expect(await readQrImage(await pool.renderLink(link))).toBe(link);
    await pool.close();
    await expect(pool.renderLink(link)).rejects.toMatchObject({ code: 'CONFIG_INVALID' });
  });
});

describe('reading images fails with codes', () => {
  it('FILE_NOT_FOUND for a missing file', async () => {
    await expect(readQrImage(join(dir, 'missing.png'))).rejects.toMatchObject({ code: 'FILE_NOT_FOUND' });
  });

  it('QR_UNREADABLE for bytes that are no image, a damaged PNG, or an image without a QR code', async () => {
    await expect(readQrImage(new TextEncoder().encode('not an image'))).rejects.toMatchObject({
      code: 'QR_UNREADABLE',
    });
    const { png } = await renderPng(encodeCredentialLink(credentials[0]!.jwt, moj));
    await expect(readQrImage(png.subarray(0, 200))).rejects.toMatchObject({ code: 'QR_UNREADABLE' });
    const blank = new PNG({ width: 64, height: 64 });
    blank.data.fill(255);
    await expect(readQrImage(PNG.sync.write(blank))).rejects.toMatchObject({ code: 'QR_UNREADABLE' });
  });

  it('never answers a truncated or altered PNG with some other image: every cut and a flipped byte are QR_UNREADABLE', async () => {
    const { png: other } = await renderPng(encodeCredentialLink(credentials[4]!.jwt, moea));
    const { png } = await renderPng(encodeCredentialLink(credentials[0]!.jwt, moj));
    for (let cut = 16; cut < png.length; cut += Math.max(1, Math.floor(png.length / 60))) {
      // Decoding a whole image first leaves its pixels in freed memory, where a lax decoder could find them.
      expect(await readQrImage(other)).not.toBe('');
      await expect(readQrImage(png.subarray(0, cut))).rejects.toMatchObject({ code: 'QR_UNREADABLE' });
    }
    const altered = Buffer.from(png);
    altered[Math.floor(altered.length / 2)]! ^= 0x01;
    await expect(readQrImage(altered)).rejects.toMatchObject({ code: 'QR_UNREADABLE' });
  });

  it('QR_UNREADABLE for text that is no half-block QR', () => {
    expect(() => readQrTerminalText('hello')).toThrow(expect.objectContaining({ code: 'QR_UNREADABLE' }));
    expect(() => readQrTerminalText('')).toThrow(expect.objectContaining({ code: 'QR_UNREADABLE' }));
    expect(() => readQrTerminalText('█▀▄ \n▄▄▄█')).toThrow(expect.objectContaining({ code: 'QR_UNREADABLE' }));
  });
});
