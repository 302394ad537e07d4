// Pod entry point: one replica with its own management port. Exits 0 after a graceful SIGTERM/SIGINT drain.
import { ConfigError, loadConfig, startReplica } from '../replica/index.ts';

let config;
try {
  config = loadConfig(process.env);
} catch (err) {
  if (err instanceof ConfigError) {
    console.error(`poll-service: ${err.message}`);
    process.exit(2);
  }
  throw err;
}

try {
  const replica = await startReplica({ config, replicaId: config.podName, serveManagement: true });
  const stop = (signal: NodeJS.Signals) => {
    replica.shutdown(signal).then(
      () => process.exit(0),
      (err: unknown) => {
        console.error('poll-service: shutdown failed', err);
        process.exit(1);
      },
    );
  };
  process.once('SIGTERM', stop);
  process.once('SIGINT', stop);
} catch (err) {
  console.error('poll-service: failed to start:', err instanceof Error ? err.message : err);
  process.exit(1);
}
