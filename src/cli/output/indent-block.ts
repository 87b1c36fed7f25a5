/**
 * Indents every line of a multi-line text by `prefix`, keeping the lines' indentation relative
 * to each other: instructions written as a YAML block (`|`) carry their own nesting (a command
 * under a bullet), and only the first line used to be indented, which flattened the rest.
 * Trailing blank lines (a block scalar's final newline) are dropped; blank lines inside stay empty.
 */
export function indentBlock(text: string, prefix: string): string {
  return text
    .replace(/\r\n?/g, '\n')
    .replace(/\s+$/, '')
    .split('\n')
    .map((line) => (line.trim() ? `${prefix}${line}` : ''))
    .join('\n');
}
