import pino, { type Logger } from 'pino';
import type { Config } from '../config/index.ts';

export type { Logger };

/** JSON lines on stdout; every line carries the replica id so a group's interleaved logs stay readable. */
export const createLogger = (level: Config['logLevel'], replica: string): Logger =>
  pino({ level, base: { replica, pid: process.pid } });
