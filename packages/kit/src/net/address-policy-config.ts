import { Type, type TProperties } from '@sinclair/typebox';

/**
 * The setting of the services that call modules (the registry, which checks their URLs and health,
 * and the gateway, which forwards to them): one name and one meaning in both.
 */
export function addressPolicyConfigProperties() {
  return {
    MODULE_URL_ALLOWED_NETWORKS: Type.String({
      default: '',
      description: 'CIDRs (loopback, private ranges) where modules may live; empty = public addresses only. lift up sets 127.0.0.0/8',
    }),
  } satisfies TProperties;
}
