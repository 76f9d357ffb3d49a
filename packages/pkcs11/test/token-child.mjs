// Runs one step against a SoftHSM token in a process of its own (SoftHSM reads SOFTHSM2_CONF from the
// real environment, which a jest test cannot set for itself) and prints its outcome as one JSON line.
// Uses the built package (`npm test` builds first). Usage: node token-child.mjs '<step as JSON>'.
import { createHash } from 'node:crypto';

import pkcs11js from 'pkcs11js';

import { openPkcs11Module, openToken } from '../dist/index.js';

const step = JSON.parse(process.argv[2] ?? '{}');

/** What an error says, or null: the code (ours) or the CKR name (pkcs11js's), and the message. */
async function outcome(run) {
  try {
    await run();
    return null;
  } catch (error) {
    return { code: error.code, name: error.name, message: error.message };
  }
}

const steps = {
  /** Generates a key pair in the token and says what the package reports of it. */
  async generate({ module, token: label, pin, key }) {
    await using token = await openToken({ module, label, pin });
    const made = await token.generateKey(key);
    return { publicKeyJwk: made.publicKeyJwk, id: made.id, protection: made.protection };
  },

  /** Signs distinct messages concurrently through the session pool; the test verifies each. */
  async sign({ module, token: label, pin, key, count, sessions }) {
    await using token = await openToken({ module, label, pin, sessions });
    const found = await token.key(key);
    const messages = Array.from({ length: count }, (_, i) => `credledger signing input ${i}`);
    const signatures = await Promise.all(messages.map((message) => found.credentialSigner(message)));
    // fabric-gateway hands its signer the SHA-256 digest of what it signs.
    const proposal = 'credledger proposal bytes';
    const der = await found.ledgerSigner(createHash('sha256').update(proposal).digest());
    return {
      publicKeyJwk: found.publicKeyJwk,
      messages,
      signatures,
      ledger: { proposal, der: Buffer.from(der).toString('base64') },
    };
  },

  /**
   * Another PKCS#11 client (pkcs11js alone, not this package) logs in and asks the token for the
   * private key: its protection attributes, its value, and a wrapped copy under a fresh AES key.
   */
  async inspect({ module, token: label, pin, key }) {
    const p = new pkcs11js.PKCS11();
    p.load(module);
    p.C_Initialize({ flags: pkcs11js.CKF_OS_LOCKING_OK });
    try {
      const slot = p.C_GetSlotList(true).find((s) => p.C_GetTokenInfo(s).label.trim() === label);
      const session = p.C_OpenSession(slot, pkcs11js.CKF_SERIAL_SESSION | pkcs11js.CKF_RW_SESSION);
      p.C_Login(session, pkcs11js.CKU_USER, pin);
      p.C_FindObjectsInit(session, [
        { type: pkcs11js.CKA_CLASS, value: pkcs11js.CKO_PRIVATE_KEY },
        { type: pkcs11js.CKA_LABEL, value: key },
      ]);
      const [privateKey] = p.C_FindObjects(session, 2);
      p.C_FindObjectsFinal(session);
      const flags = {};
      for (const [name, type] of [
        ['CKA_TOKEN', pkcs11js.CKA_TOKEN],
        ['CKA_SENSITIVE', pkcs11js.CKA_SENSITIVE],
        ['CKA_EXTRACTABLE', pkcs11js.CKA_EXTRACTABLE],
        ['CKA_ALWAYS_SENSITIVE', pkcs11js.CKA_ALWAYS_SENSITIVE],
        ['CKA_NEVER_EXTRACTABLE', pkcs11js.CKA_NEVER_EXTRACTABLE],
      ]) {
        const [attribute] = p.C_GetAttributeValue(session, privateKey, [{ type }]);
        flags[name] = attribute.value[0] !== 0;
      }
      const value = await outcome(() => p.C_GetAttributeValue(session, privateKey, [{ type: pkcs11js.CKA_VALUE }]));
      const wrappingKey = p.C_GenerateKey(session, { mechanism: pkcs11js.CKM_AES_KEY_GEN }, [
        { type: pkcs11js.CKA_TOKEN, value: false },
        { type: pkcs11js.CKA_VALUE_LEN, value: 32 },
        { type: pkcs11js.CKA_WRAP, value: true },
      ]);
      const wrap = await outcome(() =>
        p.C_WrapKey(session, { mechanism: pkcs11js.CKM_AES_KEY_WRAP_PAD }, wrappingKey, privateKey, Buffer.alloc(4096)),
      );
      p.C_CloseSession(session);
      return { flags, value, wrap };
    } finally {
      p.C_Finalize();
      p.close();
    }
  },

  /** Each way of opening a token or key that must fail, with the code it fails with. */
  async failures({ module, token: label, pin, key }) {
    await using opened = await openPkcs11Module(module);
    return {
      module: await outcome(() => openToken({ module: `${module}.missing`, label, pin })),
      notAModule: await outcome(() => openToken({ module: process.execPath, label, pin })),
      token: await outcome(() => opened.openToken({ label: `${label}-missing`, pin })),
      pin: await outcome(() => opened.openToken({ label, pin: `${pin}0` })),
      noPin: await outcome(() => opened.openToken({ label, pin: '' })),
      key: await outcome(async () => {
        await using token = await opened.openToken({ label, pin });
        await token.key(`${key}-missing`);
      }),
      exists: await outcome(async () => {
        await using token = await opened.openToken({ label, pin });
        await token.generateKey(key);
      }),
      tokens: opened.tokens().map((t) => t.label),
    };
  },
};

const run = steps[step.step];
if (run === undefined) throw new Error(`unknown step ${step.step}`);
process.stdout.write(`${JSON.stringify(await run(step))}\n`);
