import { chmodSync, closeSync, fstatSync, mkdirSync, openSync, renameSync, writeSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { privateDirectoryMode } from './run-files.js';

/** Each service's log file, as `lift up` writes it: `data/logs/<service>.log`, the older part in `.log.1`. */
export function serviceLogFile(home: string, service: string): string {
  return join(home, 'data', 'logs', `${service}.log`);
}

/** 10 MiB a file, so at most 20 MiB a service (the file and one rotated file). LIFT_LOG_FILE_MAX_BYTES changes it. */
export const defaultLogFileMaxBytes = 10 * 1024 * 1024;

/**
 * A service's log file, capped at `maxBytes`: the write that would pass the cap first moves the
 * file to `<name>.1` (replacing the previous one), then starts a new file. Writes are
 * synchronous appends of whole lines — microseconds to a local disk, and a reader never sees half
 * a line. The files may name people (e-mail addresses in log lines), so they are 0600.
 */
export class RotatingLogFile {
  private fd: number | undefined;
  private size = 0;

  constructor(
    readonly path: string,
    private readonly maxBytes: number = defaultLogFileMaxBytes,
  ) {}

  /** Appends `text` (whole lines, each ending in a newline). */
  write(text: string): void {
    const bytes = Buffer.byteLength(text);
    if (this.fd === undefined) this.open();
    if (this.size > 0 && this.size + bytes > this.maxBytes) {
      this.close();
      renameSync(this.path, `${this.path}.1`);
      this.open();
    }
    writeSync(this.fd as number, text);
    this.size += bytes;
  }

  close(): void {
    if (this.fd !== undefined) closeSync(this.fd);
    this.fd = undefined;
  }

  private open(): void {
    mkdirSync(dirname(this.path), { recursive: true, mode: privateDirectoryMode });
    this.fd = openSync(this.path, 'a', 0o600);
    chmodSync(this.path, 0o600);
    this.size = fstatSync(this.fd).size;
  }
}
