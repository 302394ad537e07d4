import { after, before } from 'node:test';
import { createPostgresStore } from '../../src/store/postgres.ts';
import { startPostgres, type PostgresServer } from '../fixtures/postgres.ts';
import { storeContract } from './storeContract.ts';

let server: PostgresServer;
before(async () => {
  server = await startPostgres();
});
after(async () => {
  await server?.close();
});

storeContract('postgres', async () => createPostgresStore({ url: server.url, timeoutMs: 5000, poolSize: 5 }));
