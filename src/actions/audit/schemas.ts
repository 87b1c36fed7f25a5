import * as z from 'zod';
import { EnvAssertionSchema } from '../../audit/env/env-assertions.js';

const stringList = z.union([z.string().transform((s) => [s]), z.array(z.string())]);

/** `uses: audit/grep` inputs. */
export const GrepWithSchema = z.strictObject({
  pattern: z.string().min(1).describe('JavaScript regex (rg-style; see docs/audit.md). Required.'),
  paths: stringList.default(['.']).describe('Files/folders to search, relative to the step cwd. Default: ["."].'),
  allow: stringList.default([]).describe('Globs of files whose hits are allowed (counted separately). Default: [].'),
  marker: z.boolean().default(true).describe('Honour the inline `shipgate: allow` marker. Default: true.'),
  'ignore-case': z.boolean().default(false).describe('Case-insensitive. Default: false.'),
  hidden: z.boolean().default(false).describe('Search hidden files too. Default: false (as rg).'),
  'max-hits': z.number().int().min(0).default(0).describe('Counted hits tolerated. Default: 0 (a zero-hit gate).'),
  threads: z.number().int().min(1).optional().describe('Reading threads: native threads with the native pre-filter (default: one per core, up to 4), else this thread plus threads - 1 workers (default: 1).'),
});

/** `uses: audit/env` inputs. */
export const EnvWithSchema = z.strictObject({
  file: z.string().default('.env').describe('The dotenv file, relative to the step cwd. Default: .env.'),
  assert: z.array(EnvAssertionSchema).min(1).describe('Assertions on keys (equals, regex, port, unset, differs-from).'),
});

/** `uses: secrets/check` inputs. Secrets themselves are declared under environments.NAME.secrets. */
export const SecretsWithSchema = z.strictObject({
  tree: z.boolean().default(true).describe('Search the working tree for values and token shapes. Default: true.'),
  history: z.boolean().default(true).describe('Search every commit. Default: true.'),
  shapes: z.boolean().default(true).describe('Look for token shapes (AWS, GitHub, Slack, JWT, private keys, generic). Default: true.'),
  'allow-files': stringList.default([]).describe('Globs whose token-shape hits are allowed (fixtures). Value hits are never allowed. Default: [].'),
  'accept-unmeasured': z.boolean().default(false).describe('Pass when some checks could not be measured (e.g. provider lists names only). Default: false: such a step is inconclusive and waits for a person.'),
});

export type GrepWith = z.output<typeof GrepWithSchema>;
export type EnvWith = z.output<typeof EnvWithSchema>;
export type SecretsWith = z.output<typeof SecretsWithSchema>;
