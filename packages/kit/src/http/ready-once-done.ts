import type { FastifyInstance } from 'fastify';
import type { Logger } from '../logger.js';

export interface StartupWork {
  /** The readiness check's name (`/ready` lists it as failing until the work is done). */
  readonly name: string;
  /** What the work waits for first — usually the migrations (`database.migrated`). */
  readonly after: Promise<unknown>;
  readonly work: () => Promise<void>;
  readonly log: Logger;
  /** The log message when the work fails. */
  readonly failure: string;
}

/**
 * Start-up work a service is not ready without (seeding default plans, creating the first admin):
 * it runs in the background once `after` resolves, and `/ready` names it as failing until it has
 * succeeded, so an orchestrator sends no traffic before. A failure is logged and keeps the service
 * not ready.
 */
export function readyOnceDone(app: FastifyInstance, startup: StartupWork): void {
  let problem: string | undefined = 'not done yet';
  startup.after
    .then(() => startup.work())
    .then(
      () => (problem = undefined),
      (error: unknown) => {
        problem = (error as Error).message;
        startup.log.error({ err: error }, startup.failure);
      },
    );
  app.readiness.add({
    name: startup.name,
    check: async () => {
      if (problem !== undefined) throw new Error(problem);
    },
  });
}
