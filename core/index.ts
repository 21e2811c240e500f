/** The association core's one public face. */
export { Associations, openAssociations } from './associations';
export {
	AssociationError,
	isAssociationError,
	messageOf,
	type AssociationErrorCode,
} from './errors';
export { closeAllStores, closeStore, openStore } from './store/connections';
export { deriveLabelKey, STANDARD_OBJECT_KEYS } from './label-rules';
export { previewLabel, type LabelPreview } from './label-preview';
export { labelName, otherSide, roleOf } from './label-names';
export * from './limits';
export {
	DEFAULT_EVENT_BATCH,
	EVENT_TYPES,
	MAX_EVENT_BATCH,
	type EventsSinceInput,
	type HistoryQueryInput,
	type PruneInput,
} from './event-schemas';
export { LABEL_ID_PATTERN, OBJECT_KEY_PATTERN } from './schemas';
export type * from './types';
export type { ReachedRecord, TraversalHop, TraversalPage, TraverseInput } from './traverse';
export {
	MAX_LINKS_PER_HOP,
	MAX_TRAVERSAL_DEPTH,
	MAX_TRAVERSAL_START_RECORDS,
} from './traverse-input';
export type { MergeRecordsInput, MergeResult, RefusedMove } from './merge';
export { DEFINITIONS_FORMAT } from './definitions';
export type {
	DefinitionChange,
	ExportedLabel,
	ImportedLabel,
	LabelDefinitions,
} from './definitions';
