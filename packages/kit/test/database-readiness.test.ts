import { describe, expect, it } from 'vitest';
import { createLogger, databaseLocation, openDatabase, prepareDatabase } from '../src/index.js';
import { closeWhenDone } from './helper.js';

describe('a database that does not answer', () => {
  it('keeps the service unready, naming the database, instead of crashing it', async () => {
    // Nothing listens on port 1: the connection is refused at once.
    const database = await openDatabase({ location: databaseLocation('postgresql://lift@127.0.0.1:1/lift', 'auth') });
    const preparation = prepareDatabase(database, {}, createLogger({ service: 'test', version: '0', level: 'silent' }));
    closeWhenDone(async () => {
      preparation.stop();
      await database.close();
    });
    await expect(preparation.readiness.check()).rejects.toThrow();
    expect(preparation.readiness.name).toBe('database');
    await expect.poll(async () => preparation.readiness.check().catch((error: Error) => error.message)).toMatch(/ECONNREFUSED/);
  });
});
