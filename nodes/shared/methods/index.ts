import { associationStoreConnectionTest } from './credentialTest';
import { searchLabels, searchObjectKeys } from './listSearch';

/** The `methods` every association node offers: the pickers' searches and the credential test. */
export const methods = {
	listSearch: { searchLabels, searchObjectKeys },
	credentialTest: { associationStoreConnectionTest },
};

export { associationStoreConnectionTest, searchLabels, searchObjectKeys };
