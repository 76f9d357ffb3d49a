/**
 * The page as a share target (Web Share Target Level 2): the names the service worker (sw.ts) and the
 * page (main.ts) agree on. The action is also in static/manifest.webmanifest and, as `SHARE_PATH`, in
 * the server (packages/server/src/http/site-routes.ts), which answers a share the worker did not take.
 * @see https://w3c.github.io/web-share-target/level-2/
 */

/** The manifest's `share_target.action`, relative to the page. */
export const SHARE_ACTION = 'share';
/** The cache that holds the latest share, under the action's URL, until the page takes it. */
export const SHARE_CACHE = 'credledger-share';
/** The query the page is opened with after a share (`./?shared`). */
export const SHARED_QUERY = 'shared';
