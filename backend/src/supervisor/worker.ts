// One worker process of the group: runs a replica on the shared API port (cluster mode hands it connections
// from the primary's listening socket), answers the primary's IPC requests, and drains on SIGTERM.
// It also exits when the IPC channel closes, so a SIGKILLed supervisor never leaves orphan workers behind.
import { startReplica, type Replica } from '../replica/index.ts';
import type { SupervisorConfig } from './config.ts';
import { toFamilies } from './metrics-merge.ts';
import { isToWorker, type Request, type Response, type ToPrimary } from './protocol.ts';

export async function runWorker(config: SupervisorConfig, replicaId: string): Promise<void> {
  let replica: Replica | undefined;
  let draining = false;

  const send = (message: ToPrimary) => {
    // After a disconnect there is nobody to tell; the message is dropped on purpose.
    if (process.connected) process.send?.(message);
  };

  const drain = async (reason: string) => {
    if (draining) return;
    draining = true;
    send({ kind: 'event', event: 'draining', replica: replicaId });
    // Still starting: nothing listens yet that could have in-flight work, so leave at once.
    if (replica === undefined) process.exit(0);
    try {
      await replica.shutdown(reason);
      process.exit(0);
    } catch (err) {
      console.error(`${replicaId}: shutdown failed`, err);
      process.exit(1);
    }
  };

  process.on('SIGTERM', () => void drain('SIGTERM'));
  // Ctrl-C in a terminal signals the whole process group; the primary decides how workers stop, so a worker
  // ignores SIGINT and waits for the primary's SIGTERM (or for the channel to close if the primary died).
  process.on('SIGINT', () => undefined);
  process.on('disconnect', () => void drain('supervisor gone (IPC channel closed)'));

  process.on('message', (message: unknown) => {
    if (!isToWorker(message)) return;
    void answer(message).then(send);
  });

  const answer = async (request: Request): Promise<Response> => {
    try {
      if (replica === undefined) throw new Error('still starting');
      return { kind: 'response', id: request.id, ok: true, result: await perform(replica, request) };
    } catch (err) {
      return { kind: 'response', id: request.id, ok: false, error: err instanceof Error ? err.message : String(err) };
    }
  };

  try {
    replica = await startReplica({ config: config.service, replicaId, serveManagement: false });
  } catch (err) {
    const error = err instanceof Error ? err.message : String(err);
    send({ kind: 'event', event: 'failed', replica: replicaId, error });
    console.error(`${replicaId}: failed to start: ${error}`);
    // The primary restarts the slot with backoff, like a crash-looping container.
    process.exit(1);
  }
  // A SIGTERM that arrived during start-up was answered by exiting; reaching here means we serve.
  send({ kind: 'event', event: 'ready', replica: replicaId });
}

async function perform(replica: Replica, request: Request): Promise<unknown> {
  switch (request.op) {
    case 'metrics':
      return toFamilies(await replica.registry.getMetricsAsJSON());
    case 'ready':
      return replica.ready();
    case 'setFault':
      return [replica.chaos.set(request.args)];
    case 'faults':
      return replica.chaos.list();
    case 'clearFaults':
      return replica.chaos.clear();
    case 'stopAccepting':
      replica.stopAccepting();
      return null;
    case 'ping':
      return null;
  }
}
