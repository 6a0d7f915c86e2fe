import { parse, print } from 'graphql';
import { describe, expect, it } from 'vitest';
import { inlineFragments, selectOperation } from './inline-fragments.js';

describe('selectOperation', () => {
  const document = parse('query A { a } query B { b }');
  it('picks the named operation, and none when a name is needed but missing or unknown', () => {
    expect(selectOperation(document, 'B')?.name?.value).toBe('B');
    expect(selectOperation(document, undefined)).toBeUndefined();
    expect(selectOperation(document, 'C')).toBeUndefined();
    expect(selectOperation(parse('{ a }'), undefined)).toBeDefined();
  });
});

describe('inlineFragments', () => {
  it('replaces nested spreads by inline fragments, keeping their directives and type conditions', () => {
    const document = parse('query Q($x: Boolean!) { client { ...A @include(if: $x) } } fragment A on Client { name ...B } fragment B on Client { secret }');
    const inlined = print(inlineFragments(document, selectOperation(document, 'Q')!));
    expect(inlined).not.toContain('...A');
    expect(inlined).not.toContain('...B');
    expect(inlined).toContain('... on Client @include(if: $x)');
    expect(inlined).toContain('secret');
  });
});
