import type { ItemError } from './types';

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

/**
 * Every failure the core reports: a stable code, a message that says what to fix, and structured details.
 * A failure of one batch item carries the item's position in `details.index`, never in the message.
 */
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

/** The text of anything thrown. */
export const messageOf = (error: unknown): string =>
	error instanceof Error ? error.message : String(error);

/** An error as one batch item's result. */
export const toItemError = (error: AssociationError): ItemError => ({
	code: error.code,
	message: error.message,
	...(Object.keys(error.details).length > 0 ? { details: error.details } : {}),
});

/** The same error, marked with the index of the batch item that caused it. */
export const withIndex = (error: AssociationError, index: number): AssociationError =>
	new AssociationError(error.code, error.message, { ...error.details, index });
