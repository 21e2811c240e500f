/** The association core's one public face. */
export { Associations, openAssociations } from './associations';
export { AssociationError, isAssociationError, type AssociationErrorCode } from './errors';
export { closeAllStores, closeStore, openStore } from './store/connections';
export { STANDARD_OBJECT_KEYS } from './labels';
export { deriveLabelKey } from './label-rules';
export * from './limits';
export type * from './types';
