import { describe, expect, it } from 'vitest';
import { instanceEnvironment, refuseInstancesWithoutRedis } from '../src/instance-environment.js';
import { instanceLayout, parseInstances, type ServiceInstance } from '../src/instance-layout.js';
import { coreServices, selectServices } from '../src/service-catalog.js';

const layout = instanceLayout(coreServices, parseInstances('auth=2,memory=2'), 8000);
const named = (name: string, from: readonly ServiceInstance[] = layout): ServiceInstance => from.find((instance) => instance.name === name) as ServiceInstance;

describe('what lift up tells each process', () => {
  it('gives the gateway every instance of each service as a comma-separated list', () => {
    expect(instanceEnvironment(named('gateway'), layout, {}, 8000)).toEqual({
      PORT: '8000',
      GATEWAY_URL: 'http://127.0.0.1:8000',
      AUTH_SERVICE_URL: 'http://127.0.0.1:8001,http://127.0.0.1:8101',
      BILLING_SERVICE_URL: 'http://127.0.0.1:8002',
      MEMORY_SERVICE_URL: 'http://127.0.0.1:8003,http://127.0.0.1:8103',
      OBSERVABILITY_SERVICE_URL: 'http://127.0.0.1:8004',
      REGISTRY_SERVICE_URL: 'http://127.0.0.1:8005',
    });
  });

  it('gives the other services only the first instance (they append paths to one base URL), and a multi-instance service its shutdown delay', () => {
    expect(instanceEnvironment(named('auth#2'), layout, {}, 8000)).toEqual({
      PORT: '8101',
      GATEWAY_URL: 'http://127.0.0.1:8000',
      AUTH_SERVICE_URL: 'http://127.0.0.1:8001',
      BILLING_SERVICE_URL: 'http://127.0.0.1:8002',
      MEMORY_SERVICE_URL: 'http://127.0.0.1:8003',
      OBSERVABILITY_SERVICE_URL: 'http://127.0.0.1:8004',
      REGISTRY_SERVICE_URL: 'http://127.0.0.1:8005',
      SHUTDOWN_DELAY_MS: '3000',
    });
    expect(instanceEnvironment(named('billing'), layout, {}, 8000)).not.toHaveProperty('SHUTDOWN_DELAY_MS');
  });

  it('keeps a shutdown delay and a PUBLIC_URL the installation sets', () => {
    const env = instanceEnvironment(named('memory'), layout, { SHUTDOWN_DELAY_MS: '5000', PUBLIC_URL: 'https://lift.example' }, 18000);
    expect(env).not.toHaveProperty('SHUTDOWN_DELAY_MS');
    expect(env).not.toHaveProperty('PUBLIC_URL');
  });

  it('points PUBLIC_URL at the gateway when LIFT_PORT_BASE moves it, and leaves services it does not run where the settings put them', () => {
    const moved = instanceLayout(selectServices(['auth', 'gateway']), parseInstances('auth=2'), 18000);
    expect(instanceEnvironment(named('gateway', moved), moved, {}, 18000)).toEqual({
      PORT: '18000',
      GATEWAY_URL: 'http://127.0.0.1:18000',
      AUTH_SERVICE_URL: 'http://127.0.0.1:18001,http://127.0.0.1:18101',
      PUBLIC_URL: 'http://localhost:18000',
    });
  });
});

describe('several instances without Redis', () => {
  it('are refused, naming the services and REDIS_URL', () => {
    expect(() => refuseInstancesWithoutRedis(parseInstances('auth=2,billing=1'), {})).toThrow('several instances of auth need REDIS_URL');
  });

  it('are fine with REDIS_URL, and one instance of each is fine without', () => {
    expect(() => refuseInstancesWithoutRedis(parseInstances('auth=2'), { REDIS_URL: 'redis://127.0.0.1:6379' })).not.toThrow();
    expect(() => refuseInstancesWithoutRedis(parseInstances('auth=1'), {})).not.toThrow();
  });
});
