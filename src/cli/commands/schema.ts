import { ExitCode } from '../../core/exit-codes.js';
import type { RegisterCommand } from '../command.js';

/** `shipgate schema`: the runbook's JSON Schema, generated from the schema that validates. */
export const register: RegisterCommand = (program, io, done) => {
  program
    .command('schema')
    .description('Print the JSON Schema of the runbook format (for editors: save it and point `$schema` or yaml-language-server at it).')
    .action(async () => {
      const { runbookJsonSchema } = await import('../../runbook/json-schema.js');
      io.stdout.write(`${JSON.stringify(runbookJsonSchema(), null, 2)}\n`);
      done(ExitCode.Success);
    });
};
