import { describe, expect, it } from 'vitest';
import { clientAddressKey } from '../src/index.js';

describe('the client a login limit counts by', () => {
  it('is an IPv4 address as it is, also when mapped into IPv6', () => {
    expect(clientAddressKey('203.0.113.7')).toBe('203.0.113.7');
    expect(clientAddressKey('::ffff:203.0.113.7')).toBe('203.0.113.7');
  });

  it('is an IPv6 address\'s /64, however the address is written', () => {
    for (const address of ['2001:db8:1:2::1', '2001:0db8:0001:0002:ffff:1:2:3', '2001:DB8:1:2::', '2001:db8:1:2:0:0:0:9%eth0']) {
      expect(clientAddressKey(address)).toBe('2001:db8:1:2::/64');
    }
    expect(clientAddressKey('::1')).toBe('0:0:0:0::/64');
    expect(clientAddressKey('64:ff9b::192.0.2.1')).toBe('64:ff9b:0:0::/64');
    expect(clientAddressKey('2001:db8::1:2:3:4:5')).toBe('2001:db8:0:1::/64');
  });
});
