// zod/mini, zod's functional build, leaves out the English error messages that zod itself has:
// every module that validates with it imports this one first. zod/mini rather than zod: its
// schemas are quicker to build, and every CLI start builds all of the configuration's and the
// run input's (README: Benchmarks).
import { config } from 'zod/mini';
import en from 'zod/v4/locales/en.js';

config(en());
