/** Safe rendering of untrusted text, links, labels and images. */
export { renderMarkdown } from './markdown.js';
export { safeUrl, linkText, isAllowedHost, link, anchor, parseUrl } from './links.js';
export { clean, truncate, safeLabel, MAX_VISIBLE, MAX_LIST_ITEMS, MAX_QUICK_REPLIES, MAX_LABEL } from './text.js';
export { sniffImageType, isSafeImageUrl, MAX_FILE_BYTES, type ImageType } from './sniff.js';
