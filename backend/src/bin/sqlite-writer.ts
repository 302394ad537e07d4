// Worker-thread entry: the SQLite store's vote writer. Commits (and their fsyncs) run here, so the event loop
// that serves HTTP keeps accepting and parsing the next batch while the current one is being made durable.
import { parentPort, workerData } from 'node:worker_threads';
import { runSqliteWriter, type SqliteWriterData } from '../store/sqliteWriter.ts';

if (!parentPort) throw new Error('sqlite-writer must run as a worker thread');
runSqliteWriter(parentPort, workerData as SqliteWriterData);
