// The yardstick: the least a Node HTTP server can do for a vote, answering a fixed 201 without reading anything.
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';

const body = JSON.stringify({ id: '00000000-0000-0000-0000-000000000000', poll: 'default', option: 'Go' });
const server = createServer((req, res) => {
  req.resume();
  req.on('end', () => {
    res.writeHead(201, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) });
    res.end(body);
  });
});
server.keepAliveTimeout = 65_000;
server.listen(0, '127.0.0.1', () => console.log(JSON.stringify({ apiPort: (server.address() as AddressInfo).port })));
process.once('SIGTERM', () => server.close(() => process.exit(0)));
