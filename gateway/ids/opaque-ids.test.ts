import { describe, expect, it } from 'vitest';
import { createIdCodec } from './opaque-ids.js';

const codec = createIdCodec('a test secret of at least thirty-two bytes, never used in production');

describe('the opaque id codec', () => {
  it('gives one record unrelated ids in different audiences, and each decodes only in its own', () => {
    const hr = codec.encode('hr', 'Employee', 'emp_1');
    const staff = codec.encode('staff', 'Employee', 'emp_1');
    expect(hr).not.toEqual(staff);
    expect(codec.decode('hr', 'Employee', hr)).toBe('emp_1');
    expect(codec.decode('staff', 'Employee', hr)).toBeNull();
  });

  it('refuses a token for another type, even in the right audience', () => {
    const token = codec.encode('staff', 'Client', 'cli_1');
    expect(codec.decode('staff', 'Employee', token)).toBeNull();
  });

  it('refuses a token with any one character changed, and never throws on garbage', () => {
    const token = codec.encode('staff', 'Client', 'cli_1');
    for (let i = 0; i < token.length; i += 1) {
      const flipped = token.slice(0, i) + (token[i] === 'A' ? 'B' : 'A') + token.slice(i + 1);
      if (flipped !== token) expect(codec.decode('staff', 'Client', flipped)).toBeNull();
    }
    for (const garbage of ['', 'cli_1', '!!!!', 'x'.repeat(10_000)]) expect(codec.decode('staff', 'Client', garbage)).toBeNull();
  });

  it('refuses a token minted with another secret', () => {
    const other = createIdCodec('another secret of at least thirty-two bytes, never used either');
    expect(codec.decode('staff', 'Client', other.encode('staff', 'Client', 'cli_1'))).toBeNull();
  });
});
