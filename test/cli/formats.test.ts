import { describe, expect, it } from 'vitest';
import { csvCell, csvLine } from '../../cmd/csv.js';
import { anyJson, protoJsonFromBytes } from '../../cmd/protojson.js';
import { encode, packAny, toStruct, toTimestamp } from '../../proto/index.js';

describe('csv', () => {
  it('quotes per RFC 4180 and ends lines with CRLF', () => {
    expect(csvLine(['a', 'b,c', 'say "hi"', 'two\nlines', ''])).toBe('a,"b,c","say ""hi""","two\nlines",\r\n');
  });

  it('defuses cells a spreadsheet would evaluate', () => {
    expect(csvCell('=HYPERLINK("x")')).toBe(`"'=HYPERLINK(""x"")"`);
    expect(csvCell('@sum')).toBe("'@sum");
    expect(csvCell('-1+cmd')).toBe("'-1+cmd");
    expect(csvCell('+1')).toBe("'+1");
    expect(csvCell('ann@example.com')).toBe('ann@example.com');
  });
});

describe('protojson', () => {
  it('renders Any, Struct, Timestamp and enums like protojson', () => {
    const trait = {
      profile: toStruct({ login: 'ann', n: 2, tags: ['x'], nested: { ok: true } }),
      status: { status: 2 },
      lastLogin: toTimestamp('2024-05-06T07:08:09.5Z'),
      login: 'ann',
    };
    const resource = {
      id: { resourceType: 'user', resource: 'u1' },
      displayName: 'Ann',
      annotations: [packAny('c1.connector.v2.UserTrait', trait)],
    };
    const json = protoJsonFromBytes('c1.connector.v2.Resource', encode('c1.connector.v2.Resource', resource)) as Record<string, unknown>;
    expect(json['id']).toEqual({ resourceType: 'user', resource: 'u1' });
    const [annotation] = json['annotations'] as Record<string, unknown>[];
    expect(annotation).toMatchObject({
      '@type': 'type.googleapis.com/c1.connector.v2.UserTrait',
      profile: { login: 'ann', n: 2, tags: ['x'], nested: { ok: true } },
      status: { status: 'STATUS_DISABLED' },
      lastLogin: '2024-05-06T07:08:09.500Z',
      login: 'ann',
    });
  });

  it('wraps a message in an Any with @type', () => {
    expect(anyJson('c1.connector.v2.ConnectorCapabilities', { connectorCapabilities: [2] })).toEqual({
      '@type': 'type.googleapis.com/c1.connector.v2.ConnectorCapabilities',
      connectorCapabilities: ['CAPABILITY_SYNC'],
    });
  });
});
