import net from 'node:net';

// Ports are handed out below Linux's ephemeral range (32768-60999 by default). A port the OS picks
// for `listen(0)` comes from that range, and so does the local port of every outgoing connection:
// between picking such a port and the child process binding it, any connection (to PostgreSQL, a
// keep-alive HTTP client) could take it, and the server then fails with EADDRINUSE. Each process
// takes its own block of 100 (by pid) and walks it, so parallel test files rarely meet.
const rangeStart = 24_000;
const blockSize = 100;
const blocks = Math.floor((32_700 - rangeStart) / blockSize);
const block = rangeStart + (process.pid % blocks) * blockSize;
let next = Math.floor(Math.random() * blockSize);

function isFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const srv = net.createServer();
    srv.once('error', () => resolve(false));
    srv.listen(port, '127.0.0.1', () => srv.close(() => resolve(true)));
  });
}

/** A loopback port nobody listens on right now, outside the range the OS hands out on its own. */
export async function freePort(): Promise<number> {
  for (let tries = 0; tries < blockSize * blocks; tries++) {
    const offset = next++;
    const port = offset < blockSize ? block + offset : rangeStart + ((block - rangeStart + offset) % (blockSize * blocks));
    if (await isFree(port)) return port;
  }
  throw new Error('no free loopback port between 24000 and 32700');
}
