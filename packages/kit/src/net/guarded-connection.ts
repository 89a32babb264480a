import { promises as dns } from 'node:dns';
import type { LookupFunction } from 'node:net';
import type { buildConnector } from 'undici';
import { addressProblem, literalHostProblem, type AddressPolicy } from './address-policy.js';

export interface ResolvedAddress {
  readonly address: string;
  readonly family: number;
}

/** Every address a host name resolves to (the system resolver by default; tests inject their own). */
export type HostResolver = (hostname: string) => Promise<readonly ResolvedAddress[]>;

export const systemResolver: HostResolver = (hostname) => dns.lookup(hostname, { all: true, verbatim: true });

/** The code of a connection the address policy refused; no socket was opened. */
export const addressRefusedCode = 'EREFUSED_BY_POLICY';

function refusal(host: string, problem: string): Error {
  return Object.assign(new Error(`connection to ${host} refused: ${problem}`), { code: addressRefusedCode });
}

/**
 * A `lookup` for `net.connect` that resolves the name and refuses — before any socket exists —
 * when any address it resolves to breaks the policy. Checking at connection time, on the very
 * addresses the socket would use, is what defeats DNS rebinding: a name that resolved to a public
 * address at registration and resolves to 127.0.0.1 or 169.254.169.254 now is refused now.
 */
export function guardedLookup(policy: AddressPolicy, resolve: HostResolver = systemResolver, onRefused?: (host: string, problem: string) => void): LookupFunction {
  return (hostname, options, callback) => {
    resolve(hostname).then(
      (resolved) => {
        const wanted = options.family === 4 || options.family === 6 ? resolved.filter((entry) => entry.family === options.family) : [...resolved];
        const problem = resolved.map((entry) => addressProblem(entry.address, policy)).find((found) => found !== undefined);
        if (problem !== undefined) {
          onRefused?.(hostname, problem);
          return callback(refusal(hostname, problem), '', 0);
        }
        const first = wanted[0];
        if (first === undefined) return callback(Object.assign(new Error(`${hostname} has no address`), { code: 'ENOTFOUND' }), '', 0);
        if (options.all) return (callback as unknown as (error: null, addresses: ResolvedAddress[]) => void)(null, wanted);
        callback(null, first.address, first.family);
      },
      (error: unknown) => callback(error as NodeJS.ErrnoException, '', 0),
    );
  };
}

export interface GuardedConnectorOptions {
  /** undici's `buildConnector`, passed in so the kit loads undici only where it is used. */
  readonly buildConnector: typeof buildConnector;
  readonly policy: AddressPolicy;
  /** Connect timeout in ms. */
  readonly timeout?: number;
  readonly resolve?: HostResolver;
  /** Told about every refused connection (a log line: someone pointed the platform at a forbidden address). */
  readonly onRefused?: (host: string, problem: string) => void;
}

/**
 * An undici connector (`connect` of a Pool, Client or Agent) that opens no connection the policy
 * refuses: IP-literal hosts are checked here (Node connects to them without any lookup), names
 * through the guarded lookup, at every new connection. The request fails with `EREFUSED_BY_POLICY`.
 */
export function guardedConnector(options: GuardedConnectorOptions): buildConnector.connector {
  const connect = options.buildConnector({
    ...(options.timeout === undefined ? {} : { timeout: options.timeout }),
    lookup: guardedLookup(options.policy, options.resolve, options.onRefused),
  });
  return (connection, callback) => {
    const problem = literalHostProblem(connection.hostname, options.policy);
    if (problem === undefined) return connect(connection, callback);
    options.onRefused?.(connection.hostname, problem);
    callback(refusal(connection.hostname, problem), null);
  };
}
