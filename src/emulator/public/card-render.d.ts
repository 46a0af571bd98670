// Types of the renderer's boundary (card-render.js is a browser ES module, loaded as-is by the
// console and by the unit tests under happy-dom). DOM nodes are typed `unknown`: the project's
// TypeScript has no DOM lib; callers cast to their DOM's element type.

/** What Lark would put in card.action.trigger's `action`. */
export interface RenderedAction {
  value: unknown;
  form_value?: Record<string, unknown>;
  name?: string;
  tag?: string;
  option?: string;
  options?: string[];
  input_value?: string;
  checked?: boolean;
}

export interface RenderContext {
  /** open_id → display name, for <at> mentions and person lists. */
  names?: Record<string, string>;
  /** A click or submit; the renderer keeps the button busy until the returned promise settles. */
  onAction?(action: RenderedAction): unknown;
  /** Draws a chart's VChart spec into the given node (the console loads VChart lazily). */
  drawChart?(node: unknown, spec: Record<string, unknown>): unknown;
}

export const KNOWN_TAGS: readonly string[];
export function renderCard(card: unknown, ctx?: RenderContext): unknown;
export function renderElement(element: unknown, ctx: RenderContext): unknown;
export function checkLimits(card: unknown): string[];
export function renderMarkdown(src: string, opts?: { names?: Record<string, string> }, doc?: unknown): unknown;
export function markdownText(src: string, opts?: { names?: Record<string, string> }, doc?: unknown): string;
