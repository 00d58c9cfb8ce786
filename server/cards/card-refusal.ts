import type { CardErrorCode } from './contracts/common.ts';

/**
 * A request the cards API answers without data: the message is for the person looking at the card
 * (what is wrong and, where it helps, what to do), and nothing was changed.
 */
export class CardRefusal extends Error {
  readonly code: CardErrorCode;
  readonly field: string | undefined;

  constructor(code: CardErrorCode, message: string, field?: string) {
    super(message);
    this.name = 'CardRefusal';
    this.code = code;
    this.field = field;
  }
}
