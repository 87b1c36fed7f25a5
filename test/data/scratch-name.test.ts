import { describe, expect, it } from 'vitest';
import { scratchName } from '../../src/data/scratch-name.js';

describe('scratchName', () => {
  it('names the source at the end, fits 63 characters, and keeps only [a-z0-9_]', () => {
    expect(scratchName('20261121T040808Z', 'shop')).toMatch(/^sg_scratch_20261121t040808z_[0-9a-f]{6}_shop$/);
    const long = scratchName('20261121T040808Z', 'Chef-Cloud.Production.Database.With.A.Very.Long.Name');
    expect(long.length).toBeLessThanOrEqual(63);
    expect(long).toMatch(/^sg_scratch_20261121t040808z_[0-9a-f]{6}_chef_cloud_production_[a-z0-9_]*$/);
    expect(scratchName('20261121T040808Z', '')).toMatch(/^sg_scratch_20261121t040808z_[0-9a-f]{6}$/);
  });
});
