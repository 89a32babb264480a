/** The tables the health monitor, alerts and notifications own (Kysely row types). */
export interface MonitoringTables {}
