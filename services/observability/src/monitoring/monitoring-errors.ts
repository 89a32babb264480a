/** Stable codes of the monitoring half of the observability service; docs/api/errors.md explains each. */
export const monitoringErrorCodes = {
  ruleNotFound: 'OBSERVABILITY_ALERT_RULE_NOT_FOUND',
  /** A rule whose fields do not fit its kind, or name a service or module that cannot be one. */
  ruleInvalid: 'OBSERVABILITY_ALERT_RULE_INVALID',
  /** A notification channel's URL that is no http(s) URL or points at a refused address. */
  webhookUrlRefused: 'OBSERVABILITY_WEBHOOK_URL_REFUSED',
  alertNotFound: 'OBSERVABILITY_ALERT_NOT_FOUND',
  /** Acknowledging or resolving an alert that is resolved already. */
  alertResolved: 'OBSERVABILITY_ALERT_RESOLVED',
  /** Acknowledging an alert someone acknowledged already. */
  alertAcknowledged: 'OBSERVABILITY_ALERT_ALREADY_ACKNOWLEDGED',
  /** A list filter that is none of its values, or a cursor this service did not write. */
  badFilter: 'OBSERVABILITY_INVALID_FILTER',
  targetNotFound: 'OBSERVABILITY_TARGET_NOT_FOUND',
  /** An Alertmanager post whose label names, dates or text its schema cannot say are wrong (NUL, a date that does not exist). */
  alertmanagerPayloadInvalid: 'OBSERVABILITY_ALERTMANAGER_PAYLOAD_INVALID',
} as const;
