import { describe, expect, it } from 'vitest';
import { databaseLocation, redactedDatabaseUrl } from '../src/index.js';

describe('where a service keeps its tables', () => {
  it('gives each service its own SQLite file beside the named one', () => {
    expect(databaseLocation('sqlite:///data/lift_os_dev.db', 'auth')).toEqual({ dialect: 'sqlite', file: 'data/lift_os_dev.auth.db' });
    expect(databaseLocation('sqlite:////var/lib/lift/lift.db', 'billing')).toEqual({ dialect: 'sqlite', file: '/var/lib/lift/lift.billing.db' });
    expect(databaseLocation('sqlite:///:memory:', 'auth')).toEqual({ dialect: 'sqlite', file: ':memory:' });
  });

  it('gives each service its own PostgreSQL schema', () => {
    expect(databaseLocation('postgresql://u:p@db:5432/liftoscore', 'registry')).toEqual({
      dialect: 'postgres',
      connectionString: 'postgresql://u:p@db:5432/liftoscore',
      schema: 'registry',
    });
    expect(databaseLocation('postgres://db/x', 'auth', 'auth_test_1')).toMatchObject({ schema: 'auth_test_1' });
  });

  it('hides the password in what it logs', () => {
    expect(redactedDatabaseUrl('postgresql://liftuser:liftpass@postgres:5432/liftoscore')).toBe('postgresql://liftuser:***@postgres:5432/liftoscore');
  });
});
