// Preloaded into the runner process by the benchmark: on exit, writes the CPU time of the whole process
// (process.cpuUsage counts every thread: the engine and all VU workers) to $BENCH_CPU_OUT.
import { writeFileSync } from 'node:fs';

const out = process.env.BENCH_CPU_OUT;
if (out) process.on('exit', () => writeFileSync(out, JSON.stringify(process.cpuUsage())));
