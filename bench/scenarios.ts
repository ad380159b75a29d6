/** The benchmark scenarios of issue 7: data sizes, simulated latency and how many runs to take. */

export interface Scenario {
  name: string;
  users: number;
  groups: number;
  memberships: number;
  latencyMs: number;
  /** Runs whose median is reported (1 with --quick). */
  runs: number;
}

export const SCENARIOS: readonly Scenario[] = [
  { name: 'S5k', users: 5_000, groups: 125, memberships: 25_000, latencyMs: 0, runs: 5 },
  { name: 'M20k', users: 20_000, groups: 500, memberships: 100_000, latencyMs: 25, runs: 5 },
  { name: 'L200k', users: 200_000, groups: 5_000, memberships: 2_000_000, latencyMs: 0, runs: 3 },
];

/** A tiny scenario for the harness's own test (not part of the default set). */
export const TINY: Scenario = { name: 'T200', users: 200, groups: 5, memberships: 600, latencyMs: 0, runs: 1 };
