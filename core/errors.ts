export type AssociationErrorCode =
  | 'VALIDATION'
  | 'NOT_FOUND'
  | 'CONFLICT'
  | 'LABEL_LIMIT'
  | 'RECORD_LIMIT'
  | 'IN_USE'
  | 'CONFIRMATION_REQUIRED'
  | 'IMMUTABLE'
  | 'STORE';

/** Every failure the core reports: a stable code, a message that says what to fix, and structured details. */
export class AssociationError extends Error {
  readonly code: AssociationErrorCode;
  readonly details: Record<string, unknown>;

  constructor(code: AssociationErrorCode, message: string, details: Record<string, unknown> = {}) {
    super(message);
    this.name = 'AssociationError';
    this.code = code;
    this.details = details;
  }

  toJSON(): { code: AssociationErrorCode; message: string; details: Record<string, unknown> } {
    return { code: this.code, message: this.message, details: this.details };
  }
}

export const isAssociationError = (error: unknown): error is AssociationError =>
  error instanceof AssociationError;
