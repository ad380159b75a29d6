/** The human summary of an access review, printed on stderr after the CSV. */
import type { AccessReview, AccessRow } from './access-review.js';

function countBy(rows: readonly AccessRow[], key: (row: AccessRow) => string): [string, number][] {
  const counts = new Map<string, number>();
  for (const row of rows) counts.set(key(row) || '(none)', (counts.get(key(row) || '(none)') ?? 0) + 1);
  return [...counts].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]));
}

function countLine(label: string, counts: [string, number][]): string {
  const list = counts.map(([name, n]) => `${name} ${n.toLocaleString('en-US')}`).join(', ');
  return `  ${label.padEnd(15)}${list || '-'}\n`;
}

/** Summary lines: users per site, per role, per tier, disabled users, groups. */
export function formatReviewSummary(review: AccessReview, where: { source: string; csv: string | undefined }): string {
  const { rows, groups } = review;
  const disabled = rows.filter((r) => r.status === 'disabled').length;
  const memberships = groups.reduce((sum, g) => sum + g.members, 0);
  const largest = [...groups]
    .sort((a, b) => b.members - a.members || a.name.localeCompare(b.name))
    .slice(0, 3)
    .map((g): [string, number] => [groups.filter((o) => o.name === g.name).length > 1 ? `${g.name} (${g.site})` : g.name, g.members]);
  const sites = new Set(rows.map((r) => r.siteId)).size;
  return [
    `Access review of ${where.source}: ${rows.length.toLocaleString('en-US')} user rows on ${sites} site${sites === 1 ? '' : 's'}\n`,
    countLine('Users by site', countBy(rows, (r) => r.site)),
    countLine('Site roles', countBy(rows, (r) => r.siteRole)),
    countLine('License tiers', countBy(rows, (r) => r.licenseTier)),
    `  ${'Disabled'.padEnd(15)}${disabled.toLocaleString('en-US')} users\n`,
    `  ${'Groups'.padEnd(15)}${groups.length} groups, ${memberships.toLocaleString('en-US')} memberships\n`,
    countLine('Largest', largest),
    where.csv ? `  CSV written to ${where.csv}\n` : '',
  ].join('');
}
