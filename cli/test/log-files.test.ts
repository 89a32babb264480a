import { existsSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { RotatingLogFile, serviceLogFile } from '../src/log-files.js';
import { logRecordOf } from '../src/log-record.js';
import { scratchDirectories } from '../../tests/support/scratch-directories.js';

const scratch = scratchDirectories();

describe('a service\'s log file', () => {
  it('is capped: the write that would pass the cap moves the file to .1 (replacing the older one) and starts a new one', () => {
    const path = serviceLogFile(scratch('lift-logs-'), 'registry');
    const file = new RotatingLogFile(path, 120);
    const line = (n: number) => `${JSON.stringify({ n, pad: 'x'.repeat(20) })}\n`;
    for (let n = 0; n < 3; n += 1) file.write(line(n));
    expect(existsSync(`${path}.1`)).toBe(false);
    file.write(line(3));
    expect(readFileSync(`${path}.1`, 'utf8')).toBe(line(0) + line(1) + line(2));
    expect(readFileSync(path, 'utf8')).toBe(line(3));
    for (let n = 4; n < 9; n += 1) file.write(line(n));
    expect(readFileSync(`${path}.1`, 'utf8')).toBe(line(3) + line(4) + line(5));
    expect(readFileSync(path, 'utf8')).toBe(line(6) + line(7) + line(8));
    expect(statSync(path).size).toBeLessThanOrEqual(120);
    file.close();
  });

  it('is private to its owner, in a private directory, and a restarted supervisor appends, counting what is there', () => {
    const path = serviceLogFile(scratch('lift-logs-'), 'auth');
    const first = new RotatingLogFile(path, 60);
    first.write(`${'a'.repeat(39)}\n`);
    first.close();
    expect(statSync(path).mode & 0o777).toBe(0o600);
    expect(statSync(join(path, '..')).mode & 0o777).toBe(0o700);
    const second = new RotatingLogFile(path, 60);
    second.write(`${'b'.repeat(39)}\n`);
    second.close();
    expect(readFileSync(`${path}.1`, 'utf8')).toBe(`${'a'.repeat(39)}\n`);
    expect(readFileSync(path, 'utf8')).toBe(`${'b'.repeat(39)}\n`);
  });
});

describe('a line as it is filed and shipped', () => {
  const now = () => new Date('2026-11-30T10:00:00.000Z');

  it('is a pino line as written, with the service added when it lacks one', () => {
    const pino = '{"level":"info","time":"2026-11-30T10:00:00.000Z","service":"auth","msg":"hi"}';
    expect(logRecordOf('auth', pino, 'stdout', now)).toBe(pino);
    expect(JSON.parse(logRecordOf('template', '{"level":30,"msg":"x"}', 'stdout', now) as string)).toEqual({ level: 30, msg: 'x', service: 'template' });
  });

  it('wraps what is not JSON: stderr as error (Node warnings as warn), stdout as info, empty lines not at all', () => {
    expect(JSON.parse(logRecordOf('registry', '    at main (file.js:1:1)', 'stderr', now) as string)).toEqual({ level: 'error', time: '2026-11-30T10:00:00.000Z', service: 'registry', msg: '    at main (file.js:1:1)', stream: 'stderr' });
    expect(JSON.parse(logRecordOf('registry', '(node:12) ExperimentalWarning: SQLite is experimental', 'stderr', now) as string)).toMatchObject({ level: 'warn' });
    expect(JSON.parse(logRecordOf('registry', '{not json', 'stdout', now) as string)).toMatchObject({ level: 'info', msg: '{not json', stream: 'stdout' });
    expect(logRecordOf('registry', '   ', 'stdout', now)).toBeUndefined();
  });
});
