/**
 * The text of a JSON answer: compact JSON ended by a newline, so `curl` output ends its line and
 * tools that read line by line see a whole line. JSON parsers ignore the newline.
 *
 * @param value what to answer
 * @returns the body text
 */
export function jsonBody(value: unknown): string {
  return `${JSON.stringify(value)}\n`;
}
