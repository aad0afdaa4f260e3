import { parseUrl } from './links.js';

/** The raster image types the widget shows. SVG is never one of them: it can carry script. */
export type ImageType = 'image/png' | 'image/jpeg' | 'image/gif' | 'image/webp';

/** Largest file the widget accepts for upload, in bytes. Default 10 MiB. */
export const MAX_FILE_BYTES = 10 << 20;

/**
 * The image type of a file's first bytes, by magic number only (never the name or a declared
 * type): PNG, JPEG, GIF87a/89a, WebP. Anything else, SVG included, is `null`.
 * Pass at least the first 12 bytes.
 */
export const sniffImageType = (bytes: Uint8Array): ImageType | null => {
  const m = /^(?:\x89(PNG)\r\n\x1a\n|\xff\xd8\xff|(GIF)8[79]a|RIFF[^]{4}(WEBP))/.exec(String.fromCharCode(...bytes.subarray(0, 12)));
  return m && (`image/${(m[1] || m[2] || m[3] || 'jpeg').toLowerCase()}` as ImageType);
};

/**
 * Whether an `<img>` may load `url`: a `blob:` URL (a file the user picked, already sniffed), or
 * an absolute `http(s):` URL on the same origin as one of `uploadOrigins` and under its path
 * (entries like `https://files.example.com` or `https://cdn.example.com/uploads`, compared
 * after URL normalisation and segment by segment, so `..`, `/uploads-evil/` and look-alike hosts
 * do not pass). Relative URLs are refused: resolve them against the endpoint first.
 */
export const isSafeImageUrl = (url: string, uploadOrigins: readonly string[] = []): boolean => {
  const u = parseUrl(url);
  // The href starts with the entry's origin and path only when scheme, host, port and every
  // path segment match (an opaque entry's origin, "null", starts no parsed href).
  return !!u && (u.protocol == 'blob:' || uploadOrigins.map(parseUrl).some((b) => b && u.href.startsWith(b.origin + b.pathname.replace(/\/?$/, '/'))));
};
