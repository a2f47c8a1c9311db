import type { ComponentChildren, JSX } from 'preact';

/** What a view shows when it has nothing yet: a title, one or two sentences, and the actions that fix it. */
export function EmptyState({
  title,
  children,
  actions,
  headingLevel = 2,
}: {
  title: string;
  children?: ComponentChildren;
  actions?: ComponentChildren;
  headingLevel?: 2 | 3;
}): JSX.Element {
  const Heading = headingLevel === 2 ? 'h2' : 'h3';
  return (
    <section class="empty-state">
      <Heading class="empty-state__title">{title}</Heading>
      {children !== undefined && <div class="empty-state__body">{children}</div>}
      {actions !== undefined && <div class="empty-state__actions">{actions}</div>}
    </section>
  );
}
