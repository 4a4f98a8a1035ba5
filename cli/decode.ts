import type { Command } from 'commander';

export function registerDecode(program: Command): void {
  void program;
}
