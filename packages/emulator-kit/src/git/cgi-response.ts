export interface CgiHead {
  status: number;
  headers: Array<[string, string]>;
  /** Offset of the first body byte in the buffer. */
  bodyStart: number;
}

/**
 * Parses the header block a CGI program (here `git http-backend`) writes before its body
 * (RFC 3875 §6). Undefined until the blank line that ends the headers has arrived.
 */
export function parseCgiHead(buffer: Buffer): CgiHead | undefined {
  const end = findHeaderEnd(buffer);
  if (!end) return undefined;
  let status = 200;
  const headers: Array<[string, string]> = [];
  for (const line of buffer.subarray(0, end.headerEnd).toString('latin1').split(/\r?\n/)) {
    const separator = line.indexOf(':');
    if (separator <= 0) continue;
    const name = line.slice(0, separator).trim();
    const value = line.slice(separator + 1).trim();
    if (name.toLowerCase() === 'status') status = Number.parseInt(value, 10) || 500;
    else headers.push([name, value]);
  }
  return { status, headers, bodyStart: end.bodyStart };
}

function findHeaderEnd(buffer: Buffer): { headerEnd: number; bodyStart: number } | undefined {
  const crlf = buffer.indexOf('\r\n\r\n');
  const lf = buffer.indexOf('\n\n');
  if (crlf < 0 && lf < 0) return undefined;
  if (lf < 0 || (crlf >= 0 && crlf < lf)) return { headerEnd: crlf, bodyStart: crlf + 4 };
  return { headerEnd: lf, bodyStart: lf + 2 };
}
