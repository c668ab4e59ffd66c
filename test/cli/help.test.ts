import type { Command } from 'commander';
import { describe, expect, it } from 'vitest';
import { buildProgram } from '../../src/cli/program.ts';
import { runTierline } from '../helpers/cli.ts';

function allCommands(command: Command, path: string[] = []): [string[], Command][] {
  return command.commands.flatMap((sub) => {
    const here = [...path, sub.name()];
    return [[here, sub] as [string[], Command], ...allCommands(sub, here)];
  });
}

describe('tierline --help', () => {
  it('every command has a description and usage help', () => {
    const commands = allCommands(buildProgram());
    expect(commands.length).toBeGreaterThan(20);
    for (const [path, command] of commands) {
      expect(command.description(), path.join(' ')).not.toBe('');
      expect(command.helpInformation(), path.join(' ')).toContain('Usage: tierline');
    }
  });

  it('describes every option of every command', () => {
    for (const [path, command] of allCommands(buildProgram())) {
      for (const option of command.options) {
        expect(option.description, `${path.join(' ')} ${option.flags}`).not.toBe('');
      }
    }
  });

  it('prints help and exits 0 from the real binary', () => {
    for (const args of [['--help'], ['plan', '--help']]) {
      const result = runTierline(args);
      expect(result.code).toBe(0);
      expect(result.stdout).toContain('Usage:');
    }
  });
});
