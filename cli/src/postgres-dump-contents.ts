import { PostgresToolError, runTool } from './postgres-backup.js';

/**
 * The kinds of entry pg_dump writes in an archive's table of contents (`pg_restore -l`), longest
 * first: a kind can hold spaces ("TABLE DATA", "FK CONSTRAINT"), so the schema after it is found
 * by knowing the kinds. An entry of a kind not listed makes the dump refused, not guessed at.
 */
const entryKinds = [
  'PUBLICATION TABLES IN SCHEMA', 'TEXT SEARCH CONFIGURATION', 'TEXT SEARCH DICTIONARY', 'MATERIALIZED VIEW DATA', 'FOREIGN DATA WRAPPER',
  'TEXT SEARCH TEMPLATE', 'TEXT SEARCH PARSER', 'PROCEDURAL LANGUAGE', 'DATABASE PROPERTIES', 'SUBSCRIPTION TABLE', 'SEQUENCE OWNED BY',
  'MATERIALIZED VIEW', 'PUBLICATION TABLE', 'STATISTICS DATA', 'OPERATOR FAMILY', 'CHECK CONSTRAINT', 'OPERATOR CLASS', 'SECURITY LABEL',
  'ACCESS METHOD', 'EVENT TRIGGER', 'FK CONSTRAINT', 'FOREIGN TABLE', 'BLOB METADATA', 'LARGE OBJECT', 'ROW SECURITY', 'SEQUENCE SET',
  'SUBSCRIPTION', 'INDEX ATTACH', 'TABLE ATTACH', 'USER MAPPING', 'DEFAULT ACL', 'PUBLICATION', 'CONSTRAINT', 'CONVERSION', 'SEARCHPATH',
  'SHELL TYPE', 'STATISTICS', 'STDSTRINGS', 'TABLE DATA', 'AGGREGATE', 'COLLATION', 'EXTENSION', 'PROCEDURE', 'TRANSFORM', 'DATABASE',
  'ENCODING', 'FUNCTION', 'OPERATOR', 'SEQUENCE', 'COMMENT', 'DEFAULT', 'TRIGGER', 'DOMAIN', 'POLICY', 'SCHEMA', 'SERVER', 'BLOBS',
  'INDEX', 'TABLE', 'BLOB', 'CAST', 'RULE', 'TYPE', 'VIEW', 'ACL',
];
/** Entries of no schema that only set the session up for the SQL that follows. */
const sessionSettings = new Set(['ENCODING', 'STDSTRINGS', 'SEARCHPATH']);
/** Entries of no schema that are about a schema: "SCHEMA - auth …", "COMMENT - SCHEMA auth …". */
const aboutSchema = new Set(['COMMENT', 'ACL', 'SECURITY LABEL']);

/** The schemas a custom-format dump would create or fill, read from its table of contents. */
export async function schemasInDump(file: string): Promise<Set<string>> {
  return schemasInTableOfContents(await tableOfContents(file), file);
}

/**
 * The schemas in a table of contents as `pg_restore --list` prints it. Throws for an entry in no
 * schema that is not about one (an extension, a cast, a database setting…): replaying it would
 * change the database outside the services' schemas.
 */
export function schemasInTableOfContents(listing: string, file: string): Set<string> {
  const schemas = new Set<string>();
  for (const line of listing.split('\n')) {
    if (line === '' || line.startsWith(';')) continue;
    const entry = /^-?\d+; \d+ \d+ (.*)$/.exec(line)?.[1];
    const kind = entry === undefined ? undefined : entryKinds.find((candidate) => entry.startsWith(`${candidate} `));
    if (entry === undefined || kind === undefined) throw new PostgresToolError(`${file} has an entry lift does not know in its table of contents: ${JSON.stringify(line)}`);
    const [schema = '', ...rest] = entry.slice(kind.length + 1).split(' ');
    if (schema !== '-') schemas.add(schema);
    else if (kind === 'SCHEMA') schemas.add(rest[0] ?? '');
    else if (aboutSchema.has(kind) && rest[0] === 'SCHEMA') schemas.add(rest[1] ?? '');
    else if (!sessionSettings.has(kind)) throw new PostgresToolError(`${file} holds ${kind} ${rest.slice(0, -1).join(' ')}, which is in no schema; lift restores only the services' schemas`);
  }
  return schemas;
}

async function tableOfContents(file: string): Promise<string> {
  return runTool('pg_restore', ['--list', file], process.env, true).catch((error: unknown) => {
    throw new PostgresToolError(`the table of contents of ${file} cannot be read: ${(error as Error).message}`, { cause: error });
  });
}
