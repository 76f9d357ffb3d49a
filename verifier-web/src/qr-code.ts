/**
 * A QR code as an SVG element, for the "request from a wallet" view: node-qrcode's encoder core (the
 * encoder the issuer prints licences with; ~8 KB gzipped in the view's own file, decision 0037), drawn
 * as one path of dark runs. Built with DOM calls only: nothing for the page's CSP to refuse (no inline
 * style, no `data:` image).
 */
import { create } from 'qrcode/lib/core/qrcode.js';

const SVG = 'http://www.w3.org/2000/svg';
/** The quiet zone ISO/IEC 18004 asks for around a symbol, in modules. */
const QUIET_ZONE = 4;

/**
 * The SVG drawing of `text` as a QR code at error correction level M (as credledger's printed codes),
 * with its quiet zone; it scales to the width CSS gives it. `label` is what a screen reader says.
 */
export function qrCodeSvg(text: string, label: string): SVGSVGElement {
  const { modules } = create(text, { errorCorrectionLevel: 'M' });
  const size = modules.size;
  const side = size + 2 * QUIET_ZONE;
  // One horizontal run of dark modules per subpath: a fraction of the path a module each would take.
  const runs: string[] = [];
  for (let row = 0; row < size; row++) {
    let col = 0;
    while (col < size) {
      if (modules.get(row, col) === 0) {
        col++;
        continue;
      }
      const start = col;
      while (col < size && modules.get(row, col) !== 0) col++;
      runs.push(`M${start + QUIET_ZONE} ${row + QUIET_ZONE}h${col - start}v1h${start - col}z`);
    }
  }
  const svg = document.createElementNS(SVG, 'svg');
  svg.setAttribute('viewBox', `0 0 ${side} ${side}`);
  svg.setAttribute('role', 'img');
  svg.setAttribute('aria-label', label);
  svg.setAttribute('shape-rendering', 'crispEdges');
  svg.dataset['modules'] = String(size);
  const paper = document.createElementNS(SVG, 'rect');
  paper.setAttribute('width', String(side));
  paper.setAttribute('height', String(side));
  paper.setAttribute('fill', '#fff');
  const ink = document.createElementNS(SVG, 'path');
  ink.setAttribute('d', runs.join(''));
  ink.setAttribute('fill', '#000');
  svg.append(paper, ink);
  return svg;
}
