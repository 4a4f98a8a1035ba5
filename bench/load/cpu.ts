import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';

/** One process as /proc/PID/stat shows it: its parent, its name and the CPU ticks it used (user + system). */
type ProcStat = { pid: number; ppid: number; comm: string; ticks: number };

function readStat(pid: string): ProcStat | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const close = stat.lastIndexOf(')');
    const fields = stat.slice(close + 2).split(' ');
    // After the name: state, ppid, ... utime (14th of the line) and stime (15th).
    return { pid: Number(pid), ppid: Number(fields[1]), comm: stat.slice(stat.indexOf('(') + 1, close), ticks: Number(fields[11]) + Number(fields[12]) };
  } catch {
    return undefined; // the process ended meanwhile
  }
}

function allStats(): ProcStat[] {
  return readdirSync('/proc')
    .filter((p) => /^\d+$/.test(p))
    .flatMap((p) => readStat(p) ?? []);
}

let tickRate: number | undefined;
function clockTicks(): number {
  if (tickRate === undefined) {
    try {
      tickRate = Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim()) || 100;
    } catch {
      tickRate = 100;
    }
  }
  return tickRate;
}

/** CPU seconds used so far by every live process named `comm` (e.g. the PostgreSQL backends). Linux only. */
export function cpuSecondsOfNamed(comm: string): number {
  return allStats().reduce((s, p) => s + (p.comm === comm ? p.ticks : 0), 0) / clockTicks();
}

/** CPU seconds used so far by process `root` and its live descendants (e.g. `issuer serve --workers 2`). Linux only. */
export function cpuSecondsOfTree(root: number): number {
  const stats = allStats();
  const parent = new Map(stats.map((p) => [p.pid, p.ppid]));
  const inTree = (pid: number): boolean => {
    for (let p: number | undefined = pid, hops = 0; p !== undefined && p > 1 && hops < 64; p = parent.get(p), hops++) if (p === root) return true;
    return false;
  };
  return stats.reduce((s, p) => s + (inTree(p.pid) ? p.ticks : 0), 0) / clockTicks();
}
