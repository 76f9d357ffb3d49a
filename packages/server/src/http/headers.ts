/**
 * The headers every answer carries: security headers, the page's and the API's content security
 * policies, and CORS. The API and the published data are public and read-only, so by default any origin
 * may read them; `corsOrigins` narrows that to a list.
 */

/** What an answer is, which decides its policy: the verifier page, the read API, published data, or a tracking route. */
export type AnswerKind = 'page' | 'api' | 'data' | 'tracking';

/**
 * CSP of the page: everything from this origin only, no inline script or style, no plugins, no framing.
 * The worker and service worker are same-origin files, which `'self'` covers. `'wasm-unsafe-eval'` lets
 * the QR reader worker compile its WebAssembly (ZXing-C++, decision 0033); it allows no JavaScript eval.
 * @see https://www.w3.org/TR/CSP3/#wasm-unsafe-eval
 */
export const PAGE_CSP = [
  "default-src 'self'",
  "script-src 'self' 'wasm-unsafe-eval'",
  "style-src 'self'",
  "img-src 'self'",
  "connect-src 'self'",
  "worker-src 'self'",
  "manifest-src 'self'",
  "object-src 'none'",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
].join('; ');

/** The API answers JSON only: nothing it returns may ever run or load anything. */
export const API_CSP = "default-src 'none'; frame-ancestors 'none'";

const securityHeaders: Readonly<Record<string, string>> = {
  'X-Content-Type-Options': 'nosniff',
  'Referrer-Policy': 'no-referrer',
  'X-Frame-Options': 'DENY',
  'Cross-Origin-Opener-Policy': 'same-origin',
  'Permissions-Policy': 'camera=(self), microphone=(), geolocation=(), payment=(), usb=()',
};

/** The headers of each kind of answer under one CORS setting. */
export class HeaderPolicy {
  /** API and data headers when every origin is allowed: the same for every request, built once. */
  private readonly open: Readonly<Record<string, string>> | undefined;
  private readonly page: Readonly<Record<string, string>> = {
    ...securityHeaders,
    'Content-Security-Policy': PAGE_CSP,
    'Cross-Origin-Resource-Policy': 'same-origin',
  };

  constructor(private readonly origins: '*' | readonly string[]) {
    this.open =
      origins === '*' ? { ...securityHeaders, 'Content-Security-Policy': API_CSP, ...this.cors(undefined) } : undefined;
  }

  /**
   * The headers of an answer of `kind` to a request from `origin`. A tracking route's are all set before
   * its handler runs ({@link tracking}), so nothing is added to them here.
   */
  headers(kind: AnswerKind, origin: string | undefined): Readonly<Record<string, string>> {
    if (kind === 'page') return this.page;
    if (kind === 'tracking') return {};
    return this.open ?? { ...securityHeaders, 'Content-Security-Policy': API_CSP, ...this.cors(origin) };
  }

  /**
   * The headers of every answer of a tracking route: the API's security headers and CSP, and CORS for its
   * own methods and the request headers its clients send (a JSON body, a subscription token, an
   * EventSource's resume point).
   */
  tracking(origin: string | undefined, methods: readonly string[]): Record<string, string> {
    return {
      ...securityHeaders,
      'Content-Security-Policy': API_CSP,
      ...this.cors(origin),
      'Access-Control-Allow-Methods': [...methods, 'OPTIONS'].join(', '),
      'Access-Control-Allow-Headers': 'Accept, Authorization, Content-Type, Last-Event-ID',
    };
  }

  /** The headers of a route for this server's own page only: the API's security headers, no CORS. */
  sameOrigin(): Record<string, string> {
    return { ...securityHeaders, 'Content-Security-Policy': API_CSP, 'Cross-Origin-Resource-Policy': 'same-origin' };
  }

  private cors(origin: string | undefined): Record<string, string> {
    const headers: Record<string, string> = {
      'Access-Control-Allow-Methods': 'GET, HEAD, OPTIONS',
      'Access-Control-Allow-Headers': 'Accept, If-None-Match',
      'Access-Control-Expose-Headers': 'Retry-After, ETag',
      'Cross-Origin-Resource-Policy': 'cross-origin',
    };
    if (this.origins === '*') {
      headers['Access-Control-Allow-Origin'] = '*';
    } else {
      headers['Vary'] = 'Origin';
      if (origin !== undefined && this.origins.includes(origin)) headers['Access-Control-Allow-Origin'] = origin;
    }
    return headers;
  }
}
