import { describe, expect, it } from 'vitest';
import { InstanceSettingError, instanceLayout, instancesSpec, parseInstances, parsePortBase, serviceOfProcess } from '../src/instance-layout.js';
import { coreServices, selectServices } from '../src/service-catalog.js';

describe('--instances', () => {
  it('reads service=count pairs, and an empty setting as one of each', () => {
    expect([...parseInstances('auth=2, memory=3')]).toEqual([['auth', 2], ['memory', 3]]);
    expect(parseInstances(undefined).size).toBe(0);
    expect(instancesSpec(parseInstances('auth=2,memory=3'))).toBe('auth=2,memory=3');
  });

  it.each([
    ['auth', 'service=count pairs'],
    ['auth=two', 'service=count pairs'],
    ['nope=2', 'unknown service "nope"; choose from auth, billing'],
    ['auth=2,auth=3', 'names auth twice'],
    ['auth=0', 'from 1 to 9 instances'],
    ['auth=10', 'from 1 to 9 instances'],
    ['gateway=2', 'the gateway runs as one instance'],
  ])('refuses %s', (spec, message) => {
    expect(() => parseInstances(spec)).toThrow(InstanceSettingError);
    expect(() => parseInstances(spec)).toThrow(message);
  });

  it('accepts gateway=1: the one instance it runs anyway', () => {
    expect([...parseInstances('gateway=1')]).toEqual([['gateway', 1]]);
  });
});

describe('the port scheme', () => {
  it('keeps the seed port for instance 1 and puts instance k 100 × (k − 1) above it', () => {
    const layout = instanceLayout(coreServices, parseInstances('auth=3,memory=2'), 8000);
    expect(layout.map((instance) => [instance.name, instance.port])).toEqual([
      ['auth', 8001],
      ['auth#2', 8101],
      ['auth#3', 8201],
      ['billing', 8002],
      ['memory', 8003],
      ['memory#2', 8103],
      ['observability', 8004],
      ['registry', 8005],
      ['gateway', 8000],
    ]);
    expect(layout.find((instance) => instance.name === 'auth#2')).toEqual({ name: 'auth#2', service: 'auth', index: 2, port: 8101, url: 'http://localhost:8101' });
  });

  it('never gives two processes one port, nor the TLS port or the example module\'s, at nine instances of every service but the gateway', () => {
    const layout = instanceLayout(coreServices, parseInstances('auth=9,billing=9,memory=9,observability=9,registry=9'), 8000);
    const ports = layout.map((instance) => instance.port);
    expect(new Set(ports).size).toBe(ports.length);
    expect(Math.max(...ports)).toBe(8805);
    expect(ports).not.toContain(8443);
    expect(ports).not.toContain(9100);
  });

  it('moves every port with LIFT_PORT_BASE, and lays out only the services selected', () => {
    const layout = instanceLayout(selectServices(['auth', 'gateway']), parseInstances('auth=2'), parsePortBase('18000'));
    expect(layout.map((instance) => [instance.name, instance.url])).toEqual([
      ['auth', 'http://localhost:18001'],
      ['auth#2', 'http://localhost:18101'],
      ['gateway', 'http://localhost:18000'],
    ]);
  });

  it('takes the seed base when LIFT_PORT_BASE is unset, and refuses one that would run past port 65535 or below 1024', () => {
    expect(parsePortBase(undefined)).toBe(8000);
    expect(parsePortBase('')).toBe(8000);
    expect(parsePortBase('64730')).toBe(64730);
    expect(() => parsePortBase('64731')).toThrow('LIFT_PORT_BASE must be a whole number from 1024 to 64730');
    expect(() => parsePortBase('80')).toThrow(InstanceSettingError);
    expect(() => parsePortBase('8000.5')).toThrow(InstanceSettingError);
  });

  it('names the service of each process', () => {
    expect(serviceOfProcess('auth#2')).toBe('auth');
    expect(serviceOfProcess('memory')).toBe('memory');
  });
});
