// Where things are: the bench runs from dist/bench/ and drives the built project beside it.
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/** The repository root (dist/bench/<file>.js is two levels below it). */
export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
export const CLI = path.join(ROOT, 'dist', 'bin', 'speckit-automation.js');
export const BENCH_ASSETS = path.join(ROOT, 'bench');
export const SCRIPTED_AGENT = path.join(ROOT, 'images', 'job', 'scripted-agent', 'bin', 'scripted-agent');

/** scripts/lib.sh's defaults: the cache holds the specify-cli wheels, and the bench's own venv and large repository. */
export const CACHE_DIR =
  process.env.SPECKIT_CACHE_DIR ?? path.join(os.homedir(), '.cache', 'speckit-automation');
export const SPECIFY_VERSION = process.env.SPECKIT_SPECIFY_VERSION ?? '1.0.13';
export const JOB_IMAGE = process.env.SPECKIT_JOB_IMAGE ?? 'speckit-job:local';
