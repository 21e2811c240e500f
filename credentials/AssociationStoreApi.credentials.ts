import type { ICredentialType, INodeProperties } from 'n8n-workflow';

/**
 * Where association labels and links are stored, and which namespace (tenant) a workflow works in.
 * The nodes test it with their `associationStoreConnectionTest` method: it opens the store, which creates
 * or upgrades the association tables.
 */
export class AssociationStoreApi implements ICredentialType {
	name = 'associationStoreApi';

	displayName = 'Association Store API';

	icon = { light: 'file:associationStore.svg', dark: 'file:associationStore.dark.svg' } as const;

	documentationUrl = 'https://www.npmjs.com/package/n8n-nodes-object-associations';

	properties: INodeProperties[] = [
		{
			displayName: 'Database',
			name: 'storeType',
			type: 'options',
			default: 'sqlite',
			options: [
				{
					name: 'SQLite',
					value: 'sqlite',
					description: 'A file on the n8n host; fine for a single n8n process',
				},
				{
					name: 'PostgreSQL',
					value: 'postgres',
					description: 'Needed when n8n runs in queue mode with several workers',
				},
			],
		},
		{
			displayName: 'SQLite File',
			name: 'sqlitePath',
			type: 'string',
			default: '',
			placeholder: '~/.n8n/associations.sqlite',
			description:
				'Path of the SQLite file, created if missing. Leave empty for associations.sqlite in the n8n user folder (~/.n8n, or $N8N_USER_FOLDER/.n8n); a relative path is taken inside that folder.',
			displayOptions: { show: { storeType: ['sqlite'] } },
		},
		{
			displayName: 'Host',
			name: 'host',
			type: 'string',
			default: 'localhost',
			displayOptions: { show: { storeType: ['postgres'] } },
		},
		{
			displayName: 'Port',
			name: 'port',
			type: 'number',
			default: 5432,
			displayOptions: { show: { storeType: ['postgres'] } },
		},
		{
			displayName: 'Database Name',
			name: 'database',
			type: 'string',
			default: 'n8n',
			displayOptions: { show: { storeType: ['postgres'] } },
		},
		{
			displayName: 'User',
			name: 'user',
			type: 'string',
			default: 'postgres',
			displayOptions: { show: { storeType: ['postgres'] } },
		},
		{
			displayName: 'Password',
			name: 'password',
			type: 'string',
			typeOptions: { password: true },
			default: '',
			displayOptions: { show: { storeType: ['postgres'] } },
		},
		{
			displayName: 'SSL',
			name: 'ssl',
			type: 'boolean',
			default: false,
			description: 'Whether to connect with SSL (the server certificate is not verified)',
			displayOptions: { show: { storeType: ['postgres'] } },
		},
		{
			displayName: 'Schema',
			name: 'schema',
			type: 'string',
			default: 'public',
			description: 'Schema for the association tables; created if missing',
			displayOptions: { show: { storeType: ['postgres'] } },
		},
		{
			displayName: 'Namespace',
			name: 'namespace',
			type: 'string',
			default: 'default',
			description:
				'Tenant: labels and links of one namespace are invisible to the others, e.g. one namespace per HighLevel location',
		},
	];
}
