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
			type: 'options',
			// Credentials saved before this was a choice hold true (= Require) or false (= Disable).
			default: 'disable',
			options: [
				{
					name: 'Disable',
					value: 'disable',
					description: 'No TLS: only for a server on the same host or a private network',
				},
				{
					name: 'Allow',
					value: 'allow',
					description:
						'Plain connection first; TLS (certificate not verified) only if the server refuses plain connections',
				},
				{
					name: 'Require',
					value: 'require',
					description:
						'Always TLS, but the server certificate is not verified (protects against eavesdropping, not against impersonation)',
				},
				{
					name: 'Verify (CA)',
					value: 'verify-ca',
					description:
						'Always TLS; the server certificate must be signed by the CA certificate below (or a public CA if empty). The host name is not checked.',
				},
				{
					name: 'Verify Full',
					value: 'verify-full',
					description:
						'Always TLS; the certificate must be signed by the CA below (or a public CA if empty) and name the host. Use this for a managed database on the internet.',
				},
			],
			description:
				'Whether and how to use TLS (SSL), as the sslmode of PostgreSQL clients. Older credentials with SSL switched on behave as Require.',
			displayOptions: { show: { storeType: ['postgres'] } },
		},
		{
			displayName: 'CA Certificate',
			name: 'sslCa',
			type: 'string',
			typeOptions: { rows: 4 },
			default: '',
			placeholder: '-----BEGIN CERTIFICATE-----',
			description:
				"PEM certificate of the CA that signed the server's certificate (e.g. your cloud provider's root certificate). Empty: the public CAs Node.js trusts.",
			displayOptions: { show: { storeType: ['postgres'], ssl: ['verify-ca', 'verify-full'] } },
		},
		{
			displayName: 'Client Certificate',
			name: 'sslCert',
			type: 'string',
			typeOptions: { password: true },
			default: '',
			placeholder: '-----BEGIN CERTIFICATE-----',
			description:
				'Optional PEM client certificate, for servers that authenticate clients by certificate; needs the client key. Line breaks lost when pasting are repaired.',
			displayOptions: {
				show: { storeType: ['postgres'], ssl: ['allow', 'require', 'verify-ca', 'verify-full'] },
			},
		},
		{
			displayName: 'Client Key',
			name: 'sslPrivateKey',
			type: 'string',
			typeOptions: { password: true },
			default: '',
			placeholder: '-----BEGIN PRIVATE KEY-----',
			description:
				'PEM private key of the client certificate (unencrypted); line breaks lost when pasting are repaired',
			displayOptions: {
				show: { storeType: ['postgres'], ssl: ['allow', 'require', 'verify-ca', 'verify-full'] },
			},
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
			displayName: 'Event History',
			name: 'eventRetention',
			type: 'options',
			default: 'keepAll',
			options: [
				{
					name: 'Keep All Events',
					value: 'keepAll',
					description: 'The history of every label and link change is kept forever',
				},
				{
					name: 'Delete Events Older Than…',
					value: 'days',
					description:
						'Older events are deleted in small batches while the nodes run (at most every 10 minutes per n8n process)',
				},
			],
			description:
				'How long the history of changes (read by the Association Trigger and the History operation) is kept',
		},
		{
			displayName: 'Days to Keep Events',
			name: 'eventRetentionDays',
			type: 'number',
			default: 90,
			typeOptions: { minValue: 1 },
			description:
				'Events older than this many days are deleted. An Association Trigger that was off for longer misses the deleted events (n8n logs how many).',
			displayOptions: { show: { eventRetention: ['days'] } },
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
