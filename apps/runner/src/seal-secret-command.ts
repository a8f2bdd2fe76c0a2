import fs from 'node:fs';
import { parseArgs } from 'node:util';
import { EnvelopeError, MAX_SECRET_LENGTH, sealClientSecret } from '@runner-console/envelope';

/**
 * `node runner.mjs seal-secret`: seals an OAuth client secret to a runner's public key on the
 * machine that runs it (a CI job, Terraform), so automation can send `oauthClientSecretEnvelope`
 * and the plaintext never reaches Runner Console. The sealing is the envelope package's
 * `sealClientSecret`, the same code the dashboard runs in the browser.
 *
 * The secret is read from stdin only: an argument would be visible to every user in `ps`.
 * Nothing the command prints contains it.
 */
export const sealSecretUsage = `Usage: node runner.mjs seal-secret --runner <runnerId> --host <provider host> --public-key-file <file>

Seals an OAuth client secret to a runner's public key and prints the envelope to send as
oauthClientSecretEnvelope. The secret is read from stdin (one trailing newline is dropped); it is
never taken as an argument and never printed.

  --runner            the runner's id (the envelope only opens on that runner)
  --host              the integration's host, as in its Host field (the envelope only opens for that host)
  --public-key-file   the runner's public key: the answer of GET /api/runners/<runnerId> (its
                      publicKey is used, and its id must be the --runner), or the public JWK alone

Example:
  printf '%s' "$CLIENT_SECRET" | node runner.mjs seal-secret --runner "$RUNNER_ID" \\
    --host "$PROVIDER_HOST" --public-key-file runner.json
`;

export type SealSecretIo = {
  /** The secret's bytes. */
  stdin: AsyncIterable<Buffer | string> | Iterable<Buffer | string>;
  /** Whether stdin is a terminal (typing there would show the secret on screen). */
  stdinIsTty: boolean;
  stdout: (text: string) => void;
  stderr: (text: string) => void;
};

/** A refusal the command reports as one line on stderr, with its exit status. */
class SealSecretRefusal extends Error {
  constructor(
    message: string,
    readonly exitCode: number,
  ) {
    super(message);
  }
}

const usageError = (message: string) => new SealSecretRefusal(`${message}\nRun \`node runner.mjs seal-secret --help\` for the usage.`, 2);

/** Runs the command; answers its exit status (0 sealed, 1 refused input, 2 wrong usage). */
export async function runSealSecret(argv: string[], io: SealSecretIo): Promise<number> {
  try {
    const args = readArgs(argv);
    if (args === 'help') {
      io.stdout(sealSecretUsage);
      return 0;
    }
    const publicJwk = readPublicKeyFile(args.publicKeyFile, args.runnerId);
    if (io.stdinIsTty) {
      throw usageError('Pipe the secret into this command, e.g. printf \'%s\' "$SECRET" | node runner.mjs seal-secret …; typed at a terminal it would show on screen.');
    }
    const secret = await readSecret(io.stdin);
    const envelope = await sealClientSecret({ secret, publicJwk, runnerId: args.runnerId, host: args.host });
    io.stdout(`${envelope}\n`);
    return 0;
  } catch (err) {
    if (err instanceof SealSecretRefusal) {
      io.stderr(`seal-secret: ${err.message}\n`);
      return err.exitCode;
    }
    if (err instanceof EnvelopeError) {
      // Its messages name the key, runner id or host, never the secret.
      io.stderr(`seal-secret: ${err.message}\n`);
      return 1;
    }
    // Anything else is a bug: say so without a stack trace or input that could carry the secret.
    io.stderr(`seal-secret: could not seal the secret (${(err as Error).name}).\n`);
    return 1;
  }
}

type Args = { runnerId: string; host: string; publicKeyFile: string };

function readArgs(argv: string[]): Args | 'help' {
  let parsed;
  try {
    parsed = parseArgs({
      args: argv,
      options: {
        runner: { type: 'string' },
        host: { type: 'string' },
        'public-key-file': { type: 'string' },
        help: { type: 'boolean' },
      },
      allowPositionals: false,
      strict: true,
    });
  } catch (err) {
    // parseArgs names the unknown option or stray argument; the secret is never an argument.
    throw usageError(`${(err as Error).message}. The secret is read from stdin, not from an argument.`);
  }
  const { values } = parsed;
  if (values.help) return 'help';
  const missing = (['runner', 'host', 'public-key-file'] as const).filter((name) => !values[name]);
  if (missing.length > 0) throw usageError(`Missing ${missing.map((name) => `--${name}`).join(', ')}.`);
  return { runnerId: values.runner!, host: values.host!, publicKeyFile: values['public-key-file']! };
}

/** The key file: GET /api/runners/:runnerId's answer, or a bare public JWK. */
function readPublicKeyFile(file: string, runnerId: string) {
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (err) {
    throw new SealSecretRefusal(`Cannot read ${file} (${(err as NodeJS.ErrnoException).code ?? (err as Error).message}).`, 1);
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    throw new SealSecretRefusal(`${file} is not JSON. Save the answer of GET /api/runners/${runnerId}, or the runner's public JWK.`, 1);
  }
  if (typeof json !== 'object' || json === null || Array.isArray(json)) {
    throw new SealSecretRefusal(`${file} holds no public key object.`, 1);
  }
  let jwk: Record<string, unknown> = json as Record<string, unknown>;
  if ('publicKey' in jwk) {
    // The runner as GET /api/runners/:runnerId answers it: seal to the key of that runner only.
    if (typeof jwk.id === 'string' && jwk.id !== runnerId) {
      throw new SealSecretRefusal(`${file} is runner ${jwk.id}, not --runner ${runnerId}.`, 1);
    }
    if (jwk.publicKey === null) {
      throw new SealSecretRefusal(`Runner ${runnerId} has not registered its key yet: start it, then fetch GET /api/runners/${runnerId} again.`, 1);
    }
    if (typeof jwk.publicKey !== 'object' || Array.isArray(jwk.publicKey)) {
      throw new SealSecretRefusal(`The publicKey in ${file} is not a JWK.`, 1);
    }
    jwk = jwk.publicKey as Record<string, unknown>;
  }
  if ('d' in jwk) {
    // Never what GET /api/runners answers: someone pointed at the runner's own key file.
    throw new SealSecretRefusal(`${file} holds a private key. Use the runner's public key (GET /api/runners/${runnerId}); the private key never leaves the runner.`, 1);
  }
  // sealClientSecret checks the rest: a P-256 EC key, well-formed coordinates on the curve, and
  // a kid that is the key's RFC 7638 thumbprint.
  return { kty: String(jwk.kty), crv: String(jwk.crv), x: jwk.x as string, y: jwk.y as string | undefined, kid: jwk.kid as string | undefined };
}

/** All of stdin, less one trailing newline (what `echo` or a here-string adds). */
async function readSecret(stdin: SealSecretIo['stdin']): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of stdin) {
    const buffer = typeof chunk === 'string' ? Buffer.from(chunk) : chunk;
    size += buffer.length;
    // Four UTF-8 bytes a character at most: anything longer cannot be a secret sealClientSecret takes.
    if (size > MAX_SECRET_LENGTH * 4 + 2) {
      throw new SealSecretRefusal(`stdin holds more than a client secret (over ${MAX_SECRET_LENGTH} characters). Pipe in the Secret alone.`, 1);
    }
    chunks.push(buffer);
  }
  const bytes = Buffer.concat(chunks);
  let secret: string;
  try {
    secret = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    throw new SealSecretRefusal('The secret on stdin is not UTF-8 text.', 1);
  } finally {
    bytes.fill(0);
  }
  secret = secret.replace(/\r?\n$/, '');
  if (secret === '') throw new SealSecretRefusal('stdin was empty: pipe the client secret into this command.', 1);
  return secret;
}
