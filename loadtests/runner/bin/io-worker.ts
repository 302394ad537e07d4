// Worker-thread entry: the engine's HTTP thread (spawned by the engine, never run by hand).
import { runIoThread } from '../engine/io-thread.ts';

runIoThread();
