/**
 * The registry of preset deflate dictionaries, by dictionary number. Entries are only ever added:
 * a verifier must keep every dictionary for as long as a credential encoded with it can be valid.
 */
import { dictionary1Text } from './d1.js';
import { dictionary2Text } from './d2.js';

const encoder = new TextEncoder();

/** Dictionary number → its exact bytes (UTF-8 of the source text). */
export const dictionaries: Readonly<Record<number, Uint8Array>> = {
  1: encoder.encode(dictionary1Text),
  2: encoder.encode(dictionary2Text),
};
