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

/** An error as one batch item's result. */
export const toItemError = (
	error: AssociationError,
): { code: string; message: string; details?: Record<string, unknown> } => ({
	code: error.code,
	message: error.message,
	...(Object.keys(error.details).length > 0 ? { details: error.details } : {}),
});

/** The same error, marked with the index of the batch item that caused it. */
export const withIndex = (error: AssociationError, index: number): AssociationError =>
	new AssociationError(error.code, error.message, { ...error.details, index });
