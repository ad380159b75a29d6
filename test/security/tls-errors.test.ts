/**
 * Certificate failures of every kind Node reports become one non-retryable TLS error naming the
 * endpoint, and the CLI's failure line says what to do (the trust cases point at --ca-file).
 */
import { describe, expect, it } from 'vitest';
import { describeSyncFailure } from '../../cmd/sync-failure.js';
import { errorFromTransport } from '../../pkg/tableau/errors.js';

const ENDPOINT = { method: 'GET', path: '/api/2.4/serverinfo' };
const certificateFailure = (code: string): Error => Object.assign(new Error(`certificate problem ${code}`), { code });

describe('TLS certificate errors', () => {
  it.each([
    ['DEPTH_ZERO_SELF_SIGNED_CERT', /--ca-file/],
    ['SELF_SIGNED_CERT_IN_CHAIN', /not trusted; give its CA certificate with --ca-file/],
    ['UNABLE_TO_VERIFY_LEAF_SIGNATURE', /not trusted; give its CA certificate with --ca-file/],
    ['UNABLE_TO_GET_ISSUER_CERT_LOCALLY', /not trusted; give its CA certificate with --ca-file/],
    ['CERT_HAS_EXPIRED', /expired, not yet valid or issued for another host/],
    ['CERT_NOT_YET_VALID', /expired, not yet valid or issued for another host/],
    ['ERR_TLS_CERT_ALTNAME_INVALID', /check --server-path/],
  ])('%s fails at once with a clear hint', (code, hint) => {
    const err = errorFromTransport(ENDPOINT, certificateFailure(code));
    expect(err).toMatchObject({ code: 'TLS', retryable: false });
    expect(err.message).toBe(`Tableau GET /api/2.4/serverinfo failed: TLS certificate not accepted (${code})`);
    expect(describeSyncFailure(err, 'pat')).toMatch(hint);
  });

  it('ordinary connection failures stay retryable network errors', () => {
    for (const code of ['ECONNRESET', 'ECONNREFUSED', 'UND_ERR_SOCKET', 'EPIPE']) {
      expect(errorFromTransport(ENDPOINT, certificateFailure(code))).toMatchObject({ code: 'NETWORK', retryable: true });
    }
  });
});
