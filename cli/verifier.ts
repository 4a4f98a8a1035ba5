import type { Command } from 'commander';

export function registerVerifier(program: Command): void {
  void program;
}
