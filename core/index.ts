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
export { LABEL_ID_PATTERN, OBJECT_KEY_PATTERN } from './schemas';
export type * from './types';
