// A separate process for durability tests (run with the built sdk): `hold <dir>` opens the ledger and
// keeps it; `serve <dir>` keeps it and serves other processes over its peer socket; `write <dir>` commits
// transactions until it is killed, printing each commit it saw succeed.
import { createRequire } from 'node:module';
import { ledgers } from '@credledger/ledger';

const require = createRequire(import.meta.url);
const [mode, directory] = process.argv.slice(2);
const network = await ledgers.embedded({
  directory,
  chaincodeName: 'fixture',
  contracts: async () => require('../fixtures/test-chaincode.cjs').contracts,
  batchSize: 8,
  batchTimeoutMs: 1,
  ...(mode === 'serve' ? { sharing: 'serve' } : {}),
});
process.stdout.write(`ready ${process.pid}\n`);
if (mode === 'hold' || mode === 'serve') {
  setInterval(() => undefined, 60_000);
} else {
  const ledger = network.connect('MojMSP/operator');
  for (let round = 0; ; round++) {
    await Promise.all(
      Array.from({ length: 8 }, async (_, i) => {
        const key = `p${process.pid}-r${round}-t${i}`;
        // Mix small transactions with larger ones so commits take a while.
        const { txId, blockNumber } =
          i % 4 === 0 ? await ledger.submit('PutMany', key, '200') : await ledger.submit('Put', key, 'v');
        process.stdout.write(`committed ${blockNumber} ${txId} ${key} ${i % 4 === 0 ? 'many' : 'one'}\n`);
      }),
    );
  }
}
