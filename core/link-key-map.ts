import type { LinkKey } from './store/repository';

/**
 * A map keyed by a link's stored key, nested by label, first and second record: a batch looks up every
 * link several times, and building (and hashing) a joined string per lookup was a large part of its cost.
 */
export class LinkKeyMap<T> {
	private readonly byLabel = new Map<string, Map<string, Map<string, T>>>();

	get(key: LinkKey): T | undefined {
		return this.byLabel.get(key.labelId)?.get(key.firstRecordId)?.get(key.secondRecordId);
	}

	set(key: LinkKey, value: T): void {
		let byFirst = this.byLabel.get(key.labelId);
		if (!byFirst) this.byLabel.set(key.labelId, (byFirst = new Map()));
		let bySecond = byFirst.get(key.firstRecordId);
		if (!bySecond) byFirst.set(key.firstRecordId, (bySecond = new Map()));
		bySecond.set(key.secondRecordId, value);
	}

	static of<T extends LinkKey>(links: T[]): LinkKeyMap<T> {
		const map = new LinkKeyMap<T>();
		for (const link of links) map.set(link, link);
		return map;
	}
}
