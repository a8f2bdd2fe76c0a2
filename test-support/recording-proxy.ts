import net from 'node:net';

interface Connection {
  fromClient: Buffer[];
  toClient: Buffer[];
}

/**
 * A TCP proxy that records every byte sent to the target (and every byte back), per connection, so a
 * test can show what a server received: bodies, headers and WebSocket frames (unmasked) alike.
 */
export async function startRecordingProxy(targetPort: number) {
  const connections: Connection[] = [];
  const sockets = new Set<net.Socket>();
  const server = net.createServer((client) => {
    const upstream = net.connect(targetPort, '127.0.0.1');
    const conn: Connection = { fromClient: [], toClient: [] };
    connections.push(conn);
    sockets.add(client);
    sockets.add(upstream);
    client.on('data', (d) => conn.fromClient.push(Buffer.from(d)));
    upstream.on('data', (d) => conn.toClient.push(Buffer.from(d)));
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
    /** Everything clients sent to the target, with WebSocket payloads unmasked, as latin1 text. */
    receivedText: () => connections.map((c) => readable(Buffer.concat(c.fromClient))).join('\n'),
    /** Everything the target answered. */
    sentText: () => connections.map((c) => Buffer.concat(c.toClient).toString('latin1')).join('\n'),
    async close() {
      for (const s of sockets) s.destroy();
      await new Promise((r) => server.close(r));
    },
  };
}

/** HTTP bytes as they are; after an Upgrade request, client frames are unmasked (RFC 6455 §5.3). */
function readable(bytes: Buffer): string {
  const text = bytes.toString('latin1');
  const upgradeEnd = /^GET [^\r\n]+\r\n(?:[^\r\n]+\r\n)*?upgrade: websocket\r\n/i.test(text) ? text.indexOf('\r\n\r\n') : -1;
  if (upgradeEnd < 0) return text;
  return text.slice(0, upgradeEnd + 4) + unmaskFrames(bytes.subarray(upgradeEnd + 4));
}

function unmaskFrames(buf: Buffer): string {
  let out = '';
  let i = 0;
  while (i + 2 <= buf.length) {
    const masked = (buf[i + 1]! & 0x80) !== 0;
    let len = buf[i + 1]! & 0x7f;
    let p = i + 2;
    if (len === 126) {
      len = buf.readUInt16BE(p);
      p += 2;
    } else if (len === 127) {
      len = Number(buf.readBigUInt64BE(p));
      p += 8;
    }
    const mask = masked ? buf.subarray(p, p + 4) : undefined;
    if (masked) p += 4;
    const payload = Buffer.from(buf.subarray(p, p + len));
    if (mask) for (let k = 0; k < payload.length; k++) payload[k]! ^= mask[k % 4]!;
    out += payload.toString('latin1');
    i = p + len;
  }
  return out;
}
