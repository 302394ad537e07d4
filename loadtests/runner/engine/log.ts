// k6-style log lines on stderr: time="…" level=… msg="…" key=value.
export type Level = 'debug' | 'info' | 'warn' | 'error';

export interface Logger {
  log(level: Level, message: string, fields?: Record<string, string>): void;
}

const quote = (v: string) => (/^[\w./:-]+$/.test(v) ? v : JSON.stringify(v));

export function createLogger(write: (line: string) => void, minLevel: Level = 'info'): Logger {
  const order: Record<Level, number> = { debug: 0, info: 1, warn: 2, error: 3 };
  return {
    log(level, message, fields) {
      if (order[level] < order[minLevel]) return;
      const time = new Date().toISOString().replace(/\.\d+Z$/, 'Z');
      const extra = Object.entries(fields ?? {})
        .map(([k, v]) => ` ${k}=${quote(v)}`)
        .join('');
      write(`time="${time}" level=${level === 'warn' ? 'warning' : level} msg=${JSON.stringify(message)}${extra}\n`);
    },
  };
}
