import { Command } from 'commander';

/** A command about one run, which it takes by id (the run's workflow id). */
export function runIdCommand(name: string, description: string): Command {
  return new Command(name).description(description).argument('<runId>');
}
