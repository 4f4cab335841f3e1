/** Waiting for a component's state as its parts expose it (`data-slot`, `data-state`). */
import { expect, waitFor } from 'storybook/test';

/** The root part of a component (`payment-form`, `save-card-form`, …) in the story. */
export function part(root: HTMLElement, slot: string): HTMLElement | null {
  return root.querySelector<HTMLElement>(`[data-slot="${slot}"]`);
}

/**
 * Waits until `slot`'s text is `text` (`notice` of the lists' status regions). Its spaces are made
 * plain, as `toHaveTextContent` makes the region's (German prices have a no-break space).
 */
export async function expectText(root: HTMLElement, slot: string, text: () => string) {
  await waitFor(() => expect(part(root, slot)).toHaveTextContent(text().replace(/\s+/g, ' ')));
}

/** Waits until `slot`'s `data-state` is `state` (the card fields take a moment to draw). */
export async function expectState(root: HTMLElement, slot: string, state: string): Promise<void> {
  await waitFor(() => expect(part(root, slot)).toHaveAttribute('data-state', state), {
    timeout: 10_000,
  });
}
