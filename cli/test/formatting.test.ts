import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { formatLogLine } from '../src/log-line-format.js';
import { pipeWithPrefix } from '../src/prefix-lines.js';
import { selectServices, UnknownServiceError } from '../src/service-catalog.js';
import { formatTable } from '../src/table.js';

describe('lift up output', () => {
  it('shows a JSON log line as a short human line', () => {
    const line = JSON.stringify({ level: 'info', time: '2026-11-28T09:12:40.498Z', service: 'auth', version: '0.1.0', pid: 1, msg: 'request completed', status: 200, route: '/health' });
    expect(formatLogLine(line)).toBe('09:12:40.498 INFO  request completed status=200 route=/health');
    expect(formatLogLine('plain text')).toBe('plain text');
    expect(formatLogLine('{not json')).toBe('{not json');
  });

  it('prefixes every line, also across chunk boundaries', async () => {
    const source = new PassThrough();
    const target = new PassThrough();
    let printed = '';
    target.on('data', (chunk: Buffer) => (printed += chunk.toString('utf8')));
    pipeWithPrefix(source, target, 'auth | ');
    source.write('one\ntw');
    source.write('o\nthree');
    source.end();
    await new Promise((resolve) => setImmediate(resolve));
    expect(printed).toBe('auth | one\nauth | two\nauth | three\n');
  });

  it('pads table columns to their widest cell', () => {
    expect(formatTable(['A', 'LONGER'], [['x', 'y'], ['wide cell', 'z']])).toBe('A          LONGER\n---------  ------\nx          y\nwide cell  z');
  });
});

describe('choosing services', () => {
  it('takes all six by default, in catalog order, and the named ones otherwise', () => {
    expect(selectServices([]).map((entry) => entry.name)).toEqual(['auth', 'billing', 'memory', 'observability', 'registry', 'gateway']);
    expect(selectServices(['gateway', 'auth'])).toEqual([
      { name: 'auth', port: 8001 },
      { name: 'gateway', port: 8000 },
    ]);
  });

  it('refuses an unknown name, listing the known ones', () => {
    expect(() => selectServices(['auth', 'payments'])).toThrow(UnknownServiceError);
    expect(() => selectServices(['payments'])).toThrow(/unknown service payments; choose from auth, billing/);
  });
});
