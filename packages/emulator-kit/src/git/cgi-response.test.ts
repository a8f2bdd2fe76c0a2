import { describe, expect, it } from 'vitest';
import { parseCgiHead } from './cgi-response.ts';

describe('parseCgiHead', () => {
  it('reads the status, the headers and where the body starts', () => {
    const output = Buffer.from(
      'Status: 403 Forbidden\r\nContent-Type: text/plain\r\nExpires: never\r\n\r\nbody',
    );
    const head = parseCgiHead(output);
    expect(head).toEqual({
      status: 403,
      headers: [
        ['Content-Type', 'text/plain'],
        ['Expires', 'never'],
      ],
      bodyStart: output.length - 4,
    });
  });

  it('defaults to 200 and accepts bare newlines', () => {
    const output = Buffer.from(
      'Content-Type: application/x-git-upload-pack-advertisement\n\n001e#',
    );
    const head = parseCgiHead(output);
    expect(head?.status).toBe(200);
    expect(output.subarray(head?.bodyStart).toString()).toBe('001e#');
  });

  it('waits until the header block is complete', () => {
    expect(parseCgiHead(Buffer.from('Content-Type: text/plain\r\n'))).toBeUndefined();
  });
});
