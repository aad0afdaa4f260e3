/**
 * Safe rendering of untrusted text: messages (a small markdown subset), links, labels such as
 * file and author names, and images. Nothing here parses HTML; see README "Security".
 */
export { renderMarkdown } from './markdown.js';
export { safeUrl, link } from './links.js';
export { clean, truncate, safeLabel, MAX_VISIBLE, MAX_LIST_ITEMS, MAX_QUICK_REPLIES, MAX_LABEL } from './text.js';
export { sniffImageType, isSafeImageUrl, MAX_FILE_BYTES, type ImageType } from './sniff.js';
