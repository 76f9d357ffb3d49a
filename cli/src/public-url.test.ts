import { describe, expect, it } from '@jest/globals';
import type { NetworkInterfaceInfo } from 'node:os';

import { lanAddress, parsePublicUrl, publicUrlFor, sameLocation } from './public-url.js';

const v4 = (address: string, internal = false): NetworkInterfaceInfo => ({
  address,
  netmask: '255.255.255.0',
  family: 'IPv4',
  mac: '00:00:00:00:00:00',
  internal,
  cidr: `${address}/24`,
});

describe('lanAddress', () => {
  it('picks a private address of a real interface: not loopback, link-local, or a container bridge', () => {
    expect(
      lanAddress({
        lo: [v4('127.0.0.1', true)],
        docker0: [v4('172.17.0.1')],
        eth1: [v4('169.254.10.2')],
        eth0: [v4('10.1.2.3')],
        wlan0: [v4('192.168.1.20')],
      }),
    ).toBe('192.168.1.20');
    expect(lanAddress({ lo: [v4('127.0.0.1', true)], eth0: [v4('203.0.113.5')] })).toBe('203.0.113.5');
    expect(lanAddress({ lo: [v4('127.0.0.1', true)], 'br-1a2b': [v4('172.18.0.1')] })).toBeUndefined();
  });
});

describe('parsePublicUrl', () => {
  it('takes http(s) URLs, without a trailing slash', async () => {
    await expect(parsePublicUrl('http://192.168.1.20:8080/')).resolves.toBe('http://192.168.1.20:8080');
    await expect(parsePublicUrl('https://verify.moj.gov.tw/check/')).resolves.toBe('https://verify.moj.gov.tw/check');
  });

  it.each(['192.168.1.20:8080', 'ftp://x/', 'http://a/#frag', 'http://a/?q=1', 'http://u:p@a/', 'not a url'])(
    'refuses %s with INVALID_INPUT',
    async (text) => {
      await expect(parsePublicUrl(text)).rejects.toMatchObject({ code: 'INVALID_INPUT' });
    },
  );
});

describe('publicUrlFor', () => {
  it('is --public-url when given, else the LAN address on a wildcard host, else localhost or the host', () => {
    expect(publicUrlFor({ host: '0.0.0.0', port: 80, publicUrl: 'https://x.example', lan: '10.0.0.2' })).toBe(
      'https://x.example',
    );
    expect(publicUrlFor({ host: '0.0.0.0', port: 8080, lan: '10.0.0.2', scheme: 'https' })).toBe(
      'https://10.0.0.2:8080',
    );
    expect(publicUrlFor({ host: '0.0.0.0', port: 8080 })).toBe('http://localhost:8080');
    expect(publicUrlFor({ host: '127.0.0.1', port: 8080, lan: '10.0.0.2' })).toBe('http://localhost:8080');
    expect(publicUrlFor({ host: '192.168.1.20', port: 9000 })).toBe('http://192.168.1.20:9000');
  });
});

describe('sameLocation', () => {
  it('counts loopback names as one place and ignores a trailing slash', () => {
    expect(sameLocation('http://localhost:8080/', 'http://127.0.0.1:8080')).toBe(true);
    expect(sameLocation('http://localhost:8080/', 'http://localhost:9090')).toBe(false);
    expect(sameLocation('http://localhost:8080/', 'https://192.168.1.20:8080')).toBe(false);
  });
});
