import { readFileSync } from 'node:fs';
import { createSecureContext } from 'node:tls';
import { Type, type TProperties } from '@sinclair/typebox';
import { ConfigError } from '@lift/kit';

/** The gateway's HTTPS listener: both files set turns it on, neither leaves it off. */
export function tlsConfigProperties() {
  return {
    TLS_PORT: Type.Integer({ minimum: 0, maximum: 65535, default: 8443, description: 'HTTPS port, served when TLS_CERT_FILE and TLS_KEY_FILE are set' }),
    TLS_CERT_FILE: Type.Optional(Type.String({ minLength: 1, description: 'PEM certificate chain for HTTPS; set together with TLS_KEY_FILE' })),
    TLS_KEY_FILE: Type.Optional(Type.String({ minLength: 1, description: 'PEM private key for HTTPS; set together with TLS_CERT_FILE' })),
  } satisfies TProperties;
}

export interface TlsConfig {
  readonly TLS_PORT: number;
  readonly TLS_CERT_FILE?: string | undefined;
  readonly TLS_KEY_FILE?: string | undefined;
}

/** The certificate and key, read and checked; what the HTTPS listener is given. */
export interface TlsCredentials {
  readonly cert: Buffer;
  readonly key: Buffer;
  readonly port: number;
}

/**
 * Reads the certificate and key at start, so a wrong path or a key that does not match its
 * certificate stops the gateway with a configuration error naming the variable, instead of
 * surfacing as handshake failures later. Undefined when TLS is off.
 */
export function tlsCredentialsFrom(config: TlsConfig): TlsCredentials | undefined {
  const { TLS_CERT_FILE: certFile, TLS_KEY_FILE: keyFile } = config;
  if (certFile === undefined && keyFile === undefined) return undefined;
  if (certFile === undefined || keyFile === undefined) {
    const [missing, given] = certFile === undefined ? ['TLS_CERT_FILE', 'TLS_KEY_FILE'] : ['TLS_KEY_FILE', 'TLS_CERT_FILE'];
    throw new ConfigError([`${missing}: is required when ${given} is set (HTTPS needs both the certificate and its key; set neither to serve plain HTTP only)`]);
  }
  const problems: string[] = [];
  const read = (variable: string, path: string): Buffer | undefined => {
    try {
      return readFileSync(path);
    } catch (error) {
      // A value that is not a path (a pasted key, say) is never echoed: it may be the secret itself.
      const shown = /^[^\s]{1,512}$/.test(path) && !path.includes('-----') ? ` ${path}` : ' the file it names (the value does not look like a path)';
      problems.push(`${variable}: cannot read${shown} (${(error as NodeJS.ErrnoException).code ?? 'unreadable'})`);
      return undefined;
    }
  };
  const cert = read('TLS_CERT_FILE', certFile);
  const key = read('TLS_KEY_FILE', keyFile);
  if (cert && key) {
    try {
      createSecureContext({ cert, key });
    } catch (error) {
      problems.push(`TLS_CERT_FILE: ${certFile} and TLS_KEY_FILE: ${keyFile} are not a PEM certificate and its private key (${(error as Error).message})`);
    }
  }
  if (problems.length > 0 || !cert || !key) throw new ConfigError(problems);
  return { cert, key, port: config.TLS_PORT };
}
