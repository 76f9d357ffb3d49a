// A tracking service in its own process, for the restart test (packages/server/test/watch-restart.test.ts): it
// opens the embedded ledger, starts the tracking service, then suspends every listed credential that
// is still ACTIVE (one transaction each), printing one line per step. Killed and started again, it
// carries on where the ledger and its checkpoint say.
// Usage: node watch-child.mjs <ledgerDir> <stateDir> <startBlock> <id,id,…>
import { Registry, ledgers } from '@credledger/ledger';
import { createTrackingService } from '@credledger/server';

const [ledgerDir, stateDir, startBlock, idList] = process.argv.slice(2);
const network = await ledgers.embedded({ directory: ledgerDir, create: false });
const tracking = await createTrackingService({
  ledger: network.connect('NdcMSP/auditor'),
  stateDir,
  startBlock: BigInt(startBlock),
  delivery: { allowLoopbackHttp: true, initialBackoffMs: 10, maxBackoffMs: 50, maxAttempts: 10_000 },
  onError: (error, context) => process.stderr.write(`${context}: ${error?.message ?? error}\n`),
});
tracking.start();
process.stdout.write('started\n');
const operator = new Registry(network.connect('MojMSP/operator'));
for (const id of idList.split(',')) {
  const { status } = await operator.getCredential(id);
  if (status !== 'ACTIVE') continue;
  const { txId } = await operator.setCredentialStatus({ id, status: 'SUSPENDED', reason: 'COURT_ORDER' });
  process.stdout.write(`changed ${txId}:${id}\n`);
}
// Everything on the ledger so far (this run's changes, or the killed run's last ones) must be delivered.
await tracking.idle({ through: network.height() - 1n });
process.stdout.write('idle\n');
process.on('SIGTERM', async () => {
  await tracking.close();
  await network.close();
  process.exit(0);
});
