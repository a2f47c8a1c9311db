// @vitest-environment happy-dom
import { render } from 'preact';
import { act } from 'preact/test-utils';
import { afterEach, beforeEach, expect, it, vi } from 'vitest';
import { fakeBrowser } from 'wxt/testing/fake-browser';
import { lazyView } from '../../../components/lazy-view';
import { installI18n } from '../helpers/fake-i18n';

let root: HTMLElement;
beforeEach(() => {
  fakeBrowser.reset();
  installI18n('en');
  root = document.createElement('div');
  document.body.append(root);
});
afterEach(() => {
  render(null, root);
  root.remove();
});

const Hello = ({ name }: { name: string }) => <p class="hello">Hello {name}</p>;

it('shows a spinner until the view’s code has loaded, then the view, and later mounts at once', async () => {
  let resolve!: (v: typeof Hello) => void;
  const load = vi.fn(() => new Promise<typeof Hello>((r) => (resolve = r)));
  const View = lazyView(load);
  await act(() => render(<View name="Ada" />, root));
  expect(root.querySelector('[role="status"]')).not.toBeNull();
  expect(root.querySelector('.hello')).toBeNull();
  await act(async () => resolve(Hello));
  await act(async () => undefined);
  expect(root.querySelector('.hello')!.textContent).toBe('Hello Ada');
  expect(root.querySelector('[role="status"]')).toBeNull();
  // Another visit: drawn in the first render, no second load.
  render(null, root);
  await act(() => render(<View name="Grace" />, root));
  expect(root.querySelector('.hello')!.textContent).toBe('Hello Grace');
  expect(load).toHaveBeenCalledTimes(1);
});

it('says so when the code cannot be loaded, and tries again on the next visit', async () => {
  const error = vi.spyOn(console, 'error').mockImplementation(() => undefined);
  const load = vi.fn().mockRejectedValueOnce(new Error('chunk missing')).mockResolvedValueOnce(Hello);
  const View = lazyView<{ name: string }>(load);
  await act(() => render(<View name="Ada" />, root));
  await act(async () => undefined);
  expect(root.querySelector('[role="alert"]')!.textContent).toMatch(/could not be loaded/);
  expect(error).toHaveBeenCalled();
  render(null, root);
  await act(() => render(<View name="Ada" />, root));
  await act(async () => undefined);
  expect(root.querySelector('.hello')!.textContent).toBe('Hello Ada');
  expect(load).toHaveBeenCalledTimes(2);
  error.mockRestore();
});

it('loads ahead when asked to, once, and then shows the view without a spinner', async () => {
  const load = vi.fn(() => Promise.resolve(Hello));
  const View = lazyView(load);
  View.preload();
  View.preload();
  await act(async () => undefined);
  expect(load).toHaveBeenCalledTimes(1);
  await act(() => render(<View name="Ada" />, root));
  expect(root.querySelector('.hello')!.textContent).toBe('Hello Ada');
  expect(root.querySelector('[role="status"]')).toBeNull();
  expect(load).toHaveBeenCalledTimes(1);
});

it('forgets a failed load ahead: the view loads again when shown', async () => {
  const load = vi.fn().mockRejectedValueOnce(new Error('chunk missing')).mockResolvedValueOnce(Hello);
  const View = lazyView<{ name: string }>(load);
  View.preload();
  await act(async () => undefined);
  await act(() => render(<View name="Ada" />, root));
  await act(async () => undefined);
  expect(root.querySelector('.hello')!.textContent).toBe('Hello Ada');
  expect(load).toHaveBeenCalledTimes(2);
});
