// Worker-thread entry: one VU per thread (spawned by the engine, never run by hand).
import { workerData } from 'node:worker_threads';
import { runVu } from '../vu/run-vu.ts';
import type { VuWorkerData } from '../vu/protocol.ts';

runVu(workerData as VuWorkerData);
