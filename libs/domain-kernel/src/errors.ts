/**
 * Thrown when a value object refuses its input. `code` is the platform error code the gateway maps
 * to a status; `rule` names the check that failed so a form can point at it without parsing the
 * English message.
 */
export class InvalidValueError extends Error {
  override readonly name = 'InvalidValueError';
  readonly code: string;
  readonly rule: string;

  constructor(code: string, rule: string, message: string) {
    super(message);
    this.code = code;
    this.rule = rule;
  }
}
