import type { Readable, Writable } from 'node:stream';

/** Copies a child's output line by line, each line behind `prefix`, so six services stay readable. */
export function pipeWithPrefix(source: Readable, target: Writable, prefix: string, format: (line: string) => string = (line) => line): void {
  let partial = '';
  source.setEncoding('utf8');
  source.on('data', (chunk: string) => {
    const lines = (partial + chunk).split('\n');
    partial = lines.pop() ?? '';
    if (lines.length > 0) target.write(lines.map((line) => `${prefix}${format(line)}\n`).join(''));
  });
  source.on('end', () => {
    if (partial !== '') target.write(`${prefix}${format(partial)}\n`);
    partial = '';
  });
}
