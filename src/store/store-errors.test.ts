import { describe, expect, it } from 'vitest';
import { redactUrl } from './store-errors.js';

describe('redactUrl', () => {
  it('hides the password and keeps everything else', () => {
    expect(redactUrl('postgres://deploy:s3cret@db.internal:5432/ops?schema=sg')).toBe('postgres://deploy:***@db.internal:5432/ops?schema=sg');
    expect(redactUrl('postgres://deploy@db:5432/ops')).toBe('postgres://deploy@db:5432/ops');
  });
  it('hides a password even when the URL does not parse', () => {
    expect(redactUrl('postgres://u:p@ss w/rd@host/db')).toBe('postgres://u:***@host/db');
  });
});
