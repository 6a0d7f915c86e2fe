import { spawn } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, inject, it } from 'vitest';
import type { RunRecord } from '../bench/results-files.js';

/**
 * `npm run bench` in its smallest form: one cheap scenario, two seconds of load per stack on one
 * connection, no warm-up. It proves the four stacks start, answer alike and are measured, and
 * that the run's results are written; it asserts no time (the figures of so short a run mean nothing).
 */

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const resultsDir = mkdtempSync(path.join(os.tmpdir(), 'needtoknow-bench-smoke-'));

afterAll(() => rmSync(resultsDir, { recursive: true, force: true }));

function runBench(args: readonly string[]): Promise<{ code: number | null; output: string }> {
  return new Promise((resolve, reject) => {
    // tsx as a loader (not its CLI): the bench forks its stacks with this process's execArgv.
    const child = spawn(process.execPath, ['--import', 'tsx', 'bench/run.ts', ...args], {
      cwd: ROOT,
      env: { ...process.env, MONGODB_URI: inject('mongodbUri') },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.once('error', reject);
    child.once('exit', (code) => resolve({ code, output }));
  });
}

describe('npm run bench, smallest run', () => {
  it('runs all four stacks on one scenario, exits 0 and writes the results', { timeout: 180_000 }, async () => {
    const { code, output } = await runBench(['--scenarios', 'd', '--duration', '2', '--warmup', '0', '--connections', '1', '--results-dir', resultsDir]);
    expect(code, output).toBe(0);

    const files = readdirSync(resultsDir);
    const json = files.find((f) => f.endsWith('-demo.json'));
    expect(json, files.join(', ')).toBeDefined();
    expect(files).toContain(json!.replace(/\.json$/, '.md'));
    expect(files).toContain('LATEST.md');

    const run = JSON.parse(readFileSync(path.join(resultsDir, json!), 'utf8')) as RunRecord;
    expect(run.ok).toBe(true);
    expect(run.failures).toEqual([]);
    expect(run.machine.cores).toBeGreaterThan(0);
    expect(run.scenarios.map((s) => s.key)).toEqual(['d']);
    const stacks = run.scenarios[0]!.stacks;
    expect(Object.keys(stacks).sort()).toEqual(['hive', 'hive-nodedup', 'off', 'on']);
    for (const measured of Object.values(stacks)) {
      expect(measured.requests).toBeGreaterThan(0);
      expect(measured.stackCpuMsPerReq).toBeGreaterThan(0);
    }
    const markdown = readFileSync(path.join(resultsDir, 'LATEST.md'), 'utf8');
    for (const label of ['needtoknow, redaction on', 'needtoknow, redaction off', 'Hive Gateway, dedup off', 'Hive Gateway, defaults']) {
      expect(markdown).toContain(`| ${label} |`);
    }
  });
});
