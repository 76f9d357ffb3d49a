/**
 * A PKCS#11 module (the vendor's shared library) loaded and initialised through pkcs11js, and the
 * tokens opened through it.
 *
 * Cryptoki is initialised once per process and library (C_Initialize / C_Finalize), which is state the
 * library forces on the process: one `Pkcs11Module` object owns it, from `openPkcs11Module` to `close`.
 * Open each library once and open every token through that object. Should something else in the
 * process have initialised the library already (fabric-gateway's HSM signer does), the module is used
 * as it is and left initialised on close.
 *
 * pkcs11js is an optional peer dependency: it compiles a native addon at install time (node-gyp), so
 * only those who sign with a token install it (`npm install pkcs11js`).
 */
import type * as Pkcs11js from 'pkcs11js';

import { ckr, ckrOf, fromCryptoki, Pkcs11Error } from './errors.js';
import { openTokenOnSlot } from './token.js';
import type { OpenTokenOptions, Pkcs11Module, Pkcs11Token, TokenDescription } from './types.js';

type Pkcs11Library = typeof Pkcs11js;

/** Imports pkcs11js, saying what to do when it is missing or was never built. */
async function loadPkcs11js(): Promise<Pkcs11Library> {
  try {
    // A CommonJS module: its `module.exports` is the default export.
    return (await import('pkcs11js')).default;
  } catch (error) {
    const code = (error as { code?: unknown }).code;
    const missing = code === 'ERR_MODULE_NOT_FOUND' || /Cannot find module 'pkcs11js'/.test(String(error));
    throw new Pkcs11Error(
      'PKCS11_MODULE_UNAVAILABLE',
      missing
        ? 'pkcs11js is not installed: run `npm install pkcs11js` (it compiles with node-gyp, g++, make and python3)'
        : 'pkcs11js is installed but its native addon did not load: run `npm rebuild pkcs11js` (node-gyp, g++, make and python3)',
      { cause: error },
    );
  }
}

/**
 * Loads and initialises a PKCS#11 module, with OS locking so that sessions may work on several
 * threads at once (without it, SoftHSM crashes under concurrent signing).
 * @param path the module's shared library, e.g. `/usr/lib/softhsm/libsofthsm2.so`
 * @throws Pkcs11Error PKCS11_MODULE_UNAVAILABLE (pkcs11js missing or unbuilt, file missing, not a PKCS#11 module, initialisation failed)
 * @example
 * await using module = await openPkcs11Module('/usr/lib/softhsm/libsofthsm2.so');
 * await using token = await module.openToken({ label: 'moj-issuer', pin: process.env.CREDLEDGER_PKCS11_PIN ?? '' });
 * const key = await token.key('moj-licence-2026');
 * const jwt = await signCredential(payload, { alg: 'ES256', kid, credentialSigner: key.credentialSigner });
 */
export async function openPkcs11Module(path: string): Promise<Pkcs11Module> {
  const pkcs11js = await loadPkcs11js();
  const library = new pkcs11js.PKCS11();
  try {
    library.load(path);
  } catch (error) {
    // dlopen's message starts with the path already.
    const reason = (error instanceof Error ? error.message : String(error)).replace(`${path}: `, '');
    throw new Pkcs11Error('PKCS11_MODULE_UNAVAILABLE', `cannot load the PKCS#11 module ${path}: ${reason}`, {
      cause: error,
      details: { module: path },
    });
  }
  let initialised = false;
  try {
    library.C_Initialize({ flags: pkcs11js.CKF_OS_LOCKING_OK });
    initialised = true;
  } catch (error) {
    if (ckrOf(error) !== ckr.CKR_CRYPTOKI_ALREADY_INITIALIZED) {
      library.close();
      throw new Pkcs11Error(
        'PKCS11_MODULE_UNAVAILABLE',
        `the PKCS#11 module ${path} did not initialise (${error instanceof Error ? error.message : String(error)})`,
        { cause: error, details: { module: path } },
      );
    }
  }

  const open = new Set<Pkcs11Token>();
  let closed = false;

  const tokens = (): { slot: Pkcs11js.Handle; description: TokenDescription }[] => {
    try {
      return library.C_GetSlotList(true).flatMap((slot) => {
        const info = library.C_GetTokenInfo(slot);
        // SoftHSM (and some HSMs) keep a free slot with an uninitialised, nameless token.
        if ((info.flags & pkcs11js.CKF_TOKEN_INITIALIZED) === 0) return [];
        const description = {
          label: info.label.trim(),
          manufacturer: info.manufacturerID.trim(),
          model: info.model.trim(),
          serialNumber: info.serialNumber.trim(),
        };
        return [{ slot, description }];
      });
    } catch (error) {
      throw fromCryptoki(error, 'listing its tokens', { module: path });
    }
  };

  /** Finds the token and logs in (Cryptoki's calls for this are synchronous). */
  const openNow = (options: OpenTokenOptions): Pkcs11Token => {
    if (closed) throw new Pkcs11Error('PKCS11_DEVICE_ERROR', `the PKCS#11 module ${path} is closed`);
    const present = tokens();
    const found = present.find((t) => t.description.label === options.label);
    if (!found) {
      throw new Pkcs11Error(
        'PKCS11_TOKEN_NOT_FOUND',
        `no token labelled ${JSON.stringify(options.label)} in ${path}` +
          (present.length === 0
            ? ' (no token is present)'
            : ` (present: ${present.map((t) => JSON.stringify(t.description.label)).join(', ')})`),
        { details: { module: path, token: options.label, present: present.map((t) => t.description.label) } },
      );
    }
    const token = openTokenOnSlot(pkcs11js, library, found.slot, {
      module: path,
      description: found.description,
      options,
      onClose: () => open.delete(token),
    });
    open.add(token);
    return token;
  };

  const module: Pkcs11Module = {
    path,
    tokens: () => tokens().map((t) => t.description),
    openToken: (options) => Promise.resolve(options).then(openNow),
    async close() {
      if (closed) return;
      closed = true;
      for (const token of [...open]) await token.close();
      if (initialised) {
        try {
          library.C_Finalize();
        } catch {
          // A module that fails to finalise is unloaded all the same.
        }
      }
      library.close();
    },
    [Symbol.asyncDispose]: () => module.close(),
  };
  return module;
}

/**
 * Opens one module and one token; closing the token closes the module too. For a process that uses one
 * token of a module (the CLI signing a batch); open the module yourself to use several of its tokens.
 * @throws Pkcs11Error as `openPkcs11Module` and `Pkcs11Module.openToken`
 */
export async function openToken(options: OpenTokenOptions & { readonly module: string }): Promise<Pkcs11Token> {
  const module = await openPkcs11Module(options.module);
  let token: Pkcs11Token;
  try {
    token = await module.openToken(options);
  } catch (error) {
    await module.close();
    throw error;
  }
  const close = async (): Promise<void> => {
    await token.close();
    await module.close();
  };
  return { ...token, close, [Symbol.asyncDispose]: close };
}
