import { parseScaleArgs, targetsFor } from './scale-options';

describe('parseScaleArgs', () => {
  it('leaves the regular run alone when --scale is absent', () => {
    expect(parseScaleArgs([])).toBeNull();
  });

  it('reads sizes as people write them and names the report after them', () => {
    expect(parseScaleArgs(['--scale', 'bundled'])).toMatchObject({ recipes: 0, label: 'bundled' });
    expect(parseScaleArgs(['--scale', '100000'])).toMatchObject({ recipes: 100_000, label: '100000' });
    expect(parseScaleArgs(['--scale=100k'])).toMatchObject({ recipes: 100_000, label: '100000' });
    expect(parseScaleArgs(['--scale', '1e6'])?.recipes).toBe(1_000_000);
    expect(parseScaleArgs(['--scale', '1m', '--phase-timeout', '60'])).toMatchObject({ recipes: 1_000_000, phaseTimeoutSeconds: 60 });
    expect(parseScaleArgs(['--scale', '100k'])).toMatchObject({ databasePath: null });
    expect(parseScaleArgs(['--scale', '100k', '--database', '/tmp/x.sqlite'])).toMatchObject({ databasePath: '/tmp/x.sqlite' });
    expect(parseScaleArgs(['--scale', '100k'])).toMatchObject({ profileDir: null });
    expect(parseScaleArgs(['--scale', '100k', '--profile-dir', 'profiles'])).toMatchObject({ profileDir: 'profiles' });
    expect(parseScaleArgs(['--scale', '37_000'])?.recipes).toBe(37_000);
  });

  it('refuses what it cannot read, with the list of options', () => {
    expect(() => parseScaleArgs(['--scale', 'lots'])).toThrow(/--scale must be .*\n[\s\S]*--phase-timeout/);
    expect(() => parseScaleArgs(['--scale', '1000', '--batch', '5000'])).toThrow(/--batch must be a whole number from 1 to 1000/);
    expect(() => parseScaleArgs(['--scale', '1000', '--verbose', 'yes'])).toThrow(/unknown option --verbose/);
    expect(() => parseScaleArgs(['--phase-timeout', '60'])).toThrow(/only go with --scale/);
    expect(() => parseScaleArgs(['--scale'])).toThrow(/--scale needs a value/);
  });

  it('leaves --only to the ordinary run, but not beside --scale', () => {
    expect(parseScaleArgs(['--only', 'load'])).toBeNull();
    expect(() => parseScaleArgs(['--only', 'load', '--batch', '10'])).toThrow(/--batch only go with --scale/);
    expect(() => parseScaleArgs(['--scale', '1000', '--only', 'load'])).toThrow(/unknown option --only/);
  });
});

describe('targetsFor', () => {
  it('holds catalogs up to 100,000 to the 100k targets and larger ones to the 1M targets', () => {
    expect(targetsFor(0)).toMatchObject({ tier: '100k', searchP50Ms: 3, peakRssMiB: 1024 });
    expect(targetsFor(100_000).tier).toBe('100k');
    expect(targetsFor(1_000_000)).toMatchObject({ tier: '1M', searchP50Ms: 5, searchConcurrentRps: 500, peakRssMiB: 3072 });
  });
});
