/**
 * What each platform service may do when it calls another as itself (`sub` = `svc:<name>`,
 * `org` = the platform organisation). Only what each needs. billing:usage is also what lets a
 * service act for every organisation at billing (read entitlements, deliver usage events): being a
 * `svc:` subject is not enough there.
 */
export const servicePermissions: Readonly<Record<string, readonly string[]>> = {
  gateway: ['registry:routes', 'billing:usage', 'auth:token-exchange'],
  registry: [],
  auth: ['registry:routes'],
  billing: ['registry:read', 'org:lookup'],
  memory: ['billing:usage', 'registry:routes'],
  observability: ['registry:read', 'observability:read'],
  // Not a service but the \`lift up\` supervisor, shipping the services' log lines to observability
  // (POST /v1/logs): it may write log lines and nothing else, not even read them back.
  'log-shipper': ['observability:ingest'],
  // Not services either: the monitoring engines. Prometheus reads the registry's service discovery
  // (GET /v1/prometheus/targets) to find modules; Alertmanager posts its notifications to
  // observability (POST /v1/alertmanager/webhook). Each holds that one permission, nothing more.
  prometheus: ['registry:read'],
  alertmanager: ['observability:alertmanager'],
};
