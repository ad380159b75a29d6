/**
 * `--retry-budget` / `BATON_RETRY_BUDGET`: a typed config field (5 minutes by default) that the
 * `config` schema shows, and a bad value is a usage error naming it.
 */
import { describe, expect, it, beforeAll } from 'vitest';
import { resolveConfig, type RawValues } from '../../pkg/config/config.js';
import { buildDist, runCli } from './run-cli.js';

const BASE = { 'server-path': 'tableau.example.com', 'access-token-name': 'tok', 'access-token-secret': 's3cr3t-value' };

function budgetOf(raw: RawValues): number | string[] {
  const result = resolveConfig({ ...BASE, ...raw }, { needsTableau: true });
  return result.ok ? (result.config.tableau?.retryBudgetMs ?? -1) : result.problems;
}

beforeAll(() => buildDist(), 200_000);

describe('--retry-budget', () => {
  it('defaults to 5 minutes and takes Go-style durations', () => {
    expect(budgetOf({})).toBe(300_000);
    expect(budgetOf({ 'retry-budget': '45s' })).toBe(45_000);
    expect(budgetOf({ 'retry-budget': '1h30m' })).toBe(5_400_000);
    expect(budgetOf({ 'retry-budget': '0' })).toBe(0);
  });

  it('refuses what is not a duration, naming the flag and its variable', () => {
    expect(budgetOf({ 'retry-budget': 'forever' })).toEqual([
      '--retry-budget (BATON_RETRY_BUDGET) "forever" is not a duration like 45s, 5m or 1h (at most 24h)',
    ]);
    expect(budgetOf({ 'retry-budget': '25h' })).toHaveLength(1);
  });

  it('is in the config schema with its default, and BATON_RETRY_BUDGET is read', async () => {
    const schema = JSON.parse((await runCli(['config'])).stdout) as { fields: Record<string, unknown>[] };
    expect(schema.fields.find((f) => f['name'] === 'retry-budget')).toMatchObject({ stringField: { defaultValue: '5m' } });
    const run = await runCli(['--server-path', 'https://tableau.example.com', '--access-token-name', 't', '--access-token-secret', 's'], {
      env: { BATON_RETRY_BUDGET: 'soon' },
    });
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('--retry-budget (BATON_RETRY_BUDGET) "soon" is not a duration');
  }, 60_000);
});
