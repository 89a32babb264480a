import { describe, expect, it } from 'vitest';
import { isDatabaseOutage } from '../src/db/database-outage.js';
import { buildTestService } from './helper.js';

const withCode = (message: string, code: string) => Object.assign(new Error(message), { code });

describe('a database outage', () => {
  it('is told apart from a bug: lost and refused connections, PostgreSQL shutting down, SQLite busy — also as a cause', () => {
    for (const outage of [
      new Error('Connection terminated unexpectedly'),
      new Error('timeout exceeded when trying to connect'),
      withCode('connect ECONNREFUSED 127.0.0.1:5432', 'ECONNREFUSED'),
      withCode('terminating connection due to administrator command', '57P01'),
      withCode('the database system is starting up', '57P03'),
      withCode('connection failure', '08006'),
      withCode('database is locked', 'SQLITE_BUSY'),
      new Error('insert failed', { cause: new Error('Connection terminated due to connection timeout') }),
    ]) {
      expect(isDatabaseOutage(outage), outage.message).toBe(true);
    }
    const otherService = new TypeError('fetch failed', { cause: withCode('connect ECONNREFUSED 10.0.0.7:8002', 'ECONNREFUSED') });
    for (const bug of [new Error('cannot read properties of undefined'), withCode('duplicate key value violates unique constraint', '23505'), withCode('syntax error at or near', '42601'), withCode('bind message has 70000 parameter formats', '08P01'), otherService, new Error('wrapped', { cause: withCode('connect ECONNREFUSED', 'ECONNREFUSED') }), 'a string', undefined]) {
      expect(isDatabaseOutage(bug), String(bug)).toBe(false);
    }
  });

  // Regression (#21, PostgreSQL crashing under writes): while the database was down every write
  // answered 500 INTERNAL_ERROR, as if the service had a bug.
  it('answers 503 DATABASE_UNAVAILABLE with Retry-After, revealing nothing of the error', async () => {
    const app = await buildTestService();
    app.get('/v1/write', async () => {
      throw new Error('Connection terminated unexpectedly at postgres://lift:hunter2@db');
    });
    const answer = await app.inject({ method: 'GET', url: '/v1/write' });
    expect(answer.statusCode).toBe(503);
    expect(answer.headers['retry-after']).toBe('2');
    expect(answer.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(answer.json()).toMatchObject({ code: 'DATABASE_UNAVAILABLE', status: 503 });
    expect(answer.body).not.toContain('hunter2');
  });
});
