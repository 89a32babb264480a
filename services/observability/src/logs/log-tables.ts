/** The tables log ingestion and search own (Kysely row types). */
export interface LogTables {}
