/**
 * What a bench run leaves behind: `bench/results/<date-time>-<size>.json` with every figure,
 * `<same>.md` with a table per scenario, and `LATEST.md`, a copy of the newest passing run's
 * tables, which the README links to.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';

/** The four stacks, in the order the tables show them. */
export const STACK_KEYS = ['on', 'off', 'hive-nodedup', 'hive'] as const;
export type StackKey = (typeof STACK_KEYS)[number];

export const STACK_LABELS: Readonly<Record<StackKey, string>> = {
  on: 'needtoknow, redaction on',
  off: 'needtoknow, redaction off',
  'hive-nodedup': 'Hive Gateway, dedup off',
  hive: 'Hive Gateway, defaults',
};

export interface Measured {
  readonly reqPerS: number;
  readonly p50: number;
  readonly p975: number;
  readonly p99: number;
  /** CPU of the stack's processes (gateway and subgraphs) per response, ms. */
  readonly stackCpuMsPerReq: number;
  /** CPU of the database's processes per response, ms; null when they could not be sampled. */
  readonly dbCpuMsPerReq: number | null;
  readonly bytesPerResp: number;
  readonly requests: number;
}

export interface ScenarioRecord {
  readonly key: string;
  readonly title: string;
  /** What one response holds, e.g. "8 clients, 120 notes, 6 consents". */
  readonly summary: string;
  /** How each stack's answer was checked against the others before loading it. */
  readonly checked: string;
  readonly stacks: Partial<Record<StackKey, Measured>>;
}

export interface RunRecord {
  readonly format: 'needtoknow-bench/1';
  readonly startedAt: string;
  readonly finishedAt: string;
  readonly ok: boolean;
  readonly failures: readonly string[];
  /** HEAD of the checkout the bench ran from (uncommitted changes aside); null outside a git checkout. */
  readonly commit: string | null;
  readonly size: string;
  readonly data: string;
  readonly machine: {
    readonly cores: number;
    readonly cpuModel: string;
    readonly node: string;
    readonly platform: string;
    readonly totalMemoryMiB: number;
    readonly loadAverageAtStart: readonly number[];
    readonly loadAverageAtEnd: readonly number[];
  };
  readonly database: {
    readonly uri: string;
    /** e.g. `ferretdb (postgresql)`; null when the bench could not tell. */
    readonly backend: string | null;
    readonly cpuSampled: string;
  };
  readonly load: {
    readonly tool: string;
    readonly connections: number;
    readonly warmupS: number;
    readonly durationS: number;
  };
  readonly stacks: Readonly<Record<StackKey, string>>;
  readonly scenarios: readonly ScenarioRecord[];
}

export function ratio(a: number | null | undefined, b: number | null | undefined): string {
  return a != null && b != null && b > 0 ? `${(a / b).toFixed(2)}x` : 'n/a';
}

const fixed = (n: number | null | undefined, digits: number) => (n == null ? 'n/a' : n.toFixed(digits));

function scenarioTable(scenario: ScenarioRecord): string {
  const lines = ['| stack | req/s | p50 ms | p99 ms | stack CPU ms/req | db CPU ms/req | requests |', '|---|--:|--:|--:|--:|--:|--:|'];
  for (const key of STACK_KEYS) {
    const m = scenario.stacks[key];
    if (!m) continue;
    lines.push(
      `| ${STACK_LABELS[key]} | ${fixed(m.reqPerS, 1)} | ${fixed(m.p50, 1)} | ${fixed(m.p99, 1)} | ${fixed(m.stackCpuMsPerReq, 2)} | ${fixed(m.dbCpuMsPerReq, 2)} | ${m.requests} |`,
    );
  }
  const { on, off } = scenario.stacks;
  const peer = scenario.stacks['hive-nodedup'];
  const ratios = (label: string, a: Measured | undefined, b: Measured | undefined) =>
    `| ${label} | ${ratio(a?.reqPerS, b?.reqPerS)} | ${ratio(a?.p50, b?.p50)} | ${ratio(a?.p99, b?.p99)} | ${ratio(a?.stackCpuMsPerReq, b?.stackCpuMsPerReq)} | ${ratio(a?.dbCpuMsPerReq, b?.dbCpuMsPerReq)} | |`;
  lines.push(ratios('*on / off*', on, off));
  lines.push(ratios('*on / Hive dedup off*', on, peer));
  return lines.join('\n');
}

/** One line per scenario: the ratios the targets (issue 14) are stated in. */
function ratioTable(scenarios: readonly ScenarioRecord[]): string {
  const lines = [
    '| scenario | req/s on/off | stack CPU on/off | req/s on/Hive dedup off | stack CPU on/Hive dedup off | db CPU on/Hive dedup off |',
    '|---|--:|--:|--:|--:|--:|',
  ];
  for (const s of scenarios) {
    const { on, off } = s.stacks;
    const peer = s.stacks['hive-nodedup'];
    lines.push(
      `| ${s.key} ${s.title} | ${ratio(on?.reqPerS, off?.reqPerS)} | ${ratio(on?.stackCpuMsPerReq, off?.stackCpuMsPerReq)} | ${ratio(on?.reqPerS, peer?.reqPerS)} | ${ratio(on?.stackCpuMsPerReq, peer?.stackCpuMsPerReq)} | ${ratio(on?.dbCpuMsPerReq, peer?.dbCpuMsPerReq)} |`,
    );
  }
  return lines.join('\n');
}

export function renderMarkdown(run: RunRecord, jsonName: string): string {
  const m = run.machine;
  const parts = [
    `# Bench run ${run.startedAt} (${run.size})`,
    '',
    run.ok
      ? 'Every response was a 200 without errors, and the stacks answered alike (below).'
      : `**FAILED**: ${run.failures.length} problem(s), listed at the end.`,
    '',
    `- code: ${run.commit ? `commit ${run.commit.slice(0, 12)}` : 'not a git checkout'}; data: ${run.data}`,
    `- database: ${run.database.backend ?? 'unknown'} at ${run.database.uri}; database CPU: ${run.database.cpuSampled}`,
    `- load: ${run.load.tool}, ${run.load.connections} connections, ${run.load.warmupS} s warm-up + ${run.load.durationS} s measured per stack and scenario, stacks in rotating order`,
    `- machine: ${m.cores} × ${m.cpuModel}, ${m.platform}, Node ${m.node}, ${m.totalMemoryMiB} MiB; load average ${m.loadAverageAtStart.map((l) => l.toFixed(2)).join(' ')} at start, ${m.loadAverageAtEnd.map((l) => l.toFixed(2)).join(' ')} at end`,
    `- every figure: [${jsonName}](${jsonName})`,
    '',
    'Stacks: **redaction on** is needtoknow as deployed (operation rewrite, graphql-shield, opaque ids, audit write);',
    '**redaction off** the same gateway without them; **Hive Gateway** is GraphQL Hive Gateway over the same supergraph and',
    "the same subgraph processes (redaction off's), signing each subgraph request for the caller as ours does, with its",
    'in-flight deduplication of identical subgraph requests off, and with its defaults (on). Stack CPU is the gateway and',
    "the subgraphs (for Hive: its process plus the subgraphs' process); db CPU the database's processes; both per response.",
    '',
    '## Ratios',
    '',
    ratioTable(run.scenarios),
    '',
  ];
  for (const s of run.scenarios) {
    parts.push(`## ${s.key} ${s.title}`, '', `${s.summary}. ${s.checked}`, '', scenarioTable(s), '');
  }
  if (run.failures.length > 0) parts.push('## Failures', '', ...run.failures.map((f) => `- ${f}`), '');
  return parts.join('\n');
}

/** `2026-07-14T09-30-05Z`: ISO 8601 with the colons a file name cannot always hold replaced. */
export function fileStamp(date: Date): string {
  return date
    .toISOString()
    .replace(/\.\d{3}Z$/, 'Z')
    .replace(/:/g, '-');
}

export function writeResults(dir: string, run: RunRecord): { json: string; markdown: string; latest: string | undefined } {
  mkdirSync(dir, { recursive: true });
  const base = `${fileStamp(new Date(run.startedAt))}-${run.size}`;
  const json = path.join(dir, `${base}.json`);
  const markdown = path.join(dir, `${base}.md`);
  writeFileSync(json, `${JSON.stringify(run, null, 2)}\n`);
  const text = renderMarkdown(run, `${base}.json`);
  writeFileSync(markdown, text);
  // A failed run is kept for its record, but the README's link stays on the newest good one.
  let latest: string | undefined;
  if (run.ok) {
    latest = path.join(dir, 'LATEST.md');
    writeFileSync(latest, text);
  }
  return { json, markdown, latest };
}
