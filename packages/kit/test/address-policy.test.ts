import { isIP } from 'node:net';
import { buildConnector, Pool } from 'undici';
import { describe, expect, it } from 'vitest';
import { addressPolicyFrom, addressProblem, ConfigError, guardedConnector, guardedLookup, reachedAddresses, refusedAddress, type HostResolver } from '../src/index.js';
import { closeWhenDone } from './helper.js';
import { startStandIn } from '../../../tests/support/stand-in-server.js';

const closed = addressPolicyFrom('');
const verdict = (address: string, policy = closed): 'never' | 'private' | 'allowed' | 'not an address' => {
  const problem = addressProblem(address, policy);
  if (problem === undefined) return 'allowed';
  if (problem.includes('link-local, metadata or reserved')) return 'never';
  if (problem.includes('loopback or private')) return 'private';
  if (problem.includes('not an IP address')) return 'not an address';
  throw new Error(`unexpected problem: ${problem}`);
};

// Issue #10 item 7: one address policy for the registry's checks and the gateway's connections.
describe('the address policy', () => {
  it('judges every special range, IPv4 and IPv6', () => {
    const table: [string, ReturnType<typeof verdict>][] = [
      // IPv4
      ['0.0.0.0', 'never'],
      ['0.1.2.3', 'never'],
      ['169.254.169.254', 'never'],
      ['168.63.129.16', 'never'], // Azure's host endpoint (wireserver), in public space
      ['168.63.129.17', 'allowed'],
      ['169.254.170.2', 'never'],
      ['100.100.100.200', 'never'],
      ['192.0.0.170', 'never'],
      ['192.0.2.1', 'never'],
      ['198.51.100.7', 'never'],
      ['203.0.113.9', 'never'],
      ['198.18.0.1', 'never'],
      ['192.88.99.1', 'never'],
      ['224.0.0.1', 'never'],
      ['239.255.255.250', 'never'],
      ['240.0.0.1', 'never'],
      ['255.255.255.255', 'never'],
      ['127.0.0.1', 'private'],
      ['127.255.255.254', 'private'],
      ['10.1.2.3', 'private'],
      ['172.16.0.1', 'private'],
      ['172.31.255.255', 'private'],
      ['192.168.1.1', 'private'],
      ['100.64.0.1', 'private'],
      ['172.32.0.1', 'allowed'],
      ['93.184.215.14', 'allowed'],
      ['8.8.8.8', 'allowed'],
      // IPv4 spelled as the resolver and URL parsers accept it
      ['127.1', 'private'],
      ['0x7f.1', 'private'],
      ['0x7f000001', 'private'],
      ['2130706433', 'private'],
      ['0177.0.0.1', 'private'],
      ['127.000.000.001', 'private'],
      ['0251.0376.0251.0376', 'never'],
      ['2852039166', 'never'],
      // IPv6
      ['::', 'never'],
      ['::1', 'private'],
      ['[::1]', 'private'],
      ['0:0:0:0:0:0:0:1', 'private'],
      ['fe80::1', 'never'],
      ['fe80::1%eth0', 'never'],
      ['febf::1', 'never'],
      ['fec0::1', 'private'],
      ['feff::1', 'private'],
      ['fc00::1', 'private'],
      ['fd12:3456::1', 'private'],
      ['fd00:ec2::254', 'never'],
      ['ff02::1', 'never'],
      ['100::1', 'never'],
      ['2001:db8::1', 'never'],
      ['3fff::1', 'never'],
      ['2001:10::1', 'never'],
      ['2001:20::1', 'never'],
      ['64:ff9b:1::1', 'never'],
      ['2606:4700:4700::1111', 'allowed'],
      // IPv6 carrying IPv4: judged as the IPv4 address
      ['::ffff:127.0.0.1', 'private'],
      ['::ffff:7f00:1', 'private'],
      ['::FFFF:7F00:0001', 'private'],
      ['0:0:0:0:0:ffff:127.0.0.1', 'private'],
      ['::ffff:169.254.169.254', 'never'],
      ['::ffff:a9fe:a9fe', 'never'],
      ['::ffff:0.0.0.0', 'never'],
      ['::ffff:8.8.8.8', 'allowed'],
      ['::ffff:0:7f00:1', 'private'], // IPv4-translated
      ['::ffff:0:a9fe:a9fe', 'never'],
      ['::a9fe:a9fe', 'never'], // IPv4-compatible
      ['::169.254.169.254', 'never'],
      ['::7f00:1', 'private'],
      ['::808:808', 'allowed'],
      ['64:ff9b::a9fe:a9fe', 'never'], // NAT64
      ['64:ff9b::127.0.0.1', 'private'],
      ['64:ff9b::808:808', 'allowed'],
      ['2002:a9fe:a9fe::', 'never'], // 6to4
      ['2002:7f00:1::1', 'private'],
      ['2002:c0a8:101::1', 'private'],
      ['2002:808:808::1', 'allowed'],
      ['2001:0:4136:e378:8000:63bf:80ff:fffe', 'private'], // Teredo, client 127.0.0.1
      ['2001:0:4136:e378:8000:63bf:5601:5601', 'never'], // Teredo, client 169.254.169.254 (inverted)
      ['2001:0:a9fe:a9fe::f7f7:f7f7', 'never'], // Teredo, server 169.254.169.254
      ['2001:0:4136:e378:8000:63bf:f7f7:f7f7', 'allowed'], // Teredo, client 8.8.8.8
      // Not addresses at all
      ['localhost', 'not an address'],
      ['deadbeef', 'not an address'],
      ['', 'not an address'],
    ];
    const wrong = table.filter(([address, expected]) => verdict(address) !== expected).map(([address, expected]) => `${address}: expected ${expected}, got ${verdict(address)}`);
    expect(wrong).toEqual([]);
  });

  it('allows listed private ranges, judging carried IPv4 against them, but never the never-allowed', () => {
    const lan = addressPolicyFrom('127.0.0.0/8, 10.0.0.0/8 ,fd00::/8,100.64.0.0/10');
    expect(verdict('127.0.0.1', lan)).toBe('allowed');
    expect(verdict('::ffff:7f00:1', lan)).toBe('allowed');
    expect(verdict('2002:a00:1::', lan)).toBe('allowed');
    expect(verdict('fd12::1', lan)).toBe('allowed');
    expect(verdict('192.168.1.1', lan)).toBe('private');
    expect(verdict('::1', lan)).toBe('private');
    expect(verdict('100.100.100.200', lan)).toBe('never');
    expect(verdict('fd00:ec2::254', lan)).toBe('never');
    expect(verdict('169.254.169.254', addressPolicyFrom('169.254.0.0/16'))).toBe('never');
  });

  it('names the setting in refusals and the carried address', () => {
    expect(addressProblem('::ffff:7f00:1', addressPolicyFrom('', 'MODULE_URL_ALLOWED_NETWORKS'))).toBe(
      '::ffff:7f00:1 carries the IPv4 address 127.0.0.1, a loopback or private address, which MODULE_URL_ALLOWED_NETWORKS does not list',
    );
    // What a URL guard says after "points at": the address and why, and the setting only where listing a network would help.
    expect(refusedAddress('169.254.169.254', addressPolicyFrom(''))).toBe('169.254.169.254, a link-local, metadata or reserved address');
    expect(refusedAddress('168.63.129.16', addressPolicyFrom('', 'ALERT_WEBHOOK_ALLOWED_NETWORKS'))).toBe('168.63.129.16, a link-local, metadata or reserved address');
    expect(refusedAddress('10.1.2.3', addressPolicyFrom('', 'ALERT_WEBHOOK_ALLOWED_NETWORKS'))).toBe('10.1.2.3, a loopback or private address, which ALERT_WEBHOOK_ALLOWED_NETWORKS does not list');
    expect(refusedAddress('::ffff:a9fe:a9fe', addressPolicyFrom(''))).toBe('::ffff:a9fe:a9fe, which carries the IPv4 address 169.254.169.254, a link-local, metadata or reserved address');
    expect(refusedAddress('93.184.215.14', addressPolicyFrom(''))).toBeUndefined();
    expect(reachedAddresses('[::FFFF:127.0.0.1]')).toEqual(['::ffff:7f00:1', '127.0.0.1']);
    expect(reachedAddresses('2130706433')).toEqual(['127.0.0.1']);
  });

  it('refuses a setting that is not a list of addresses and CIDRs, naming it', () => {
    expect(() => addressPolicyFrom('10.0.0.0/8,not-a-network,127.0.0.0/33,::1/129,10.0.0.0/')).toThrow(ConfigError);
    try {
      addressPolicyFrom('10.0.0.0/8,not-a-network');
    } catch (error) {
      expect((error as ConfigError).problems).toEqual(['MODULE_URL_ALLOWED_NETWORKS: "not-a-network" is not an address or CIDR (e.g. 10.0.0.0/8, fd00::/8)']);
    }
  });
});

const resolveTo = (...addresses: string[]): HostResolver => async () => addresses.map((address) => ({ address, family: isIP(address) }));

describe('connections under the address policy', () => {
  it('a guarded lookup refuses a name when any address it resolves to is refused', async () => {
    const lookup = guardedLookup(closed, resolveTo('93.184.215.14', '169.254.169.254'));
    const error = await new Promise<NodeJS.ErrnoException | null>((resolve) => lookup('rebinding.example', { all: true }, (caught) => resolve(caught)));
    expect(error).toMatchObject({ code: 'EREFUSED_BY_POLICY', message: expect.stringContaining('169.254.169.254') });
    const fine = await new Promise<unknown>((resolve) => guardedLookup(closed, resolveTo('93.184.215.14'))('public.example', {}, (_error, address) => resolve(address)));
    expect(fine).toBe('93.184.215.14');
  });

  it('opens no connection to a name that now resolves to a refused address, nor to a refused literal', async () => {
    const { port, counted } = await startStandIn((_request, response) => void response.end('reached'));
    const refused: string[] = [];
    const poolFor = (origin: string, policy = closed) => {
      const pool = new Pool(origin, { connect: guardedConnector({ buildConnector, policy, resolve: resolveTo('127.0.0.1'), onRefused: (host) => void refused.push(host) }) });
      closeWhenDone(() => pool.close());
      return pool;
    };

    // DNS rebinding: registered while the name was public, it now answers 127.0.0.1.
    await expect(poolFor(`http://module.example:${port}`).request({ method: 'GET', path: '/' })).rejects.toMatchObject({ code: 'EREFUSED_BY_POLICY' });
    await expect(poolFor(`http://[::ffff:7f00:1]:${port}`).request({ method: 'GET', path: '/' })).rejects.toMatchObject({ code: 'EREFUSED_BY_POLICY' });
    await expect(poolFor(`http://127.0.0.1:${port}`).request({ method: 'GET', path: '/' })).rejects.toMatchObject({ code: 'EREFUSED_BY_POLICY' });
    expect(counted.connections).toBe(0);
    expect(refused).toEqual(['module.example', '::ffff:7f00:1', '127.0.0.1']);

    // Where loopback is allowed (lift up), the same name connects.
    const answer = await poolFor(`http://module.example:${port}`, addressPolicyFrom('127.0.0.0/8')).request({ method: 'GET', path: '/' });
    expect(await answer.body.text()).toBe('reached');
    expect(counted.connections).toBe(1);
  });
});
