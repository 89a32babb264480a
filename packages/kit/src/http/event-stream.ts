/**
 * Whether an answer is held open on purpose: a server-sent event stream (the observability log
 * tail, a module's events). Such answers are counted but not timed (metrics plugin), and a gateway
 * relaying one ends it when it closes.
 */
export function isEventStream(contentType: unknown): boolean {
  const type = Array.isArray(contentType) ? contentType[0] : contentType;
  return typeof type === 'string' && type.trimStart().toLowerCase().startsWith('text/event-stream');
}
