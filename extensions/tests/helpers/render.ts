import type { UnknownComponentProps } from '@hubspot/ui-extensions';
import { RenderedNodeType, type RenderedElementNode, type RenderedNode } from '@hubspot/ui-extensions/testing';

/** All the text under a rendered node (a node's own `text` holds only its direct text children). */
export function textOf(node: RenderedNode): string {
  if (node.nodeType === RenderedNodeType.Text) return node.text;
  return node.childNodes.map((child) => textOf(child)).join('');
}

/**
 * Calls an event prop of a rendered element with what HubSpot would pass it (a Select's value, a
 * Checkbox's checked state). `trigger` itself is typed in 0.17.0 as taking the handler, not its argument.
 */
export function fire<P extends UnknownComponentProps>(
  node: RenderedElementNode<P>,
  event: string,
  argument?: unknown,
): void {
  (node.trigger as unknown as (event: string, argument?: unknown) => void)(event, argument);
}
