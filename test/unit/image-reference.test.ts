import { describe, expect, it } from 'vitest';
import { kustomizeImage, parseImageReference, parseIngressHost } from '../../generators/app/image-reference.js';

describe('--image', () => {
  it.each([
    'shop:1.0',
    'shop:v1.4.2-rc.1',
    'registry.example/team/shop:2',
    'registry.example:5000/team/shop:2',
    'localhost/shop:dev-1',
    `shop@sha256:${'ab'.repeat(32)}`,
    `ghcr.io/org/shop:latest@sha256:${'ab'.repeat(32)}`,
  ])('takes %s', reference => {
    expect(parseImageReference(` ${reference} `)).toBe(reference);
  });

  it.each([
    ['shop', 'has no tag, which means latest'],
    ['registry.example:5000/shop', 'has no tag, which means latest'],
    ['shop:latest', 'deploys latest'],
    ['Shop:1', 'is not an image reference'],
    ['shop:', 'is not an image reference'],
    ['shop:.1', 'is not an image reference'],
    ['-shop:1', 'is not an image reference'],
    ['team//shop:1', 'is not an image reference'],
    ['shop@sha256:abc', 'is not an image reference'],
    ['shop:1 2', 'is not an image reference'],
  ])('refuses %s: %s', (reference, why) => {
    expect(() => parseImageReference(reference)).toThrow(`--image: "${reference}" ${why}`);
  });

  it('becomes the kustomization images entry: newName only for another repository, a digest instead of a tag', () => {
    expect(kustomizeImage('shop', '')).toEqual({ name: 'shop', newName: '', newTag: '0.1.0', digest: '' });
    expect(kustomizeImage('shop', 'shop:2')).toEqual({ name: 'shop', newName: '', newTag: '2', digest: '' });
    expect(kustomizeImage('shop', 'registry.example:5000/team/shop:2')).toEqual({
      name: 'shop',
      newName: 'registry.example:5000/team/shop',
      newTag: '2',
      digest: '',
    });
    expect(kustomizeImage('shop', `r.example/shop:1@sha256:${'c'.repeat(64)}`)).toEqual({
      name: 'shop',
      newName: 'r.example/shop',
      newTag: '',
      digest: `sha256:${'c'.repeat(64)}`,
    });
  });
});

describe('--ingress-host', () => {
  it.each([
    ['shop.example.com', 'shop.example.com'],
    ['Shop.Example.COM', 'shop.example.com'],
    ['*.example.com', '*.example.com'],
    ['', ''],
  ])('takes %j', (raw, host) => {
    expect(parseIngressHost(raw)).toBe(host);
  });

  it.each(['http://shop.example.com', 'shop.example.com:443', 'shop.example.com/x', '10.0.0.1', 'a..b', '-a.example'])(
    'refuses %s',
    raw => {
      expect(() => parseIngressHost(raw)).toThrow(
        /^--ingress-host: ".*" is not a DNS host name\. Fix: pass the name alone/,
      );
    },
  );
});
