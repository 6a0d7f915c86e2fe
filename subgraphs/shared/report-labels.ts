import { Kind, type EnumTypeDefinitionNode } from 'graphql';
import type { Db } from 'mongodb';
import { FIRST_BATCH } from './loaders.js';
import type { DimensionLabels, EnumSource } from './report-dimensions.js';
import { loadSchemaFile } from './schema-file.js';

/**
 * A dimension's full label set, resolved from where report-dimensions.ts says it comes from:
 * every label in its fixed order, and what each stored value counts under.
 */
export class LabelSet {
  /** Every label, listed ones first, then the catch-alls; each once. */
  readonly labels: readonly string[];
  readonly #byValue: ReadonlyMap<string, string>;
  readonly #missing: string | undefined;
  readonly #unlisted: string | undefined;

  constructor(listed: Iterable<readonly [value: string, label: string]>, dimension: Pick<DimensionLabels, 'missing' | 'unlisted'>) {
    const byValue = new Map<string, string>();
    for (const [value, label] of listed) if (!byValue.has(value)) byValue.set(value, label);
    this.#byValue = byValue;
    this.#missing = dimension.missing;
    this.#unlisted = dimension.unlisted ?? dimension.missing;
    const catchAll = [this.#missing, this.#unlisted].filter((label): label is string => label !== undefined);
    this.labels = [...new Set([...byValue.values(), ...catchAll])];
  }

  /**
   * The label a stored value counts under. A value not on the list never becomes a label of its
   * own; a dimension with no catch-all for it is a programming error, refused rather than shown.
   */
  labelOf(value: unknown): string {
    if (value === undefined || value === null || value === '') return this.#orFail(this.#missing, 'a missing value');
    const listed = typeof value === 'string' ? this.#byValue.get(value) : undefined;
    return listed ?? this.#orFail(this.#unlisted, 'a value not on its list');
  }

  #orFail(label: string | undefined, what: string): string {
    if (label === undefined) throw new Error(`a report dimension has no label for ${what}`);
    return label;
  }
}

/**
 * Resolves a dimension's label set. A reference collection costs one small read of the
 * subgraph's own database (FerretDB 1.x has no $lookup to join it into the aggregation); enum
 * and fixed lists cost nothing.
 */
export async function labelSet(dimension: DimensionLabels, db: Db): Promise<LabelSet> {
  const { source } = dimension;
  if ('collection' in source) {
    const documents = await db
      .collection(source.collection)
      .find({}, { projection: { [source.key]: 1, [source.label]: 1 }, batchSize: FIRST_BATCH })
      .toArray();
    const listed = documents
      .map((document) => [document[source.key], document[source.label]] as const)
      .filter((pair): pair is readonly [string, string] => typeof pair[0] === 'string' && pair[0] !== '' && typeof pair[1] === 'string' && pair[1] !== '')
      .sort(([keyA, a], [keyB, b]) => compare(a, b) || compare(keyA, keyB));
    return new LabelSet(listed, dimension);
  }
  return fixedLabelSet(dimension);
}

/** The label set of a dimension whose labels need no read: an enum or a fixed list. */
export function fixedLabelSet(dimension: DimensionLabels): LabelSet {
  const { source } = dimension;
  if ('collection' in source) throw new Error(`the labels of ${source.collection} are read from the database`);
  const labels = 'fixed' in source ? source.fixed : enumValues(source);
  return new LabelSet(
    labels.map((label) => [label, label] as const),
    dimension,
  );
}

const schemaEnums = new Map<string, readonly string[]>();

/** An enum's values, read once from the subgraph's schema file: the same source the server is built from. */
function enumValues(source: EnumSource): readonly string[] {
  const key = `${source.schema}.${source.enum}`;
  const cached = schemaEnums.get(key);
  if (cached) return cached;
  const document = loadSchemaFile(new URL(`../${source.schema}/schema.graphql`, import.meta.url));
  const definition = document.definitions.find((d): d is EnumTypeDefinitionNode => d.kind === Kind.ENUM_TYPE_DEFINITION && d.name.value === source.enum);
  const values = definition?.values?.map((value) => value.name.value) ?? [];
  if (values.length === 0) throw new Error(`schema ${source.schema} has no enum ${source.enum} to label a report with`);
  schemaEnums.set(key, values);
  return values;
}

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
