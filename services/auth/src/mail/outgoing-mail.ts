/**
 * One message the platform sends a person. It is rendered before it is queued, so delivering it
 * later (or on another replica) needs nothing but this.
 */
export interface OutgoingMail {
  /** What it is for (`email-verification`, `password-reset`, …): for logs and metrics, never shown. */
  readonly kind: string;
  readonly to: string;
  readonly subject: string;
  readonly text: string;
}

/** A queued message: its id names it in logs, as the Message-ID and as the dropped file. */
export interface QueuedMail extends OutgoingMail {
  readonly id: string;
}
