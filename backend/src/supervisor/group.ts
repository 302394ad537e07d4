// The replica group: a one-machine Deployment. It keeps `desired` worker processes running in numbered slots
// (slot n is replica-n, a stable name like a StatefulSet ordinal, so the `pod` label survives restarts),
// restarts any that exit with backoff, kills on request and scales by adding or retiring the highest slots.
// It knows nothing about HTTP: the management target turns its operations into the admin API.
import type { Worker } from 'node:cluster';
import type { Logger } from 'pino';
import type { KillSignal, ReplicaInfo } from '../management/target.ts';
import { freshBackoff, nextRestart, type BackoffPolicy, type BackoffState } from './backoff.ts';
import { InvalidRequestError, UnknownReplicaError } from '../management/errors.ts';
import { WorkerChannel } from './channel.ts';
import { isToPrimary } from './protocol.ts';

/**
 * What a slot is doing now: `terminating` = told to stop (or draining), `restarting` = its process exited and the
 * slot waits out its backoff.
 */
export type ReplicaState = 'starting' | 'running' | 'terminating' | 'restarting';

/** ReplicaInfo plus what an operator reads in `make status`. */
export interface GroupReplicaInfo extends ReplicaInfo {
  state: ReplicaState;
  /** Seconds since the current process started (0 while restarting). */
  ageSeconds: number;
}

/** What the group reports as it goes, for the supervisor's own metrics. */
export interface GroupObserver {
  added(replica: string): void;
  restarted(replica: string): void;
  removed(replica: string): void;
  desiredChanged(count: number): void;
}

export interface GroupOptions {
  desired: number;
  maxReplicas: number;
  backoff: BackoffPolicy;
  ipcTimeoutMs: number;
  /** How long a stopping replica may drain before it is SIGKILLed. */
  stopTimeoutMs: number;
  /** How long a scale-up waits for its new replicas to report ready before it answers anyway. */
  startTimeoutMs: number;
  logger: Logger;
  /** Starts the worker process for a slot (cluster.fork in production). */
  spawn: (slot: number) => Worker;
  observer: GroupObserver;
}

/** One running process of a slot. */
interface ReplicaProcess {
  worker: Worker;
  channel: WorkerChannel;
  pid: number;
  startedAt: number;
  /** The replica said its API server is listening (so it is in the primary's round-robin). */
  listening: boolean;
  /** Told to stop, or announced it is draining: no longer counted as ready. */
  draining: boolean;
  exited: Promise<void>;
}

interface Slot {
  readonly index: number;
  readonly id: string;
  process: ReplicaProcess | undefined;
  restarts: number;
  backoff: BackoffState;
  restartTimer: NodeJS.Timeout | undefined;
  /** Being removed by a scale-down or shutdown: never restarted again. */
  retiring: boolean;
}

export const replicaId = (slot: number) => `replica-${slot}`;

// A 400, not a 5xx: the caller asked for something the group cannot do right now; retrying later works.
const notRunning = (replica: string) =>
  new InvalidRequestError(
    `replica ${replica} is not serving right now (starting or waiting to restart); try again shortly`,
  );

export class ReplicaGroup {
  private readonly slots: Slot[] = [];
  private stopping = false;
  /** Scale operations run one after another so two admin calls cannot interleave their forks and retirements. */
  private queue: Promise<unknown> = Promise.resolve();

  constructor(private readonly opts: GroupOptions) {}

  start(): void {
    this.opts.observer.desiredChanged(this.opts.desired);
    for (let i = 1; i <= this.opts.desired; i++) this.fork(this.addSlot(i));
  }

  /** The live processes that can answer IPC requests (for metrics and faults), with their replica ids. */
  channels(replica?: string): { id: string; channel: WorkerChannel }[] {
    if (replica !== undefined) {
      const slot = this.slot(replica);
      if (slot.process === undefined || !slot.process.listening) throw notRunning(replica);
      return [{ id: slot.id, channel: slot.process.channel }];
    }
    return this.slots.flatMap((s) =>
      s.process !== undefined && s.process.listening ? [{ id: s.id, channel: s.process.channel }] : [],
    );
  }

  /** Every slot with live readiness: listening, not draining, and the replica's own ready() says yes. */
  async replicas(): Promise<GroupReplicaInfo[]> {
    return Promise.all(this.slots.map(async (slot) => this.info(slot, await this.probe(slot))));
  }

  async kill(replica: string, signal: KillSignal): Promise<GroupReplicaInfo> {
    const slot = this.slot(replica);
    const proc = slot.process;
    if (proc === undefined) throw notRunning(replica);
    proc.draining = true;
    this.opts.logger.warn({ replica, workerPid: proc.pid, signal }, 'killing replica on request');
    if (signal === 'SIGKILL') await this.leaveRoundRobin(proc);
    proc.worker.process.kill(signal);
    return this.info(slot, false);
  }

  /** Answers once the change is made: new replicas ready (or timed out starting), retired ones exited. */
  scale(count: number): Promise<GroupReplicaInfo[]> {
    if (!Number.isInteger(count) || count < 1 || count > this.opts.maxReplicas) {
      return Promise.reject(new InvalidRequestError(`count must be an integer from 1 to ${this.opts.maxReplicas}`));
    }
    const run = this.queue.then(() => this.applyScale(count));
    this.queue = run.catch(() => undefined);
    return run;
  }

  /** Graceful stop of every replica (SIGTERM, then SIGKILL after the drain timeout); nothing restarts afterwards. */
  async stop(): Promise<void> {
    this.stopping = true;
    await Promise.all(this.slots.map((s) => this.retire(s, 'supervisor shutting down')));
  }

  private async applyScale(count: number): Promise<GroupReplicaInfo[]> {
    if (this.stopping) throw new Error('the supervisor is shutting down');
    const active = this.slots.filter((s) => !s.retiring);
    const from = active.length;
    if (count === from) return this.replicas();
    this.opts.logger.info({ from, to: count }, 'scaling');
    this.opts.observer.desiredChanged(count);
    if (count > from) {
      const added: Slot[] = [];
      for (let i = from + 1; i <= count; i++) {
        const slot = this.addSlot(i);
        this.fork(slot);
        added.push(slot);
      }
      await Promise.all(added.map((s) => this.waitListening(s, this.opts.startTimeoutMs)));
    } else {
      await Promise.all(active.slice(count).map((s) => this.retire(s, `scaled down to ${count}`)));
    }
    return this.replicas();
  }

  private addSlot(index: number): Slot {
    const slot: Slot = {
      index,
      id: replicaId(index),
      process: undefined,
      restarts: 0,
      backoff: freshBackoff(),
      restartTimer: undefined,
      retiring: false,
    };
    this.slots.push(slot);
    this.slots.sort((a, b) => a.index - b.index);
    this.opts.observer.added(slot.id);
    return slot;
  }

  private slot(replica: string): Slot {
    const slot = this.slots.find((s) => s.id === replica);
    if (slot === undefined) throw new UnknownReplicaError(replica);
    return slot;
  }

  private fork(slot: Slot): void {
    const worker = this.opts.spawn(slot.index);
    const channel = new WorkerChannel(slot.id, worker, this.opts.ipcTimeoutMs);
    let markExited: () => void = () => undefined;
    const exited = new Promise<void>((resolve) => (markExited = resolve));
    const proc: ReplicaProcess = {
      worker,
      channel,
      pid: worker.process.pid ?? 0,
      startedAt: Date.now(),
      listening: false,
      draining: false,
      exited,
    };
    slot.process = proc;
    const log = this.opts.logger.child({ replica: slot.id, workerPid: proc.pid });
    log.info('replica starting');

    worker.on('message', (message: unknown) => {
      if (!isToPrimary(message)) return;
      if (message.kind === 'response') return channel.onResponse(message);
      switch (message.event) {
        case 'ready':
          proc.listening = true;
          log.info({ startupMs: Date.now() - proc.startedAt }, 'replica listening');
          return;
        case 'draining':
          proc.draining = true;
          log.info('replica draining');
          return;
        case 'failed':
          log.error({ error: message.error }, 'replica failed to start');
          return;
      }
    });
    worker.on('error', (err) => log.warn({ err }, 'replica IPC error'));
    worker.on('exit', (code: number | null, signal: string | null) => {
      channel.close('exited');
      if (slot.process === proc) slot.process = undefined;
      markExited();
      this.onExit(slot, proc, code, signal);
    });
  }

  private onExit(slot: Slot, proc: ReplicaProcess, code: number | null, signal: string | null): void {
    const ranForMs = Date.now() - proc.startedAt;
    const log = this.opts.logger.child({ replica: slot.id, workerPid: proc.pid });
    if (slot.retiring || this.stopping) {
      log.info({ code, signal, ranForMs }, 'replica stopped');
      return;
    }
    const { delayMs, state } = nextRestart(this.opts.backoff, slot.backoff, ranForMs);
    slot.backoff = state;
    log.warn({ code, signal, ranForMs, restartInMs: delayMs, streak: state.streak }, 'replica exited; restarting');
    slot.restartTimer = setTimeout(() => {
      slot.restartTimer = undefined;
      if (slot.retiring || this.stopping) return;
      slot.restarts++;
      this.opts.observer.restarted(slot.id);
      this.fork(slot);
    }, delayMs);
  }

  private async retire(slot: Slot, reason: string): Promise<void> {
    slot.retiring = true;
    clearTimeout(slot.restartTimer);
    slot.restartTimer = undefined;
    const proc = slot.process;
    if (proc !== undefined) {
      proc.draining = true;
      this.opts.logger.info({ replica: slot.id, workerPid: proc.pid, reason }, 'stopping replica');
      proc.worker.process.kill('SIGTERM');
      const deadline = setTimeout(() => {
        this.opts.logger.warn({ replica: slot.id, workerPid: proc.pid }, 'replica did not drain in time; SIGKILL');
        proc.worker.process.kill('SIGKILL');
      }, this.opts.stopTimeoutMs);
      await proc.exited;
      clearTimeout(deadline);
    }
    const at = this.slots.indexOf(slot);
    if (at >= 0) this.slots.splice(at, 1);
    this.opts.observer.removed(slot.id);
  }

  /**
   * Takes a worker out of the primary's round-robin before it is SIGKILLed, so the kill only breaks connections
   * the worker already holds. Without this, node:cluster keeps its own copy of a connection it is handing over
   * until the worker acknowledges it; a worker killed mid-handoff never does, and the client hangs until its
   * timeout. The first answer comes after the worker's "server closed" notice (same pipe, in order), so no new
   * handoff starts after it; the ping's answer comes after the worker answered every handoff sent before that.
   * A worker that does not answer is killed anyway.
   */
  private async leaveRoundRobin(proc: ReplicaProcess): Promise<void> {
    if (!proc.listening) return;
    try {
      await proc.channel.request('stopAccepting', undefined);
      await proc.channel.request('ping', undefined);
    } catch (err) {
      this.opts.logger.warn({ workerPid: proc.pid, err }, 'could not take the replica out of rotation first');
    }
  }

  private async waitListening(slot: Slot, timeoutMs: number): Promise<void> {
    const until = Date.now() + timeoutMs;
    while (Date.now() < until && !this.stopping && !slot.retiring) {
      if (slot.process?.listening && (await this.probe(slot))) return;
      await new Promise((r) => setTimeout(r, 50));
    }
  }

  private async probe(slot: Slot): Promise<boolean> {
    const proc = slot.process;
    if (proc === undefined || !proc.listening || proc.draining) return false;
    try {
      return (await proc.channel.request('ready', undefined)).ready;
    } catch {
      return false;
    }
  }

  private info(slot: Slot, ready: boolean): GroupReplicaInfo {
    const proc = slot.process;
    const state: ReplicaState =
      proc === undefined ? 'restarting' : proc.draining ? 'terminating' : proc.listening ? 'running' : 'starting';
    return {
      id: slot.id,
      // pid and startedAt are 0 while the slot waits out its restart backoff: there is no process to name.
      pid: proc?.pid ?? 0,
      startedAt: proc?.startedAt ?? 0,
      ageSeconds: proc === undefined ? 0 : Math.floor((Date.now() - proc.startedAt) / 1000),
      restarts: slot.restarts,
      ready,
      state,
    };
  }
}
