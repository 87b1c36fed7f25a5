import * as z from 'zod';

/**
 * One assertion on a key of a dotenv file. Combine checks on one key (e.g. `port` + `equals`).
 * Values asserted with `equals`/`regex`/`port` are shown when they fail (they are configuration
 * the runbook already names); `differs-from` and `sensitive: true` never show a value.
 */
export const EnvAssertionSchema = z
  .strictObject({
    key: z.string().min(1).describe('The variable name.'),
    equals: z.union([z.string(), z.number()]).transform(String).optional().describe('The value must be exactly this.'),
    regex: z.string().optional().describe('The value must match this JavaScript regex.'),
    port: z.boolean().optional().describe('The value must be a TCP port number 1–65535.'),
    unset: z.boolean().optional().describe('The key must not be set (e.g. DEV_ flags in production).'),
    'differs-from': z.string().optional().describe('Another dotenv file (e.g. .env.development); the value must differ from its value there.'),
    required: z.boolean().optional().describe('A missing key fails. Default: true (unless `unset`).'),
    sensitive: z.boolean().optional().describe('Never show the value in messages. Default: false.'),
  })
  .describe('An assertion on one dotenv key.');

export type EnvAssertion = z.output<typeof EnvAssertionSchema>;

/** The result of one assertion: expected vs measured, and where. */
export interface EnvFinding {
  readonly key: string;
  readonly check: 'present' | 'equals' | 'regex' | 'port' | 'unset' | 'differs-from' | 'syntax';
  readonly passed: boolean;
  readonly expected: string;
  readonly measured: string;
  /** `file:line` of the assignment (or of the file when the key is absent). */
  readonly file: string;
  readonly line: number;
}
