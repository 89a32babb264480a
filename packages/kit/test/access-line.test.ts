import { Writable } from 'node:stream';
import { pino } from 'pino';
import { describe, expect, it } from 'vitest';
import { createLogger } from '../src/logger.js';
import { accessLineWriter, type AccessFields } from '../src/http/access-line.js';

function capturedLogger(level = 'info') {
  const lines: string[] = [];
  const destination = new Writable({
    write(chunk: Buffer, _encoding, done) {
      lines.push(chunk.toString());
      done();
    },
  });
  return { log: createLogger({ service: 'gateway', version: '1.2.3', level, destination }), lines };
}

const withoutTime = (line: string | undefined) => line?.replace(/"time":"[^"]+"/, '"time":"…"');

const cases: { name: string; bindings: Record<string, string>; fields: AccessFields }[] = [
  {
    name: 'a proxied request',
    bindings: { reqId: 'req-1', traceId: '4bf92f3577b34da6a3ce929d0e0e4736' },
    fields: { method: 'GET', url: '/memory/v1/items?limit=5', route: '/memory/*', status: 200, ms: 1.4, org: 'org-1', upstream: 'memory' },
  },
  {
    name: 'a 404 without organisation or upstream',
    bindings: { reqId: 'req-2' },
    fields: { method: 'POST', url: '/nothing', route: undefined, status: 404, ms: 0, org: undefined, upstream: undefined },
  },
  {
    name: 'a url with quotes, backslashes, control characters and non-ASCII',
    bindings: { reqId: 'req-"3"', 'odd"key': 'x' },
    fields: { method: 'GET', url: '/a"b\\c\u0001d/é/😀/\ud800', route: '/*', status: 400, ms: Number.NaN, org: 'o"rg', upstream: undefined },
  },
];

const awkward: AccessFields = { method: 'GET', url: '/x', route: '/x', status: 200, ms: 1, org: undefined, upstream: undefined };
// From the review of issue #19 (it compared hundreds of values with pino): what a hostile request could try.
cases.push(
  ...['/é/😀/ü', '/a\u2028b\u2029c', '/a\x7fb', '/a\n{"level":"fatal"}', '/a\r\nb', `/${'a"'.repeat(80)}`, `/${'b\\'.repeat(120)}`].map((url) => ({ name: `url ${JSON.stringify(url).slice(0, 30)}`, bindings: { reqId: 'r' }, fields: { ...awkward, url } })),
  ...[-0, 1e21, 1e-7, Number.MAX_SAFE_INTEGER + 2, Number.POSITIVE_INFINITY, 0.1 + 0.2].map((ms) => ({ name: `ms ${ms}`, bindings: { reqId: 'r' }, fields: { ...awkward, ms, status: ms } })),
  ...[{ é: 'x' }, { '7': 'x', reqId: 'r' }, JSON.parse('{"__proto__": "x", "reqId": "r"}') as Record<string, string>].map((bindings) => ({ name: `bindings ${JSON.stringify(bindings)}`, bindings, fields: awkward })),
);

describe('the access line written without pino\'s general path', () => {
  it.each(cases)('is the line pino writes, field for field and in the same order: $name', ({ bindings, fields }) => {
    const byPino = capturedLogger();
    byPino.log.info({ ...bindings, ...fields }, 'request completed');
    const direct = capturedLogger();
    const write = accessLineWriter(direct.log);
    expect(write).toBeDefined();
    expect(write?.(bindings, fields)).toBe(true);

    expect(direct.lines).toHaveLength(1);
    expect(withoutTime(direct.lines[0])).toBe(withoutTime(byPino.lines[0]));
    expect(Object.keys(JSON.parse(direct.lines[0] ?? '{}') as object)).toEqual(Object.keys(JSON.parse(byPino.lines[0] ?? '{}') as object));
  });

  it('is one line of valid JSON however a string is made, a lone surrogate included (which pino writes raw)', () => {
    const direct = capturedLogger();
    for (const url of ['/a\ud800b', `/${'a'.repeat(120)}\udc00`, '/a\n{"level":"fatal","msg":"forged"}\n']) accessLineWriter(direct.log)?.({ reqId: 'r' }, { ...awkward, url });
    expect(direct.lines.join('').trimEnd().split('\n').map((line) => (JSON.parse(line) as { url: string }).url)).toEqual(['/a\ud800b', `/${'a'.repeat(120)}\udc00`, '/a\n{"level":"fatal","msg":"forged"}\n']);
  });

  it('leaves to pino a logger that redacts or serialises, and a binding named like a field', () => {
    const lines: string[] = [];
    const destination = new Writable({ write: (chunk: Buffer, _encoding, done) => void (lines.push(chunk.toString()), done()) });
    expect(accessLineWriter(pino({ redact: ['url'] }, destination))).toBeUndefined();
    expect(accessLineWriter(pino({ serializers: { url: (url: string) => url.toUpperCase() } }, destination))).toBeUndefined();
    expect(accessLineWriter(pino({ nestedKey: 'payload' }, destination))).toBeUndefined();
    const plain = capturedLogger();
    expect(accessLineWriter(plain.log)?.({ reqId: 'r', url: '/other' }, awkward)).toBe(false);
    expect(plain.lines).toEqual([]);
  });

  it('writes nothing above info, and leaves a binding named service to pino (which renames it)', () => {
    const quiet = capturedLogger('warn');
    const [first] = cases;
    expect(accessLineWriter(quiet.log)?.(first?.bindings ?? {}, first?.fields as AccessFields)).toBe(true);
    expect(quiet.lines).toEqual([]);

    const loud = capturedLogger();
    expect(accessLineWriter(loud.log)?.({ service: 'billing' }, first?.fields as AccessFields)).toBe(false);
    expect(loud.lines).toEqual([]);
  });
});
