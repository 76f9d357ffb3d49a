/**
 * The encoder core of node-qrcode (the QR encoder credledger's issuer draws printed licences with),
 * without its canvas, PNG and terminal renderers: the page draws the symbol itself (qr-code.ts).
 */
declare module 'qrcode/lib/core/qrcode.js' {
  export { create } from 'qrcode';
}
