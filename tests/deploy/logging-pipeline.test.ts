import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { pino } from 'pino';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { createLogger } from '@lift/kit';
import { repositoryRoot } from '../support/service-process.js';

// No Logstash, Elasticsearch or Filebeat can run here: the pipeline's files are checked against
// each other, against the compose file that runs them and against a real line of our logger.
const logstashConf = readFileSync(join(repositoryRoot, 'configs/logstash.conf'), 'utf8');
const filebeat = parse(readFileSync(join(repositoryRoot, 'configs/filebeat.yml'), 'utf8')) as { 'output.logstash': { hosts: string[] }; 'filebeat.inputs': { paths: string[] }[] };
const compose = parse(readFileSync(join(repositoryRoot, 'docker-compose.logging.yml'), 'utf8')) as {
  services: Record<string, { expose?: string[]; volumes?: string[]; image: string }>;
};

/** One line as a service writes it, with a request id and a trace id bound as the kit binds them. */
function kitLogLine(): Record<string, unknown> {
  const destination = new PassThrough();
  const lines: string[] = [];
  destination.on('data', (chunk: Buffer) => lines.push(...chunk.toString('utf8').split('\n').filter((line) => line !== '')));
  createLogger({ service: 'auth', version: '1.2.3', level: 'info', destination }).child({ reqId: 'req-1', traceId: '4bf92f3577b34da6a3ce929d0e0e4736' }).info('login');
  return JSON.parse(lines[0] ?? '{}') as Record<string, unknown>;
}

describe('the logging pipeline (Filebeat → Logstash → Elasticsearch)', () => {
  it('ships to the port Logstash listens on, and Logstash writes to the compose Elasticsearch', () => {
    const beatsPort = /beats\s*\{\s*port\s*=>\s*(\d+)/.exec(logstashConf)?.[1];
    expect(filebeat['output.logstash'].hosts).toEqual([`logstash:${beatsPort}`]);
    expect(compose.services.logstash?.expose).toEqual([beatsPort]);
    expect(logstashConf).toMatch(/hosts\s*=>\s*\["http:\/\/elasticsearch:9200"\]/);
    expect(compose.services.logstash?.volumes).toContain('./configs/logstash.conf:/usr/share/logstash/pipeline/logstash.conf:ro');
  });

  it('reads the containers\' logs where Filebeat is given them', () => {
    expect(compose.services.filebeat?.volumes).toContain('/var/lib/docker/containers:/var/lib/docker/containers:ro');
    expect(filebeat['filebeat.inputs'][0]?.paths).toEqual(['/var/lib/docker/containers/*/*.log']);
  });

  it('turns every pino level number into pino\'s own name for it', () => {
    const mapped = Object.fromEntries([...logstashConf.matchAll(/(\d+)\s*=>\s*"([a-z]+)"/g)].map((match) => [match[2], Number(match[1])]));
    const { silent: _silent, ...levels } = pino.levels.values as Record<string, number>;
    expect(mapped).toEqual(levels);
  });

  it('lifts the fields our services write out of the line', () => {
    const line = kitLogLine();
    const read = [...logstashConf.matchAll(/"\[lift\]\[([A-Za-z]+)\]"/g)].map((match) => match[1] as string);
    for (const field of ['service', 'version', 'level', 'time', 'reqId', 'traceId', 'msg']) {
      expect(read, `logstash.conf reads ${field}`).toContain(field);
      expect(line, `a kit log line has ${field}`).toHaveProperty(field);
    }
    expect(line.service).toBe('auth');
  });

  it('takes a line\'s time from our ISO-8601 times as well as pino\'s default epoch milliseconds', () => {
    const line = kitLogLine();
    expect(typeof line.time === 'string' && !Number.isNaN(Date.parse(line.time))).toBe(true);
    expect(logstashConf).toMatch(/match\s*=>\s*\["\[lift\]\[time\]", "UNIX_MS", "ISO8601"\]/);
  });

  it('runs the seed\'s ELK versions side by side', () => {
    const versions = ['elasticsearch', 'logstash', 'kibana', 'filebeat'].map((name) => compose.services[name]?.image.split(':')[1]);
    expect(new Set(versions)).toEqual(new Set(['8.11.0']));
  });
});
