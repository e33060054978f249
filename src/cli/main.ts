#!/usr/bin/env node
import { Command } from 'commander';
import { runCommand } from './run-command.js';
import { workerCommand } from './worker-command.js';

const program = new Command('speckit-automation')
  .description('Run GitHub Spec Kit unattended as durable Temporal workflows')
  .showHelpAfterError();
program.addCommand(workerCommand());
program.addCommand(runCommand());

await program.parseAsync();
