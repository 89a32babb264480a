import { Type, type Static } from '@sinclair/typebox';

/** Bounds of one post, so a hostile or broken sender costs a bounded amount (docs: the receiver). */
export const alertmanagerLimits = {
  /** The body, whole. Alertmanager's `max_alerts` (500 in monitoring/alertmanager/*.yml) keeps its posts under it. */
  bodyBytes: 4 * 1024 * 1024,
  alerts: 500,
  labels: 64,
  labelValueChars: 1_024,
  annotations: 32,
  annotationValueChars: 16_384,
} as const;

const Status = Type.Union([Type.Literal('firing'), Type.Literal('resolved')]);
const Labels = Type.Record(Type.String(), Type.String({ maxLength: alertmanagerLimits.labelValueChars }), { maxProperties: alertmanagerLimits.labels });
const Annotations = Type.Record(Type.String(), Type.String({ maxLength: alertmanagerLimits.annotationValueChars }), { maxProperties: alertmanagerLimits.annotations });
const Time = (description: string) => Type.String({ minLength: 1, maxLength: 64, description });

export const AlertmanagerAlert = Type.Object({
  status: Status,
  labels: Labels,
  annotations: Annotations,
  startsAt: Time('RFC 3339; the occurrence\'s start'),
  endsAt: Time('RFC 3339; 0001-01-01T00:00:00Z (Go\'s zero time) when not known'),
  generatorURL: Type.String({ maxLength: 8_192 }),
  fingerprint: Type.String({ pattern: '^[0-9a-fA-F]{1,64}$', description: 'Alertmanager\'s hash of the labels (16 hex digits)' }),
});

/** Alertmanager's webhook payload, version 4 (unknown fields are ignored, as Alertmanager may add some). */
export const AlertmanagerWebhookBody = Type.Object({
  version: Type.Literal('4'),
  groupKey: Type.String({ maxLength: 8_192 }),
  truncatedAlerts: Type.Optional(Type.Integer({ minimum: 0 })),
  status: Status,
  receiver: Type.String({ maxLength: 256 }),
  groupLabels: Type.Optional(Labels),
  commonLabels: Type.Optional(Labels),
  commonAnnotations: Type.Optional(Annotations),
  externalURL: Type.Optional(Type.String({ maxLength: 8_192 })),
  alerts: Type.Array(AlertmanagerAlert, { minItems: 1, maxItems: alertmanagerLimits.alerts }),
});
export type AlertmanagerWebhookPost = Static<typeof AlertmanagerWebhookBody>;

export const AlertmanagerWebhookAnswer = Type.Object({
  opened: Type.Integer({ description: 'alerts opened (firing, new occurrence)' }),
  refreshed: Type.Integer({ description: 'open alerts updated by a repeat' }),
  resolved: Type.Integer({ description: 'open alerts Alertmanager resolved' }),
  unchanged: Type.Integer({ description: 'repeats of occurrences resolved already (by Alertmanager or by hand), late retries, and resolutions of alerts not held open' }),
});
