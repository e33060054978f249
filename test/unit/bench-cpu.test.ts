import { describe, expect, it } from 'vitest';
import { cpuStatSeconds, nanoseconds } from '../../bench/container-cpu.js';
import { parseMachineTicks } from '../../bench/machine-cpu.js';
import { type ProcessStat, parseProcessStat } from '../../bench/proc-usage.js';
import {
  accountTicks,
  type CpuSample,
  cpuBetween,
  descendants,
  formatCapacity,
  formatCpu,
} from '../../bench/round-cpu.js';

// A real line of /proc/<pid>/stat (PostgreSQL's postmaster), its command name changed below.
const POSTGRES_STAT =
  '5425 (postgres) S 1 5425 5425 0 -1 4194304 12245 532505 2 46 7 48 1037 662 20 0 1 0 2353985 222318592 7287 18446744073709551615 94454590431232 94454595844521 140721781867168 0 0 0 0 24129536 84487 1 0 0 17 1 0 0 0 0 0 94454598310064 94454598527370 94454661447680 140721781872424 140721781872588 140721781872588 140721781874644 0\n';

const proc = (pid: number, ppid: number, comm: string, ownTicks: number, childTicks = 0): ProcessStat => ({
  pid,
  ppid,
  comm,
  ownTicks,
  childTicks,
});

describe('bench CPU accounting', () => {
  it("reads a process's parent and CPU ticks from /proc/<pid>/stat, whatever its name holds", () => {
    expect(parseProcessStat(POSTGRES_STAT)).toEqual({
      pid: 5425,
      comm: 'postgres',
      ppid: 1,
      ownTicks: 7 + 48,
      childTicks: 1037 + 662,
    });
    const odd = parseProcessStat(POSTGRES_STAT.replace('(postgres)', '(a b) (c))'));
    expect(odd).toMatchObject({ comm: 'a b) (c)', ppid: 1, ownTicks: 55, childTicks: 1699 });
  });

  it("reads the machine's busy, idle, iowait and stolen ticks from /proc/stat's cpu line, not a CPU's", () => {
    const procStat =
      'cpu  2482768 1075 696396 2121677 79751 0 22581 40923 0 0\ncpu0 1186838 576 328890 1158571 21127 0 6345 20090 0 0\nintr 1\n';
    expect(parseMachineTicks(procStat)).toEqual({
      busy: 2482768 + 1075 + 696396 + 0 + 22581,
      idle: 2121677,
      iowait: 79751,
      steal: 40923,
    });
    expect(() => parseMachineTicks('intr 1\n')).toThrow(/cpu/);
  });

  it("reads the containers' total from cgroup v1 (ns) and v2 (cpu.stat usage_usec)", () => {
    expect(nanoseconds('5824377942070\n')).toBeCloseTo(5824.37794207);
    expect(cpuStatSeconds('usage_usec 2500000\nuser_usec 2000000\nsystem_usec 500000\n')).toBe(2.5);
    expect(cpuStatSeconds('user_usec 1\n')).toBeNaN();
  });

  it('finds the descendants of a process, at any depth, and not its siblings', () => {
    const ps = [proc(10, 1, 'node', 0), proc(11, 10, 'sh', 0), proc(12, 11, 'git', 0), proc(13, 1, 'x', 0)];
    expect(descendants(ps, 10)).toEqual(new Set([10, 11, 12]));
  });

  it("puts each process's ticks in one account, a shim's own time only", () => {
    const ps = [
      proc(100, 1, 'node', 5, 40), // the bench, with the docker run / CLI processes it waited for
      proc(200, 100, 'node', 30, 2), // the worker
      proc(201, 200, 'git', 1),
      proc(300, 1, 'temporal', 20),
      proc(400, 1, 'postgres', 3, 7),
      proc(401, 400, 'postgres', 4),
      proc(500, 1, 'dockerd', 6, 1),
      proc(501, 500, 'containerd', 2),
      proc(600, 1, 'containerd-shim', 1, 50), // 50: its container's processes
      proc(700, 1, 'sshd', 9),
    ];
    expect(accountTicks(ps, { benchPid: 100, workerPid: 200, temporalPid: 300 })).toEqual({
      worker: 33,
      Temporal: 20,
      PostgreSQL: 14,
      Docker: 10,
      bench: 5,
      "bench's children": 40,
    });
    expect(accountTicks(ps, { benchPid: 100, workerPid: 200 }).Temporal).toBe(0);
  });

  it('says what a stretch used in seconds, the rest being busy time none of the accounts holds', () => {
    const zero = { worker: 0, Temporal: 0, PostgreSQL: 0, Docker: 0, bench: 0, "bench's children": 0 };
    const before: CpuSample = {
      machine: { busy: 1000, idle: 500, iowait: 10, steal: 5 },
      accounts: zero,
      containersSeconds: 100,
    };
    const after: CpuSample = {
      machine: { busy: 11000, idle: 1500, iowait: 60, steal: 105 },
      accounts: {
        worker: 1200,
        Temporal: 900,
        PostgreSQL: 600,
        Docker: 800,
        bench: 100,
        "bench's children": 200,
      },
      containersSeconds: 150,
    };
    const cpu = cpuBetween(before, after, 100);
    expect(cpu.machine).toEqual({ busy: 100, idle: 10, iowait: 0.5, steal: 1 });
    expect(cpu.containers).toBe(50);
    expect(cpu.rest).toBeCloseTo(100 - 38 - 50);
    expect(formatCpu(cpu)).toBe(
      "machine 100.0 s: worker 12.0 s, Temporal 9.0 s, PostgreSQL 6.0 s, Docker 8.0 s, bench 1.0 s, bench's children 2.0 s, containers 50.0 s, rest 12.0 s",
    );
    expect(formatCapacity(cpu, 2, 55_500)).toBe(
      '2 × 55.5 s = 111.0 s: busy 100.0 s (90%), idle 10.0 s, iowait 0.5 s, steal 1.0 s',
    );

    const noTotal = cpuBetween(before, { ...after, containersSeconds: undefined }, 100);
    expect(noTotal.containers).toBeUndefined();
    expect(formatCpu(noTotal)).toMatch(/children 2\.0 s, rest \(containers\) 62\.0 s$/);
  });
});
