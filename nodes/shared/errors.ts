import {
	ExpressionError,
	NodeOperationError,
	type IDataObject,
	type INode,
	type INodeExecutionData,
} from 'n8n-workflow';

import {
	DELETE_CONFIRMATION,
	isAssociationError,
	MAX_LABELS_PER_OBJECT_PAIR,
	MAX_LINKS_PER_RECORD,
	messageOf,
	type AssociationErrorCode,
	type ItemError,
} from '../../core';

/** Error codes a node reports: the core's, plus PARAMETER for a node parameter that is empty or could not be read (e.g. a failing expression). */
export type FailureCode = AssociationErrorCode | 'PARAMETER';

export interface Failure {
	code: FailureCode;
	message: string;
	/** How to fix it, shown under the message in n8n. */
	description: string;
	details?: IDataObject;
}

/** What to do about each kind of failure, in n8n terms (the core's message already names the exact cause). */
const FIX: Record<FailureCode, string> = {
	VALIDATION:
		'Fix the value named in the message: object keys are lowercase identifiers such as "contact" or "custom_objects.pets", label keys are snake_case, record IDs are non-empty text, names are one line of text. NUL characters and half emoji (a broken conversion upstream) are refused everywhere.',
	NOT_FOUND:
		"Pick the label from the list (the list shows the labels of this credential's namespace), or create it first with the Create Association node (Create a label).",
	CONFLICT:
		'Choose another internal key, or change the existing label with Create Association → Rename a label / Change limits of a label.',
	LABEL_LIMIT: `Two objects can share at most ${MAX_LABELS_PER_OBJECT_PAIR} labels: delete an unused label of this pair with the Delete Label node, or reuse an existing label.`,
	RECORD_LIMIT: `The message names the records already linked. Unlink one of them (Link Records → Unlink records), or raise the label's per-record limit (Create Association → Change limits of a label; the ceiling is ${MAX_LINKS_PER_RECORD.toLocaleString('en-US')}).`,
	IN_USE:
		"Remove the links that use the label first (the message names up to 10; list them all with Get Related Objects, or Create Association → Get a label for the count): Link Records → Unlink records, or Unlink all links of a record with this label. Then delete it again. The label picker shows each label's link count.",
	CONFIRMATION_REQUIRED: `Type ${DELETE_CONFIRMATION} (in capitals, nothing else) in the Confirmation field.`,
	IMMUTABLE:
		'Only the display names of a label can change. To use a different internal key or other objects, create a new label.',
	STORE:
		"Open the Association Store credential and use its Test button. SQLite: the file's folder must exist or be creatable and writable by n8n. PostgreSQL: check host, port, database, user, password and SSL.",
	PARAMETER: 'Check this parameter of the node and the expression that fills it for this item.',
};

/** The fix for a code, followed by the code itself (users quote it; the docs list every code). */
const describe = (code: FailureCode): string => `${FIX[code]} Error code: ${code}.`;

/** Classifies any error thrown while handling an item. */
export function describeFailure(error: unknown): Failure {
	if (isAssociationError(error)) {
		return {
			code: error.code,
			message: error.message,
			description: describe(error.code),
			...(Object.keys(error.details).length > 0 ? { details: error.details as IDataObject } : {}),
		};
	}
	if (error instanceof NodeOperationError || error instanceof ExpressionError) {
		return {
			code: 'PARAMETER',
			message: error.message,
			description: (error as { description?: string }).description ?? describe('PARAMETER'),
		};
	}
	// Anything else comes from opening the store (a file system or driver error the core did not name).
	return {
		code: 'STORE',
		message: `The association store could not be used: ${messageOf(error)}`,
		description: describe('STORE'),
	};
}

/**
 * A core failure of one batch input, as the failure of the n8n item it came from: the core keeps the index
 * out of its messages (it travels in details), so the item is named here, in n8n's numbering.
 */
export function itemFailure(error: ItemError, itemIndex: number): Failure {
	const code: FailureCode = error.code in FIX ? error.code : 'STORE';
	const details = { ...error.details };
	delete details.index;
	return {
		code,
		message: `Item ${itemIndex}: ${error.message}`,
		description: describe(code),
		...(Object.keys(details).length > 0 ? { details: details as IDataObject } : {}),
	};
}

/** The error that stops the node: the core's message, a fix-it description, and the item that failed. */
export function toNodeError(node: INode, error: unknown, itemIndex?: number): NodeOperationError {
	if (error instanceof NodeOperationError) {
		if (itemIndex !== undefined && error.context.itemIndex === undefined)
			error.context.itemIndex = itemIndex;
		return error;
	}
	return failureToNodeError(node, describeFailure(error), itemIndex);
}

export function failureToNodeError(
	node: INode,
	failure: Failure,
	itemIndex?: number,
): NodeOperationError {
	const nodeError = new NodeOperationError(node, failure.message, {
		itemIndex,
		description: failure.description,
		level: failure.code === 'STORE' ? 'error' : 'warning',
	});
	// n8n replaces messages that mention a system error code (ENOTDIR, ECONNREFUSED…) with a generic
	// sentence; ours already say what happened and where, so keep them.
	nodeError.message = failure.message;
	nodeError.context.code = failure.code;
	return nodeError;
}

/**
 * The output item of a failed input item when "Continue On Fail" is on: `{ error, code }`.
 * With "Continue (using error output)" n8n only routes items whose json has nothing but error, message
 * and details, so there the code (and any extra field) goes into `details`.
 */
export function errorItem(
	node: INode,
	failure: Failure,
	itemIndex: number,
	extra: IDataObject = {},
): INodeExecutionData {
	const json: IDataObject =
		node.onError === 'continueErrorOutput'
			? { error: failure.message, details: { ...extra, code: failure.code } }
			: { ...extra, error: failure.message, code: failure.code };
	return { json, pairedItem: { item: itemIndex } };
}
