import type { Worker } from 'node:cluster';

/**
 * A turn to write, handed between the processes of `issuer serve --workers N` on one SQLite file.
 *
 * SQLite makes a process that finds the write lock taken sleep and retry (1, 2, 5, 10, 15, 20,
 * 25 ms ...), so two workers committing a few hundred small transactions a second mostly wait in
 * those sleeps, and a second worker served fewer flows than one. The workers instead ask the
 * primary for the turn over the cluster's IPC channel: it is handed over in a message (tens of
 * microseconds) the moment the previous holder's COMMIT returned.
 *
 * Only a speed device: SQLite's own lock (BEGIN IMMEDIATE, busy timeout) still guards every
 * write, so a gate that fails (the primary gone, a turn not granted within GATE_WAIT_MS, a
 * holder that died: the primary takes its turn back) makes a worker write without it, never
 * write wrongly. PostgreSQL has its advisory lock instead (transaction.ts).
 */
/** acquire resolves with the function that gives the turn back (a no-op when the turn was not had). */
export type WriteGate = { acquire(): Promise<() => void> };

/** How long a worker waits for its turn before it writes without it (SQLite's busy timeout then applies). */
export const GATE_WAIT_MS = 5_000;

type GateMessage = { netcredWriteGate: 'acquire' | 'release' | 'granted'; seq: number };

const isGateMessage = (m: unknown): m is GateMessage =>
  typeof m === 'object' && m !== null && typeof (m as GateMessage).netcredWriteGate === 'string' && typeof (m as GateMessage).seq === 'number';

let processGate: WriteGate | undefined;

/** The gate this process's SQLite writes take turns through (write-lock.ts), if any. */
export function processWriteGate(): WriteGate | undefined {
  return processGate;
}

/**
 * In a worker of `issuer serve --workers N`: its SQLite writes take turns with the other
 * workers' through the primary (primaryWriteGate). Turns are asked for one at a time: the
 * process's writes already queue behind each other (write-lock.ts).
 */
export function useWorkerWriteGate(proc: NodeJS.Process = process): void {
  if (!proc.send) return;
  const send = (m: GateMessage): boolean => {
    try {
      return proc.send?.(m) ?? false;
    } catch {
      return false; // no channel to the primary
    }
  };
  let seq = 0;
  const waiting = new Map<number, () => void>();
  proc.on('message', (m: unknown) => {
    if (isGateMessage(m) && m.netcredWriteGate === 'granted') waiting.get(m.seq)?.();
  });
  const giveBack = (mine: number) => () => void send({ netcredWriteGate: 'release', seq: mine });
  processGate = {
    acquire() {
      const mine = ++seq;
      return new Promise<() => void>((resolve) => {
        const timer = setTimeout(() => {
          // Not granted in time: write without the turn, and give it back should it come later.
          waiting.delete(mine);
          giveBack(mine)();
          resolve(() => undefined);
        }, GATE_WAIT_MS);
        timer.unref();
        waiting.set(mine, () => {
          clearTimeout(timer);
          waiting.delete(mine);
          resolve(giveBack(mine));
        });
        if (!send({ netcredWriteGate: 'acquire', seq: mine })) waiting.get(mine)?.();
      });
    },
  };
}

/**
 * In the primary of `issuer serve --workers N`: hands the write turn to one worker at a time, in
 * the order asked. A worker that exits holding it (or waiting for it) loses it; a release that
 * names a turn not held (given back after a timeout) is ignored unless it is the holder's.
 * `onGrant` sees each turn handed out (for logs and tests).
 */
export function primaryWriteGate(options: { onGrant?: (worker: Worker, seq: number) => void } = {}): { attach(worker: Worker): void } {
  const queue: { worker: Worker; seq: number }[] = [];
  let holder: { worker: Worker; seq: number } | undefined;
  const grantNext = () => {
    while (!holder && queue.length) {
      const next = queue.shift()!;
      if (next.worker.isDead() || !next.worker.isConnected()) continue;
      holder = next;
      try {
        options.onGrant?.(next.worker, next.seq);
        next.worker.send({ netcredWriteGate: 'granted', seq: next.seq } satisfies GateMessage);
      } catch {
        holder = undefined;
      }
    }
  };
  const drop = (worker: Worker) => {
    for (let i = queue.length - 1; i >= 0; i--) if (queue[i]!.worker === worker) queue.splice(i, 1);
    if (holder?.worker === worker) holder = undefined;
    grantNext();
  };
  return {
    attach(worker) {
      worker.on('message', (m: unknown) => {
        if (!isGateMessage(m)) return;
        if (m.netcredWriteGate === 'acquire') {
          queue.push({ worker, seq: m.seq });
          grantNext();
        } else if (m.netcredWriteGate === 'release') {
          const i = queue.findIndex((q) => q.worker === worker && q.seq === m.seq);
          if (i >= 0) queue.splice(i, 1); // given up before it was granted
          if (holder?.worker === worker && holder.seq === m.seq) {
            holder = undefined;
            grantNext();
          }
        }
      });
      worker.on('exit', () => drop(worker));
      worker.on('disconnect', () => drop(worker));
    },
  };
}
