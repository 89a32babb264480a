import { join, parse } from 'node:path';

export type DatabaseLocation =
  | { readonly dialect: 'sqlite'; readonly file: string }
  | { readonly dialect: 'postgres'; readonly connectionString: string; readonly schema: string };

/**
 * Where a service keeps its tables. DATABASE_URL names one database for the installation, as in
 * the seed; each service then owns a part of it that no other service reads:
 *  - PostgreSQL: a schema named after the service (or DATABASE_SCHEMA);
 *  - SQLite (SQLAlchemy-style URL: three slashes relative, four absolute): a file beside the
 *    named one with the service in its name, `data/lift.db` → `data/lift.auth.db`, the SQLite
 *    counterpart of a schema that also spares the services each other's write locks.
 */
export function databaseLocation(url: string, service: string, schema?: string): DatabaseLocation {
  if (/^postgres(ql)?:\/\//.test(url)) {
    return { dialect: 'postgres', connectionString: url, schema: schema ?? service.replace(/-/g, '_') };
  }
  const path = sqlitePath(url);
  if (path === ':memory:') return { dialect: 'sqlite', file: path };
  const parts = parse(path);
  return { dialect: 'sqlite', file: join(parts.dir, `${parts.name}.${service}${parts.ext || '.db'}`) };
}

function sqlitePath(url: string): string {
  // sqlite:///data/x.db → data/x.db; sqlite:////var/x.db → /var/x.db; sqlite:///:memory:
  return url.replace(/^sqlite:\/\/\//, '');
}

/** The URL without its password, for logs and readiness messages. */
export function redactedDatabaseUrl(url: string): string {
  return url.replace(/\/\/([^:/@]+):[^@]*@/, '//$1:***@');
}
