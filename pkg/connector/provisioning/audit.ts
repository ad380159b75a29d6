/**
 * The audit trail: exactly one structured log line per provisioning request,
 * `{"audit":{"operation","site","target","principal","before","after","result",...}}`, written when the
 * request ends (changed, unchanged, planned, refused or failed). Values are ids, role names and counts:
 * never credentials.
 */
import type { Logger } from 'pino';
import { classifyError } from '../errors.js';

/** The fields of one audit line. */
export interface AuditRecord {
  operation: 'grant' | 'revoke' | 'create-account' | 'delete-resource';
  /** Site LUID ("" until known). */
  site: string;
  /** Entitlement id, or the resource id for account operations. */
  target: string;
  /** `user:<luid>` or the login being created. */
  principal: string;
  before?: string;
  after?: string;
  /** e.g. `granted`, `already-exists`, `revoked`, `already-revoked`, `created`, `deleted`, `planned`, `failed`. */
  result: string;
  dryRun: boolean;
  detail?: string;
  /** A deliberate override of a refusal (e.g. `--scim-override`), with what it overrode. */
  override?: string;
}

/** Collects what an operation learns and writes its single audit line. */
export class AuditEntry {
  private written = false;
  site = '';
  before: string | undefined;
  override: string | undefined;

  constructor(
    private readonly log: Logger,
    readonly operation: AuditRecord['operation'],
    public target: string,
    public principal: string,
    readonly dryRun: boolean,
  ) {}

  /** Writes the line for a finished operation (only the first call writes). */
  finish(result: string, after?: string, detail?: string): void {
    if (this.written) return;
    this.written = true;
    const record: AuditRecord = {
      operation: this.operation,
      site: this.site,
      target: this.target,
      principal: this.principal,
      result: this.dryRun && result !== 'failed' ? `planned:${result}` : result,
      dryRun: this.dryRun,
    };
    if (this.before !== undefined) record.before = this.before;
    if (after !== undefined) record.after = after;
    if (detail !== undefined) record.detail = detail;
    if (this.override !== undefined) record.override = this.override;
    this.log.info({ audit: record }, `audit ${record.operation} ${record.result}`);
  }

  /** Writes the line for a failed operation: the status and the caller-safe message only. */
  fail(err: unknown): void {
    const { status, message } = classifyError(err);
    this.finish('failed', undefined, `${status}: ${message}`);
  }
}
