import { z } from 'zod';

/**
 * The non-secret settings of a feed source, as stored in `SourceRow.config` (the token is a secret, see
 * secrets.ts). One schema for the form, the registry and the adapter; kept apart from feed.ts so the popup and
 * the form do not pull in the parsers.
 */
export const FEED_FORMATS = ['auto', 'ndjson', 'csv'] as const;
export type FeedFormat = (typeof FEED_FORMATS)[number];

export const DEFAULT_PAGE_SIZE = 50_000;
export const MAX_PAGE_SIZE = 200_000;

export const feedConfigSchema = z.object({
  url: z
    .url({ protocol: /^https?$/, error: 'expected an http(s) URL' })
    .max(4000)
    // fetch refuses URLs with credentials; the token goes in the secret instead.
    .refine((u) => !/^[a-z]+:\/\/[^/?#]*@/i.test(u), 'no user or password in the URL: save a token instead'),
  /** `auto` (default): by the answer's Content-Type, else by the body's first character. */
  format: z.enum(FEED_FORMATS).default('auto'),
  /** Records per page: the `limit` query parameter (default 50 000). */
  pageSize: z.int().min(1).max(MAX_PAGE_SIZE).optional(),
});
export type FeedConfig = z.infer<typeof feedConfigSchema>;
