import { describe, expect, it } from 'vitest';
import { findInBuffer } from '../../src/audit/secrets/find-in-buffer.js';
import { TOKEN_SHAPES } from '../../src/audit/secrets/token-shapes.js';

// Synthetic samples with the documented shapes (none is a live credential).
const SAMPLES: Record<string, string> = {
  'aws-access-key-id': 'key = AKIAIOSFODNN7EXAMPL3',
  'github-token': `token: ghp_${'a1B2c3D4e5'.repeat(3)}a1B2c3`,
  'private-key': '-----BEGIN RSA PRIVATE KEY-----',
  'slack-token': 'xoxb-1234567890-abcdefghij',
  'slack-webhook': 'https://hooks.slack.com/services/T0123ABC/B0456DEF/abcdEFGH1234',
  jwt: 'Authorization: Bearer eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjM0NTY3ODkwIn0.dozjgNryP4J3jVmNHl0w5N_XgL0n3I9PlFUP0THsR8U',
  'generic-secret-assignment': 'API_KEY = "q8Zr3LmN5tV7xB2cD9fG4hJ6"',
};

describe('token shapes', () => {
  it.each(TOKEN_SHAPES.map((s) => s.id))('%s is found (on line 2) and survives the anchor pre-filter', (id) => {
    const sample = SAMPLES[id];
    expect(sample, `add a sample for ${id}`).toBeDefined();
    const found = findInBuffer(Buffer.from(`first line\n${sample}\n`), [], true);
    expect(found).toContainEqual({ what: id, kind: 'shape', line: 2 });
  });

  it('low-entropy assignments and NUL-containing (binary) blobs are not shape hits', () => {
    expect(findInBuffer(Buffer.from('password = "aaaaaaaaaaaaaaaaaaaaaaaa"\n'), [], true)).toEqual([]);
    expect(findInBuffer(Buffer.from('AKIAIOSFODNN7EXAMPL3\0'), [], true)).toEqual([]);
  });

  it('value needles are found by bytes with their line, in binary too', () => {
    const n = { name: 'S', bytes: Buffer.from('s3cr3t-value') };
    expect(findInBuffer(Buffer.from('a\nb\nx s3cr3t-value\0'), [n], false)).toEqual([{ what: 'S', kind: 'value', line: 3 }]);
  });
});
