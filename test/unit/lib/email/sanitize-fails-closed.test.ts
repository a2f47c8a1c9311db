// @vitest-environment happy-dom
import { expect, it } from 'vitest';
import { sanitizeEmail } from '../../../../lib/email/sanitize';

// Under happy-dom DOMPurify returns markup it could not walk unchanged. The sanitiser must notice and refuse rather
// than hand a script to the frame.
it('refuses to return HTML that still holds active content', () => {
  const html = '<style>.a{}</style><div><img src=x onerror="parent.__pwned=1"><script>parent.__pwned=2</script></div>';
  let result: string | undefined;
  try {
    result = sanitizeEmail(html, window, { remoteImages: false }).html;
  } catch (e) {
    // Either our inertness check or DOMPurify itself refuses; the point is that no HTML comes back.
    expect(e).toBeInstanceOf(Error);
    return;
  }
  // Where DOMPurify does work, the output is inert.
  expect(result).not.toMatch(/onerror|<script/i);
});
