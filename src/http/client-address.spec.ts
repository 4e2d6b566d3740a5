import type { Request } from 'express';
import { clientAddress, isLoopback } from './client-address';

const from = (ip: string) => clientAddress({ ip, socket: {} } as unknown as Request);

describe('clientAddress', () => {
  it('keeps IPv4 and folds IPv4-mapped IPv6 into it', () => {
    expect(from('203.0.113.7')).toBe('203.0.113.7');
    expect(from('::ffff:203.0.113.7')).toBe('203.0.113.7');
  });

  it('puts every address of one IPv6 /64 under one key', () => {
    expect(from('2001:db8:1:2::1')).toBe('2001:db8:1:2::/64');
    expect(from('2001:db8:1:2:aaaa:bbbb:cccc:dddd')).toBe('2001:db8:1:2::/64');
    expect(from('2001:0DB8:0001:0002:0:0:0:9')).toBe('2001:db8:1:2::/64');
    expect(from('2001:db8::5')).toBe('2001:db8:0:0::/64');
    expect(from('2001:db8:1:3::1')).not.toBe(from('2001:db8:1:2::1'));
  });

  it('knows loopback clients', () => {
    expect(isLoopback(from('127.0.0.1'))).toBe(true);
    expect(isLoopback(from('::ffff:127.0.0.1'))).toBe(true);
    expect(isLoopback(from('::1'))).toBe(true);
    expect(isLoopback(from('10.0.0.1'))).toBe(false);
    expect(isLoopback(from('2001:db8::1'))).toBe(false);
  });
});
