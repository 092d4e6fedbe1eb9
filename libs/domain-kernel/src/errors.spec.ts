import { InvalidValueError } from './errors';

describe('InvalidValueError', () => {
  const error = new InvalidValueError('MONEY_INVALID', 'precision', 'too many decimals');

  it('is an Error that keeps code, rule and message', () => {
    expect(error).toBeInstanceOf(Error);
    expect(error).toBeInstanceOf(InvalidValueError);
    expect(error.code).toBe('MONEY_INVALID');
    expect(error.rule).toBe('precision');
    expect(error.message).toBe('too many decimals');
  });

  it('is named so logs and stack traces show the class', () => {
    expect(error.name).toBe('InvalidValueError');
    expect(String(error)).toBe('InvalidValueError: too many decimals');
    expect(error.stack).toContain('InvalidValueError: too many decimals');
  });

  it('can be caught and narrowed by instanceof', () => {
    const caught = ((): unknown => {
      try {
        throw new InvalidValueError('DATE_INVALID', 'format', 'bad date');
      } catch (e) {
        return e;
      }
    })();
    expect(caught instanceof InvalidValueError && caught.rule).toBe('format');
  });
});
