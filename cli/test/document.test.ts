/**
 * Printable documents end to end, checked with tools a reader of the paper or the file would use:
 * Debian's poppler-utils read the text (`pdftotext`), take the attachment out (`pdfdetach`) and
 * rasterize the page (`pdftoppm`) whose QR code must scan — also as a photo would see it, rotated 10°
 * and slightly blurred. `credledger verify` reads the credential a PDF carries: VALID for a genuine one,
 * REVOKED for a revoked licence, TAMPERED when the attachment was altered. The poppler tests skip,
 * saying so, where poppler-utils is not installed (`apt-get install poppler-utils`; .ci/run does).
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { spawnSync } from 'node:child_process';
import { mkdir, readdir, readFile, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';

import { PDFArray, PDFDict, PDFDocument, PDFName, drawObject, fill, rectangle, type PDFRef } from 'pdf-lib';

import { encodeCredentialLink, parseCsv, readQrPixels } from '@credledger/sdk';

import { withoutAttachments } from '../../packages/documents/test/strip-attachment.js';
import { verdictExitCodes } from '../src/exit-codes.js';
import { errorLines, expectExit, json, runCli, tempDir, type CliResult, wangLicence } from './cli.js';

const poppler = spawnSync('pdftoppm', ['-v']).error === undefined;
if (!poppler)
  console.warn(
    'document tests with poppler skipped: pdftotext/pdfdetach/pdftoppm not found (apt-get install poppler-utils)',
  );
const withPoppler = poppler ? it : it.skip;

interface DemoJson {
  dir: string;
  credentials: { label: string; id: string; jwtFile: string; status: string; pdf?: string }[];
}

let dir: string;
let cleanup: () => Promise<void>;
let demo: DemoJson;
let verifierBaseUrl: string;
const ws = (args: string[]): string[] => ['-w', demo.dir, ...args];
const credential = (label: string): DemoJson['credentials'][number] => {
  const found = demo.credentials.find((c) => c.label === label);
  if (found === undefined) throw new Error(`the demo made no ${label}`);
  return found;
};
const jwtOf = async (label: string): Promise<string> => (await readFile(credential(label).jwtFile, 'utf8')).trim();

function tool(command: string, args: readonly string[]): { stdout: string; status: number | null; stderr: string } {
  const run = spawnSync(command, args, { encoding: 'utf8' });
  return { stdout: run.stdout, status: run.status, stderr: run.stderr };
}

const verdictOf = (result: CliResult): string => json<{ verdict: string }>(result).verdict;

beforeAll(async () => {
  ({ dir, cleanup } = await tempDir('credledger-document-'));
  const made = await runCli(['demo', join(dir, 'demo'), '--no-serve', '--json']);
  expectExit(made, 0);
  demo = json<DemoJson>(made);
  verifierBaseUrl = (
    JSON.parse(await readFile(join(demo.dir, 'credledger.json'), 'utf8')) as { verifierBaseUrl: string }
  ).verifierBaseUrl;
}, 120_000);

afterAll(async () => {
  await cleanup();
});

describe('the documents credledger demo writes', () => {
  it('are a licence and a certificate under 200 KB each, and each verifies VALID from the PDF alone', async () => {
    for (const label of ['lawyer-licence', 'company-certificate']) {
      const pdf = credential(label).pdf ?? '';
      expect(pdf).toBe(join(demo.dir, `${label}.pdf`));
      expect((await stat(pdf)).size).toBeLessThan(200 * 1024);
      // Owner-only: the document carries the holder's personal data.
      expect((await stat(pdf)).mode & 0o777).toBe(0o600);
      const verified = await runCli(ws(['verify', pdf, '--json']));
      expectExit(verified, verdictExitCodes.VALID);
      expect(verdictOf(verified)).toBe('VALID');
    }
    expect(credential('lawyer-licence-revoked').pdf).toBeUndefined();
  });

  withPoppler('print the holder’s name and licence number as text (pdftotext)', () => {
    const text = tool('pdftotext', ['-enc', 'UTF-8', credential('lawyer-licence').pdf ?? '', '-']).stdout;
    expect(text).toContain('林怡君');
    expect(text).toContain('(112)台檢證字第018273號');
    expect(text).toContain('掃描 QR Code 驗證真偽');
    expect(text).toContain('Scan to verify');
    expect(text).toContain('法務部');
    expect(text).toContain(credential('lawyer-licence').id);
    const company = tool('pdftotext', ['-enc', 'UTF-8', credential('company-certificate').pdf ?? '', '-']).stdout;
    expect(company).toContain('台灣示範科技股份有限公司');
    expect(company).toContain('04595257');
  });

  withPoppler('carry the signed credential as an attachment that verifies VALID by itself (pdfdetach)', async () => {
    const out = join(dir, 'detached');
    await mkdir(out);
    const listed = tool('pdfdetach', ['-list', credential('lawyer-licence').pdf ?? '']);
    expect(listed.stdout).toMatch(/1 embedded files[\s\S]*credential\.jwt/);
    expect(tool('pdfdetach', ['-saveall', '-o', out, credential('lawyer-licence').pdf ?? '']).status).toBe(0);
    const jwt = (await readFile(join(out, 'credential.jwt'), 'utf8')).trim();
    expect(jwt).toBe(await jwtOf('lawyer-licence'));
    const verified = await runCli(ws(['verify', join(out, 'credential.jwt'), '--json']));
    expectExit(verified, verdictExitCodes.VALID);
  });

  withPoppler('have a QR code that scans from a 150 dpi raster, also rotated 10° and blurred (pdftoppm)', async () => {
    const pdf = credential('lawyer-licence').pdf ?? '';
    const link = encodeCredentialLink(await jwtOf('lawyer-licence'), verifierBaseUrl);
    // The raster as a PNG, through the CLI as a user would verify a picture of the page.
    expect(tool('pdftoppm', ['-r', '150', '-png', '-singlefile', pdf, join(dir, 'page')]).status).toBe(0);
    const fromPng = await runCli(ws(['verify', join(dir, 'page.png'), '--json']));
    expectExit(fromPng, verdictExitCodes.VALID);

    expect(tool('pdftoppm', ['-r', '150', '-singlefile', pdf, join(dir, 'page')]).status).toBe(0);
    const page = parsePpm(await readFile(join(dir, 'page.ppm')));
    expect(readQrPixels(page.rgba, page.width, page.height)).toBe(link);
    // A photo of the page's lower half (where the QR code is), turned 10° and slightly out of focus.
    const photo = blur(rotate(crop(page, Math.floor(page.height / 2)), 10));
    expect(readQrPixels(photo.rgba, photo.width, photo.height)).toBe(link);
  });
});

describe('credledger document', () => {
  withPoppler('writes a licence card, front and back, whose QR code scans at 150 dpi', async () => {
    const card = join(dir, 'card.pdf');
    const written = await runCli(
      ws(['document', credential('lawyer-licence').jwtFile, '--out', card, '--format', 'card', '--json']),
    );
    expectExit(written, 0);
    expect(json(written)).toMatchObject({ format: 'card', file: card, id: credential('lawyer-licence').id });
    expect(json<{ qrModuleMm: number }>(written).qrModuleMm).toBeGreaterThanOrEqual(0.5);
    expect(tool('pdfinfo', [card]).stdout).toMatch(/Pages:\s+2/);
    const text = tool('pdftotext', ['-enc', 'UTF-8', card, '-']).stdout;
    expect(text).toContain('林怡君');
    expect(text).toContain('臺北律師公會');
    expect(tool('pdftoppm', ['-r', '150', '-f', '1', '-l', '1', '-singlefile', card, join(dir, 'card')]).status).toBe(
      0,
    );
    const front = parsePpm(await readFile(join(dir, 'card.ppm')));
    expect(readQrPixels(front.rgba, front.width, front.height)).toBe(
      encodeCredentialLink(await jwtOf('lawyer-licence'), verifierBaseUrl),
    );
  });

  it('writes a revoked licence’s document, which verifies REVOKED', async () => {
    const revoked = join(dir, 'revoked.pdf');
    expectExit(await runCli(ws(['document', credential('lawyer-licence-revoked').jwtFile, '--out', revoked])), 0);
    const verified = await runCli(ws(['verify', revoked, '--json']));
    expectExit(verified, verdictExitCodes.REVOKED);
    expect(verdictOf(verified)).toBe('REVOKED');
  });

  it('refuses an id alone, and a card for a type printed on A4 only, each in one line', async () => {
    const byId = await runCli(ws(['document', credential('lawyer-licence').id, '--out', join(dir, 'x.pdf')]));
    expectExit(byId, 20);
    expect(errorLines(byId)).toEqual([expect.stringMatching(/^error INVALID_INPUT: a credential id alone/)]);
    const card = await runCli(
      ws(['document', credential('company-certificate').jwtFile, '--out', join(dir, 'x.pdf'), '--format', 'card']),
    );
    expectExit(card, 20);
    expect(errorLines(card)).toHaveLength(1);
  });
});

describe('credledger verify <file.pdf>', () => {
  it('says TAMPERED for a document whose attached credential was altered', async () => {
    const doc = await PDFDocument.load(await readFile(credential('lawyer-licence').pdf ?? ''));
    const jwt = await jwtOf('lawyer-licence');
    const [header = '', payload = '', signature = ''] = jwt.split('.');
    const claims = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')) as {
      credentialSubject: { name: string };
    };
    claims.credentialSubject.name = '王大明';
    const forged = `${header}.${Buffer.from(JSON.stringify(claims)).toString('base64url')}.${signature}`;
    // Replace the embedded file's stream in the name tree with the forged credential.
    const names = doc.catalog.lookup(PDFName.of('Names'), PDFDict).lookup(PDFName.of('EmbeddedFiles'), PDFDict);
    const spec = names.lookup(PDFName.of('Names'), PDFArray).lookup(1, PDFDict);
    const ef = spec.lookup(PDFName.of('EF'), PDFDict);
    ef.set(PDFName.of('F'), doc.context.register(doc.context.flateStream(new TextEncoder().encode(forged))));
    const tampered = join(dir, 'tampered.pdf');
    await writeFile(tampered, await doc.save());

    const verified = await runCli(ws(['verify', tampered, '--json']));
    expectExit(verified, verdictExitCodes.TAMPERED);
    expect(verdictOf(verified)).toBe('TAMPERED');
  });

  it('refuses in one line a PDF that carries no credential, saying what to do instead', async () => {
    const plain = await PDFDocument.create();
    plain.addPage();
    const file = join(dir, 'plain.pdf');
    await writeFile(file, await plain.save());
    const verified = await runCli(ws(['verify', file]));
    expectExit(verified, 20);
    expect(errorLines(verified)).toEqual([expect.stringMatching(/^error INVALID_INPUT: .*carries no credential/)]);
    expect(verified.stderr).toMatch(/hint: .*pdftoppm/);
  });
});

describe('credledger verify <file.pdf> without its attachment: the QR code printed in it', () => {
  const qrLine = /^read from the QR code printed on page 1 of the PDF \(no credential attached\)$/m;

  it('verifies a licence whose attachment was removed VALID through its vector QR code, then REVOKED after revoke', async () => {
    const file = join(dir, 'to-revoke.pdf');
    const issued = await runCli(
      ws([
        'issue',
        'LawyerLicenceCredential',
        '--name',
        '陳美玲',
        '--licence-number',
        '(115)台檢證字第054321號',
        '--admission-date',
        '2021-03-01',
        '--practice-status',
        'practising',
        '--pdf',
        file,
        '--json',
      ]),
    );
    expectExit(issued, 0);
    const { id } = json<{ id: string }>(issued);
    const stripped = join(dir, 'to-revoke-stripped.pdf');
    await writeFile(stripped, await withoutAttachments(await readFile(file)));
    // A reader's tool sees no attachment either (where poppler is installed; the verdict below says
    // the credential came from the QR code in any case).
    if (poppler) expect(tool('pdfdetach', ['-list', stripped]).stdout).toMatch(/^0 embedded files/);

    const valid = await runCli(ws(['verify', stripped]));
    expectExit(valid, verdictExitCodes.VALID);
    expect(valid.stdout).toMatch(qrLine);
    expect(valid.stdout).toMatch(/VALID/);
    const zh = await runCli(ws(['--lang', 'zh-TW', 'verify', stripped]));
    expectExit(zh, verdictExitCodes.VALID);
    expect(zh.stdout).toMatch(/^讀取自 PDF 第 1 頁印的 QR 碼（此 PDF 未附帶憑證）$/m);
    const asJson = await runCli(ws(['verify', stripped, '--json']));
    expect(json(asJson)).toMatchObject({ verdict: 'VALID', readFrom: { kind: 'pdfQrCode', page: 1 } });
    // The document with its attachment says nothing of the kind.
    const attached = await runCli(ws(['verify', file, '--json']));
    expect(json(attached)).not.toHaveProperty('readFrom');

    expectExit(await runCli(ws(['revoke', id, '--reason', 'DISBARMENT', '--json'])), 0);
    const revoked = await runCli(ws(['verify', stripped]));
    expectExit(revoked, verdictExitCodes.REVOKED);
    expect(revoked.stdout).toMatch(qrLine);
    expect(revoked.stdout).toMatch(/REVOKED/);
  }, 60_000);

  it('verifies a card whose attachment was removed', async () => {
    const card = join(dir, 'card-qr.pdf');
    expectExit(
      await runCli(ws(['document', credential('lawyer-licence').jwtFile, '--out', card, '--format', 'card'])),
      0,
    );
    await writeFile(card, await withoutAttachments(await readFile(card)));
    const verified = await runCli(ws(['verify', card, '--json']));
    expectExit(verified, verdictExitCodes.VALID);
    expect(json(verified)).toMatchObject({ verdict: 'VALID', readFrom: { kind: 'pdfQrCode', page: 1 } });
  });

  withPoppler(
    'verifies a scan: a PDF holding the page as a FlateDecode image',
    async () => {
      // The licence printed and scanned back: its page as pixels (pdftoppm, 150 dpi), wrapped in a new
      // PDF as an image XObject (pdf-lib writes PNG pixels with FlateDecode), nothing attached.
      const pngBase = join(dir, 'scan-page');
      expect(
        tool('pdftoppm', ['-r', '150', '-png', '-singlefile', credential('lawyer-licence').pdf ?? '', pngBase]).status,
      ).toBe(0);
      const scan = await PDFDocument.create();
      const image = await scan.embedPng(await readFile(`${pngBase}.png`));
      scan.addPage([595, 842]).drawImage(image, { x: 0, y: 0, width: 595, height: 842 });
      const file = join(dir, 'scan.pdf');
      await writeFile(file, await scan.save());
      expect(tool('pdfimages', ['-list', file]).stdout).toMatch(/image\s+\d+\s+\d+\s+rgb\s+3\s+8\s+image/);

      const verified = await runCli(ws(['verify', file]));
      expectExit(verified, verdictExitCodes.VALID);
      expect(verified.stdout).toMatch(qrLine);
    },
    60_000,
  );

  withPoppler(
    'verifies a scan whose page is a JPEG image (DCTDecode), with the JPEG decoder photos use',
    async () => {
      const jpgBase = join(dir, 'scan-jpeg-page');
      expect(
        tool('pdftoppm', ['-r', '150', '-jpeg', '-singlefile', credential('lawyer-licence').pdf ?? '', jpgBase]).status,
      ).toBe(0);
      const scan = await PDFDocument.create();
      const image = await scan.embedJpg(await readFile(`${jpgBase}.jpg`));
      scan.addPage([595, 842]).drawImage(image, { x: 0, y: 0, width: 595, height: 842 });
      const file = join(dir, 'scan-jpeg.pdf');
      await writeFile(file, await scan.save());
      expect(tool('pdfimages', ['-list', file]).stdout).toMatch(/\bjpeg\b/);

      const verified = await runCli(ws(['verify', file]));
      expectExit(verified, verdictExitCodes.VALID);
      expect(verified.stdout).toMatch(qrLine);
    },
    60_000,
  );

  it('refuses in one line a PDF with neither an attachment nor a readable QR code', async () => {
    const blank = await PDFDocument.create();
    const page = blank.addPage([200, 200]);
    // Ink that is no QR code: a grid of filled squares, drawn as credledger draws its symbol (re, f).
    page.pushOperators(
      ...Array.from({ length: 30 }, (_, i) => rectangle(10 + (i % 6) * 30, 10 + Math.floor(i / 6) * 30, 10, 10)),
      fill(),
    );
    const file = join(dir, 'no-qr.pdf');
    await writeFile(file, await blank.save());
    const verified = await runCli(ws(['verify', file]));
    expectExit(verified, 20);
    expect(errorLines(verified)).toEqual([
      expect.stringMatching(
        /^error INVALID_INPUT: .*carries no credential: it has no attached file, and no QR code could be read on its pages$/,
      ),
    ]);
    expect(verified.stderr).toMatch(/hint: .*pdftoppm/);
    const zh = await runCli(ws(['--lang', 'zh-TW', 'verify', file]));
    expectExit(zh, 20);
    expect(zh.stderr).toMatch(/頁面上也讀不到 QR 碼/);

    // Page images that cannot be read are named in the same line: a damaged JPEG, a fax-coded scan.
    const images = await PDFDocument.create();
    const imagePage = images.addPage([200, 200]);
    const image = (filter: string): PDFRef =>
      images.context.register(
        images.context.stream(new Uint8Array([0xff, 0xd8, 0xff, 0x00, 1, 2, 3]), {
          Type: 'XObject',
          Subtype: 'Image',
          Width: 100,
          Height: 100,
          ColorSpace: 'DeviceGray',
          BitsPerComponent: filter === 'DCTDecode' ? 8 : 1,
          Filter: filter,
        }),
      );
    imagePage.node.setXObject(PDFName.of('Im1'), image('DCTDecode'));
    imagePage.node.setXObject(PDFName.of('Im2'), image('CCITTFaxDecode'));
    imagePage.pushOperators(drawObject('Im1'), drawObject('Im2'));
    const unreadable = join(dir, 'unreadable-images.pdf');
    await writeFile(unreadable, await images.save());
    const refused = await runCli(ws(['verify', unreadable]));
    expectExit(refused, 20);
    expect(errorLines(refused)).toEqual([
      expect.stringMatching(
        /no QR code could be read on its pages \(not read: page 1: a CCITTFaxDecode image; page 1: a JPEG image \(.+\)\)$/,
      ),
    ]);
  });
});

describe('issue --pdf and issue-batch --pdf', () => {
  it('write the documents beside the credentials, one per row in pdf/, and a rerun renders only what is missing', async () => {
    const single = join(dir, 'wang.pdf');
    const issued = await runCli(ws([...wangLicence, '--pdf', single, '--json']));
    expectExit(issued, 0);
    expect(json(issued)).toMatchObject({ files: [single], document: { file: single, format: 'a4' } });
    expectExit(await runCli(ws(['verify', single])), verdictExitCodes.VALID);

    const csv = join(dir, 'rows.csv');
    await writeFile(
      csv,
      'name,licenceNumber,admissionDate,practiceStatus\n陳怡君,(110)台檢證字第100001號,2021-01-05,practising\n李志明,(110)台檢證字第100002號,2021-01-06,not-practising\n張淑芬,(110)台檢證字第100003號,2021-01-07,practising\n',
    );
    const out = join(dir, 'batch');
    const batch = await runCli(
      ws(['issue-batch', 'LawyerLicenceCredential', '--csv', csv, '--out', out, '--pdf', '--json']),
    );
    expectExit(batch, 0);
    expect(json(batch)).toMatchObject({ issued: 3, pdf: { rendered: 3, skipped: 0, format: 'a4' } });
    const rows = parseCsv(await readFile(join(out, 'result.csv'), 'utf8'));
    const idColumn = rows.header.indexOf('id');
    const pdfs = (await readdir(join(out, 'pdf'))).sort();
    expect(pdfs).toEqual(rows.records.map((r) => `${(r.cells[idColumn] ?? '').replace('urn:uuid:', '')}.pdf`).sort());
    const verified = await runCli(ws(['verify', join(out, 'pdf', pdfs[0] ?? ''), '--json']));
    expectExit(verified, verdictExitCodes.VALID);

    const rerun = await runCli(
      ws(['issue-batch', 'LawyerLicenceCredential', '--csv', csv, '--out', out, '--pdf', '--json']),
    );
    expectExit(rerun, 0);
    expect(json(rerun)).toMatchObject({ pdf: { rendered: 0, skipped: 3 } });
  }, 180_000); // renders documents on a worker pool; a guard against hangs, not a performance expectation
});

interface Raster {
  readonly width: number;
  readonly height: number;
  readonly rgba: Uint8ClampedArray;
}

/** A binary PPM (P6), what pdftoppm writes without -png, as RGBA pixels. */
function parsePpm(bytes: Buffer): Raster {
  const header = /^P6\s+(\d+)\s+(\d+)\s+(\d+)\s/.exec(bytes.subarray(0, 64).toString('latin1'));
  if (!header) throw new Error('not a binary PPM');
  const [width, height] = [Number(header[1]), Number(header[2])];
  const pixels = bytes.subarray(header[0].length);
  const rgba = new Uint8ClampedArray(width * height * 4);
  for (let i = 0; i < width * height; i++) {
    rgba[i * 4] = pixels[i * 3] ?? 255;
    rgba[i * 4 + 1] = pixels[i * 3 + 1] ?? 255;
    rgba[i * 4 + 2] = pixels[i * 3 + 2] ?? 255;
    rgba[i * 4 + 3] = 255;
  }
  return { width, height, rgba };
}

/** The raster's rows from `top` down. */
function crop(image: Raster, top: number): Raster {
  return {
    width: image.width,
    height: image.height - top,
    rgba: image.rgba.slice(top * image.width * 4),
  };
}

/** The raster turned by `degrees` about its centre (bilinear), on white, as a hand-held photo is. */
function rotate(image: Raster, degrees: number): Raster {
  const { width, height } = image;
  const angle = (degrees * Math.PI) / 180;
  const [cos, sin] = [Math.cos(angle), Math.sin(angle)];
  const rgba = new Uint8ClampedArray(width * height * 4).fill(255);
  const at = (x: number, y: number, c: number): number =>
    x < 0 || y < 0 || x >= width || y >= height ? 255 : (image.rgba[(y * width + x) * 4 + c] ?? 255);
  for (let y = 0; y < height; y++)
    for (let x = 0; x < width; x++) {
      const dx = x - width / 2;
      const dy = y - height / 2;
      const sx = cos * dx + sin * dy + width / 2;
      const sy = -sin * dx + cos * dy + height / 2;
      const [x0, y0] = [Math.floor(sx), Math.floor(sy)];
      const [fx, fy] = [sx - x0, sy - y0];
      for (let c = 0; c < 3; c++)
        rgba[(y * width + x) * 4 + c] =
          at(x0, y0, c) * (1 - fx) * (1 - fy) +
          at(x0 + 1, y0, c) * fx * (1 - fy) +
          at(x0, y0 + 1, c) * (1 - fx) * fy +
          at(x0 + 1, y0 + 1, c) * fx * fy;
    }
  return { width, height, rgba };
}

/** A slight blur: each pixel the mean of its 3×3 neighbourhood. */
function blur(image: Raster): Raster {
  const { width, height } = image;
  const rgba = new Uint8ClampedArray(image.rgba);
  for (let y = 1; y < height - 1; y++)
    for (let x = 1; x < width - 1; x++)
      for (let c = 0; c < 3; c++) {
        let sum = 0;
        for (let j = -1; j <= 1; j++)
          for (let i = -1; i <= 1; i++) sum += image.rgba[((y + j) * width + x + i) * 4 + c] ?? 255;
        rgba[(y * width + x) * 4 + c] = sum / 9;
      }
  return { width, height, rgba };
}
