import { associationStoreConnectionTest } from './credentialTest';
import {
	searchKnownObjectKeys,
	searchLabels,
	searchLabelsWithLinkCount,
	searchObjectKeys,
} from './listSearch';

/** The `methods` every association node offers: the pickers' searches and the credential test. */
export const methods = {
	listSearch: { searchLabels, searchLabelsWithLinkCount, searchObjectKeys, searchKnownObjectKeys },
	credentialTest: { associationStoreConnectionTest },
};

export {
	associationStoreConnectionTest,
	searchKnownObjectKeys,
	searchLabels,
	searchLabelsWithLinkCount,
	searchObjectKeys,
};
