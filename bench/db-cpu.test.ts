import { describe, expect, it } from 'vitest';
import { databaseCpuMsBetween, findDatabaseProcesses, parsePidList, sampleDatabaseCpu } from './db-cpu.js';

describe('database CPU sampling', () => {
  it('reads a list of process ids', () => {
    expect(parsePidList('12, 345')).toEqual([12, 345]);
    expect(parsePidList('12,x')).toMatch(/expected process ids/);
    expect(parsePidList('')).toMatch(/expected process ids/);
  });

  it('counts what each process used between two samples, never a vanished one as negative', () => {
    const before = new Map([
      [1, 100],
      [2, 50],
    ]);
    const after = new Map([
      [1, 150],
      [2, 0],
      [3, 10],
    ]);
    // 50 ticks from process 1, 10 from process 3 (new), none from process 2 (gone): 60 ticks.
    const ms = databaseCpuMsBetween(before, after);
    expect(ms).toBeGreaterThan(0);
    expect(ms).toBe(databaseCpuMsBetween(new Map(), new Map([[9, 60]])));
  });

  it.runIf(process.platform === 'linux')('samples processes it is given by id', () => {
    const db = findDatabaseProcesses('mongodb://db.example.invalid:27017/', [process.pid]);
    expect(db?.pids).toEqual([process.pid]);
    expect(sampleDatabaseCpu(db!).get(process.pid)).toBeGreaterThan(0);
    expect(findDatabaseProcesses('mongodb://db.example.invalid:27017/', undefined)).toBeUndefined();
  });
});
