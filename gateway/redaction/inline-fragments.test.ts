import { Kind, parse, print } from 'graphql';
import { describe, expect, it } from 'vitest';
import { expandSelections, fragmentsOf, inlineFragments, selectOperation } from './inline-fragments.js';

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

describe('expandSelections', () => {
  it('follows a fragment once per path, so a cycle (before validation reports it) cannot loop, and skips an unknown spread', () => {
    const document = parse('{ a { ...A ...Missing } } fragment A on T { x ...B } fragment B on T { y ...A }');
    const operation = selectOperation(document, undefined)!;
    const seen: string[] = [];
    const walk = (set: Parameters<typeof expandSelections>[0], path?: ReadonlySet<string>): void => {
      for (const { node, path: below } of expandSelections(set, fragmentsOf(document), path)) {
        if (node.kind === Kind.FIELD) seen.push(node.name.value);
        if (node.selectionSet) walk(node.selectionSet, below);
      }
    };
    walk(operation.selectionSet);
    expect(seen).toEqual(['a', 'x', 'y']);
  });
});
