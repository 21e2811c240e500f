/** HighLevel's rules: 10 labels per object pair; a record links to at most 1,000 records through one label. */
export const MAX_LABELS_PER_OBJECT_PAIR = 10;
export const MAX_LINKS_PER_RECORD = 1000;
export const DEFAULT_LINKS_PER_RECORD = MAX_LINKS_PER_RECORD;

export const MAX_RECORD_ID_LENGTH = 255;
export const MAX_OBJECT_KEY_LENGTH = 100;
export const MAX_LABEL_KEY_LENGTH = 100;
export const MAX_DISPLAY_NAME_LENGTH = 100;
export const MAX_NAMESPACE_LENGTH = 100;

export const DEFAULT_PAGE_SIZE = 100;
export const MAX_PAGE_SIZE = 1000;

export const DELETE_CONFIRMATION = 'DELETE';
