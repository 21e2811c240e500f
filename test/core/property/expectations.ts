/** What every refusal and every per-item result must look like, whatever the operation. */
import { AssociationError } from '../../../core';

const KNOWN_CODES = new Set([
	'VALIDATION',
	'NOT_FOUND',
	'CONFLICT',
	'LABEL_LIMIT',
	'RECORD_LIMIT',
	'IN_USE',
	'CONFIRMATION_REQUIRED',
	'IMMUTABLE',
]);
const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;

export function expectKnownError(error: unknown): asserts error is AssociationError {
	if (!(error instanceof AssociationError)) throw error;
	if (!KNOWN_CODES.has(error.code)) throw error;
	expect(typeof error.message).toBe('string');
	expect(error.message.length).toBeGreaterThan(0);
	// Messages are shown in n8n and logged: the offending text appears escaped, never raw.
	expect(LONE_SURROGATE.test(error.message)).toBe(false);
	expect(error.message.includes('\u0000')).toBe(false);
}

export function expectItemError(error: { code: string; message: string } | undefined): void {
	expect(error).toBeDefined();
	expect(KNOWN_CODES.has(error!.code)).toBe(true);
	expect(error!.message.length).toBeGreaterThan(0);
	expect(LONE_SURROGATE.test(error!.message)).toBe(false);
	expect(error!.message.includes('\u0000')).toBe(false);
}

/** Every index 0…n-1 once, in order, nothing undefined. */
export function expectResultPerItem(results: Array<{ index: number }>, inputs: unknown): void {
	expect(Array.isArray(results)).toBe(true);
	expect(results).toHaveLength((inputs as unknown[]).length);
	results.forEach((result, index) => {
		expect(result).toBeDefined();
		expect(result.index).toBe(index);
	});
}
