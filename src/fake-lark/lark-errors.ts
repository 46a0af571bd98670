// The Lark error codes the fake answers with (LARK.md §6) and the HTTP status Lark pairs them with.

export const LarkCode = {
  ok: 0,
  appSecretInvalid: 10014,
  tokenMissing: 99991661,
  tokenInvalid: 99991663,
  rateLimited: 99991400,
  invalidParam: 230001,
  botNotInChat: 230002,
  userOutOfScope: 230013,
  contentTooLarge: 230025,
  messageTooOld: 230031,
  invalidCard: 230099,
  cardTokenExpired: 300030,
  cardTokenExhausted: 300040,
  notModeled: 99999999,
} as const;

export class FakeLarkError extends Error {
  constructor(
    readonly status: number,
    readonly code: number,
    readonly larkMsg: string,
  ) {
    super(`${code}: ${larkMsg}`);
    this.name = 'FakeLarkError';
  }

  body(): { code: number; msg: string } {
    return { code: this.code, msg: this.larkMsg };
  }
}

/** Lark's wording for 230001: "… invalid request parameter, ext=<detail>". */
export function invalidParam(detail: string): FakeLarkError {
  return new FakeLarkError(400, LarkCode.invalidParam, `Your request contains an invalid request parameter, ext=${detail}`);
}

export function invalidCard(detail: string): FakeLarkError {
  return new FakeLarkError(400, LarkCode.invalidCard, `Failed to create card content, ext=${detail}`);
}
