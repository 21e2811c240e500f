import type { IDataObject } from 'n8n-workflow';

/** What resolveSimple answers when a value needs n8n's expression engine. */
export const NOT_SIMPLE = Symbol('not simple');

/** `={{ $json.a }}`, `={{ $json.a.b }}`, `={{ $json["a b"] }}`: the whole parameter is one read of the item. */
const JSON_PATH =
	/^=\{\{\s*\$json((?:\s*\.\s*[A-Za-z_$][\w$]*|\s*\[\s*(?:"[^"\\]*"|'[^'\\]*')\s*\])+)\s*\}\}$/;
const SEGMENT = /\.\s*([A-Za-z_$][\w$]*)|\[\s*(?:"([^"\\]*)"|'([^'\\]*)')\s*\]/g;
/** Names n8n's expression sandbox refuses or rewrites: left to n8n. */
const UNSAFE = new Set(['__proto__', 'prototype', 'constructor', 'getPrototypeOf', 'mainModule']);

const paths = new Map<string, string[] | null>();

function pathOf(expression: string): string[] | null {
	let path = paths.get(expression);
	if (path === undefined) {
		const match = JSON_PATH.exec(expression);
		path = match
			? [...match[1].matchAll(SEGMENT)].map((segment) => segment[1] ?? segment[2] ?? segment[3])
			: null;
		if (path?.some((name) => UNSAFE.has(name))) path = null;
		if (paths.size < 1000) paths.set(expression, path);
	}
	return path;
}

function read(json: unknown, path: string[]): unknown {
	let value = json;
	for (const name of path) {
		if (value === null || typeof value !== 'object' || !Object.hasOwn(value, name))
			return NOT_SIMPLE;
		value = (value as IDataObject)[name];
	}
	return typeof value === 'string' || typeof value === 'number' ? value : NOT_SIMPLE;
}

/**
 * A raw parameter value resolved for one item without n8n's expression engine, when every expression in it
 * is a plain read of the item's own field (`{{ $json.contactId }}`) that holds text or a number: n8n returns
 * exactly that value for such an expression ($json is the node's input item), at ~0.25 ms per expression and
 * item. Anything else (another expression, a missing field, an object) answers NOT_SIMPLE, and the caller asks
 * n8n, so results and errors stay n8n's own.
 */
export function resolveSimple(raw: unknown, json: unknown): unknown {
	if (typeof raw === 'string') {
		if (!raw.startsWith('=')) return raw;
		const path = pathOf(raw);
		return path ? read(json, path) : NOT_SIMPLE;
	}
	if (raw === null || typeof raw !== 'object') return raw;
	if (Array.isArray(raw)) {
		const out: unknown[] = [];
		for (const entry of raw) {
			const value = resolveSimple(entry, json);
			if (value === NOT_SIMPLE) return NOT_SIMPLE;
			out.push(value);
		}
		return out;
	}
	const out: IDataObject = {};
	for (const [key, entry] of Object.entries(raw)) {
		const value = resolveSimple(entry, json);
		if (value === NOT_SIMPLE) return NOT_SIMPLE;
		out[key] = value as IDataObject[string];
	}
	return out;
}
