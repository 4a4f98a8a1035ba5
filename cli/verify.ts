import type { Command } from 'commander';

export function registerVerify(program: Command): void {
  void program;
}
