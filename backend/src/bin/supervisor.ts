// The local deployment: `node dist/backend/supervisor.js` runs REPLICAS poll-service replicas on one API port
// (default 30080) with the group's management port (default 9464). The same file is each worker's entry
// (node:cluster re-runs it), and `supervisor.js status` prints the replica table of a running supervisor.
import cluster from 'node:cluster';
import { pino } from 'pino';
import { ConfigError } from '../config/index.ts';
import { loadSupervisorConfig } from '../supervisor/config.ts';
import { runPrimary, SLOT_ENV } from '../supervisor/primary.ts';
import { fetchReplicas, formatReplicaTable } from '../supervisor/status.ts';
import { runWorker } from '../supervisor/worker.ts';
import { replicaId } from '../supervisor/group.ts';

function fail(message: string): never {
  console.error(message);
  process.exit(1);
}

async function status(): Promise<void> {
  const port = process.env.MGMT_PORT || '9464';
  const token = process.env.CHAOS_TOKEN;
  if (!token) fail('status needs CHAOS_TOKEN (make status reads it from run/chaos-token)');
  const url = `http://127.0.0.1:${port}`;
  try {
    console.log(formatReplicaTable(await fetchReplicas(url, token)));
  } catch (err) {
    fail(`no supervisor answering on ${url}: ${err instanceof Error ? err.message : String(err)}`);
  }
}

async function main(): Promise<void> {
  if (cluster.isPrimary && process.argv[2] === 'status') return status();

  let config;
  try {
    config = loadSupervisorConfig(process.env);
  } catch (err) {
    if (err instanceof ConfigError) fail(`supervisor: ${err.message}`);
    throw err;
  }

  if (cluster.isWorker) {
    const slot = Number(process.env[SLOT_ENV]);
    if (!Number.isInteger(slot) || slot < 1) fail(`worker started without a valid ${SLOT_ENV}`);
    return runWorker(config, replicaId(slot));
  }

  const logger = pino({ name: 'supervisor', level: config.service.logLevel });
  let supervisor;
  try {
    supervisor = await runPrimary(config, logger);
  } catch (err) {
    fail(`supervisor: cannot start: ${err instanceof Error ? err.message : String(err)}`);
  }
  const onSignal = (signal: NodeJS.Signals) => {
    logger.info({ signal }, 'stopping every replica gracefully');
    supervisor.stop().then(
      () => process.exit(0),
      (err: unknown) => {
        logger.error({ err }, 'shutdown failed');
        process.exit(1);
      },
    );
  };
  process.on('SIGTERM', onSignal);
  process.on('SIGINT', onSignal);
}

await main();
