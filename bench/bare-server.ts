// Baseline for the throughput rows: a bare Express handler that answers the same JSON body, with no
// middleware, session or database. Usage: node --import tsx bench/bare-server.ts <port> <json-file>
import fs from 'node:fs';
import express from 'express';

const [portArg, bodyFile] = process.argv.slice(2);
const body: unknown = JSON.parse(fs.readFileSync(bodyFile!, 'utf8'));
const app = express();
app.disable('x-powered-by');
app.get('/payload', (_req, res) => {
  res.json(body);
});
app.listen(Number(portArg), '127.0.0.1', () => {
  process.stdout.write('listening\n');
});
