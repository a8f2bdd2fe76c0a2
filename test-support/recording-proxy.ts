import net from 'node:net';

/**
 * A TCP proxy that records every byte sent to the target (and every byte back), so a test can show
 * what a server received: bodies, headers and WebSocket frames alike.
 */
export async function startRecordingProxy(targetPort: number) {
  const received: Buffer[] = [];
  const sent: Buffer[] = [];
  const sockets = new Set<net.Socket>();
  const server = net.createServer((client) => {
    const upstream = net.connect(targetPort, '127.0.0.1');
    sockets.add(client);
    sockets.add(upstream);
    client.on('data', (d) => received.push(Buffer.from(d)));
    upstream.on('data', (d) => sent.push(Buffer.from(d)));
    client.pipe(upstream);
    upstream.pipe(client);
    const end = () => {
      client.destroy();
      upstream.destroy();
    };
    client.on('error', end);
    upstream.on('error', end);
    client.on('close', end);
    upstream.on('close', end);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    port: (server.address() as net.AddressInfo).port,
    /** Everything clients sent to the target, as latin1 text (byte-exact). */
    receivedText: () => Buffer.concat(received).toString('latin1'),
    sentText: () => Buffer.concat(sent).toString('latin1'),
    async close() {
      for (const s of sockets) s.destroy();
      await new Promise((r) => server.close(r));
    },
  };
}
