import { describe, expect, it } from 'vitest';
import { schemasInTableOfContents } from '../src/postgres-dump-contents.js';

// What pg_restore --list printed for a pg_dump --schema=auth --schema=billing of PostgreSQL 15.
const listing = `;
; Archive created at 2026-11-30 08:22:24 UTC
;     Format: CUSTOM
;
; Selected TOC Entries:
;
6; 2615 52474 SCHEMA - auth postgres
3366; 0 0 COMMENT - SCHEMA auth postgres
7; 2615 52491 SCHEMA - billing postgres
218; 1259 52487 VIEW auth v postgres
217; 1259 52476 TABLE auth w postgres
216; 1259 52475 SEQUENCE auth w_id_seq postgres
3367; 0 0 SEQUENCE OWNED BY auth w_id_seq postgres
219; 1259 52492 TABLE billing x postgres
3207; 2604 52479 DEFAULT auth w id postgres
3358; 0 52476 TABLE DATA auth w postgres
3359; 0 52492 TABLE DATA billing x postgres
3368; 0 0 SEQUENCE SET auth w_id_seq postgres
3210; 2606 52485 CONSTRAINT auth w w_p_key postgres
3208; 1259 52486 INDEX auth w_p_idx postgres
3213; 2606 52495 FK CONSTRAINT billing x x_id_fkey postgres
`;

describe('the schemas a dump holds, by its table of contents', () => {
  it('names every schema an entry creates or fills, multi-word kinds included', () => {
    expect([...schemasInTableOfContents(listing, 'postgres.dump')].sort()).toEqual(['auth', 'billing']);
    expect([...schemasInTableOfContents('4; 2615 2200 SCHEMA - public pg_database_owner\n3353; 0 0 COMMENT - SCHEMA public pg_database_owner\n', 'postgres.dump')]).toEqual(['public']);
  });

  it('refuses an entry in no schema that is about none (an extension, the database itself)', () => {
    expect(() => schemasInTableOfContents(`${listing}3; 3079 16384 EXTENSION - pgcrypto \n`, 'postgres.dump')).toThrow('postgres.dump holds EXTENSION pgcrypto, which is in no schema');
    expect(() => schemasInTableOfContents(`${listing}3370; 0 0 DATABASE PROPERTIES - lift postgres\n`, 'postgres.dump')).toThrow('holds DATABASE PROPERTIES lift, which is in no schema');
  });

  it('refuses an entry of a kind it does not know rather than guess where its schema is', () => {
    expect(() => schemasInTableOfContents('9; 0 0 SOMETHING NEW auth x postgres\n', 'postgres.dump')).toThrow('postgres.dump has an entry lift does not know in its table of contents: "9; 0 0 SOMETHING NEW auth x postgres"');
  });
});
