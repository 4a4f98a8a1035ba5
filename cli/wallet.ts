import type { Command } from 'commander';

export function registerWallet(program: Command): void {
  void program;
}
