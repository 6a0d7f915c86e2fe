import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { fileStamp, ratio, renderMarkdown, writeResults, type Measured, type RunRecord } from './results-files.js';

const dir = mkdtempSync(path.join(os.tmpdir(), 'needtoknow-bench-results-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const figures = (reqPerS: number, stackCpuMsPerReq: number, dbCpuMsPerReq: number | null): Measured => ({
  reqPerS,
  p50: 100,
  p975: 180,
  p99: 200,
  stackCpuMsPerReq,
  dbCpuMsPerReq,
  bytesPerResp: 1000,
  requests: 50,
});

function run(ok: boolean): RunRecord {
  return {
    format: 'needtoknow-bench/1',
    startedAt: '2026-07-14T09:30:05.123Z',
    finishedAt: '2026-07-14T09:31:05.000Z',
    ok,
    failures: ok ? [] : ['d on: 3 responses not 200'],
    commit: null,
    size: 'demo',
    data: 'demo',
    machine: {
      cores: 2,
      cpuModel: 'cpu',
      node: 'v20.20.2',
      platform: 'Linux',
      totalMemoryMiB: 1024,
      loadAverageAtStart: [0.1, 0.1, 0.1],
      loadAverageAtEnd: [0.2, 0.2, 0.2],
    },
    database: { uri: 'mongodb://127.0.0.1:27017/', backend: 'ferretdb (postgresql)', cpuSampled: 'processes 1' },
    load: { tool: 'autocannon 9.0.0', connections: 10, warmupS: 2, durationS: 10 },
    stacks: { on: 'on', off: 'off', 'hive-nodedup': 'Hive dedup off', hive: 'Hive defaults' },
    scenarios: [
      {
        key: 'd',
        title: 'client(id:)',
        summary: '1 client',
        checked: 'Checked.',
        stacks: { on: figures(90, 11, 22), off: figures(100, 10, 20), 'hive-nodedup': figures(120, 5, null), hive: figures(300, 2, 4) },
      },
    ],
  };
}

describe('bench results files', () => {
  it('names files by an ISO date-time a file system accepts', () => {
    expect(fileStamp(new Date('2026-07-14T09:30:05.123Z'))).toBe('2026-07-14T09-30-05Z');
  });

  it('states ratios, and n/a where a figure is missing', () => {
    expect(ratio(11, 10)).toBe('1.10x');
    expect(ratio(1, null)).toBe('n/a');
    expect(ratio(1, 0)).toBe('n/a');
  });

  it('tables every stack and the on/off and on/Hive ratios per scenario', () => {
    const text = renderMarkdown(run(true), 'x.json');
    expect(text).toContain('| needtoknow, redaction on | 90.0 | 100.0 | 200.0 | 11.00 | 22.00 | 50 |');
    expect(text).toContain('| Hive Gateway, dedup off | 120.0 | 100.0 | 200.0 | 5.00 | n/a | 50 |');
    expect(text).toContain('| *on / off* | 0.90x | 1.00x | 1.00x | 1.10x | 1.10x | |');
    expect(text).toContain('| d client(id:) | 0.90x | 1.10x | 0.75x | 2.20x | n/a |');
  });

  it('writes the JSON and the markdown, and LATEST.md only for a run that passed', () => {
    writeResults(dir, run(false));
    expect(readdirSync(dir).sort()).toEqual(['2026-07-14T09-30-05Z-demo.json', '2026-07-14T09-30-05Z-demo.md']);
    writeResults(dir, run(true));
    expect(readdirSync(dir)).toContain('LATEST.md');
    expect(JSON.parse(readFileSync(path.join(dir, '2026-07-14T09-30-05Z-demo.json'), 'utf8'))).toMatchObject({ ok: true, size: 'demo' });
  });
});
