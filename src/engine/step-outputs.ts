/**
 * Parses the file a step writes its outputs to (`$SHIPGATE_OUTPUT`), in GitHub's
 * `$GITHUB_OUTPUT` format: `KEY=value` lines, or a heredoc for multi-line values:
 *
 *   KEY<<EOF
 *   line 1
 *   EOF
 *
 * Hand-written: the format is a dozen lines and no library parses exactly it.
 */
export function parseStepOutputs(text: string): { outputs: Record<string, string>; errors: string[] } {
  const outputs: Record<string, string> = {};
  const errors: string[] = [];
  const lines = text.split(/\r?\n/);
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!;
    if (line.trim() === '') continue;
    const heredoc = /^([A-Za-z_][A-Za-z0-9_-]*)<<(.+)$/.exec(line);
    if (heredoc) {
      const [, key, marker] = heredoc;
      const body: string[] = [];
      let closed = false;
      for (i++; i < lines.length; i++) {
        if (lines[i] === marker) {
          closed = true;
          break;
        }
        body.push(lines[i]!);
      }
      if (!closed) errors.push(`output ${key}: heredoc not closed by ${marker}`);
      outputs[key!] = body.join('\n');
      continue;
    }
    const eq = line.indexOf('=');
    const key = eq > 0 ? line.slice(0, eq) : '';
    if (!/^[A-Za-z_][A-Za-z0-9_-]*$/.test(key)) {
      errors.push(`line ${i + 1}: expected KEY=value, got ${JSON.stringify(line.slice(0, 60))}`);
      continue;
    }
    outputs[key] = line.slice(eq + 1);
  }
  return { outputs, errors };
}
