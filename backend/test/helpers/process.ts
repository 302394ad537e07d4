// Runs the pod entry point (backend/src/bin/server.ts) as a real child process. It learns the bound ports from
// the "replica ready" log line, so LOG_LEVEL must be info or lower.
import { spawn, type ChildProcess } from 'node:child_process';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';

export const SERVER_ENTRY = fileURLToPath(new URL('../../src/bin/server.ts', import.meta.url));

export interface ServerProcess {
  child: ChildProcess;
  apiPort: number;
  managementPort: number;
  /** Every stdout/stderr line so far (JSON logs and messages). */
  output: string[];
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  kill(): void;
}

export function runServer(env: Record<string, string>): ServerProcess & { started: Promise<void> } {
  const child = spawn(process.execPath, ['--import', 'tsx', SERVER_ENTRY], {
    env: { PATH: process.env.PATH, HOST: '127.0.0.1', PORT: '0', MGMT_PORT: '0', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const output: string[] = [];
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.once('exit', (code, signal) => resolve({ code, signal })),
  );
  const proc = {
    child,
    apiPort: 0,
    managementPort: 0,
    output,
    exited,
    kill: () => {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    },
  };
  const started = new Promise<void>((resolve, reject) => {
    for (const stream of [child.stdout!, child.stderr!]) {
      createInterface({ input: stream }).on('line', (line) => {
        output.push(line);
        const m = /"apiPort":(\d+),"managementPort":(\d+)/.exec(line);
        if (m) {
          proc.apiPort = Number(m[1]);
          proc.managementPort = Number(m[2]);
          resolve();
        }
      });
    }
    void exited.then(({ code }) => reject(new Error(`server exited with ${code} before listening:\n${output.join('\n')}`)));
  });
  return Object.assign(proc, { started });
}
