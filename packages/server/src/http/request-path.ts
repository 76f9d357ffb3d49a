/** The path of a request target, without its query (`/api/v1/watch?ids=…` → `/api/v1/watch`). */
export function pathOf(url: string): string {
  const query = url.indexOf('?');
  return query < 0 ? url : url.slice(0, query);
}
